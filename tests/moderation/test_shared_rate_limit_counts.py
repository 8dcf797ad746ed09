"""Rate limits need one count for all workers: a start-up warning when they would each
keep their own (local memory, several workers), and a log line at request time."""

import logging
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.core import checks
from django.test import RequestFactory

from moderation import ratelimits
from tests.moderation.test_rate_limits import redis_running

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": f"callin-test-{uuid.uuid4().hex}",  # never touches other keys
    }
}


def cache_warnings():
    return [m for m in checks.run_checks(tags=[checks.Tags.caches]) if m.id == "callin.W001"]


def test_several_workers_on_local_memory_are_warned(settings):
    settings.CACHES, settings.CALLIN_WORKERS = LOCMEM, 3
    [warning] = cache_warnings()
    assert warning.level == checks.WARNING
    assert "3 worker processes" in warning.msg and "3 times higher" in warning.msg
    assert "REDIS_URL" in warning.hint


@pytest.mark.parametrize(("caches", "workers"), [(LOCMEM, 1), (REDIS, 4)])
def test_one_worker_or_a_shared_cache_is_not_warned(settings, caches, workers):
    settings.CACHES, settings.CALLIN_WORKERS = caches, workers
    assert cache_warnings() == []


def manage_check(**env):
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "WEB_CONCURRENCY") and not k.startswith("DJANGO_")
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_web_concurrency_without_redis_url_warns_at_start_up():
    result = manage_check(WEB_CONCURRENCY="3")
    assert result.returncode == 0, result.stderr
    assert "callin.W001" in result.stderr + result.stdout
    shared = manage_check(WEB_CONCURRENCY="3", REDIS_URL="redis://127.0.0.1:6379/0")
    assert "callin.W001" not in shared.stderr + shared.stdout


def count_twice(caplog):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    with caplog.at_level(logging.WARNING, logger="moderation.ratelimits"):
        for _ in range(2):
            ratelimits.usage(request, "flag", ratelimits.ip_key, increment=True)
    return [r for r in caplog.records if "counted in this process's memory" in r.getMessage()]


def test_local_memory_counts_say_so_once_a_process(settings, monkeypatch, caplog):
    settings.CACHES = LOCMEM
    monkeypatch.setattr(ratelimits, "_warned_per_process", False)
    assert len(count_twice(caplog)) == 1
    caplog.clear()
    assert count_twice(caplog) == []


@pytest.mark.skipif(not redis_running(), reason="no Redis server on 127.0.0.1:6379")
def test_shared_counts_say_nothing(settings, monkeypatch, caplog):
    settings.CACHES = REDIS
    monkeypatch.setattr(ratelimits, "_warned_per_process", False)
    assert count_twice(caplog) == []
