"""With the versions in Redis: an anonymous page served by the middleware before the
session, the URLs and the database; a committed write replaces the tokens, so the next
request shows it; a thread's data kept for signed-in readers too, and never stale.

(Across processes: test_page_cache_staleness.py.)
"""

import time
import uuid

import pytest
from django.core.cache import cache

from moderation import page_cache
from tests.helpers import client_for, make_comment
from tests.moderation.test_rate_limits import redis_running

# Session, user, then unread notifications with the user's permissions (one query).
SIGNED_IN_QUERIES = 3


@pytest.fixture
def redis_cache(settings, monkeypatch):
    assert redis_running(), "Redis is needed on 127.0.0.1:6379 (see the preamble)"
    settings.CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"callin-test-{uuid.uuid4().hex}",  # never touches other keys
        }
    }
    monkeypatch.setattr(page_cache, "_scopes", {})
    monkeypatch.setattr(page_cache, "_lost", None)


@pytest.fixture
def thread(essay):
    make_comment(essay, body="Something to read.")
    return essay


def committed(django_capture_on_commit_callbacks, write):
    """Run ``write`` and what its transaction runs once committed (the test's own
    transaction never commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        return write()


@pytest.mark.parametrize("path", ["/essays/essay/", "/essays/essay/?page=1", "/"])
def test_a_kept_page_is_served_without_the_database(
    client, thread, redis_cache, path, django_assert_num_queries
):
    first = client.get(path)
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.status_code == 200
    assert again.content == first.content
    # The same headers as the page the view made (those of the middleware it skips too).
    assert sorted(again.headers.items()) == sorted(first.headers.items())
    with django_assert_num_queries(0):
        unchanged = client.get(path, headers={"if-none-match": first["ETag"]})
    assert unchanged.status_code == 304


def test_a_committed_reply_shows_on_the_next_request(
    client, thread, redis_cache, django_capture_on_commit_callbacks
):
    client.get("/essays/essay/")
    client.get("/")
    committed(django_capture_on_commit_callbacks, lambda: make_comment(thread, body="Just posted."))
    assert b"Just posted." in client.get("/essays/essay/").content
    assert b"2 comments" in client.get("/").content


def test_a_lost_token_makes_the_page_again(client, thread, redis_cache):
    client.get("/essays/essay/")
    cache.clear()  # Redis restarted empty, or evicted the keys
    make_comment(thread, body="Written meanwhile.")
    assert b"Written meanwhile." in client.get("/essays/essay/").content


def test_after_losing_touch_with_redis_nothing_kept_before_is_served(
    client, thread, redis_cache, reader
):
    client.get("/essays/essay/")
    signed_in = client_for(reader)
    signed_in.get("/essays/essay/")
    epoch = cache.get(page_cache.EPOCH)
    # A write whose report to Redis failed (no token replaced), in a process that then
    # finds Redis again: a new epoch first.
    make_comment(thread, body="Committed while Redis was away.")
    page_cache._lost = time.monotonic()
    assert b"Committed while Redis was away." in client.get("/essays/essay/").content
    assert cache.get(page_cache.EPOCH) == epoch  # not asked again within RETRY_SECONDS
    page_cache._lost -= page_cache.RETRY_SECONDS
    assert b"Committed while Redis was away." in client.get("/essays/essay/").content
    assert cache.get(page_cache.EPOCH) not in (None, epoch)
    assert page_cache._lost is None
    assert b"Committed while Redis was away." in signed_in.get("/essays/essay/").content


def test_a_version_token_does_not_outlive_its_time(client, thread, redis_cache):
    client.get("/essays/essay/")
    key = cache.make_and_validate_key(page_cache.token_key(thread.pk))
    ttl = cache._cache.get_client(key).ttl(key)
    assert 0 < ttl <= page_cache.TOKEN_SECONDS


@pytest.mark.parametrize("shared", [True, False], ids=["redis", "memory"])
def test_a_signed_in_thread_page_reads_the_thread_once_per_version(
    request,
    thread,
    reader,
    shared,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    if shared:
        request.getfixturevalue("redis_cache")
    client = client_for(reader)
    first = client.get("/essays/essay/")
    assert b"Something to read." in first.content
    # Memory: the space's version is read from the database (one query more).
    with django_assert_max_num_queries(SIGNED_IN_QUERIES + (0 if shared else 1)):
        again = client.get("/essays/essay/")
    assert again.content.count(b"Something to read.") == 1
    assert reader.username.encode() in again.content
    assert again["Cache-Control"] == "private, no-cache"
    committed(django_capture_on_commit_callbacks, lambda: make_comment(thread, body="A new one."))
    assert b"A new one." in client.get("/essays/essay/").content
