"""Readers at scale (issue 17), against gunicorn on the seeds, in one server run.

Rates: a static file, the anonymous thread page of seed 000, the home page and the
signed-in thread page, 8 clients each, the targets taking turns; each page's rate is
judged as a share of the static file's.  The load generator is wrk when installed (C,
a few per cent of a core here), else the Python clients of ``bench.mix_client``.

Mix: 90% anonymous reads, 9% signed-in reads, 1% writes (replies and flags) from 8
client processes; every reply's text is looked for in the next anonymous read of the
page it was posted to.
"""

import io
import multiprocessing
import re
import shutil
import subprocess
import time
from statistics import median

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command

from threads.models import Comment, Essay

from . import mix_client

THREAD = "/essays/calling-in/"  # seed 000
STATIC = "/static/css/callin.css"
CLIENTS = 8
# target, path, signed in, goal (share of the static file's rate)
TARGETS = [
    ("static file", STATIC, False, None),
    ("anonymous thread page", THREAD, False, 0.4),
    ("home page", "/", False, 0.5),
    ("signed-in thread page", THREAD, True, 0.1),
]
MIX = {"anonymous": 0.90, "signed_in": 0.09, "write": 0.01}
ANONYMOUS_PATHS = [(THREAD, 0.8), ("/", 0.2)]  # the shared essay, and the list of spaces


def load_seeds():
    call_command("seed_demo", stdout=io.StringIO())


def sessions(count):
    """Session keys of ``count`` readers (accounts of their own, signed in)."""
    model = get_user_model()
    keys = []
    for number in range(count):
        user, _ = model.objects.get_or_create(username=f"mixreader{number}")
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def plan(port, seed, weights=None):
    """What the mix's clients need: sessions, the comments to reply under and to flag."""
    essay = Essay.objects.get(slug="calling-in")
    shown = Comment.objects.filter(status=Comment.Status.VISIBLE, replies_paused_until=None)
    parents = shown.filter(essay=essay, parent=None, collapsed=False).order_by("lft", "pk")
    parent_ids = list(parents.values_list("pk", flat=True)[:20])
    # Each comment flagged once at most (a second flag could find it held, and refused).
    flaggable = list(shown.filter(author=None).order_by("pk").values_list("pk", flat=True)[:4000])
    return {
        "port": port,
        "seed": seed,
        "weights": list((weights or MIX).values()),
        "anonymous": ANONYMOUS_PATHS,
        "thread": THREAD,
        "sessions": sessions(CLIENTS),
        "reply_paths": [f"{THREAD}reply/"] + [f"{THREAD}comments/{pk}/reply/" for pk in parent_ids],
        "flag_targets": [flaggable[n::CLIENTS] for n in range(CLIENTS)],
    }


def clients(the_plan, seconds):
    """Run CLIENTS client processes for ``seconds``; their figures merged."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 3  # they start together, once spawned
    processes = [
        context.Process(
            target=mix_client.run_client, args=(the_plan, n, seconds, start_at, results)
        )
        for n in range(CLIENTS)
    ]
    for process in processes:
        process.start()
    merged = [results.get(timeout=seconds + 300) for _ in processes]
    for process in processes:
        process.join()
    return merged


def percentile(values, share):
    return values[min(len(values) - 1, int(len(values) * share))] if values else None


def figures(latencies, errors, seconds):
    latencies = sorted(latencies)
    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(median(latencies) * 1000, 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2) if latencies else None,
        "errors": errors,
    }


def mix(port, seconds, seed=1, weights=None):
    """The realistic mix: figures per kind and overall, and the stale reads."""
    the_plan = plan(port, seed, weights)
    merged = clients(the_plan, seconds)
    kinds = {}
    for result in merged:
        for kind, values in result["latencies"].items():
            kinds.setdefault(kind, [[], 0])[0].extend(values)
        for kind, count in result["errors"].items():
            kinds.setdefault(kind, [[], 0])[1] += count
    rows = {kind: figures(values, errors, seconds) for kind, (values, errors) in kinds.items()}
    everything = [v for values, _ in kinds.values() for v in values]
    rows["all"] = figures(everything, sum(e for _, e in kinds.values()), seconds)
    checks = [check for result in merged for check in result["checks"]]
    missing = [text for text, _, found in checks if not found]
    shown = set(
        Comment.objects.filter(body__in=missing, status=Comment.Status.VISIBLE).values_list(
            "body", flat=True
        )
    )
    return {
        "seconds": seconds,
        "weights": dict(zip(MIX, the_plan["weights"], strict=True)),
        "kinds": rows,
        "replies_checked": len(checks),
        "stale_reads": sum(text in shown for text in missing),
        "not_shown": len(missing) - len(shown),  # held for a moderator, so not on the page
        "error_samples": [s for result in merged for s in result["error_samples"]][:5],
    }


WRK_RATE = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)", re.M)
WRK_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)", re.M)
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)")
UNIT_MS = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}


def wrk(port, path, seconds, cookie=None):
    """requests, seconds, p50/p99 ms and errors of one wrk run (8 connections)."""
    command = ["wrk", "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    count, elapsed, unit = WRK_RATE.search(out).groups()
    percentiles = {p: float(v) * UNIT_MS[u] for p, v, u in WRK_PERCENTILE.findall(out)}
    errors = 0
    for non_2xx, socket_errors in WRK_ERRORS.findall(out):
        errors += int(non_2xx or 0) + sum(int(n) for n in re.findall(r"\d+", socket_errors))
    return {
        "requests": int(count),
        "seconds": float(elapsed) * UNIT_MS[unit] / 1000,
        "p50_ms": percentiles["50"],
        "p99_ms": percentiles["99"],
        "errors": errors,
    }


def python_load(port, path, seconds, session):
    """The same as ``wrk`` with the Python clients (when wrk is not installed)."""
    only = {
        "port": port,
        "seed": 1,
        "weights": [0, 1, 0] if session else [1, 0, 0],
        "anonymous": [(path, 1)],
        "thread": path,
        "sessions": [session] * CLIENTS,
        "reply_paths": [],
        "flag_targets": [[]] * CLIENTS,
    }
    merged = clients(only, seconds)
    latencies = sorted(v for r in merged for values in r["latencies"].values() for v in values)
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "p50_ms": median(latencies) * 1000 if latencies else None,
        "p99_ms": percentile(latencies, 0.99) * 1000 if latencies else None,
        "errors": sum(n for r in merged for n in r["errors"].values()),
    }


def rates(port, seconds, turns):
    """Each target for ``seconds`` in all, in ``turns`` turns: req/s, p50 (median of the
    turns'), p99 (the worst turn's), errors, and the share of the static file's rate."""
    generator = "wrk" if shutil.which("wrk") else "python"
    session = sessions(1)[0]
    runs = {name: [] for name, *_ in TARGETS}
    for _name, path, signed_in, _ in TARGETS:  # warm-up: each page made and kept once
        cookies = {"sessionid": session} if signed_in else None
        mix_client.request(port, "GET", path, cookies)
    for _ in range(turns):
        for name, path, signed_in, _ in TARGETS:
            cookie = f"sessionid={session}" if signed_in else None
            if generator == "wrk":
                runs[name].append(wrk(port, path, max(1, round(seconds / turns)), cookie))
            else:
                runs[name].append(
                    python_load(port, path, seconds / turns, session if signed_in else None)
                )
    rows = []
    for name, path, _, goal in TARGETS:
        done = runs[name]
        rate = sum(r["requests"] for r in done) / sum(r["seconds"] for r in done)
        rows.append(
            {
                "target": name,
                "path": path,
                "requests_per_s": round(rate, 1),
                "p50_ms": round(median(r["p50_ms"] for r in done), 2),
                "p99_ms": round(max(r["p99_ms"] for r in done), 2),
                "errors": sum(r["errors"] for r in done),
                "goal": goal,
            }
        )
    static = rows[0]["requests_per_s"]
    for row in rows[1:]:
        row["share"] = round(row["requests_per_s"] / static, 3) if static else 0
    return {"generator": generator, "clients": CLIENTS, "turns": turns, "rows": rows}
