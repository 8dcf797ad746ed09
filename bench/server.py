"""The app under gunicorn (2 workers, whitenoise) on loopback, and a bounded load generator.

The load generator is plain Python: threads that each open a connection, GET,
read the whole answer and record the latency, until their time is up or
MAX_REQUESTS have been made, whichever comes first.  It shares the machine's
cores with the server, as wrk would.
"""

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from statistics import median
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

MAX_REQUESTS = 500_000  # per run, whatever the duration


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_database_url():
    """A DATABASE_URL that points the real app (config.settings) at the bench database."""
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


class Server:
    """gunicorn serving config.wsgi in production mode (DEBUG off, whitenoise) on 127.0.0.1.

    Static files are collected into a temporary directory; with ``REDIS_URL`` set the
    cache is Redis, under the run's key prefix (``bench.settings``).  The secret key is
    the bench's, so sessions made by the bench process sign in on the server.
    """

    def __init__(self, workers=2):
        self.port = free_port()
        self.static_root = tempfile.TemporaryDirectory(prefix="callin-bench-static-")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": bench_database_url(),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_ROOT": self.static_root.name,
            "WEB_CONCURRENCY": str(workers),
        }
        self.workers = workers
        self.process = None

    @property
    def cache(self):
        return "Redis" if self.env.get("REDIS_URL") else "each process's memory"

    def __enter__(self):
        base = Path(settings.BASE_DIR)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=base,
            env=self.env,
            check=True,
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
            + ["--log-level", "warning"],
            cwd=base,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                get(self.port, "/static/css/callin.css")
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start within 30 s")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.static_root.cleanup()


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def load(port, path, concurrency, seconds):
    """GET ``path`` from ``concurrency`` threads for ``seconds``; requests/s, p50, p99, errors."""
    deadline = time.monotonic() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def worker():
        mine, failed = [], 0
        while time.monotonic() < deadline and len(latencies) + len(mine) < MAX_REQUESTS:
            start = time.perf_counter()
            try:
                ok = get(port, path) == 200
            except OSError:
                ok = False
            if ok:
                mine.append(time.perf_counter() - start)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else None
    return {
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(median(latencies) * 1000, 2) if latencies else None,
        "p99_ms": round(p99 * 1000, 2) if latencies else None,
        "errors": errors[0],
        "requests": len(latencies),
    }
