"""The few words of a comment a queue row shows: the part that was flagged, not only the
comment's first words (a sweeping claim in its third sentence would be cut off)."""

import re

from .watched import BadPattern, to_regex

SNIPPET_LENGTH = 160
# How much of the text before the flagged part the row keeps, for its sense.
LEAD = 50


def _watched_match(text, patterns):
    """The first match of any watched word in ``text``, or None."""
    found = []
    for pattern in patterns:
        try:
            match = to_regex(pattern).search(text)
        except BadPattern:  # a word saved before the rules tightened: nothing to mark
            continue
        if match:
            found.append(match)
    return min(found, key=lambda m: m.start(), default=None)


def _evidence_match(text, heat_signals):
    """Where the strongest heat signal's quoted evidence is in ``text``, or None."""
    for signal in sorted(heat_signals or (), key=lambda s: -s.get("weight", 0)):
        for phrase in signal.get("evidence") or ():
            match = re.search(re.escape(" ".join(str(phrase).split())), text, re.IGNORECASE)
            if match:
                return match
    return None


def flagged_part(body, watched_words=(), heat_signals=()):
    """(before, marked, after): a window of ``body`` around the watched word it matched,
    else around the strongest heat evidence, else its start with nothing marked."""
    text = " ".join(body.split())
    match = _watched_match(text, watched_words) or _evidence_match(text, heat_signals)
    if match is None:
        end = _word_end(text, SNIPPET_LENGTH)
        return text[:end] + ("…" if end < len(text) else ""), "", ""
    # A little before the flagged part, and as much of the text as fits.
    start = max(0, min(match.start() - LEAD, len(text) - SNIPPET_LENGTH))
    if start:
        start = text.find(" ", start) + 1 or match.start()
        start = min(start, match.start())
    end = _word_end(text, max(start + SNIPPET_LENGTH, match.end()))
    before = ("…" if start else "") + text[start : match.start()]
    after = text[match.end() : end] + ("…" if end < len(text) else "")
    return before, match.group(0), after


def _word_end(text, limit):
    """``limit``, moved back to the end of a word when it falls inside one."""
    if limit >= len(text):
        return len(text)
    cut = text.rfind(" ", 0, limit)
    return cut if cut > limit // 2 else limit
