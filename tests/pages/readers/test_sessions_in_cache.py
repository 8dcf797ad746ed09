"""Sessions read from Redis and kept in the database (moderation.sessions, the engine when
REDIS_URL is set): a signed-in page reads no session row; with Redis unreachable every
page is still served and signing in and out still work; a sign-out is never undone by an
old copy in Redis."""

import logging
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from moderation import cache_health, page_cache, sessions
from tests.helpers import make_comment
from tests.moderation.test_rate_limits import redis_running
from tests.pages.readers.test_cache_fails_open import cache_warnings, closed_port

REDIS = "redis://127.0.0.1:6379/15"


def cache_at(settings, location, prefix):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def in_redis(settings, monkeypatch, caplog):
    """Sessions in a Redis of their own (a key prefix no other test uses); returns a
    function that makes it unreachable (``False``) or reachable again (``True``)."""
    assert redis_running(), "Redis is needed on 127.0.0.1:6379 (see the preamble)"
    settings.SESSION_ENGINE = "moderation.sessions"
    prefix = f"callin-test-{uuid.uuid4().hex}"
    monkeypatch.setattr(cache_health, "_failing", set())
    monkeypatch.setattr(page_cache, "_lost", None)
    monkeypatch.setattr(page_cache, "_scopes", {})
    caplog.set_level(logging.WARNING, logger="moderation")

    def reachable(up):
        cache_at(settings, REDIS if up else f"redis://127.0.0.1:{closed_port()}/0", prefix)

    reachable(True)
    return reachable


@pytest.fixture
def thread(essay):
    make_comment(essay, body="Something to read.")
    return essay


def sign_in(client, user):
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": f"pw-{user.username}"}
    )
    assert response.status_code == 302
    return client.cookies["sessionid"].value


def signed_in_as(cookie, user):
    """Whether a request with the session cookie ``cookie`` (a new client's) is ``user``'s."""
    client = Client()
    client.cookies["sessionid"] = cookie
    response = client.get("/essays/essay/")
    assert response.status_code == 200
    return f"Signed in as <strong>{user.username}</strong>" in response.content.decode()


def test_a_signed_in_page_reads_the_session_from_redis(
    client, thread, reader, in_redis, django_assert_max_num_queries
):
    cookie = sign_in(client, reader)
    client.get("/essays/essay/")
    with django_assert_max_num_queries(2) as queries:  # the user, the header's count
        assert signed_in_as(cookie, reader)
    assert not any("django_session" in q["sql"] for q in queries.captured_queries)
    key = cache.make_and_validate_key(sessions.SessionStore.cache_key_prefix + cookie)
    assert 0 < cache._cache.get_client(key).ttl(key) <= sessions.CACHE_SECONDS
    client.post("/accounts/logout/")
    assert not signed_in_as(cookie, reader)


def test_with_redis_unreachable_signing_in_reading_and_out_still_work(
    client, thread, reader, in_redis, caplog
):
    in_redis(False)
    cookie = sign_in(client, reader)
    for _ in range(3):
        assert signed_in_as(cookie, reader)
    assert client.post("/accounts/logout/").status_code == 302
    assert not signed_in_as(cookie, reader)
    warnings = cache_warnings(caplog)
    assert len(warnings) == len(set(warnings))  # one a purpose, not one a request
    assert any("pages are made from the database" in w for w in warnings)


def test_a_sign_out_that_did_not_reach_redis_is_never_undone(client, thread, reader, in_redis):
    cookie = sign_in(client, reader)
    assert signed_in_as(cookie, reader)  # kept in Redis
    in_redis(False)
    client.post("/accounts/logout/")  # deleted from the database; Redis did not hear it
    in_redis(True)  # Redis answers again, still holding the old copy
    assert not signed_in_as(cookie, reader)  # this process waits RETRY_SECONDS first
    page_cache._lost -= page_cache.RETRY_SECONDS
    assert not signed_in_as(cookie, reader)  # the epoch is replaced: the copy is old
    page_cache._lost = None
    assert not signed_in_as(cookie, reader)  # any process, from now on


def test_a_session_kept_before_redis_was_lost_is_read_again_from_the_database(
    client, thread, reader, in_redis
):
    cookie = sign_in(client, reader)
    assert signed_in_as(cookie, reader)
    epoch = cache.get(page_cache.EPOCH)
    in_redis(False)
    assert signed_in_as(cookie, reader)  # from the database
    in_redis(True)
    page_cache._lost -= page_cache.RETRY_SECONDS
    assert signed_in_as(cookie, reader)
    assert cache.get(page_cache.EPOCH) != epoch
