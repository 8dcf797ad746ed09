"""``python -m bench.site_import [--posts N] [--scoring on|off]``: a generated Disqus export
through ``import_site`` (`make bench-site`).

Writes a seeded Disqus export of N posts (100 threads per 100,000 posts, a third
top-level, the rest replies to earlier posts of their thread, 2% spam and 1%
deleted, HTML bodies with links) to ``var/bench/site/``, builds a fresh
database there (SQLite, or ``<name>_bench`` with DATABASE_URL), and imports it
in a process of its own, twice: the second run finds everything already there.
Prints a JSON line per run (seconds, comments/s, resident memory before and at
its peak, the file's size) and writes ``var/bench/site/results.json``.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from .import_run import resident_mb

WORDS = (
    "listen answer question reason evidence kind fair quote claim point essay argument "
    "because maybe agree disagree context source example people idea change mind read"
).split()
HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
)


def body(rng):
    paragraphs = []
    for _ in range(rng.randint(1, 3)):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))
        if rng.random() < 0.2:
            words += ' <a href="https://example.org/a">a source</a>'
        paragraphs.append(f"<p>{words.capitalize()}.</p>")
    return "".join(paragraphs)


def generate(path, posts, seed=15):
    """Write the export to ``path`` as it goes (never held in memory); returns its size."""
    rng = random.Random(seed)
    threads = max(1, posts // 1000)
    per_thread = [[] for _ in range(threads)]
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEAD)
        for t in range(threads):
            out.write(
                f'<thread dsq:id="{t + 1}"><link>https://blog.example.org/post-{t + 1}/</link>'
                f"<title>Post number {t + 1}</title><message/>"
                "<createdAt>2024-01-01T08:00:00Z</createdAt><isDeleted>false</isDeleted>"
                "</thread>\n"
            )
        for p in range(1, posts + 1):
            t = rng.randrange(threads)
            earlier = per_thread[t]
            parent = ""
            if earlier and rng.random() > 1 / 3:
                parent = f'<parent dsq:id="{rng.choice(earlier)}"/>'
            earlier.append(100_000 + p)
            spam = "true" if rng.random() < 0.02 else "false"
            deleted = "true" if rng.random() < 0.01 else "false"
            day = 1 + p % 28
            out.write(
                f'<post dsq:id="{100_000 + p}"><message><![CDATA[{body(rng)}]]></message>'
                f"<createdAt>2024-02-{day:02d}T10:00:00Z</createdAt>"
                f"<isDeleted>{deleted}</isDeleted><isSpam>{spam}</isSpam>"
                f"<author><name>Reader {p % 5000}</name><email>r{p}@example.org</email></author>"
                f'<thread dsq:id="{t + 1}"/>{parent}</post>\n'
            )
        out.write("</disqus>\n")
    return Path(path).stat().st_size


def setup(bench_dir):
    os.environ["CALLIN_BENCH_DIR"] = str(bench_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def import_once(path):
    """One import in this process; prints its JSON line."""
    from django.conf import settings

    settings.HEAT_SCORING = os.environ.get("BENCH_SCORING", "on") == "on"
    import heat  # noqa: F401  (the import loads it: part of the baseline)
    from moderation.spaces import import_site

    before, _ = resident_mb()
    start = time.perf_counter()
    _, results = import_site(None, Path(path))
    seconds = time.perf_counter() - start
    _, peak = resident_mb()
    created = sum(r.created for r in results)
    existing = sum(r.existing for r in results)
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "created": created,
                "existing": existing,
                "per_second": round((created + existing) / seconds),
                "rss_before_mb": round(before, 1),
                "rss_peak_mb": round(peak, 1),
                "rss_growth_mb": round(peak - before, 1),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--scoring", choices=("on", "off"), default="on")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # the child: import this file
    args = parser.parse_args()
    bench_dir = Path(os.environ.get("CALLIN_BENCH_DIR") or "var/bench/site").resolve()
    bench_dir.mkdir(parents=True, exist_ok=True)
    if args.run:
        setup(bench_dir)
        import_once(args.run)
        return
    path = bench_dir / f"disqus-{args.posts}.xml"
    size = generate(path, args.posts)
    setup(bench_dir)
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    connection.close()
    runs = []
    env = {**os.environ, "BENCH_SCORING": args.scoring}
    for label in ("first", "again"):
        child = [sys.executable, "-m", "bench.site_import", "--run", str(path)]
        out = subprocess.run(child, env=env, check=True, capture_output=True, text=True).stdout
        runs.append({"run": label, **json.loads(out.strip().splitlines()[-1])})
        print(json.dumps(runs[-1]))
    result = {
        "posts": args.posts,
        "file_mb": round(size / 2**20, 1),
        "scoring": args.scoring,
        "database": connection.vendor,
        "runs": runs,
    }
    (bench_dir / "results.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}))


if __name__ == "__main__":
    main()
