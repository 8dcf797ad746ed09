"""Parsers and loaders for the two seed formats.

Essay format: an optional "Featured" line, a title line, a subtitle line, then
one paragraph per line; short lines without sentence-final punctuation are
section headings.

Comment-page format (a Substack comment page copied as text): an optional
"N Comments" header, then comments separated by lines reading "Expand full
comment".  A comment may start with a metadata line such as "Jan 23Edited".
The plain text cannot show nesting, so reply structure is given separately as
"child>parent" pairs of 1-based positions.

Large pages go through a bulk path: the file is streamed, the tree fields are
computed in Python from the reply map, and comments are written in batches.
"""

import codecs
import hashlib
import json
import re
from array import array
from dataclasses import dataclass, field
from itertools import islice, repeat
from pathlib import Path
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from .models import MAX_COMMENT_LENGTH, MAX_LEVEL, Comment, Essay
from .posting import NEW_TREE_LOCK, insert_comment, lock_tree


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
        line = line_of(data, offset)
        raise ImportFailed(f"{name}: not valid UTF-8 at byte {offset} (line {line})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportFailed(f"{name}: the file is empty (line 1)")
    return text


def line_of(data, offset):
    return len(re.split(rb"\r\n|\r|\n", data[:offset]))


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
                    at = offset - pending + exc.start
                    with path.open("rb") as again:
                        line = line_of(again.read(at), at)
                    raise ImportFailed(
                        f"{path.name}: not valid UTF-8 at byte {at} (line {line})"
                    ) from None
                if first and text:
                    text, first = text.removeprefix("\ufeff"), False
                blank = blank and not text.strip()
                offset += len(chunk)
                if not chunk:
                    break
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror})") from None
    if blank:
        raise ImportFailed(f"{path.name}: the file is empty (line 1)")


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
    if len(title) > Essay._meta.get_field("title").max_length:
        raise ImportFailed(f"{name}: the title line is too long to be a title (line 1)")
    blocks = [
        {"kind": "heading" if is_heading(line) else "paragraph", "text": line} for line in rest
    ]
    return ParsedEssay(title=title, subtitle=subtitle, featured=featured, blocks=blocks)


def default_slug(title):
    """A URL slug from the title; a title with no Latin letters gets a stable, distinct one."""
    slug = slugify(title)[:80].strip("-")
    return slug or "essay-" + hashlib.sha1(title.encode()).hexdigest()[:10]


def import_essay(text, name="essay", slug=None, source=""):
    """Create the essay unless one with its slug exists.  Returns (essay, created)."""
    parsed = parse_essay(text, name)
    slug = slug or default_slug(parsed.title)
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
SOURCE_DATE_MAX = Comment._meta.get_field("source_date").max_length


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
    if meta and lines[0].strip() and len(meta["date"] or "") <= SOURCE_DATE_MAX:
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


def import_key(comment, seen):
    """Stable key from the author and text, numbered when the same text repeats.

    ``seen`` counts the digests so far by their first 64 bits, as ints: a third
    of the memory of the digests themselves (a 100,000-comment file holds them
    all)."""
    digest = hashlib.sha256(f"{comment.author_name}\n{comment.body}".encode()).hexdigest()[:32]
    short = int(digest[:16], 16)
    seen[short] = number = seen.get(short, 0) + 1
    return f"{digest}-{number}"


# --- bulk loading -------------------------------------------------------------

# Comments written per round trip; also how many model objects are held at once.
BATCH_SIZE = 2000


class TreeLayout:
    """Nested-set fields of every comment, computed from the reply map alone.

    Each comment without a parent roots its own tree (as ``insert_comment``
    makes it); replies follow in file order (last child, as ``insert_comment``
    appends), and a reply to a comment at MAX_LEVEL attaches beside it.  Since
    the map is known before the file is read, the file can then be written in
    order, one batch at a time.  Fields are kept in arrays indexed by position
    (about 30 bytes a comment), not in per-comment Python objects.
    """

    def __init__(self, replies):
        self.size = max(replies, default=0) + 1
        zeros = [0] * self.size
        self.parent = array("q", zeros)  # 0: none
        self.root, self.lft, self.rght = array("q", zeros), array("q", zeros), array("q", zeros)
        self.level = bytearray(self.size)
        first, last, after = array("q", zeros), array("q", zeros), array("q", zeros)
        for child in sorted(replies):
            parent = replies[child]
            if self.level[parent] >= MAX_LEVEL:
                parent = self.parent[parent]
            self.parent[child] = parent
            self.level[child] = self.level[parent] + 1
            if last[parent]:
                after[last[parent]] = child
            else:
                first[parent] = child
            last[parent] = child
        for root in range(1, self.size):
            if first[root] and not self.parent[root]:
                self._number(root, first, after)

    def _number(self, root, first, after):
        """Depth-first through ``root``'s tree (children in order), numbering as it goes."""
        node, counter = root, 2
        self.lft[root] = 1
        while True:
            if first[node]:  # go down
                node = first[node]
                self.lft[node] = counter
                counter += 1
                continue
            while True:  # close the node, then its next sibling or its parent
                self.rght[node], self.root[node] = counter, root
                counter += 1
                if node == root:
                    return
                if after[node]:
                    node = after[node]
                    self.lft[node] = counter
                    counter += 1
                    break
                node = self.parent[node]

    def parent_of(self, position):
        """The position a comment replies to (as laid out), or None for a top-level one."""
        return (self.parent[position] or None) if position < self.size else None

    def has_replies(self, position):
        return position < self.size and self.rght[position] - self.lft[position] > 1

    def place(self, position):
        """(root position, lft, rght, level) of a comment."""
        if position < self.size and self.root[position]:
            return (
                self.root[position],
                self.lft[position],
                self.rght[position],
                self.level[position],
            )
        return (position, 1, 2, 0)


def batched(items, size):
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def reserve_ids(count):
    """Primary keys for ``count`` new comments, increasing, so a batch can name its parents.

    PostgreSQL hands them out from the table's sequence; elsewhere the caller's
    transaction holds the write lock (SQLite's IMMEDIATE transactions), so the
    keys above the current maximum stay free until it commits.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Comment._meta.db_table, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
    start = (Comment.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    return list(range(start, start + count))


class CommentRows:
    """Inserts comments as plain rows: the bulk path's inner loop, without the model layer.

    bulk_create prepares every field of every object through the ORM, which
    costs more than parsing and writing together.  Here a row is a dict of
    attribute values; every field it leaves out takes the value a new
    Comment(**defaults) has, prepared once, and only values that are not plain
    numbers or strings (datetimes, JSON) go through the field's own preparation.
    """

    def __init__(self, **defaults):
        template = Comment(**defaults)
        self.fields = Comment._meta.concrete_fields
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        # JSON goes as text (as JSONField sends it on SQLite, and as COPY takes it), encoded
        # here: the field's own preparation looks up the connection for every value.
        self.json_columns = {f.attname for f in self.fields if f.get_internal_type() == "JSONField"}
        self.base = [self.value(f, getattr(template, f.attname)) for f in self.fields]
        # Columns whose values go to the database as they are (numbers, text).
        self.plain = {
            f.attname
            for f in self.fields
            if f.get_internal_type()
            in {"AutoField", "BigAutoField", "CharField", "TextField", "PositiveIntegerField"}
            or f.is_relation
        }
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(Comment._meta.db_table)} ({columns}) VALUES ({marks})"
        self.copy_sql = f"COPY {quote(Comment._meta.db_table)} ({columns}) FROM STDIN"

    def value(self, column, value):
        if column.attname in self.json_columns:
            return json.dumps(value)
        if value is None or isinstance(value, int | float | str):
            return value
        return column.get_db_prep_save(value, connection)

    def prepare(self, row):
        values = self.base.copy()
        index, plain, fields = self.index, self.plain, self.fields
        for name, value in row.items():
            if (at := index.get(name)) is not None:
                values[at] = (
                    value if value is None or name in plain else self.value(fields[at], value)
                )
        return values

    def write(self, rows):
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: one stream for the batch (an executemany of INSERTs, bound on the
                # client as Django does, makes the server parse every row's statement).
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(self.prepare(row))
            else:
                cursor.executemany(self.sql, [self.prepare(row) for row in rows])


class BulkLoader:
    """Writes parsed comments into an essay in batches, inside the caller's transaction.

    Comments in new trees get their tree fields from a TreeLayout and primary
    keys reserved up front (file order), and each batch is one executemany
    (one COPY on PostgreSQL).
    New trees take tree ids above the current maximum, read under the new-tree
    lock.  A reply to a comment that was already there goes through
    ``insert_comment`` (it shifts an existing tree); a new tree laid out around
    a comment that was already there is rebuilt at the end.
    """

    def __init__(self, essay, replies, dry_run=False):
        self.essay, self.dry_run = essay, dry_run
        self.layout = TreeLayout(replies)
        self.seen = {}  # import-key digests so far, to number repeated texts
        # For comments with replies, by position: pk, and tree id if laid out here (else 0).
        self.known_pk = array("q", [0]) * self.layout.size
        self.known_tree = array("q", [0]) * self.layout.size
        self.laid_out = {}  # root position -> tree id, for new trees with replies
        self.gapped = set()  # tree ids laid out around a comment that already existed
        self.next_tree_id = None
        self.created = self.existing = 0
        self.now = timezone.now()
        self.rows = CommentRows(essay=essay, created=self.now, parent_id=None)

    def load(self, comments, progress=None):
        """Load an iterable (or a stream) of ParsedComment; returns (created, existing)."""
        # Keys this loader writes are distinct, so only comments already there can match.
        imported_before = Comment.objects.filter(
            essay=self.essay, import_key__isnull=False
        ).exists()
        from moderation import heat  # moderation builds on threads, not the reverse

        batches = batched(comments, BATCH_SIZE)
        scoring = heat.enabled() and not self.dry_run
        scored = heat.scored(batches) if scoring else zip(batches, repeat(None))
        for batch, scores in scored:
            keys = [import_key(c, self.seen) for c in batch]
            found = self._already_there(keys) if imported_before else {}
            self.created += len(keys) - len(found)
            self.existing += len(found)
            if not self.dry_run:
                self._write(batch, keys, found, scores)
            if progress:
                progress(self.created + self.existing)
        for tree_id in sorted(self.gapped):
            Comment.objects.partial_rebuild(tree_id)
        return self.created, self.existing

    def _already_there(self, keys):
        """{import key: pk} of the essay's comments with one of ``keys`` (its unique index).

        SQLite, without statistics, would walk every comment of the essay through an
        (essay, ...) index rather than probe the unique index for each key of a long IN
        list; there the keys come as one JSON array, looked up one by one (CROSS JOIN
        keeps that order).
        """
        if connection.vendor != "sqlite":
            rows = Comment.objects.filter(essay=self.essay, import_key__in=keys)
            return dict(rows.values_list("import_key", "pk"))
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT c."import_key", c."id" FROM json_each(%s) AS wanted'
                ' CROSS JOIN "threads_comment" AS c'
                ' WHERE c."essay_id" = %s AND c."import_key" = wanted."value"',
                [json.dumps(keys), self.essay.pk],
            )
            return dict(cursor.fetchall())

    def _write(self, batch, keys, found, scores):
        """Write a batch's new comments (with their heat scores, when scoring is on)."""
        ids = iter(reserve_ids(len(keys) - len(found)))
        new = []
        for key, parsed, score in zip(keys, batch, scores or [None] * len(batch), strict=True):
            if key in found:
                self._skip(parsed.position, found[key])
                continue
            row = SimpleNamespace(
                id=next(ids),
                author_id=parsed.author_id,
                author_name=parsed.author_name,
                body=parsed.body,
                edited=self.now if parsed.edited else None,
                source_date=parsed.source_date,
                import_key=key,
            )
            if score is not None:
                row.heat, row.heat_signals = score
            new.append((row, self._lay_out(row, parsed.position)))
        for row, laid_out in new:
            if not laid_out:  # the parent sits in a tree this import did not lay out
                parent = Comment.objects.get(pk=self.known_pk[self.layout.parent_of(row.position)])
                del row.position
                insert_comment(Comment(essay=self.essay, created=self.now, **vars(row)), parent)
        self.rows.write([vars(row) for row, laid_out in new if laid_out])

    def _skip(self, position, pk):
        if self.layout.has_replies(position):
            self.known_pk[position] = pk
        root = self.layout.place(position)[0]
        if root != position and root in self.laid_out:
            self.gapped.add(self.laid_out[root])

    def _lay_out(self, comment, position):
        """Give ``comment`` (a row) its place in a new tree; False if it must be inserted."""
        comment.position = position
        root, lft, rght, level = self.layout.place(position)
        if root == position:
            tree_id = self._new_tree_id()
            if self.layout.has_replies(position):
                self.laid_out[root] = tree_id
        else:
            parent = self.layout.parent_of(position)
            parent_pk, tree_id = self.known_pk[parent], self.known_tree[parent]
            if not tree_id:
                if self.layout.has_replies(position):
                    self.known_pk[position] = comment.id
                return False
            comment.parent_id = parent_pk
        comment.tree_id, comment.lft, comment.rght, comment.level = tree_id, lft, rght, level
        if self.layout.has_replies(position):
            self.known_pk[position], self.known_tree[position] = comment.id, tree_id
        return True

    def _new_tree_id(self):
        if self.next_tree_id is None:
            lock_tree(NEW_TREE_LOCK)
            self.next_tree_id = (Comment.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1
        self.next_tree_id += 1
        return self.next_tree_id - 1


def import_comments(essay, page, dry_run=False):
    """Add the page's comments to ``essay``; returns (created, existing).

    Idempotent (comments already imported are matched by their key and left as
    they are) and atomic (any error leaves the database untouched).
    """
    replies = {c.position: c.parent_position for c in page.comments if c.parent_position}
    with transaction.atomic():
        return BulkLoader(essay, replies, dry_run).load(page.comments)


def import_comment_file(essay, path, replies="", dry_run=False, progress=None):
    """Stream a comment-page file into ``essay``; returns (created, existing, warnings).

    Behaves like ``import_comments(essay, parse_comment_page(...))`` (same
    results, errors and messages) but never holds the file or more than one
    batch of comments in memory.  ``progress(done, expected)`` is called after
    each batch; ``expected`` is the page header's count, when it has one.
    """
    check_text_file(path)
    spec = ReplySpec(replies, str(path))
    with (
        open(path, encoding="utf-8-sig", newline=None) as stream,
        transaction.atomic(),
    ):
        reader = CommentPageReader((line.rstrip("\n") for line in stream), str(path))
        # A spec that cannot pass is reported after the file is read, as before: no writes.
        # (No file has more comments than bytes: a child past that cannot exist.)
        passable = spec.can_pass(most=Path(path).stat().st_size)
        loader = BulkLoader(essay, spec.pairs() if passable else {}, dry_run or not passable)
        report = progress and (lambda done: progress(done, reader.expected))
        created, existing = loader.load(reader, report)
        spec.check(reader.count)
    return created, existing, reader.warnings
