"""Settings for the benchmark: the app's own, plus django-comments-xtd, on a database of its own.

SQLite: var/bench/bench.sqlite3; with DATABASE_URL, the same server and a
database named after the app's with "_bench" (recreated on every run), or the
database it names if that name already ends in "_bench".
django-comments-xtd (the peer we compare with) is installed only by the
``bench`` extra, so only these settings load it.
"""

import os
import uuid
from pathlib import Path

# With REDIS_URL, the server (bench.server) keeps its pages under keys of this run's own:
# nothing kept by an earlier run, on an earlier bench database, is ever read.
os.environ.setdefault("CALLIN_CACHE_PREFIX", f"callin-bench-{uuid.uuid4().hex[:12]}")

from config.settings import *  # noqa: E402, F403
from config.settings import DATABASES, INSTALLED_APPS, VAR_DIR  # noqa: E402

# Results and the SQLite database; the test suite points it at a temporary directory.
BENCH_DIR = Path(os.environ.get("CALLIN_BENCH_DIR") or VAR_DIR / "bench")

_database = DATABASES["default"]
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["NAME"] = str(BENCH_DIR / "bench.sqlite3")
elif not _database["NAME"].endswith("_bench"):  # DATABASE_URL may name the bench one itself
    _database["NAME"] = f"{_database['NAME']}_bench"
_database["TEST"] = {"NAME": _database["NAME"]}  # create_test_db builds exactly this one

# The in-process measures make each page every time (their figures are what a page
# costs to make, not to fetch from the cache); the gunicorn server (bench.server) runs
# with the app's own cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# No per-query log (DEBUG would keep every bulk INSERT's text in memory).
DEBUG = False
# Also the bench server's (bench.server), so the sessions the bench makes sign in there.
SECRET_KEY = "bench-only-not-secret-" + "x" * 40

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django.contrib.sites",
    "django_comments_xtd",
    "django_comments",
]
SITE_ID = 1
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 31  # as deep as threads.models.MAX_LEVEL
COMMENTS_XTD_CONFIRM_EMAIL = False
ROOT_URLCONF = "bench.urls"

# Building the bench's threads skips heat scoring; the measured import turns it on.
HEAT_SCORING = False
