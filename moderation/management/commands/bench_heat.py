"""Measure heat scoring (`make bench-heat`): how fast, and what it adds to a reply and an import.

- scoring throughput of ``heat.score_texts`` on synthetic comments shaped like
  the scale benchmark's (bodies 50–2,000 characters, seeded), in one process
  and split over two processes (the machine's two cores);
- latency of ``heat.score_text`` on one text, and the classifier's load time;
- the reply POST (the HTTP view, through every middleware) with scoring on
  and off, interleaved, on a throwaway database: the overhead is the
  difference of the medians;
- the bulk comment import with scoring on (batches scored ahead in
  ``HEAT_WORKERS`` worker processes while the import writes) and off.

Results print as a table and go to ``var/bench/heat.json``.  Nothing here is
a test: timings depend on the machine.  The throwaway database is SQLite in
memory, or ``<name>_bench_heat`` on PostgreSQL (never the test database of a
suite that may be running).
"""

import json
import multiprocessing
import random
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import setup_test_environment, teardown_test_environment
from django.urls import reverse

import heat
from threads.importing.loading import import_comment_file
from threads.models import Comment, Essay
from threads.posting import post_comment

SEEDS = Path(settings.BASE_DIR) / "fixtures"


def synthetic_texts(count, seed=6):
    """Comments of 50–2,000 characters from the seed essays' words; one in five also
    carries a sentence of the labelled heat set (so some are heated)."""
    rng = random.Random(seed)
    words = " ".join(
        p.read_text(encoding="utf-8") for p in sorted((SEEDS / "seeds").glob("*.txt"))
    ).split()
    labelled = [
        json.loads(line)["text"]
        for line in (SEEDS / "heat" / "labelled.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts = []
    for i in range(count):
        size, start = rng.randint(50, 2000), rng.randrange(len(words))
        out, length = [], 0
        while length < size:
            word = words[(start + len(out)) % len(words)]
            out.append(word)
            length += len(word) + 1
        if rng.random() < 0.2:
            out.insert(rng.randrange(len(out) + 1), rng.choice(labelled))
        texts.append(f"{' '.join(out)} ({i})")
    return texts


def _heats(texts):
    return [h for h, _ in heat.score_texts(texts)]


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


class Command(BaseCommand):
    help = "Measure heat scoring: throughput, latency, reply POST overhead, import cost."

    def add_arguments(self, parser):
        parser.add_argument("--texts", type=int, default=20_000, help="texts for throughput")
        parser.add_argument("--replies", type=int, default=60, help="reply POSTs each way")
        parser.add_argument("--import-size", type=int, default=20_000, help="comments to import")
        parser.add_argument("--quick", action="store_true", help="a quarter of each")
        parser.add_argument(
            "--json", dest="output", default=str(Path(settings.BASE_DIR) / "var/bench/heat.json")
        )

    def handle(self, *args, texts, replies, import_size, quick, output, **options):
        if quick:
            texts, replies, import_size = texts // 4, max(10, replies // 4), import_size // 4
        results = {"database": connection.vendor}
        start = time.perf_counter()
        heat.load_classifier()
        results["model_load_s"] = round(time.perf_counter() - start, 2)
        corpus = synthetic_texts(texts)
        results["mean_length"] = round(sum(map(len, corpus)) / len(corpus))
        results.update(self.throughput(corpus))
        results.update(self.latency(corpus[:2000]))

        connections.close_all()
        setup_test_environment()
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor != "sqlite":
            test_settings["NAME"] = f"{connection.settings_dict['NAME']}_bench_heat"
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            limits = {**settings.CALLIN_RATE_LIMITS, "reply": None}
            with override_settings(CALLIN_RATE_LIMITS=limits):
                results.update(self.reply_overhead(replies))
                results.update(self.import_cost(import_size))
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

        self.report(results)
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2) + "\n")
        self.stdout.write(f"written to {path}")

    # --- scoring alone ------------------------------------------------------------------

    def throughput(self, corpus):
        start = time.perf_counter()
        heats = _heats(corpus)
        one = len(corpus) / (time.perf_counter() - start)
        context = multiprocessing.get_context("fork")
        with context.Pool(2) as pool:
            pool.map(_heats, [corpus[:10], corpus[10:20]])  # start both workers
            start = time.perf_counter()
            halves = pool.map(_heats, [corpus[0::2], corpus[1::2]])
            two = len(corpus) / (time.perf_counter() - start)
        assert sorted(halves[0] + halves[1]) == sorted(heats)
        above = sum(h > settings.HEAT_THRESHOLD for h in heats)
        return {
            "texts": len(corpus),
            "score_texts_per_s_1_process": round(one),
            "score_texts_per_s_2_processes": round(two),
            "share_above_threshold": round(above / len(corpus), 3),
        }

    def latency(self, sample):
        times = []
        for text in sample:
            start = time.perf_counter()
            heat.score_text(text)
            times.append((time.perf_counter() - start) * 1e6)
        return {
            "score_one_median_us": round(statistics.median(times)),
            "score_one_p99_us": round(percentile(times, 0.99)),
        }

    # --- in the app ---------------------------------------------------------------------

    def reply_overhead(self, count):
        essay = Essay.objects.create(slug="bench-heat", title="Bench", heat_threshold=0.7)
        user = get_user_model().objects.create_user("bench-heat-reader")
        parent = post_comment(essay, user, "Where should we start?")
        client = Client()
        client.force_login(user)
        url = reverse("threads:reply_to", args=[essay.slug, parent.pk])
        calm = [t for t in synthetic_texts(4 * count + 20, seed=7) if heat.score_text(t)[0] <= 0.7]
        heat.forget_scored_texts()  # the view scores each text afresh, as in real use
        timings = {True: [], False: []}
        for i, text in enumerate(calm[: 2 * count + 10]):
            scoring = i % 2 == 0
            with override_settings(HEAT_SCORING=scoring):
                start = time.perf_counter()
                response = client.post(url, {"body": text})
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 302, response.status_code
            if i >= 10:  # the first few warm everything up
                timings[scoring].append(elapsed)
        on, off = statistics.median(timings[True]), statistics.median(timings[False])
        assert Comment.objects.filter(essay=essay, heat__isnull=False).exists()
        return {
            "reply_posts_each": len(timings[True]),
            "reply_post_ms_scoring_on": round(on, 2),
            "reply_post_ms_scoring_off": round(off, 2),
            "reply_post_overhead_ms": round(on - off, 2),
            "reply_post_p90_ms_on": round(percentile(timings[True], 0.9), 2),
            "reply_post_p90_ms_off": round(percentile(timings[False], 0.9), 2),
        }

    def import_cost(self, size):
        bodies = synthetic_texts(size, seed=8)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as page:
            page.write(f"{size} Comments\n\n")
            page.write("\n\nExpand full comment\n\n".join(bodies))
        rates = {True: [], False: []}
        try:
            for run, scoring in enumerate((False, True, False, True)):
                essay = Essay.objects.create(slug=f"bench-heat-import-{run}", title="Import")
                with override_settings(HEAT_SCORING=scoring):
                    start = time.perf_counter()
                    created, _, _ = import_comment_file(essay, page.name)
                    rates[scoring].append(created / (time.perf_counter() - start))
        finally:
            Path(page.name).unlink()
        return {
            "import_comments": size,
            "import_per_s_scoring_on": round(max(rates[True])),
            "import_per_s_scoring_off": round(max(rates[False])),
        }

    def report(self, r):
        rows = [
            ("database (reply, import)", r["database"]),
            ("classifier load", f"{r['model_load_s']} s"),
            ("synthetic texts", f"{r['texts']:,}, mean {r['mean_length']} characters"),
            ("score_texts, 1 process", f"{r['score_texts_per_s_1_process']:,} comments/s"),
            ("score_texts, 2 processes", f"{r['score_texts_per_s_2_processes']:,} comments/s"),
            (
                "score one text",
                f"median {r['score_one_median_us']} µs, p99 {r['score_one_p99_us']} µs",
            ),
            (
                "reply POST, scoring on",
                f"median {r['reply_post_ms_scoring_on']} ms, p90 {r['reply_post_p90_ms_on']} ms",
            ),
            (
                "reply POST, scoring off",
                f"median {r['reply_post_ms_scoring_off']} ms, p90 {r['reply_post_p90_ms_off']} ms",
            ),
            ("reply POST overhead", f"{r['reply_post_overhead_ms']} ms (goal: within 20 ms)"),
            (
                f"import {r['import_comments']:,} comments",
                f"{r['import_per_s_scoring_on']:,}/s scored, "
                f"{r['import_per_s_scoring_off']:,}/s without",
            ),
        ]
        width = max(len(k) for k, _ in rows)
        for key, value in rows:
            self.stdout.write(f"{key:<{width}}  {value}")
