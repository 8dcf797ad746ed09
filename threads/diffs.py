"""A revision's changes word by word, for people: what was taken out and what was put in,
never a unified diff's ``--- +++ @@`` lines."""

import re
from difflib import SequenceMatcher

# Words, runs of spaces, and each punctuation mark on its own: changing "idiots." to
# "people." marks the word, not the full stop.
TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def word_diff(old, new):
    """``[(kind, text)]`` from ``old`` to ``new``, kind "same", "deleted" or "inserted".

    Changes separated only by spaces read as one: "You clearly have no idea" replaced
    by "I see it differently" is one deletion and one insertion, not five of each.
    """
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    pieces, deleted, inserted, held = [], "", "", ""

    def flush():
        nonlocal deleted, inserted
        pieces.extend(
            (kind, text) for kind, text in (("deleted", deleted), ("inserted", inserted)) if text
        )
        deleted = inserted = ""

    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            deleted, inserted = (
                deleted + held + "".join(a[i1:i2]),
                inserted + held + "".join(b[j1:j2]),
            )
            held = ""
            continue
        same = "".join(a[i1:i2])
        if (deleted or inserted) and not same.strip():
            held = same  # spaces between two changes join them
            continue
        flush()
        pieces.append(("same", held + same))
        held = ""
    flush()
    if held:
        pieces.append(("same", held))
    return pieces
