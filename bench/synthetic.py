"""Deterministic synthetic threads and cases of a realistic shape.

A thread is generated one top-level tree at a time from one seeded random
stream, so the first trees are the same whatever the total: the first page of
a 1,000-comment thread and of a 100,000-comment one hold the same comments,
and only the thread's size differs between them.

Shape: tree sizes follow a Pareto law (mean about 10, so about 10% of comments
are top-level; a long tail of trees with hundreds or thousands of replies);
inside a tree a reply continues the latest exchange, answers the top comment
or anyone before it, never deeper than level 30; bodies of 50 to 2,000
characters (log-normal, median about 300); 30% of comments by signed-in users.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from moderation.models import Case
from threads.importing.loading import BulkLoader
from threads.importing.parsing import ParsedComment
from threads.models import Comment, Essay

SEED = 20_260_401
MAX_DEPTH = 30
TREE_SIZE_CAP = 3_000
SIGNED_IN_SHARE = 0.3
USERS = 200
WORDS = (
    "people argument essay point think reading because maybe listen agree disagree "
    "community care anger hatred empathy justice fair evidence example history story "
    "question answer kindly honestly rather often never always together understand "
    "change voice space trust respect harm repair context nuance claim source the a "
    "and of to in that it is was for on with as we you they this but not what"
).split()


def tree_size(rng):
    return max(1, min(TREE_SIZE_CAP, int(rng.paretovariate(1.3) * 2.7)))


def thread_shape(count, seed=SEED):
    """Parent position (1-based) or None for each of ``count`` comments, in file order."""
    rng = random.Random(seed)
    parents = []
    while len(parents) < count:
        size = min(tree_size(rng), count - len(parents))
        root = len(parents) + 1
        levels = {root: 0}
        parents.append(None)
        for position in range(root + 1, root + size):
            roll = rng.random()
            if roll < 0.6:
                parent = position - 1  # the latest exchange goes on
            elif roll < 0.8:
                parent = root
            else:
                parent = rng.randrange(root, position)
            while levels[parent] >= MAX_DEPTH:
                parent = parents[parent - 1]
            levels[position] = levels[parent] + 1
            parents.append(parent)
    return parents


class Bodies:
    """Comment texts of 50 to 2,000 characters, cut from one seeded stream of words."""

    def __init__(self, seed=SEED):
        self.rng = random.Random(seed + 1)
        words = self.rng.choices(WORDS, k=60_000)
        self.text = " ".join(words)

    def next(self):
        length = int(min(2_000, max(50, self.rng.lognormvariate(5.7, 0.8))))
        start = self.rng.randrange(0, len(self.text) - length)
        body = self.text[start : start + length].strip()
        if length > 400:  # long comments have paragraphs
            cut = body.find(" ", len(body) // 2)
            body = f"{body[:cut]}.\n\n{body[cut + 1 :]}"
        return body.capitalize() + "."


def comments(count, seed=SEED, user_ids=()):
    """(replies map, lazy iterable of ParsedComment) for a thread of ``count`` comments."""
    parents = thread_shape(count, seed)
    replies = {child: parent for child, parent in enumerate(parents, start=1) if parent}

    def generate():
        bodies, rng = Bodies(seed), random.Random(seed + 2)
        for position in range(1, count + 1):
            author = rng.choice(user_ids) if user_ids and rng.random() < SIGNED_IN_SHARE else None
            yield ParsedComment(
                position=position,
                line=position,
                body=bodies.next(),
                author_name=f"user{author}" if author else f"Reader {position}",
                author_id=author,
            )

    return replies, generate()


def users(count=USERS):
    """Ids of ``count`` signed-in commenters (created once)."""
    model = get_user_model()
    model.objects.bulk_create(
        [model(username=f"bench{i}", password="!") for i in range(count)], ignore_conflicts=True
    )
    return sorted(model.objects.filter(username__startswith="bench").values_list("pk", flat=True))


def thread(slug, count, user_ids=(), seed=SEED):
    """An essay with a synthetic thread of ``count`` comments, through the bulk import path."""
    essay = Essay.objects.create(slug=slug, title=f"Bench thread of {count:,} comments")
    replies, parsed = comments(count, seed, user_ids)
    with transaction.atomic():
        BulkLoader(essay, replies).load(parsed)
    return essay


def comment_page(path, count, seed=SEED):
    """Write a comment-page file of ``count`` comments; returns its --replies value."""
    replies, parsed = comments(count, seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"{count:,} Comments\n\n")
        for comment in parsed:
            if comment.position > 1:
                out.write("\nExpand full comment\n\n")
            out.write(comment.body + "\n")
    return ",".join(f"{child}>{parent}" for child, parent in replies.items())


def open_cases(count, seed=SEED):
    """Open a case on each of the ``count`` oldest comments without one (bulk, for the queue)."""
    rng, now = random.Random(seed + 3), timezone.now()
    taken = Case.objects.values("comment_id")
    targets = Comment.objects.exclude(pk__in=taken).order_by("pk").values_list("pk", "essay_id")
    cases = []
    for comment_id, essay_id in targets[:count]:
        reason = rng.choice(["heated", "harmful", "spam", "off_topic", "needs_context"])
        case = Case(
            comment_id=comment_id,
            essay_id=essay_id,
            opened_at=now - timedelta(minutes=rng.randrange(60 * 24 * 30)),
            flag_count=1,
            reasons={reason: 1},
        )
        case.set_weight(rng.choice([1, 2, 3, 4, 5]))
        cases.append(case)
    Case.objects.bulk_create(cases, batch_size=2_000)
    return len(cases)


def settle(*models):
    """After a bulk change, what PostgreSQL's autovacuum soon does on its own: refresh the
    planner's statistics and the visibility map (index-only scans), for ``models``' tables
    or the whole database.  SQLite: nothing, as a Django site does not run ANALYZE."""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {tables}".strip())
