"""``python -m bench [--quick]``: build the data, run every measure, print and save the results."""

import argparse
import contextlib
import io
import json
import os
import platform
import sys
import tempfile
import time


def sizes(mode):
    """Sizes of each measure: the issue's in full, a tenth or so in quick (under 2 minutes),
    and tiny ones for the test suite (proves the code paths, measures nothing)."""
    if mode == "tiny":
        return {
            "pages": [100, 300],
            "whole": 100,
            "inserts": [100, 300],
            "import": 1_000,
            "queue": [20, 60],
            "runs": 1,
            "xtd_runs": 1,
            "http_seconds": 0.5,
            "concurrency": [2],
            "readers_seconds": 1,
            "readers_turns": 1,
            "mix_seconds": 3,
            # Writes often enough that a few seconds check some replies.
            "mix_weights": {"anonymous": 0.6, "signed_in": 0.2, "write": 0.2},
        }
    if mode == "quick":
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
            "readers_seconds": 6,
            "readers_turns": 2,
            "mix_seconds": 10,
            "mix_weights": None,
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
        "readers_seconds": 20,
        "readers_turns": 4,
        "mix_seconds": 20,
        "mix_weights": None,  # readers.MIX: 90% anonymous, 9% signed-in, 1% writes
    }


def build_database():
    from django.conf import settings
    from django.db import connection

    settings.BENCH_DIR.mkdir(parents=True, exist_ok=True)
    # Quiet: on a server it says "database already exists" before it drops and recreates
    # it; what it says when it fails is shown.
    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said):
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    except BaseException:
        sys.stderr.write(said.getvalue())
        raise


def run(mode):
    from . import measures, readers, server, synthetic

    size = sizes(mode)
    results = {"pages": {}, "inserts": {}, "queue": {}, "http": []}
    # First: the seeds' fixture names its primary keys.
    step("the seeds (seed_demo), for the readers' rows")
    readers.load_seeds()
    users = synthetic.users()
    threads = {}
    for count in sorted({*size["pages"], *size["inserts"], size["whole"]}):
        step(f"thread of {count:,} comments")
        threads[count] = synthetic.thread(f"bench-{count}", count, users)
    synthetic.settle()
    step(f"thread page at {', '.join(f'{count:,}' for count in size['pages'])}, in turns")
    results["pages"] = measures.thread_pages(
        {count: threads[count] for count in size["pages"]}, size["runs"]
    )
    step(f"whole thread of {size['whole']:,}: ours, django-comments-xtd, floor")
    results["whole"] = measures.whole_thread(threads[size["whole"]], size["runs"], size["xtd_runs"])
    step(f"reply insert at {', '.join(f'{count:,}' for count in size['inserts'])}, in turns")
    results["inserts"] = measures.reply_inserts(
        {count: threads[count] for count in size["inserts"]}, size["runs"] * 2
    )
    with tempfile.TemporaryDirectory() as workdir:
        smaller = size["import"] // 10
        step(f"import of {smaller:,} and {size['import']:,} comments (files, own processes)")
        first = measures.import_file(smaller, workdir)
        results["import"] = measures.import_file(size["import"], workdir)
        results["import"]["smaller"] = first
        step(f"import of {size['import']:,} comments with heat scoring off")
        results["import_unscored"] = measures.import_file(size["import"], workdir, scoring=False)
    results["heat_scoring"] = measures.heat_scoring()
    step(f"queue at {', '.join(f'{count:,}' for count in size['queue'])} open cases, in turns")
    results["queue"] = measures.queue_pages(
        measures.moderator_client(), size["queue"], size["runs"]
    )
    synthetic.settle()  # after the imports, as autovacuum would before long
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
        seconds, turns = size["readers_seconds"], size["readers_turns"]
        step(f"readers: static, anonymous, home, signed-in; {seconds} s each in {turns} turns")
        results["readers"] = readers.rates(app.port, seconds, turns) | {"cache": app.cache}
        step(f"readers: the mix of reads and writes, {size['mix_seconds']} s")
        results["mix"] = readers.mix(app.port, size["mix_seconds"], weights=size["mix_weights"])
    return size, results


def step(text):
    print(f"… {text}", file=sys.stderr, flush=True)


def ratio(measure, key="ms"):
    """Largest size over smallest, for a {size: figures} measure."""
    return measure[max(measure)][key] / measure[min(measure)][key]


def goals(r, sqlite_import=None):
    """The issue's goals, each {"goal", "value", "holds"}.

    ``sqlite_import``: comments/s of the last SQLite run of the same sizes, when this
    run is on another database (the import must be no slower there).
    """
    queries = [m[max(m)]["queries"] - m[min(m)]["queries"] for m in (r["pages"], r["queue"])]
    i = r["import"]
    checks = [
        ("thread page: largest thread / 1,000 comments <= 1.5", ratio(r["pages"]), 1.5),
        ("thread page and queue: extra queries at the largest size", max(queries), 0),
        ("whole thread: ours / django-comments-xtd <= 0.1", r["whole"]["ours_vs_xtd"], 0.1),
        ("whole thread: ours / floor <= 4", r["whole"]["ours_vs_floor"], 4),
        ("reply insert: largest thread / 1,000 comments <= 2", ratio(r["inserts"]), 2),
        ("import: comments/s >= 10,000", -i["comments_per_s"], -10_000),
        ("queue: largest / 1,000 cases <= 1.5", ratio(r["queue"]), 1.5),
        ("HTTP errors under load", sum(h["errors"] for h in r["http"]), 0),
    ]
    if i["created"] >= 100_000:  # (smaller, a few MiB of fixed costs would decide it)
        # Holding every comment (or the file) would take more than the file's size.
        growth = (i["rss_peak_mb"] - i["rss_before_mb"]) / i["file_mb"]
        checks.append(("import: peak memory growth / file size <= 1", growth, 1))
    if readers := r.get("readers"):
        for row in readers["rows"][1:]:
            name = f"readers: {row['target']} / static file >= {row['goal']}"
            checks.append((name, -row["share"], -row["goal"]))
        checks.append(("readers: errors", sum(row["errors"] for row in readers["rows"]), 0))
    if m := r.get("mix"):
        checks.append(("mix: errors", m["kinds"]["all"]["errors"], 0))
        checks.append(("mix: stale reads of a written text", m["stale_reads"], 0))
    if sqlite_import:
        checks.append(
            (
                "import: this database / SQLite's comments/s >= 1",
                -i["comments_per_s"] / sqlite_import,
                -1,
            )
        )
    return [
        {"goal": name, "value": round(abs(value), 3), "holds": value <= limit}
        for name, value, limit in checks
    ]


def row(measure, size, value, detail=""):
    size = f"{size:,}" if isinstance(size, int) else size
    return f"{measure:<44} {size:>9} {value:>14}  {detail}".rstrip()


def table(size, r, vendor, judged=None):
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
            "import (import_comments' path, heat scored)",
            i["created"],
            f"{i['comments_per_s']:,} /s",
            f"{i['seconds']} s, {i['file_mb']} MiB file",
        ),
    ]
    if unscored := r.get("import_unscored"):
        rows.append(
            row(
                "  the same with heat scoring off",
                unscored["created"],
                f"{unscored['comments_per_s']:,} /s",
                f"{unscored['seconds']} s",
            )
        )
    for imported in (i["smaller"], i):
        rows.append(
            row(
                "  peak memory of the import process",
                imported["created"],
                f"{imported['rss_peak_mb']:.0f} MiB",
                f"{imported['rss_before_mb']:.0f} MiB before it started",
            )
        )
    if heat:
        rows.append(
            row("heat scoring alone (score_texts, 1 process)", "", f"{heat['comments_per_s']:,} /s")
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
    rows += readers_table(size, r)
    rows.append("")
    judged = judged or goals(r)
    rows += [f"{'holds' if g['holds'] else 'FAILS':<6} {g['goal']}: {g['value']}" for g in judged]
    return "\n".join(rows)


def readers_table(size, r):
    """The readers' rows (issue 17): rates against the static file's, and the mix."""
    readers, m = r.get("readers"), r.get("mix")
    if not readers:
        return []
    head = f"{'target':<22} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}"
    rows = [
        "",
        f"Readers: gunicorn, 2 workers, production settings, the seeds, cache in "
        f"{readers['cache']}; {readers['clients']} clients ({readers['generator']}), "
        f"{size['readers_seconds']} s a target in {readers['turns']} turns",
        f"{head} {'/static':>8}  goal",
    ]
    for row in readers["rows"]:
        figures = f"{row['requests_per_s']:>9} {row['p50_ms']:>9} {row['p99_ms']:>9}"
        line = f"{row['target']:<22} {figures} {row['errors']:>7}"
        if row["goal"] is not None:
            met = "met" if row["share"] >= row["goal"] else "NOT met"
            line += f" {row['share']:>8.0%}  >= {row['goal']:.0%} {met}"
        rows.append(line)
    if m:
        shares = ", ".join(f"{v:.0%} {k.replace('_', '-')}" for k, v in m["weights"].items())
        rows += [
            "",
            f"Mix: {shares} (replies and flags); {CLIENTS_NOTE}, {m['seconds']} s",
            head,
        ]
        for kind, f in sorted(m["kinds"].items(), key=lambda item: -item[1]["requests"]):
            figures = f"{f['requests_per_s']:>9} {f['p50_ms']:>9} {f['p99_ms']:>9}"
            rows.append(f"{kind:<22} {figures} {f['errors']:>7}")
        rows.append(
            f"replies looked for in the next anonymous read: {m['replies_checked']}, "
            f"stale: {m['stale_reads']} (held for a moderator, not shown: {m['not_shown']})"
        )
        rows += [f"  error: {sample}" for sample in m["error_samples"]]
    return rows


CLIENTS_NOTE = "8 client processes (Python, one request at a time each)"


def previous_sqlite_import(out_dir, mode):
    """Comments/s of the last SQLite run of this mode, if any (to compare with)."""
    try:
        saved = json.loads((out_dir / "results-sqlite.json").read_text())
    except (OSError, ValueError):
        return None
    if saved.get("mode") != mode:
        return None
    return saved["results"]["import"]["comments_per_s"]


def main():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under 2 minutes")
    parser.add_argument("--tiny", action="store_true", help="tiny sizes (the test suite's)")
    args = parser.parse_args()
    mode = "tiny" if args.tiny else "quick" if args.quick else "full"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    started = time.monotonic()
    build_database()
    size, results = run(mode)
    vendor = connection.vendor
    compare = None if vendor == "sqlite" else previous_sqlite_import(settings.BENCH_DIR, mode)
    judged = goals(results, compare)
    print(table(size, results, vendor, judged))
    saved = json.dumps(
        {
            "database": vendor,
            "mode": mode,
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "python": platform.python_version(),
            "seconds": round(time.monotonic() - started, 1),
            "sizes": size,
            "results": results,
            "goals": judged,
        },
        indent=1,
    )
    out = settings.BENCH_DIR / "results.json"
    out.write_text(saved)
    (settings.BENCH_DIR / f"results-{vendor}.json").write_text(saved)
    print(f"\nwritten to {out} (and results-{vendor}.json) in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
