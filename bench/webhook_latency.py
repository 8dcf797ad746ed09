"""``python -m bench.webhook_latency [--events N]``: webhook delivery latency, from the
commit of a moderation event to its arrival at a receiver, with the job worker running.

A receiver (``http.server`` on 127.0.0.1) checks each signature and notes when each
delivery arrives; ``manage.py db_worker --interval 0.1`` runs in a process of its own
(as in production, beside the web server); this process commits N events (a case
opened each time), one at a time, each after the previous one arrived.  Prints the
median and 90th percentile and writes ``var/bench/webhooks/results.json``.  The
worker polls the queue every 0.1 s, which bounds what the latency can be below.
"""

import argparse
import hashlib
import hmac
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SECRET = "bench-secret"
INTERVAL = 0.1


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(self.headers.get("X-Hub-Signature-256", ""), expected)
        self.server.arrivals[json.loads(body)["id"]] = (time.time(), ok)
        self.send_response(204 if ok else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50)
    args = parser.parse_args()
    bench_dir = Path(os.environ.get("CALLIN_BENCH_DIR") or "var/bench/webhooks").resolve()
    bench_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CALLIN_BENCH_DIR"] = str(bench_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.db import connection, transaction

    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    from moderation.audit import record
    from moderation.models import Webhook
    from threads.models import Comment, Essay

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.arrivals = {}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Webhook.objects.create(
        name="bench", url=f"http://127.0.0.1:{server.server_address[1]}/", secret=SECRET
    )
    essay = Essay.objects.create(slug="bench-hooks", title="Bench")
    comment = Comment.objects.create(
        essay=essay, author_name="A", body="Text", created=essay.created
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", str(INTERVAL)],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    latencies, signed = [], True
    try:
        time.sleep(2)  # the worker starts up (Django, the apps)
        for _ in range(args.events):
            with transaction.atomic():
                event = record(None, "case_opened", comment=comment, after={"state": "open"})
            committed = time.time()
            deadline = committed + 30
            while event.pk not in server.arrivals and time.time() < deadline:
                time.sleep(0.005)
            arrived, ok = server.arrivals.get(event.pk, (None, False))
            signed = signed and ok
            if arrived is not None:
                latencies.append(arrived - committed)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.shutdown()
    latencies.sort()
    result = {
        "events": args.events,
        "delivered": len(latencies),
        "signatures_valid": signed,
        "worker_interval_s": INTERVAL,
        "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p90_ms": round(latencies[int(len(latencies) * 0.9) - 1] * 1000, 1) if latencies else None,
        "database": connection.vendor,
    }
    (bench_dir / "results.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
