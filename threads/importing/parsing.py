"""Text in, records out: the two seed formats, parsed without models or a database.

Essay format: an optional "Featured" line, a title line, a subtitle line, then
one paragraph per line; which of them are headings is ``essay_text``'s one rule
(the same for essays written or edited on the pages).

Comment-page format (a Substack comment page copied as text): an optional
"N Comments" header, then comments separated by lines reading "Expand full
comment".  A comment may start with a metadata line such as "Jan 23Edited".
The plain text cannot show nesting, so reply structure is given separately as
"child>parent" pairs of 1-based positions.

A page can be read as a stream (``CommentPageReader``), one comment in memory
at a time, so ``threads.importing.loading`` can write a large file in batches.
"""

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.utils.text import slugify

from ..limits import ESSAY_TITLE_LENGTH, MAX_COMMENT_LENGTH, SOURCE_DATE_LENGTH
from .essay_text import SENTENCE_END, essay_blocks, line_paragraphs


class ImportFailed(Exception):
    """The file cannot be imported; the message names the file and where."""


# --- decoding ---------------------------------------------------------------


def decode(data, name):
    """Bytes to text: UTF-8 with or without BOM, LF/CRLF/CR line ends."""
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_utf8(name, data[: bom + exc.start]) from None  # offset with the BOM
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise empty(name)
    return text


def check_text_file(path, chunk_size=1 << 20):
    """Check a file as ``decode`` would (UTF-8, not blank) without holding it in memory."""
    path = Path(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, blank, first = 0, True, True
    try:
        with path.open("rb") as stream:
            while True:
                chunk = stream.read(chunk_size)
                pending = len(decoder.getstate()[0])
                try:
                    text = decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as exc:
                    with path.open("rb") as again:
                        head = again.read(offset - pending + exc.start)
                    raise not_utf8(path.name, head) from None
                if first and text:
                    text, first = text.removeprefix("\ufeff"), False
                blank = blank and not text.strip()
                offset += len(chunk)
                if not chunk:
                    break
    except OSError as exc:
        raise unreadable(path, exc) from None
    if blank:
        raise empty(path.name)


def read_file(path):
    path = Path(path)
    try:
        return decode(path.read_bytes(), path.name)
    except OSError as exc:
        raise unreadable(path, exc) from None


# The three ways a file fails before its format is looked at, worded alike for
# ``decode`` (an upload) and ``check_text_file`` (a file streamed from disk).


def not_utf8(name, head):
    """``head``: the file's bytes before the first one that is not UTF-8."""
    line = len(re.split(rb"\r\n|\r|\n", head))
    return ImportFailed(f"{name}: not valid UTF-8 at byte {len(head)} (line {line})")


def empty(name):
    return ImportFailed(f"{name}: the file is empty (line 1)")


def unreadable(path, exc):
    return ImportFailed(f"{path}: cannot be read ({exc.strerror})")


# --- essays -----------------------------------------------------------------


@dataclass
class ParsedEssay:
    title: str
    subtitle: str
    featured: bool
    blocks: list


def refuse_nul(text, name, first_line=1):
    """NUL never belongs in a text file, and PostgreSQL cannot store it."""
    at = text.find("\x00")
    if at >= 0:
        line = first_line + text.count("\n", 0, at)
        raise ImportFailed(f"{name}: contains a NUL character (line {line})")


def digits_to_int(digits):
    """Digits (commas allowed) as an int; a run too long for int() is simply huge."""
    digits = digits.replace(",", "")
    return int(digits) if len(digits) <= 18 else 10**18


def parse_essay(text, name="essay"):
    refuse_nul(text, name)
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    featured = bool(lines) and lines[0].lower() == "featured"
    if featured:
        lines = lines[1:]
    if not lines:
        raise ImportFailed(f"{name}: no title found (line 1)")
    title, subtitle, rest = lines[0], (lines[1] if len(lines) > 1 else ""), lines[2:]
    if len(title) > ESSAY_TITLE_LENGTH:
        raise ImportFailed(f"{name}: the title line is too long to be a title (line 1)")
    blocks = essay_blocks(line_paragraphs(rest))
    return ParsedEssay(title=title, subtitle=subtitle, featured=featured, blocks=blocks)


def default_slug(title):
    """A URL slug from the title; a title with no Latin letters gets a stable, distinct one."""
    slug = slugify(title)[:80].strip("-")
    return slug or "essay-" + hashlib.sha1(title.encode()).hexdigest()[:10]


# --- comment pages ------------------------------------------------------------

HEADER = re.compile(r"^([\d,]+)\s+comments?$", re.IGNORECASE)
SEPARATOR = "expand full comment"
MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
METADATA = re.compile(
    rf"^(?P<date>(?:(?:{MONTHS})[a-z]*\.? \d{{1,2}}(?:, \d{{4}})?"
    r"|\d+\s*(?:s|m|min|mins|h|hr|hrs|d|w|mo|y)(?: ago)?))?\s*(?P<edited>edited)?$",
    re.IGNORECASE,
)
SIGN_OFF_MAX = 40
DAY_DATE = re.compile(
    rf"^(?P<month>{MONTHS})[a-z]*\.? (?P<day>\d{{1,2}})(?:, (?P<year>\d{{4}}))?$", re.IGNORECASE
)
AGO = re.compile(r"^(?P<count>\d+)\s*(?P<unit>[a-z]+)(?: ago)?$", re.IGNORECASE)
MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# "2mo" and "1y" are left out: they name no day.
AGO_UNITS = {
    "s": "seconds",
    "m": "minutes",
    "min": "minutes",
    "mins": "minutes",
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "d": "days",
    "w": "weeks",
}
# How many years back "Feb 29" may look for a leap year (and nothing else needs more than one).
YEARS_BACK = 8


def written_day(source_date, now):
    """The day a comment was written, from its date as the page showed it; None if unknown.

    ``now`` is when the page was copied (the import's time, in the time zone the
    page's dates are read in).  A date with its year keeps it.  "Jan 23" without
    one (Substack leaves out the current year) is the latest Jan 23 not after
    ``now``: copied on Feb 2, 2026 it is Jan 23, 2026; copied on Jan 10, 2026,
    Jan 23, 2025.  "3d" or "5h" count back from ``now``.  "2mo" and "1y" name no
    day, and neither does a date that never was ("Feb 30"): None, as for no date.
    """
    if match := DAY_DATE.match(source_date):
        month = MONTH_NAMES.index(match["month"][:3].lower()) + 1
        day = int(match["day"])
        if match["year"]:
            return valid_date(int(match["year"]), month, day)
        for year in range(now.year, now.year - YEARS_BACK - 1, -1):
            found = valid_date(year, month, day)
            if found and found <= now.date():
                return found
        return None
    match = AGO.match(source_date)
    if match and match["unit"].lower() in AGO_UNITS:
        unit = AGO_UNITS[match["unit"].lower()]
        try:
            return (now - timedelta(**{unit: int(match["count"])})).date()
        except OverflowError:
            return None
    return None


def valid_date(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass
class ParsedComment:
    position: int  # 1-based, in file order
    line: int  # where the comment starts in the file
    body: str
    author_name: str = ""
    source_date: str = ""
    edited: bool = False
    parent_position: int | None = None
    author_id: int | None = None  # an account, for generated threads (files carry none)
    key: str = ""  # the source's own id as the import key (site exports); else from the text
    columns: dict = field(default_factory=dict)  # other Comment fields (status, kind, ...)


@dataclass
class ParsedPage:
    comments: list
    warnings: list = field(default_factory=list)


def signed_name(paragraphs):
    """The name under a closing sign-off like "With deep respect,\\n\\nElla"."""
    if len(paragraphs) < 3:
        return ""
    closing, name = paragraphs[-2], paragraphs[-1]
    if (
        closing.endswith(",")
        and len(closing) <= SIGN_OFF_MAX
        and len(name) <= SIGN_OFF_MAX
        and len(name.split()) <= 4
        and "\n" not in name
        and name[:1].isupper()
        and not name.endswith(SENTENCE_END)
    ):
        return name
    return ""


def parse_block(lines, position, first_line, name):
    refuse_nul("\n".join(lines), name, first_line)
    while lines and not lines[0].strip():
        lines, first_line = lines[1:], first_line + 1
    meta = METADATA.match(lines[0].strip()) if lines else None
    source_date, edited = "", False
    if meta and lines[0].strip() and len(meta["date"] or "") <= SOURCE_DATE_LENGTH:
        source_date, edited = meta["date"] or "", bool(meta["edited"])
        lines = lines[1:]
    paragraphs, current = [], []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if not paragraphs:
        return None
    body = "\n\n".join(paragraphs)
    if len(body) > MAX_COMMENT_LENGTH:
        raise ImportFailed(
            f"{name}: comment {position} (line {first_line}) is longer than "
            f"{MAX_COMMENT_LENGTH:,} characters"
        )
    return ParsedComment(
        position=position,
        line=first_line,
        body=body,
        author_name=signed_name(paragraphs) or f"Reader {position}",
        source_date=source_date,
        edited=edited,
    )


class CommentPageReader:
    """The comments of a comment page, parsed as its lines go by.

    Iterating yields ParsedComment one block at a time, so a file of any size
    is read with one comment in memory.  After the iteration, ``count`` and
    ``warnings`` describe the whole page.
    """

    def __init__(self, lines, name):
        self.lines, self.name = lines, name
        self.count, self.expected, self.warnings = 0, None, []

    def __iter__(self):
        block, block_start, first_line, started = [], 1, 1, False
        for number, line in enumerate(self.lines, start=1):
            if not started and line.strip():
                started = True
                header = HEADER.match(line.strip())
                if header:
                    self.expected = digits_to_int(header[1])
                    block, block_start = [], number + 1
                    first_line = number + 1
                    continue
            if line.strip().lower() == SEPARATOR:
                yield from self._finish(block, block_start)
                block, block_start = [], number + 1
            else:
                block.append(line)
        yield from self._finish(block, block_start)
        if not self.count:
            raise ImportFailed(f"{self.name}: no comment found (line {first_line})")
        if self.expected is not None and self.expected != self.count:
            self.warnings.append(
                f"{self.name}: the header says {self.expected} comments but {self.count} were found"
            )

    def _finish(self, block, block_start):
        parsed = parse_block(block, self.count + 1, block_start, self.name)
        if parsed:
            self.count += 1
            yield parsed


REPLY_ITEM = re.compile(r"(\d+)\s*>\s*(\d+)")


class ReplySpec:
    """A --replies value like '9>8,10>8': child>parent pairs of 1-based positions.

    The pairs are known before the file is read (the bulk path lays trees out
    from them); whether each child exists is only known once the file is read,
    so ``check`` raises the first bad item then, as the item-by-item check would.
    The pairs are handed over once (a 100,000-comment thread has as many); the
    spec keeps its text and a summary, and reads the text again to name a bad item.
    """

    def __init__(self, spec, name):
        self.name, self.spec = name, spec or ""
        self.passable = True  # no malformed or backwards item
        self.largest = 0  # the largest child position named
        self._pairs = {}
        for _, child, parent in self.items():
            if child is None or not 1 <= parent < child:
                self.passable = False
            else:
                self.largest = max(self.largest, child)
                self._pairs[child] = parent

    def items(self):
        """(text, child, parent) for each item in order; child is None when malformed."""
        for found in re.finditer(r"[^,]+", self.spec):
            part = found[0].strip()
            if not part:
                continue
            match = REPLY_ITEM.fullmatch(part)
            if match:
                yield part, digits_to_int(match[1]), digits_to_int(match[2])
            else:
                yield part, None, None

    def pairs(self):
        """{child: parent} of the well-formed items (the last one wins for a child).

        Handed over once: the spec keeps no reference to it (it can be large)."""
        pairs, self._pairs = self._pairs, None
        return pairs

    def check(self, count):
        if self.passable and self.largest <= count:
            return
        for part, child, parent in self.items():
            if child is None:
                raise ImportFailed(
                    f"{self.name}: replies item {part!r} is not of the form CHILD>PARENT (e.g. 9>8)"
                )
            if not (1 <= parent < child <= count):
                raise ImportFailed(
                    f"{self.name}: replies item {part!r}: positions run 1..{count} "
                    "and a parent must come before its reply"
                )

    def can_pass(self, most=None):
        """Whether ``check`` can still succeed: no malformed or backwards item, and (with
        ``most``, an upper bound of the count) no child past it."""
        return self.passable and (most is None or self.largest <= most)


def parse_replies(spec, count, name):
    """'9>8,10>8' -> {9: 8, 10: 8}; a parent must come before its reply."""
    replies = ReplySpec(spec, name)
    replies.check(count)
    return replies.pairs()


def parse_comment_page(text, name="comments", replies=""):
    reader = CommentPageReader(text.split("\n"), name)
    comments = list(reader)
    page = ParsedPage(comments=comments, warnings=reader.warnings)
    for child, parent in parse_replies(replies, len(comments), name).items():
        comments[child - 1].parent_position = parent
    return page
