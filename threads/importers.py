"""Parsers and loaders for the two seed formats.

Essay format: an optional "Featured" line, a title line, a subtitle line, then
one paragraph per line; short lines without sentence-final punctuation are
section headings.

Comment-page format (a Substack comment page copied as text): an optional
"N Comments" header, then comments separated by lines reading "Expand full
comment".  A comment may start with a metadata line such as "Jan 23Edited".
The plain text cannot show nesting, so reply structure is given separately as
"child>parent" pairs of 1-based positions.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import MAX_COMMENT_LENGTH, Comment, Essay
from .posting import insert_comment


class ImportFailed(Exception):
    """The file cannot be imported; the message names the file and where."""


# --- decoding ---------------------------------------------------------------


def decode(data, name):
    """Bytes to text: UTF-8 with or without BOM, LF/CRLF/CR line ends."""
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start  # in the file as it is, BOM included
        line = len(re.split(rb"\r\n|\r|\n", data[:offset]))
        raise ImportFailed(f"{name}: not valid UTF-8 at byte {offset} (line {line})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportFailed(f"{name}: the file is empty (line 1)")
    return text


def read_file(path):
    path = Path(path)
    try:
        return decode(path.read_bytes(), path.name)
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror})") from None


# --- essays -----------------------------------------------------------------

SENTENCE_END = tuple(".!?…:;,\"”’'")
MAX_HEADING_WORDS = 20


@dataclass
class ParsedEssay:
    title: str
    subtitle: str
    featured: bool
    blocks: list


def is_heading(line):
    return len(line.split()) <= MAX_HEADING_WORDS and not line.endswith(SENTENCE_END)


def parse_essay(text, name="essay"):
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    featured = bool(lines) and lines[0].lower() == "featured"
    if featured:
        lines = lines[1:]
    if not lines:
        raise ImportFailed(f"{name}: no title found (line 1)")
    title, subtitle, rest = lines[0], (lines[1] if len(lines) > 1 else ""), lines[2:]
    if len(title) > Essay._meta.get_field("title").max_length:
        raise ImportFailed(f"{name}: the title line is too long to be a title (line 1)")
    blocks = [
        {"kind": "heading" if is_heading(line) else "paragraph", "text": line} for line in rest
    ]
    return ParsedEssay(title=title, subtitle=subtitle, featured=featured, blocks=blocks)


def import_essay(text, name="essay", slug=None, source=""):
    """Create the essay unless one with its slug exists.  Returns (essay, created)."""
    parsed = parse_essay(text, name)
    slug = slug or slugify(parsed.title)[:80].strip("-") or "essay"
    with transaction.atomic():
        return Essay.objects.get_or_create(
            slug=slug,
            defaults={
                "title": parsed.title,
                "subtitle": parsed.subtitle[:500],
                "featured": parsed.featured,
                "blocks": parsed.blocks,
                "source": source[:300],
            },
        )


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


@dataclass
class ParsedComment:
    position: int  # 1-based, in file order
    line: int  # where the comment starts in the file
    body: str
    author_name: str = ""
    source_date: str = ""
    edited: bool = False
    parent_position: int | None = None


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
    while lines and not lines[0].strip():
        lines, first_line = lines[1:], first_line + 1
    meta = METADATA.match(lines[0].strip()) if lines else None
    source_date, edited = "", False
    if meta and lines[0].strip():
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


def parse_replies(spec, count, name):
    """'9>8,10>8' -> {9: 8, 10: 8}; a parent must come before its reply."""
    replies = {}
    for part in filter(None, (p.strip() for p in (spec or "").split(","))):
        match = re.fullmatch(r"(\d+)\s*>\s*(\d+)", part)
        if not match:
            raise ImportFailed(f"{name}: --replies item {part!r} is not of the form CHILD>PARENT")
        child, parent = int(match[1]), int(match[2])
        if not (1 <= parent < child <= count):
            raise ImportFailed(
                f"{name}: --replies {part!r}: positions run 1..{count} "
                "and a parent must come before its reply"
            )
        replies[child] = parent
    return replies


def parse_comment_page(text, name="comments", replies=""):
    lines = text.split("\n")
    start, expected = 0, None
    for index, line in enumerate(lines):
        if line.strip():
            header = HEADER.match(line.strip())
            if header:
                expected, start = int(header[1].replace(",", "")), index + 1
            break
    comments, block, block_start = [], [], start + 1
    for index in range(start, len(lines) + 1):
        line = lines[index] if index < len(lines) else None
        if line is None or line.strip().lower() == SEPARATOR:
            parsed = parse_block(block, len(comments) + 1, block_start, name)
            if parsed:
                comments.append(parsed)
            block, block_start = [], index + 2
        else:
            block.append(line)
    if not comments:
        raise ImportFailed(f"{name}: no comment found (line {start + 1})")
    page = ParsedPage(comments=comments)
    if expected is not None and expected != len(comments):
        page.warnings.append(
            f"{name}: the header says {expected} comments but {len(comments)} were found"
        )
    for child, parent in parse_replies(replies, len(comments), name).items():
        comments[child - 1].parent_position = parent
    return page


def import_key(comment, seen):
    """Stable key from the author and text, numbered when the same text repeats."""
    digest = hashlib.sha256(f"{comment.author_name}\n{comment.body}".encode()).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}-{seen[digest]}"


def import_comments(essay, page, dry_run=False):
    """Add the page's comments to ``essay``; returns (created, existing).

    Idempotent (comments already imported are matched by their key and left as
    they are) and atomic (any error leaves the database untouched).
    """
    seen = {}
    keys = [import_key(c, seen) for c in page.comments]
    existing = dict(
        Comment.objects.filter(essay=essay, import_key__in=keys).values_list("import_key", "pk")
    )
    if dry_run:
        return len(keys) - len(existing), len(existing)
    now = timezone.now()
    by_position = {}
    with transaction.atomic():
        for key, parsed in zip(keys, page.comments, strict=True):
            if key in existing:
                by_position[parsed.position] = Comment.objects.get(pk=existing[key])
                continue
            comment = Comment(
                essay=essay,
                author_name=parsed.author_name,
                body=parsed.body,
                created=now,
                edited=now if parsed.edited else None,
                source_date=parsed.source_date,
                import_key=key,
            )
            parent = by_position.get(parsed.parent_position)
            by_position[parsed.position] = insert_comment(comment, parent)
    return len(keys) - len(existing), len(existing)
