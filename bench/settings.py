"""Settings for the benchmark: the app's own, plus django-comments-xtd, on a database of its own.

SQLite: var/bench/bench.sqlite3; with DATABASE_URL, the same server and a
database named after the app's with "_bench" (recreated on every run), or the
database it names if that name already ends in "_bench".
django-comments-xtd (the peer we compare with) is installed only by the
``bench`` extra, so only these settings load it.
"""

import os
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import DATABASES, INSTALLED_APPS, VAR_DIR

# Results and the SQLite database; the test suite points it at a temporary directory.
BENCH_DIR = Path(os.environ.get("CALLIN_BENCH_DIR") or VAR_DIR / "bench")

_database = DATABASES["default"]
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["NAME"] = str(BENCH_DIR / "bench.sqlite3")
elif not _database["NAME"].endswith("_bench"):  # DATABASE_URL may name the bench one itself
    _database["NAME"] = f"{_database['NAME']}_bench"
_database["TEST"] = {"NAME": _database["NAME"]}  # create_test_db builds exactly this one

# No per-query log (DEBUG would keep every bulk INSERT's text in memory).
DEBUG = False
SECRET_KEY = "bench-only-not-secret"

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
