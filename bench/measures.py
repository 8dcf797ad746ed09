"""Each measure: run it a few times on the bench database, keep the median."""

import json
import random
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from threads.models import Comment, Essay
from threads.posting import insert_comment
from threads.queries import thread
from threads.thread_html import whole_thread_html

from . import synthetic


def timed(run, times):
    """Median seconds of ``times`` calls of ``run`` (after one warm-up call)."""
    run()
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return median(samples)


def page(client, url, times):
    """Median ms of a GET (the whole Django stack, no network) and its query count."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # (CaptureQueriesContext miscounts here: each request clears the query log it indexes.)
    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    return {"ms": round(timed(lambda: client.get(url), times) * 1000, 2), "queries": len(queries)}


def thread_page(essay, times):
    return page(Client(), essay.get_absolute_url(), times)


def whole_thread(essay, times, xtd_times):
    """Whole-thread render: ours, django-comments-xtd's, and the floor (fetch + join bodies)."""
    from . import xtd  # its apps are installed by bench.settings only

    def ours():
        return whole_thread_html(essay, thread(essay)[0])

    def floor():
        rows = Comment.objects.filter(essay=essay).order_by("tree_id", "lft")
        return "".join(c.body for c in rows)

    xtd.load(essay)
    anonymous = AnonymousUser()
    result = {
        "comments": Comment.objects.filter(essay=essay).count(),
        "ours_ms": timed(ours, times) * 1000,
        "xtd_ms": timed(lambda: xtd.render(essay, anonymous), xtd_times) * 1000,
        "floor_ms": timed(floor, times) * 1000,
    }
    result["ours_vs_xtd"] = result["ours_ms"] / result["xtd_ms"]
    result["ours_vs_floor"] = result["ours_ms"] / result["floor_ms"]
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}


def reply_parents(essay, count, trees=50):
    """``count`` comments picked (seeded) among the first ``trees`` trees: the same ones
    in any thread size, since the generator is prefix-stable."""
    first = Comment.objects.filter(essay=essay, parent=None).order_by("tree_id")[:trees]
    in_trees = list(
        Comment.objects.filter(tree_id__in=[r.tree_id for r in first]).order_by("tree_id", "lft")
    )
    rng = random.Random(synthetic.SEED + 4)
    return [rng.choice(in_trees) for _ in range(count)]


def reply_insert(essay, times):
    """Median ms to insert one reply (lock, re-read the parent, shift its tree, insert)."""
    samples = []
    for parent in reply_parents(essay, times):
        reply = Comment(essay=essay, author_name="Bench", body="A reply.", created=timezone.now())
        start = time.perf_counter()
        with transaction.atomic():
            insert_comment(reply, parent)
        samples.append(time.perf_counter() - start)
    return {"ms": round(median(samples) * 1000, 3)}


def import_file(count, workdir):
    """Import a generated comment page through `import_comments`' code, in a fresh process
    (so its peak memory is the import's own): comments/s and peak resident memory."""
    path = Path(workdir) / f"comments-{count}.txt"
    replies = synthetic.comment_page(path, count)
    essay = Essay.objects.create(slug=f"import-{count}", title=f"Import of {count:,}")
    (Path(workdir) / "replies.txt").write_text(replies)
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_run", str(path), essay.slug, str(Path(workdir))],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out)
    result["comments_per_s"] = round(result["created"] / result["seconds"])
    result["file_mb"] = round(path.stat().st_size / 2**20, 1)
    path.unlink()
    return result


def heat_scoring(sample=300):
    """Comments/s of moderation.heat's batch scoring, which imports call when it is on."""
    try:
        from moderation import heat
    except ImportError:
        return None
    _, parsed = synthetic.comments(sample)
    bodies = [c.body for c in parsed]
    heat.score_many(bodies[:10])  # loads its models
    start = time.perf_counter()
    heat.score_many(bodies)
    return {"comments_per_s": round(sample / (time.perf_counter() - start))}


def moderator_client():
    user, _ = get_user_model().objects.get_or_create(username="bench-moderator")
    user.groups.add(Group.objects.get(name="moderators"))
    client = Client()
    client.force_login(user)
    return client


def queue_page(client, times):
    return page(client, "/moderation/", times)
