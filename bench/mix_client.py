"""Closed-loop HTTP clients for the readers' bench, one process each.

Standard library only, so that a spawned process starts at once and holds no database
connection.  Each client makes one request at a time (a new connection each, as gunicorn's
sync workers close it) until its time is up, drawing what to do from its weights:

- ``anonymous``: GET one of the anonymous paths, without cookies;
- ``signed_in``: GET the thread page with the client's session cookie;
- ``write``: in turns, a reply under a comment of the thread's first page, a flag (a
  comment of its own list, so never one flagged twice), a new top-level comment, a flag.
  After a reply the client reads the page the answer's redirect names, anonymously, and
  records whether the reply's text is on it (the bench then counts the misses whose
  comment is shown: stale reads).
"""

import http.client
import random
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TIMEOUT = 60


def request(port, method, path, cookies=None, form=None):
    """(status, Location, Set-Cookie headers, body) of one request on a new connection."""
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        set_cookies = response.msg.get_all("Set-Cookie") or []
        return response.status, response.getheader("Location"), set_cookies, content
    finally:
        conn.close()


def keep_cookies(jar, set_cookies):
    """Apply Set-Cookie headers to ``jar`` (the Secure flag is ignored: plain HTTP here)."""
    for header in set_cookies:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or not morsel.value:
                jar.pop(name, None)
            else:
                jar[name] = morsel.value


class Client:
    def __init__(self, plan, number):
        self.plan, self.number = plan, number
        self.port = plan["port"]
        self.rng = random.Random(plan["seed"] * 1000 + number)
        self.jar = {"sessionid": plan["sessions"][number]}
        self.flag_targets = list(plan["flag_targets"][number])
        self.latencies = {}
        self.errors = {}
        self.error_samples = []
        self.checks = []  # (text, path read, found)
        self.writes = 0

    def timed(self, kind, method, path, cookies=None, form=None, expect=200):
        start = time.perf_counter()
        try:
            status, location, set_cookies, content = request(self.port, method, path, cookies, form)
        except OSError as exc:
            status, location, set_cookies, content = None, None, [], str(exc).encode()
        elapsed = time.perf_counter() - start
        if status == expect:
            self.latencies.setdefault(kind, []).append(elapsed)
        else:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            if len(self.error_samples) < 5:
                self.error_samples.append(f"{method} {path}: {status} {content[:200]!r}")
        if cookies is self.jar:
            keep_cookies(self.jar, set_cookies)
        return status == expect, location, content

    def anonymous(self):
        paths, weights = zip(*self.plan["anonymous"], strict=True)
        self.timed("anonymous read", "GET", self.rng.choices(paths, weights)[0])

    def signed_in(self):
        self.timed("signed-in read", "GET", self.plan["thread"], cookies=self.jar)

    def write(self):
        turn = self.writes % 4
        self.writes += 1
        if turn in (1, 3) and self.flag_targets:
            form = {"reason": "off_topic", "note": "", "csrfmiddlewaretoken": self.csrf()}
            path = f"/comments/{self.flag_targets.pop()}/flag/"
            self.timed("flag", "POST", path, cookies=self.jar, form=form, expect=302)
            return
        token = f"{self.plan['seed']:x}{self.number}n{self.writes}r{self.rng.randrange(16**6):06x}"
        text = f"Thank you, that helps me see it differently (bench note {token})."
        path = self.plan["reply_paths"][0]
        if turn == 0:
            path = self.rng.choice(self.plan["reply_paths"][1:] or self.plan["reply_paths"])
        form = {"body": text, "csrfmiddlewaretoken": self.csrf()}
        ok, location, _ = self.timed("reply", "POST", path, cookies=self.jar, form=form, expect=302)
        if ok and location:
            read = urlsplit(location)
            read_path = read.path + (f"?{read.query}" if read.query else "")
            found, _, content = self.timed("anonymous read", "GET", read_path)
            if found:
                self.checks.append((text, read_path, text.encode() in content))

    def csrf(self):
        if "csrftoken" not in self.jar:
            self.signed_in()
        return self.jar.get("csrftoken", "")

    def run(self, seconds):
        weights = self.plan["weights"]
        kinds = [self.anonymous, self.signed_in, self.write]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.rng.choices(kinds, weights)[0]()
        return {
            "latencies": self.latencies,
            "errors": self.errors,
            "error_samples": self.error_samples,
            "checks": self.checks,
        }


def run_client(plan, number, seconds, start_at, results):
    """A client process: wait for the common start, run, put its figures on ``results``."""
    client = Client(plan, number)
    client.csrf()  # a signed-in page first, for the form token (not counted as a read)
    client.latencies.clear()
    time.sleep(max(0.0, start_at - time.time()))
    results.put(client.run(seconds))
