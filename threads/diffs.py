"""A revision's changes word by word, for people: what was taken out and what was put in,
never a unified diff's ``--- +++ @@`` lines."""

import re
from difflib import SequenceMatcher

# Words, runs of spaces, and each punctuation mark on its own: changing "idiots." to
# "people." marks the word, not the full stop.
TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def word_diff(old, new):
    """``[(kind, text)]`` from ``old`` to ``new``, kind "same", "deleted" or "inserted",
    neighbours of one kind merged; a replacement is its deletion then its insertion."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    pieces = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("deleted", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("inserted", "".join(b[j1:j2])))
    merged = []
    for kind, text in pieces:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return merged
