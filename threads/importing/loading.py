"""Parsed records into the database: essays, and comment pages in bulk.

A comment page is written in batches: the tree fields of every comment are
computed in Python from the reply map (known before the file is read), primary
keys are reserved up front, and each batch is one executemany (one COPY on
PostgreSQL).  Each comment carries an import key, so a second import of the
same page creates nothing; every import runs in one transaction.
"""

import hashlib
import json
from array import array
from datetime import date
from itertools import islice, repeat
from pathlib import Path
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ..kept import space_counts_refresh
from ..models import MAX_LEVEL, Comment, Essay
from ..posting import NEW_TREE_LOCK, insert_comment, lock_tree
from ..scoring import heat_scoring_on, score_batches
from .parsing import (
    CommentPageReader,
    ReplySpec,
    check_text_file,
    default_slug,
    parse_essay,
    written_day,
)

# Comments written per round trip; also how many model objects are held at once.
BATCH_SIZE = 2000


def import_key(comment, seen):
    """Stable key from the author and text, numbered when the same text repeats.

    ``seen`` counts the digests so far by their first 64 bits, as ints: a third
    of the memory of the digests themselves (a 100,000-comment file holds them
    all)."""
    digest = hashlib.sha256(f"{comment.author_name}\n{comment.body}".encode()).hexdigest()[:32]
    short = int(digest[:16], 16)
    seen[short] = number = seen.get(short, 0) + 1
    return f"{digest}-{number}"


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
            down = first[node]
            while not down:  # close the node, then on to its next sibling or up to its parent
                self.rght[node], self.root[node] = counter, root
                counter += 1
                if node == root:
                    return
                down, node = after[node], self.parent[node]
            node = down  # open the next node
            self.lft[node] = counter
            counter += 1

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


class JSONText(str):
    """A JSON column's value already encoded, written as it is: a site import's workers
    encode the heat signals they find, off the writer's path (the critical one)."""


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
        self.dates = {}  # date -> its adapted value (an import's comments share a few days)
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
            return str(value) if isinstance(value, JSONText) else json.dumps(value)
        if value is None or isinstance(value, int | float | str):
            return value
        if type(value) is date:  # what a DateField sends, without its per-value checks
            if (adapted := self.dates.get(value)) is None:
                adapted = self.dates[value] = connection.ops.adapt_datefield_value(value)
            return adapted
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
    ``now`` is the import's time (the comments' ``created``), and the day a source
    date without a year is read from (``parsing.written_day``).  ``score=False``: the
    comments come with their heat in their columns (a site import scores while reading).
    """

    def __init__(self, essay, replies, dry_run=False, now=None, score=True):
        self.essay, self.dry_run, self.score = essay, dry_run, score
        self.layout = TreeLayout(replies)
        self.seen = {}  # import-key digests so far, to number repeated texts
        # For comments with replies, by position: pk, and tree id if laid out here (else 0).
        self.known_pk = array("q", [0]) * self.layout.size
        self.known_tree = array("q", [0]) * self.layout.size
        self.laid_out = {}  # root position -> tree id, for new trees with replies
        self.gapped = set()  # tree ids laid out around a comment that already existed
        self.next_tree_id = None
        self.created = self.existing = 0
        self.now = now or timezone.now()
        self.local_now = timezone.localtime(self.now)
        self.days = {}  # source date -> the day it names (see _written_day)
        self.rows = CommentRows(essay=essay, created=self.now, imported=True, parent_id=None)

    def load(self, comments, progress=None):
        """Load an iterable (or a stream) of ParsedComment; returns (created, existing)."""
        # Keys this loader writes are distinct, so only comments already there can match.
        imported_before = Comment.objects.filter(
            essay=self.essay, import_key__isnull=False
        ).exists()
        batches = (self._keyed(batch, imported_before) for batch in batched(comments, BATCH_SIZE))
        scoring = self.score and heat_scoring_on() and not self.dry_run
        scored = score_batches(batches, texts_of=_new_bodies) if scoring else _unscored(batches)
        for (batch, keys, found), scores in scored:
            self.created += len(keys) - len(found)
            self.existing += len(found)
            if not self.dry_run:
                self._write(batch, keys, found, scores)
            if progress:
                progress(self.created + self.existing)
        for tree_id in sorted(self.gapped):
            Comment.objects.partial_rebuild(tree_id)
        if self.created and not self.dry_run:  # bulk inserts send no post_save
            space_counts_refresh(essay_id=self.essay.pk)
        return self.created, self.existing

    def _written_day(self, source_date):
        """``written_day`` of a source date, read once per distinct date (they repeat)."""
        if (day := self.days.get(source_date, False)) is False:
            day = self.days[source_date] = written_day(source_date, self.local_now)
        return day

    def _keyed(self, batch, imported_before):
        """(batch, its import keys, {key: pk} of those already there)."""
        keys = [c.key or import_key(c, self.seen) for c in batch]
        return batch, keys, self._already_there(keys) if imported_before else {}

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
        """Write a batch's new comments (with their heat scores, when scoring is on: one
        score for each new comment, in order)."""
        ids = iter(reserve_ids(len(keys) - len(found)))
        scores = iter(scores or ())
        new = []
        for key, parsed in zip(keys, batch, strict=True):
            if key in found:
                self._skip(parsed.position, found[key])
                continue
            score = next(scores, None)
            row = SimpleNamespace(
                id=next(ids),
                author_id=parsed.author_id,
                author_name=parsed.author_name,
                body=parsed.body,
                edited=self.now if parsed.edited else None,
                source_date=parsed.source_date,
                written_on=self._written_day(parsed.source_date),
                import_key=key,
            )
            vars(row).update(parsed.columns)  # a site export's status, kind, written_on...
            if score is not None:
                row.heat, row.heat_signals = score
            new.append((row, self._lay_out(row, parsed.position)))
        for row, laid_out in new:
            if not laid_out:  # the parent sits in a tree this import did not lay out
                parent = Comment.objects.get(pk=self.known_pk[self.layout.parent_of(row.position)])
                del row.position
                values = {
                    k: json.loads(v) if isinstance(v, JSONText) else v for k, v in vars(row).items()
                }
                comment = Comment(essay=self.essay, created=self.now, imported=True, **values)
                insert_comment(comment, parent)
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


def _new_bodies(keyed):
    """The texts a keyed batch needs scored: its comments that are not there yet."""
    batch, keys, found = keyed
    return [c.body for c, key in zip(batch, keys, strict=True) if key not in found]


def _unscored(batches):
    return zip(batches, repeat(None))


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


def import_comments(essay, page, dry_run=False, now=None):
    """Add the page's comments to ``essay``; returns (created, existing).

    Idempotent (comments already imported are matched by their key and left as
    they are) and atomic (any error leaves the database untouched).
    """
    replies = {c.position: c.parent_position for c in page.comments if c.parent_position}
    with transaction.atomic():
        return BulkLoader(essay, replies, dry_run, now).load(page.comments)


def import_comment_file(essay, path, replies="", dry_run=False, progress=None, now=None):
    """Stream a comment-page file into ``essay``; returns (created, existing, warnings).

    Behaves like ``import_comments(essay, parse_comment_page(...))`` (same
    results, errors and messages) but never holds the file or more than one
    batch of comments in memory.  ``progress(done, expected)`` is called after
    each batch; ``expected`` is the page header's count, when it has one.
    ``now``: the import's time (see BulkLoader), by default the clock's.
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
        loader = BulkLoader(
            essay, spec.pairs() if passable else {}, dry_run or not passable, now=now
        )
        report = progress and (lambda done: progress(done, reader.expected))
        created, existing = loader.load(reader, report)
        spec.check(reader.count)
    return created, existing, reader.warnings
