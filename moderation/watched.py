"""Watched words: plain words or simple wildcards ("idiot*", "*hole") per space or site-wide."""

import csv
import io
import re

from django.db import transaction
from django.db.models import Q

from .audit import record
from .models import WatchedWord

# Most severe first: a text matching a "block" word is refused whatever else matches.
SEVERITY = [WatchedWord.Action.BLOCK, WatchedWord.Action.HOLD, WatchedWord.Action.FLAG]
PATTERN_CHARS = re.compile(r"^[\w*' -]+$")


class BadPattern(ValueError):
    pass


def to_regex(pattern):
    """'idiot*' -> r'\\bidiot\\w*\\b', case-insensitive; '*' matches within one word."""
    pattern = pattern.strip().lower()
    if not pattern or not PATTERN_CHARS.match(pattern) or not pattern.replace("*", "").strip():
        raise BadPattern(f"{pattern!r}: use letters, digits, spaces, ' and - with * as wildcard")
    body = r"\w*".join(re.escape(part) for part in pattern.split("*"))
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def words_for(essay):
    return WatchedWord.objects.filter(Q(essay=essay) | Q(essay__isnull=True))


def matches(text, words):
    """[(watched word, the text it matched)] for every watched word found in ``text``."""
    found = []
    for word in words:
        match = to_regex(word.pattern).search(text)
        if match:
            found.append((word, match.group(0)))
    return sorted(found, key=lambda pair: SEVERITY.index(pair[0].action))


def strongest(found):
    return found[0][0].action if found else None


def add_word(actor, essay, pattern, action):
    to_regex(pattern)
    if action not in WatchedWord.Action.values:
        raise BadPattern("Choose flag, hold or block.")
    with transaction.atomic():
        word, created = WatchedWord.objects.update_or_create(
            essay=essay,
            pattern=pattern.strip().lower(),
            defaults={"action": action, "created_by": actor},
        )
        record(
            actor,
            "watched_word_set",
            essay=essay,
            after={"pattern": word.pattern, "action": action, "site_wide": essay is None},
        )
        return word


def remove_word(actor, word):
    with transaction.atomic():
        record(
            actor,
            "watched_word_removed",
            essay=word.essay,
            before={"pattern": word.pattern, "action": word.action},
        )
        word.delete()


def import_csv(actor, essay, text):
    """Rows of "pattern,action"; all or nothing.  Returns how many were set."""
    rows = [row for row in csv.reader(io.StringIO(text)) if row and any(c.strip() for c in row)]
    if rows and rows[0][0].strip().lower() == "pattern":
        rows = rows[1:]
    with transaction.atomic():
        for number, row in enumerate(rows, start=1):
            if len(row) != 2:
                raise BadPattern(f"row {number}: expected two columns, pattern and action")
            try:
                add_word(actor, essay, row[0], row[1].strip().lower())
            except BadPattern as exc:
                raise BadPattern(f"row {number}: {exc}") from None
    return len(rows)


def export_csv(essay):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["pattern", "action"])
    for word in WatchedWord.objects.filter(essay=essay).order_by("pattern"):
        writer.writerow([word.pattern, word.action])
    return out.getvalue()


def highlight_spans(text, patterns):
    """Split ``text`` into (piece, is_match) pairs for the case page's highlighting."""
    if not patterns:
        return [(text, False)]
    regex = re.compile("|".join(to_regex(p).pattern for p in patterns), re.IGNORECASE)
    pieces, last = [], 0
    for match in regex.finditer(text):
        pieces.append((text[last : match.start()], False))
        pieces.append((match.group(0), True))
        last = match.end()
    pieces.append((text[last:], False))
    return [piece for piece in pieces if piece[0]]
