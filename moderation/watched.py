"""Watched words: plain words or simple wildcards ("idiot*", "*hole") per space or site-wide.

Every change is logged (``watched_word_set``, ``watched_word_removed``); a CSV import
is all or nothing.  ``check_text`` tells the organizer page what a text would meet.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import IntegrityError, transaction
from django.db.models import Q

from .audit import record
from .models import WatchedWord

# Most severe first: a text matching a "block" word is refused whatever else matches.
SEVERITY = [WatchedWord.Action.BLOCK, WatchedWord.Action.HOLD, WatchedWord.Action.FLAG]
PATTERN_CHARS = re.compile(r"^[\w*' -]+$")
MAX_PATTERN = WatchedWord._meta.get_field("pattern").max_length
# A CSV import is one transaction; more rows than this is surely the wrong file.
MAX_IMPORT_ROWS = 2000


class BadPattern(ValueError):
    """A word, action or CSV that cannot be used; the message is meant for the person."""


def to_regex(pattern):
    """'idiot*' -> r'\\bidiot\\w*\\b', case-insensitive; '*' matches within one word."""
    return _compiled(pattern.strip().lower())


@lru_cache(maxsize=2048)
def _compiled(pattern):
    if not pattern or not PATTERN_CHARS.match(pattern) or not pattern.replace("*", "").strip():
        shown = f"“{pattern}”" if pattern else "An empty word"
        raise BadPattern(
            f"{shown}: use letters, digits, spaces, ' and -, with * as a wildcard within a word."
        )
    if len(pattern) > MAX_PATTERN:
        raise BadPattern(f"“{pattern[:30]}…”: a watched word is at most {MAX_PATTERN} characters.")
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


def block_message(found):
    """What a reader is told when a "block" word refuses their post."""
    words = ", ".join(sorted({f"“{text}”" for word, text in found if word.action == "block"}))
    return f"This space does not allow {words}. Please rephrase and post again."


def clean_action(action):
    action = (action or "").strip().lower()
    if action not in WatchedWord.Action.values:
        raise BadPattern("Choose flag, hold or block.")
    return action


def add_word(actor, essay, pattern, action):
    """Watch ``pattern`` in ``essay`` (None: site-wide), or change its action.

    Logged when something changed; setting a word to what it already is logs nothing.
    """
    pattern = pattern.strip().lower()
    to_regex(pattern)
    action = clean_action(action)
    try:
        return _set_word(actor, essay, pattern, action)
    except IntegrityError:  # the same word, set by someone else at the same moment
        raise BadPattern(
            f"“{pattern}” was just set by someone else; look at the list and try again."
        ) from None


def _set_word(actor, essay, pattern, action):
    with transaction.atomic():
        word = WatchedWord.objects.select_for_update().filter(essay=essay, pattern=pattern).first()
        if word is not None and word.action == action:
            word.change = None
            return word
        before = {"action": word.action} if word else {}
        if word is None:
            word = WatchedWord(essay=essay, pattern=pattern, created_by=actor)
        word.action = action
        word.save()
        word.change = "changed" if before else "added"
        record(
            actor,
            "watched_word_set",
            essay=essay,
            before=before,
            after={"pattern": word.pattern, "action": action, "site_wide": essay is None},
        )
        return word


def remove_word(actor, word):
    with transaction.atomic():
        word = WatchedWord.objects.select_for_update().filter(pk=word.pk).first()
        if word is None:
            raise BadPattern("That word is no longer watched; someone removed it already.")
        record(
            actor,
            "watched_word_removed",
            essay=word.essay,
            before={"pattern": word.pattern, "action": word.action, "site_wide": not word.essay},
        )
        word.delete()


def parse_csv(text):
    """[(line number, pattern, action)] from rows of "pattern,action", checked, or BadPattern.

    A first row reading "pattern,action" is a header; blank lines are skipped.  The
    message names the line of the file (1 is its first line).
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows, seen, line, first = [], {}, 0, True
    try:
        for row in reader:
            line = reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if first and row[0].strip().lower() == "pattern":
                first = False
                continue
            first = False
            if len(row) != 2:
                raise BadPattern(
                    f"line {line}: expected two columns, pattern and action "
                    f"(found {len(row)}), e.g. idiot*,flag"
                )
            try:
                pattern, action = row[0].strip().lower(), clean_action(row[1])
                to_regex(pattern)
            except BadPattern as exc:
                raise BadPattern(f"line {line}: {exc}") from None
            if pattern in seen and seen[pattern][1] != action:
                raise BadPattern(
                    f"line {line}: “{pattern}” is already on line {seen[pattern][0]} "
                    "with another action; keep one of them."
                )
            seen[pattern] = (line, action)
            rows.append((line, pattern, action))
            if len(rows) > MAX_IMPORT_ROWS:
                raise BadPattern(f"line {line}: at most {MAX_IMPORT_ROWS:,} words in one file.")
    except csv.Error as exc:
        raise BadPattern(
            f"line {reader.line_num or line + 1}: not readable as CSV ({exc})."
        ) from None
    return rows


def import_csv(actor, essay, text):
    """Rows of "pattern,action"; all or nothing (nothing is written if a line is wrong).

    Returns {"added": n, "changed": n, "unchanged": n}.
    """
    rows = parse_csv(text)
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    with transaction.atomic():
        for _, pattern, action in rows:
            word = add_word(actor, essay, pattern, action)
            counts[word.change or "unchanged"] += 1
    return counts


def export_csv(essay):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["pattern", "action"])
    for word in WatchedWord.objects.filter(essay=essay).order_by("pattern"):
        writer.writerow([word.pattern, word.action])
    return out.getvalue()


@dataclass
class TextCheck:
    """What a text would meet on posting, for the "test a text" box."""

    found: list = field(default_factory=list)  # [(watched word, [texts it matched])]
    action: str | None = None  # the strongest action, None when nothing matches
    spans: list = field(default_factory=list)  # highlight_spans of the text
    refusal: str = ""  # what the reader would be told, for "block"


def check_text(text, words):
    """Which of ``words`` match ``text``, every place they match, and what would happen."""
    found = []
    for word in words:
        hits = [match.group(0) for match in to_regex(word.pattern).finditer(text)]
        if hits:
            found.append((word, hits))
    found.sort(key=lambda pair: (SEVERITY.index(pair[0].action), pair[0].pattern))
    first_hits = [(word, hits[0]) for word, hits in found]
    action = strongest(first_hits)
    return TextCheck(
        found=found,
        action=action,
        spans=highlight_spans(text, [word.pattern for word, _ in found]),
        refusal=block_message(first_hits) if action == WatchedWord.Action.BLOCK else "",
    )


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
