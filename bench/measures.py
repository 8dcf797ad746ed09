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

import heat
from moderation.models import Case
from moderation.queries import with_context_notes
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


def query_count(client, url):
    """Queries of one GET of ``url`` (which must answer 200)."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # (CaptureQueriesContext miscounts here: each request clears the query log it indexes.)
    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    return len(queries)


def page(client, url, times):
    """Median ms of a GET (the whole Django stack, no network) and its query count."""
    queries = query_count(client, url)
    return {"ms": round(timed(lambda: client.get(url), times) * 1000, 2), "queries": queries}


def thread_pages(essays, times):
    """First page of each essay's thread: {size: median ms, queries}.

    The sizes take turns, one request each per round, so that load from
    elsewhere on the machine falls on all of them alike and their ratio holds.
    """
    client = Client()
    urls = {size: essay.get_absolute_url() for size, essay in essays.items()}
    queries = {size: query_count(client, url) for size, url in urls.items()}
    samples = {size: [] for size in urls}
    for _ in range(times):
        for size, url in urls.items():
            start = time.perf_counter()
            client.get(url)
            samples[size].append(time.perf_counter() - start)
    return {
        size: {"ms": round(median(samples[size]) * 1000, 2), "queries": queries[size]}
        for size in urls
    }


def whole_thread(essay, times, xtd_times):
    """Whole-thread render: ours, django-comments-xtd's, and the floor (fetch + join bodies)."""
    from . import xtd  # its apps are installed by bench.settings only

    def ours():
        # As the moderators' page does: the thread, then its context notes.
        return whole_thread_html(essay, with_context_notes(thread(essay)[0], essay=essay))

    def floor():
        rows = Comment.objects.filter(essay=essay).order_by("tree_id", "lft")
        return "".join(c.body for c in rows)

    xtd.load(essay)
    anonymous = AnonymousUser()

    def theirs():
        return xtd.render(essay, anonymous)

    # The three take turns (xtd in the first rounds only: it is slow), so load from
    # elsewhere on the machine falls on all of them alike and the ratios hold.
    runs = {ours: [], theirs: [], floor: []}
    for run in runs:
        run()  # warm-up
    for turn in range(times):
        for run, samples in runs.items():
            if run is theirs and turn >= xtd_times:
                continue
            start = time.perf_counter()
            run()
            samples.append(time.perf_counter() - start)
    result = {
        "comments": Comment.objects.filter(essay=essay).count(),
        "ours_ms": median(runs[ours]) * 1000,
        "xtd_ms": median(runs[theirs]) * 1000,
        "floor_ms": median(runs[floor]) * 1000,
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


def reply_inserts(essays, times):
    """Median ms to insert one reply (lock, re-read the parent, shift its tree, insert)
    into each essay's thread: {size: {"ms"}}; the sizes take turns, one reply each."""
    parents = {size: reply_parents(essay, times) for size, essay in essays.items()}
    samples = {size: [] for size in essays}
    for turn in range(times):
        for size, essay in essays.items():
            reply = Comment(
                essay=essay, author_name="Bench", body="A reply.", created=timezone.now()
            )
            start = time.perf_counter()
            with transaction.atomic():
                insert_comment(reply, parents[size][turn])
            samples[size].append(time.perf_counter() - start)
    return {size: {"ms": round(median(samples[size]) * 1000, 3)} for size in essays}


def import_file(count, workdir, scoring=True):
    """Import a generated comment page through `import_comments`' code, in a fresh process
    (so its peak memory is the import's own): comments/s and peak resident memory.
    ``scoring``: heat scoring on, as the app runs by default, or off."""
    path = Path(workdir) / f"comments-{count}.txt"
    replies = synthetic.comment_page(path, count)
    slug = f"import-{count}-{'scored' if scoring else 'unscored'}"
    essay = Essay.objects.create(slug=slug, title=f"Import of {count:,}")
    (Path(workdir) / "replies.txt").write_text(replies)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.import_run",
            str(path),
            essay.slug,
            str(Path(workdir)),
            "on" if scoring else "off",
        ],
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
    """Comments/s of heat's batch scoring, which imports call when it is on."""
    _, parsed = synthetic.comments(sample)
    bodies = [c.body for c in parsed]
    heat.score_texts(bodies[:10])  # loads its models
    start = time.perf_counter()
    heat.score_texts(bodies)
    return {"comments_per_s": round(sample / (time.perf_counter() - start))}


def moderator_client():
    user, _ = get_user_model().objects.get_or_create(username="bench-moderator")
    user.groups.add(Group.objects.get(name="moderators"))
    client = Client()
    client.force_login(user)
    return client


def queue_pages(client, sizes, times, rounds=5):
    """The queue page at each number of open cases: {size: median ms, queries}.

    ``max(sizes)`` cases are opened once; for each size, the cases past the
    first ``size`` are marked resolved (as a site's history leaves them), and
    the sizes take turns for ``rounds`` rounds, so load from elsewhere on the
    machine falls on all of them alike.
    """
    before = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    synthetic.open_cases(max(sizes))
    # (Only these: the seeds' own cases, a few, stay as the seeds left them.)
    ids = list(Case.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    samples = {size: [] for size in sizes}
    queries = {}
    for turn in range(rounds):
        for size in sizes:
            last = ids[size - 1]
            Case.objects.filter(pk__gt=last, state=Case.State.OPEN).update(
                state=Case.State.RESOLVED
            )
            Case.objects.filter(pk__gt=before, pk__lte=last, state=Case.State.RESOLVED).update(
                state=Case.State.OPEN
            )
            synthetic.settle(Case)
            if turn == 0:
                queries[size] = query_count(client, "/moderation/")
            client.get("/moderation/")  # warm-up after the change
            for _ in range(max(4, times // rounds)):
                start = time.perf_counter()
                client.get("/moderation/")
                samples[size].append(time.perf_counter() - start)
    return {
        size: {"ms": round(median(samples[size]) * 1000, 2), "queries": queries[size]}
        for size in sizes
    }
