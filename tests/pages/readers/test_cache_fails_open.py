"""With Redis unreachable (REDIS_URL at a closed port) every page is still served, from the
database and never stale, one warning says so, and rate limits say they are not counting."""

import logging
import socket

import pytest

from moderation import cache_health, page_cache
from tests.helpers import client_for, make_comment, reply
from threads.models import Comment


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


@pytest.fixture
def redis_down(settings, monkeypatch, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    monkeypatch.setattr(cache_health, "_failing", set())
    monkeypatch.setattr(page_cache, "_lost", None)  # (this process's state: each test anew)
    caplog.set_level(logging.WARNING, logger="moderation")
    return caplog


def cache_warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "moderation.cache_health"]


def test_pages_come_from_the_database_with_one_warning(client, essay, redis_down):
    make_comment(essay, body="Read from the database.")
    for path in ("/essays/essay/", "/", "/essays/essay/", "/"):
        response = client.get(path)
        assert response.status_code == 200
    assert b"Read from the database." in client.get("/essays/essay/").content
    make_comment(essay, body="Written while the cache is down.")
    assert b"Written while the cache is down." in client.get("/essays/essay/").content
    [warning] = cache_warnings(redis_down)
    assert "The cache is unreachable" in warning
    assert "pages are made from the database" in warning


def test_a_reply_goes_through_and_rate_limits_say_they_are_not_counting(essay, reader, redis_down):
    client = client_for(reader)
    for n in range(2):
        response = reply(client, essay, f"Posted with the cache down, number {n}.")
        assert response.status_code == 302
    assert Comment.objects.filter(essay=essay, author=reader).count() == 2
    assert b"number 1." in client.get("/essays/essay/").content
    # One warning a purpose (the signed-in page's thread data is kept in the cache too).
    warnings = cache_warnings(redis_down)
    assert len(warnings) == len(set(warnings)) == 2
    [warning] = [w for w in warnings if "rate limits" in w]
    assert "rate limits are not counting" in warning


def test_the_log_says_when_the_cache_answers_again(client, essay, redis_down, settings):
    client.get("/essays/essay/")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client.get("/essays/essay/")
    client.get("/essays/essay/")
    down, back = cache_warnings(redis_down)
    assert "unreachable" in down and "answers again" in back
