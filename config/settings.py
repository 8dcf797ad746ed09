"""Settings for callin, read from the environment with safe defaults.

Development is the default (no variables needed).  Production mode is
``DJANGO_DEBUG=0`` plus ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``;
in that mode ``manage.py check --deploy`` reports no warnings.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name, default):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", "1")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "mptt",
    # Background jobs (webhooks, author emails): django-tasks with its database backend.
    "django_tasks",
    "django_tasks_db",
    "threads",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An anonymous reader's page from its kept copy, before sessions and URLs (with Redis).
    "moderation.page_cache.KeptPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: the moderation pages answer htmx requests with the part they swap in.
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After (templates/503.html).
    "config.errors.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "moderation.context_processors.notifications",
            ],
        },
    },
]

# A worker keeps its database connection between requests (opening one cost a signed-in
# thread page a quarter of its CPU on SQLite), checked before reuse after an error.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'callin.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DJANGO_DB_PREPARED", "1"
):
    # Statements run through a cursor that binds on the server are prepared on their first
    # run (only the signed-in header's query: moderation.context_processors; Django's own
    # cursors bind on the client and never are).  Off for a pooler that cannot keep them
    # (PgBouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts (so a transaction never reads
    # tree positions that another writer is about to shift) and wait for it.  Write-ahead
    # log: readers never wait for a writer (pages keep answering during a long import),
    # and a commit is one append, synced at checkpoints ("NORMAL"): still atomic, and a
    # crash of the app loses nothing; a power cut may lose the last commits, never
    # consistency.  A commit cost a site import a disk sync per space (a fifth of its time).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes (the bench points it at a directory of its own).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or VAR_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4): everything from our own origin, no
# inline script or style anywhere (templates use classes and static files only).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", "1")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Email: the console by default; SMTP when DJANGO_EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", "1")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "callin <callin@localhost>")
# Background jobs: queued in the database (django-tasks-db), run by `manage.py db_worker`
# (`make run` starts one beside the server).  CALLIN_TASKS=immediate runs each job in the
# process that queues it, after the commit (no worker; a failed job is not retried).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {"BACKEND": TASK_BACKENDS[os.environ.get("CALLIN_TASKS", "database")]},
}
# Webhooks and author emails: tries, the wait before the first retry (doubling after
# each), and how long one HTTP delivery may take.
CALLIN_JOB_ATTEMPTS = int(os.environ.get("CALLIN_JOB_ATTEMPTS", "6"))
CALLIN_JOB_BACKOFF_SECONDS = float(os.environ.get("CALLIN_JOB_BACKOFF_SECONDS", "30"))
CALLIN_WEBHOOK_TIMEOUT = float(os.environ.get("CALLIN_WEBHOOK_TIMEOUT", "10"))
# Where links in emails point (no trailing slash needed).
CALLIN_BASE_URL = os.environ.get("CALLIN_BASE_URL", "http://127.0.0.1:8000")

# Cache (rate limits): Redis when REDIS_URL is set, else this process's memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "config.redis_cache.RedisCache",  # Django's, one client per pool
            "LOCATION": REDIS_URL,
            # An unreachable Redis fails fast, and the pages fail open (moderation.cache_health).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            # Several sites (or test runs) on one Redis: a prefix of their own.
            **({"KEY_PREFIX": prefix} if (prefix := os.environ.get("CALLIN_CACHE_PREFIX")) else {}),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "callin"}
    )
}

# Sessions: with Redis, read from it and kept in the database (moderation.sessions: Django's
# cached_db, failing open); else in the database.
if REDIS_URL:
    SESSION_ENGINE = "moderation.sessions"

# Readers' pages for anonymous readers (moderation.page_cache): how long a shared cache may
# serve one without asking (0: it revalidates every time, so never stale; see
# docs/proxy-cache.md) and how long this app keeps a rendered page at most.
CALLIN_PUBLIC_MAX_AGE = int(os.environ.get("CALLIN_PUBLIC_MAX_AGE", "0"))
CALLIN_PAGE_CACHE_SECONDS = 24 * 60 * 60

# Rate limits (moderation.ratelimits, counted by django-ratelimit): "COUNT/PERIOD", PERIOD
# like "h", "5m", "30s", "d"; None turns one off.  Flags and replies count per account;
# failed sign-ins (only those) per address and username, and per address alone.
CALLIN_RATE_LIMITS = {
    "flag": os.environ.get("CALLIN_RATE_FLAG", "20/h"),
    "reply": os.environ.get("CALLIN_RATE_REPLY", "30/h"),
    "login": os.environ.get("CALLIN_RATE_LOGIN", "10/5m"),
    "login_ip": os.environ.get("CALLIN_RATE_LOGIN_IP", "50/5m"),
}
# Behind a reverse proxy: the request header (as in request.META) holding the
# client's address, e.g. "HTTP_X_REAL_IP"; empty means REMOTE_ADDR.  When it lists
# several addresses the first is taken.
CALLIN_CLIENT_IP_HEADER = os.environ.get("CALLIN_CLIENT_IP_HEADER", "")
# Worker processes serving requests (gunicorn reads the same variable; `make serve` sets it):
# with more than one and no REDIS_URL, `manage.py check` warns that each counts its own limits.
CALLIN_WORKERS = int(os.environ.get("WEB_CONCURRENCY") or "1")

# Heat signals (heat, applied by threads.scoring): scoring on or off, and the default
# threshold above which a reader's reply gets a nudge and a system case opens (each space can
# set its own).
HEAT_SCORING = env_bool("CALLIN_HEAT_SCORING", "1")
HEAT_THRESHOLD = float(os.environ.get("CALLIN_HEAT_THRESHOLD", "0.7"))
# Worker processes that score a long import's batches while it writes (0: score inline).
HEAT_WORKERS = int(os.environ.get("CALLIN_HEAT_WORKERS", "2"))
# Where the classifier's numbers are kept once read from its package: ``heat`` (plain Python,
# and run in worker processes) reads CALLIN_HEAT_MODEL_CACHE itself, default var/cache.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
