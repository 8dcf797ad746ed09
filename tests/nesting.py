"""Read the nesting of a thread's lists back from a page's HTML, as a browser would."""

from html.parser import HTMLParser

VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area", "base"}


class Nesting(HTMLParser):
    """Checks that every tag closes in order, and notes for each comment item (``li`` with
    id ``c<pk>``) the comment item it is inside (None at the top) and the elements
    between them (``"ol.replies"`` for a reply in its parent's list of replies)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, classes, comment pk or None)
        self.parent = {}  # comment pk -> pk of the comment item around it, or None
        self.between = {}  # comment pk -> the elements between it and that item

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        pk = None
        if tag == "li" and (attrs.get("id") or "").startswith("c"):
            pk = int(attrs["id"][1:])
            path = []
            for open_tag, open_classes, open_pk in reversed(self.stack):
                if open_pk is not None:
                    self.parent[pk] = open_pk
                    break
                path.append(".".join([open_tag, *open_classes]))
            else:
                self.parent[pk] = None
            self.between[pk] = list(reversed(path))
        self.stack.append((tag, classes, pk))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack, f"</{tag}> closes nothing"
        opened = self.stack.pop()[0]
        assert opened == tag, f"</{tag}> closes <{opened}>"

    def close(self):
        super().close()
        assert not self.stack, f"left open: {[tag for tag, _, _ in self.stack]}"


def nesting_of(html):
    """The parsed ``Nesting`` of ``html`` (a page, or one list)."""
    parser = Nesting()
    parser.feed(html)
    parser.close()
    return parser
