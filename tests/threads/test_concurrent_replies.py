"""Many writers at once keep every comment tree consistent (PostgreSQL advisory locks)."""

import random
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from tests.helpers import join_all, start_in_threads
from threads.models import Comment, Essay
from threads.posting import NEW_TREE_LOCK, TREE_LOCK_NAMESPACE, insert_comment, post_comment

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers itself; the advisory-lock path only exists on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

REPLY_THREADS = 8
REPLIES_EACH = 10
ROOT_THREADS = 2
ROOTS_EACH = 10

FIELDS = ("pk", "tree_id", "lft", "rght", "level", "parent_id")


def snapshot():
    return list(Comment.objects.order_by("pk").values_list(*FIELDS))


def run_concurrently(jobs):
    """Run each job in its own thread, all starting together; returns their exceptions."""
    barrier = threading.Barrier(len(jobs))

    def together(job):
        def work():
            barrier.wait(timeout=30)
            job()

        return work

    threads, errors = start_in_threads(*(together(job) for job in jobs))
    join_all(threads, timeout=120)
    return errors


def check_nested_sets(rows):
    """Every tree's lft/rght numbering is the one its parent links imply."""
    nodes = {row[0]: dict(zip(FIELDS, row, strict=True)) for row in rows}
    children = {pk: [] for pk in nodes}
    for node in nodes.values():
        if node["parent_id"] is not None:
            children[node["parent_id"]].append(node["pk"])
    roots = [n for n in nodes.values() if n["parent_id"] is None]
    assert len({r["tree_id"] for r in roots}) == len(roots), "two roots share a tree_id"

    def size(pk):
        return 1 + sum(size(child) for child in children[pk])

    for root in roots:
        tree = [n for n in nodes.values() if n["tree_id"] == root["tree_id"]]
        assert len(tree) == size(root["pk"])
        assert root["lft"] == 1 and root["level"] == 0
        positions = sorted([n["lft"] for n in tree] + [n["rght"] for n in tree])
        assert positions == list(range(1, 2 * len(tree) + 1))
    for node in nodes.values():
        assert node["rght"] - node["lft"] - 1 == 2 * (size(node["pk"]) - 1)
        if node["parent_id"] is not None:
            parent = nodes[node["parent_id"]]
            assert node["tree_id"] == parent["tree_id"]
            assert node["level"] == parent["level"] + 1
            assert parent["lft"] < node["lft"] < node["rght"] < parent["rght"]


def test_concurrent_replies_keep_the_trees_consistent():
    User = get_user_model()
    essay = Essay.objects.create(slug="busy", title="A busy discussion")
    users = [User.objects.create_user(f"writer{i}") for i in range(REPLY_THREADS + ROOT_THREADS)]
    root = Comment.objects.create(
        essay=essay, author_name="Host", body="Start here.", created=timezone.now()
    )
    other_tree = Comment.objects.create(
        essay=essay, author_name="Host", body="Another tree.", created=timezone.now()
    )

    def replier(n):
        def job():
            rng = random.Random(n)
            author = User.objects.get(pk=users[n].pk)
            for i in range(REPLIES_EACH):
                pks = list(
                    Comment.objects.filter(tree_id=root.tree_id).values_list("pk", flat=True)
                )
                parent = Comment.objects.get(pk=rng.choice(pks))
                post_comment(essay, author, f"Reply {i} from writer {n}.", parent=parent)

        return job

    def rooter(n):
        def job():
            author = User.objects.get(pk=users[n].pk)
            for i in range(ROOTS_EACH):
                post_comment(essay, author, f"New thread {i} from writer {n}.")

        return job

    jobs = [replier(n) for n in range(REPLY_THREADS)]
    jobs += [rooter(REPLY_THREADS + n) for n in range(ROOT_THREADS)]
    errors = run_concurrently(jobs)
    assert errors == []

    replies = REPLY_THREADS * REPLIES_EACH
    assert Comment.objects.filter(tree_id=root.tree_id).count() == 1 + replies
    assert Comment.objects.filter(parent=None).count() == 2 + ROOT_THREADS * ROOTS_EACH
    assert Comment.objects.count() == 2 + replies + ROOT_THREADS * ROOTS_EACH
    other_tree.refresh_from_db()
    assert (other_tree.lft, other_tree.rght) == (1, 2)

    before = snapshot()
    check_nested_sets(before)
    Comment.objects.rebuild()
    assert snapshot() == before


def advisory_locks_held():
    """The two-key advisory locks this connection holds: {(first key, second key)}."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT classid::bigint, objid::bigint FROM pg_locks"
            " WHERE locktype = 'advisory' AND objsubid = 2 AND pid = pg_backend_pid()"
        )
        return set(cursor.fetchall())


def test_an_insert_holds_its_trees_lock_until_its_transaction_ends():
    essay = Essay.objects.create(slug="locks", title="Locks")

    def unsaved(body):
        return Comment(essay=essay, author_name="Host", body=body, created=timezone.now())

    with transaction.atomic():
        root = insert_comment(unsaved("A new tree."))
        assert advisory_locks_held() == {(TREE_LOCK_NAMESPACE, NEW_TREE_LOCK)}
    assert advisory_locks_held() == set()
    with transaction.atomic():
        insert_comment(unsaved("A reply."), parent=root)
        assert advisory_locks_held() == {(TREE_LOCK_NAMESPACE, root.tree_id)}
    assert advisory_locks_held() == set()
