"""A depth-first run of comments written as nested lists (issue 14, point 6).

Pages fetch a thread as one flat run in thread order (parents before their replies,
``queries.thread``).  Indenting that run by CSS showed the nesting to the eye only; written
as lists inside their parent's item, a screen reader also says "list, level 3" and which
comment a reply belongs to.  No recursion and no query: one pass over the run, with a
stack of what is open.
"""

from django.utils.safestring import mark_safe

FOLD_OPENS = (
    '<li class="fold"><details><summary>This part of the conversation is resting. The replies '
    'are still here: open to read them.</summary><ol class="thread">'
)
FOLD_CLOSES = "</ol></details></li>"
CLOSING = {"item": "</li>\n", "list": "</ol>\n", "fold": FOLD_CLOSES}


class NestedList:
    """Items of a depth-first run, each with its level in the tree, as nested ``<ol>``.

    A reply's list (``ol.replies``) opens inside its parent's ``<li>``.  An item deeper
    than the one before it by more than one level (a run that starts inside a subthread,
    or a reply whose parent is not shown) sits in an item without content
    (``li.thread-gap``) at each level between.  A fold (a resting subthread behind a
    disclosure) is a list of its own inside the list it opens in; items stay in it until
    ``close_folds``, whatever their level.
    """

    def __init__(self, base_level):
        self.parts = ['<ol class="thread nested">\n']
        self.open = [("list", base_level)]  # (kind, level): the <ol>, <li> and folds open

    def _pop(self):
        kind, _ = self.open.pop()
        self.parts.append(CLOSING[kind])

    def _reach(self, level):
        """Close what ends before an item of ``level``, then open the lists it goes in."""
        while len(self.open) > 1:
            kind, at = self.open[-1]
            ends = at > level if kind == "list" else at >= level
            if kind == "fold" or not ends:
                break
            self._pop()
        while True:
            kind, at = self.open[-1]
            if kind == "item":
                self.parts.append('<ol class="replies">\n')
                self.open.append(("list", at + 1))
            elif at < level:
                self.parts.append('<li class="thread-gap">')
                self.open.append(("item", at))
            else:
                return

    def item(self, level, html):
        """An item whose ``<li ...>`` and content are ``html``; it closes after its replies."""
        self._reach(level)
        self.parts.append(html)
        self.open.append(("item", level))

    def open_fold(self, level):
        """A fold that starts with an item of ``level``."""
        self._reach(level)
        self.parts.append(FOLD_OPENS)
        self.open.append(("fold", level))

    def close_folds(self, count):
        for _ in range(count):
            while any(kind == "fold" for kind, _ in self.open):
                kind = self.open[-1][0]
                self._pop()
                if kind == "fold":
                    break

    def html(self):
        while self.open:
            self._pop()
        return mark_safe("".join(self.parts))  # the callers' parts are escaped
