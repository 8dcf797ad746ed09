"""Lengths of time and moments in words for people ("10 minutes", "just now"), never
"600 seconds", "7 minute(s)" or "0 minutes ago"."""

from datetime import datetime

from django.utils import timezone

UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def _plural(n, unit):
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def duration_words(seconds, *, parts=2):
    """A length of time in its ``parts`` largest units: 600 → "10 minutes",
    5400 → "1 hour 30 minutes", 90061 → "1 day 1 hour"; 0 → "no time".

    Seconds show only when the whole length is under a minute: a pause of "1 hour
    0 minutes 5 seconds" says less than "1 hour".
    """
    seconds = int(seconds or 0)
    if seconds <= 0:
        return "no time"
    words = []
    for unit, size in UNITS:
        if unit == "second" and words:
            break
        n, seconds = divmod(seconds, size)
        if n:
            words.append(_plural(n, unit))
        elif words:
            break  # "1 day 5 minutes" reads as if the hours were forgotten: stop at a gap
        if len(words) == parts:
            break
    return " ".join(words)


def ago_words(when, now=None):
    """How long ago ``when`` was, in its largest unit: "just now" under a minute,
    "5 minutes ago", "1 hour ago", "3 days ago"; a future moment reads "just now"
    (clocks of two machines differ by a few seconds)."""
    if not isinstance(when, datetime):
        return ""
    seconds = int(((now or timezone.now()) - when).total_seconds())
    if seconds < 60:
        return "just now"
    return f"{duration_words(seconds, parts=1)} ago"


def wait_words(seconds):
    """A wait rounded up to the minute ("1 minute", "7 minutes"): someone told to wait
    "40 seconds" or "6 minutes" after 6 minutes 20 would be refused once more."""
    minutes = max(1, -(-int(seconds) // 60))
    return duration_words(minutes * 60)
