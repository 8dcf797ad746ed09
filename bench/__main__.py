"""``python -m bench [--quick]``: build the data, run every measure, print and save the results."""

import argparse
import json
import os
import platform
import sys
import tempfile
import time


def sizes(quick):
    """Sizes of each measure: the issue's in full, a tenth or so in --quick (under 2 minutes)."""
    if quick:
        return {
            "pages": [1_000, 10_000],
            "whole": 1_000,
            "inserts": [1_000, 10_000],
            "import": 10_000,
            "queue": [1_000, 10_000],
            "runs": 5,
            "xtd_runs": 1,
            "http_seconds": 3,
            "concurrency": [1, 8],
        }
    return {
        "pages": [1_000, 10_000, 100_000],
        "whole": 5_000,
        "inserts": [1_000, 100_000],
        "import": 100_000,
        "queue": [1_000, 100_000],
        "runs": 15,
        "xtd_runs": 3,
        "http_seconds": 20,
        "concurrency": [1, 8, 32],
    }


def build_database():
    from django.conf import settings
    from django.db import connection

    settings.BENCH_DIR.mkdir(parents=True, exist_ok=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def run(quick):
    from . import measures, server, synthetic

    size = sizes(quick)
    results = {"pages": {}, "inserts": {}, "queue": {}, "http": []}
    users = synthetic.users()
    threads = {}
    for count in sorted({*size["pages"], *size["inserts"], size["whole"]}):
        step(f"thread of {count:,} comments")
        threads[count] = synthetic.thread(f"bench-{count}", count, users)
    for count in size["pages"]:
        step(f"thread page at {count:,}")
        results["pages"][count] = measures.thread_page(threads[count], size["runs"])
    step(f"whole thread of {size['whole']:,}: ours, django-comments-xtd, floor")
    results["whole"] = measures.whole_thread(threads[size["whole"]], size["runs"], size["xtd_runs"])
    for count in size["inserts"]:
        step(f"reply insert at {count:,}")
        results["inserts"][count] = measures.reply_insert(threads[count], size["runs"] * 2)
    step(f"import of {size['import']:,} comments (file, separate process)")
    with tempfile.TemporaryDirectory() as workdir:
        results["import"] = measures.import_file(size["import"], workdir)
    results["heat_scoring"] = measures.heat_scoring()
    moderator = measures.moderator_client()
    opened = 0
    for count in size["queue"]:
        step(f"queue at {count:,} open cases")
        opened += synthetic.open_cases(count - opened)
        results["queue"][count] = measures.queue_page(moderator, size["runs"])
    biggest = threads[max(size["pages"])]
    with server.Server() as app:
        for path, label in [
            (biggest.get_absolute_url(), "thread page"),
            ("/static/css/callin.css", "static file"),
        ]:
            for concurrency in size["concurrency"]:
                step(f"HTTP {label}, {concurrency} at once, {size['http_seconds']} s")
                outcome = server.load(app.port, path, concurrency, size["http_seconds"])
                results["http"].append(
                    {"target": label, "path": path, "concurrency": concurrency, **outcome}
                )
    return size, results


def step(text):
    print(f"… {text}", file=sys.stderr, flush=True)


def ratio(measure, key="ms"):
    """Largest size over smallest, for a {size: figures} measure."""
    return measure[max(measure)][key] / measure[min(measure)][key]


def goals(r):
    """The issue's goals: (goal, value, limit it must not exceed, whether it holds)."""
    queries = [m[max(m)]["queries"] - m[min(m)]["queries"] for m in (r["pages"], r["queue"])]
    checks = [
        ("thread page: largest thread / 1,000 comments <= 1.5", ratio(r["pages"]), 1.5),
        ("thread page and queue: extra queries at the largest size", max(queries), 0),
        ("whole thread: ours / django-comments-xtd <= 0.1", r["whole"]["ours_vs_xtd"], 0.1),
        ("whole thread: ours / floor <= 4", r["whole"]["ours_vs_floor"], 4),
        ("reply insert: largest thread / 1,000 comments <= 2", ratio(r["inserts"]), 2),
        ("import: comments/s >= 10,000", r["import"]["comments_per_s"], None),
        ("queue: largest / 1,000 cases <= 1.5", ratio(r["queue"]), 1.5),
        ("HTTP errors under load", sum(h["errors"] for h in r["http"]), 0),
    ]
    return [
        {
            "goal": name,
            "value": round(value, 3),
            "holds": value >= 10_000 if limit is None else value <= limit,
        }
        for name, value, limit in checks
    ]


def row(measure, size, value, detail=""):
    size = f"{size:,}" if isinstance(size, int) else size
    return f"{measure:<44} {size:>9} {value:>14}  {detail}".rstrip()


def table(size, r, vendor):
    w, i, heat = r["whole"], r["import"], r["heat_scoring"]
    rows = [f"callin bench on {vendor}, medians", "", row("measure", "size", "value", "detail")]
    for count, m in r["pages"].items():
        rows.append(
            row("thread page (first page)", count, f"{m['ms']:.2f} ms", f"{m['queries']} q")
        )
    rows += [
        row("whole thread: ours", w["comments"], f"{w['ours_ms']:.1f} ms"),
        row("whole thread: django-comments-xtd", w["comments"], f"{w['xtd_ms']:.1f} ms"),
        row("whole thread: floor (fetch, join bodies)", w["comments"], f"{w['floor_ms']:.1f} ms"),
        row("  ours/xtd, ours/floor", "", f"{w['ours_vs_xtd']:.3f}", f"{w['ours_vs_floor']:.2f}"),
    ]
    for count, m in r["inserts"].items():
        rows.append(row("reply insert", count, f"{m['ms']:.3f} ms"))
    rows += [
        row(
            "import (import_comments' path)",
            i["created"],
            f"{i['comments_per_s']:,} /s",
            f"{i['seconds']} s, {i['file_mb']} MiB file",
        ),
        row(
            "  peak memory of the import process",
            "",
            f"{i['rss_peak_mb']:.0f} MiB",
            f"{i['rss_before_mb']:.0f} MiB before it started",
        ),
    ]
    if heat:
        rows.append(
            row("heat scoring (moderation.heat; off above)", "", f"{heat['comments_per_s']:,} /s")
        )
    for count, m in r["queue"].items():
        rows.append(row("queue page", count, f"{m['ms']:.2f} ms", f"{m['queries']} q"))
    rows += [
        "",
        f"HTTP: gunicorn, 2 workers, whitenoise, 127.0.0.1; {size['http_seconds']} s a row",
    ]
    rows.append(
        f"{'target':<14} {'conc.':>5} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}"
    )
    for h in r["http"]:
        figures = [h["concurrency"], h["requests_per_s"], h["p50_ms"], h["p99_ms"]]
        rows.append(
            f"{h['target']:<14} {figures[0]:>5} {figures[1]:>9} {figures[2]:>9} "
            f"{figures[3]:>9} {h['errors']:>7}"
        )
    rows.append("")
    rows += [f"{'holds' if g['holds'] else 'FAILS':<6} {g['goal']}: {g['value']}" for g in goals(r)]
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under 2 minutes")
    quick = parser.parse_args().quick
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    started = time.monotonic()
    build_database()
    size, results = run(quick)
    print(table(size, results, connection.vendor))
    out = settings.BENCH_DIR / "results.json"
    out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "quick": quick,
                "python": platform.python_version(),
                "seconds": round(time.monotonic() - started, 1),
                "results": results,
                "goals": goals(results),
            },
            indent=1,
        )
    )
    print(f"\nwritten to {out} in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
