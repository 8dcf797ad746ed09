"""Rate limits on flagging, replying and signing in: a clear 429, and nothing written."""

import importlib
import logging
import socket
import uuid
from unittest import mock

import pytest
from django.test import Client, RequestFactory, override_settings

from moderation import cache_health, ratelimits
from moderation.models import Flag
from tests.helpers import make_comment
from threads.models import Comment

LOW = {"flag": "2/h", "reply": "2/h", "login": "3/5m", "login_ip": "5/5m"}


@pytest.fixture(autouse=True)
def low_limits(settings):
    settings.CALLIN_RATE_LIMITS = dict(LOW)
    return settings


def assert_429(response, what):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Please slow down" in html and f"too many {what}" in html
    assert "Nothing was changed" in html


# --- flagging ---------------------------------------------------------------------------


def test_flagging_is_limited_per_account(client, reader, other_reader, essay):
    comments = [make_comment(essay, body=f"Comment {n}.") for n in range(4)]
    client.force_login(reader)
    for comment in comments[:2]:
        response = client.post(f"/comments/{comment.pk}/flag/", {"reason": "heated"})
        assert response.status_code == 302
    response = client.post(f"/comments/{comments[2].pk}/flag/", {"reason": "heated"})
    assert_429(response, "flags")
    assert Flag.objects.count() == 2
    # Reading the form is not limited; another reader is not affected.
    assert client.get(f"/comments/{comments[3].pk}/flag/").status_code == 200
    other = Client()
    other.force_login(other_reader)
    response = other.post(f"/comments/{comments[3].pk}/flag/", {"reason": "heated"})
    assert response.status_code == 302


def test_refused_flags_count_too(client, reader, essay):
    comment = make_comment(essay)
    client.force_login(reader)
    for _ in range(2):
        assert (
            client.post(f"/comments/{comment.pk}/flag/", {"reason": "nonsense"}).status_code == 400
        )
    assert client.post(f"/comments/{comment.pk}/flag/", {"reason": "heated"}).status_code == 429
    assert Flag.objects.count() == 0


# --- replying ---------------------------------------------------------------------------


def test_replying_is_limited_per_account(client, reader, essay):
    parent = make_comment(essay)
    client.force_login(reader)
    assert client.post("/essays/essay/reply/", {"body": "First."}).status_code == 302
    url = f"/essays/essay/comments/{parent.pk}/reply/"
    assert client.post(url, {"body": "Second."}).status_code == 302
    assert_429(client.post(url, {"body": "Third."}), "comments")
    assert Comment.objects.filter(author=reader).count() == 2
    assert client.get(url).status_code == 200


def test_the_limit_ends_with_its_window(client, reader, essay):
    client.force_login(reader)
    with mock.patch("django_ratelimit.core.time.time", return_value=7200.0):
        for n in range(2):
            assert client.post("/essays/essay/reply/", {"body": f"{n}"}).status_code == 302
        assert client.post("/essays/essay/reply/", {"body": "x"}).status_code == 429
    with mock.patch("django_ratelimit.core.time.time", return_value=7200.0 + 3600):
        assert client.post("/essays/essay/reply/", {"body": "Later."}).status_code == 302


@override_settings(CALLIN_RATE_LIMITS={**LOW, "reply": None})
def test_a_limit_set_to_none_is_off(client, reader, essay):
    client.force_login(reader)
    for n in range(5):
        assert client.post("/essays/essay/reply/", {"body": f"Comment {n}."}).status_code == 302


# --- signing in -------------------------------------------------------------------------


def login(client, username, password="wrong", ip="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_sign_in_attempts_are_limited_per_address_and_username(client, reader):
    for _ in range(3):
        assert login(client, "reader").status_code == 200  # the form, with its error
    response = login(client, "reader", "pw-reader")  # even the right password waits
    assert_429(response, "sign-in attempts")
    assert "_auth_user_id" not in client.session
    # The same username from another address, and another username from this one, may try.
    assert login(client, "reader", "pw-reader", ip="10.0.0.2").status_code == 302
    assert login(Client(), "someone", ip="10.0.0.1").status_code == 200


def test_one_address_cannot_try_many_usernames(client, reader):
    for n in range(5):
        assert login(client, f"user{n}").status_code == 200
    assert login(client, "reader", "pw-reader").status_code == 429
    assert login(client, "reader", "pw-reader", ip="10.0.0.9").status_code == 302


def test_the_login_page_itself_is_not_limited(client, db):
    for _ in range(10):
        assert client.get("/accounts/login/").status_code == 200


def test_the_client_address_can_come_from_a_proxy_header(client, reader, settings):
    settings.CALLIN_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(3):
        client.post(
            "/accounts/login/", {"username": "reader", "password": "x"}, HTTP_X_REAL_IP="1.2.3.4"
        )
    blocked = client.post(
        "/accounts/login/", {"username": "reader", "password": "x"}, HTTP_X_REAL_IP="1.2.3.4"
    )
    assert blocked.status_code == 429
    allowed = client.post(
        "/accounts/login/",
        {"username": "reader", "password": "pw-reader"},
        HTTP_X_REAL_IP="5.6.7.8",
    )
    assert allowed.status_code == 302


def test_a_proxy_header_listing_several_addresses_counts_the_first(client, reader, settings):
    settings.CALLIN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"

    def attempt(forwarded, password="x"):
        return client.post(
            "/accounts/login/",
            {"username": "reader", "password": password},
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    # One client through different proxies is one address.
    for proxy in ("10.1.1.1", "10.1.1.2", "10.1.1.3"):
        assert attempt(f"1.2.3.4, {proxy}").status_code == 200
    assert attempt("1.2.3.4,10.1.1.4", "pw-reader").status_code == 429
    # Another client behind the same proxy is another address.
    assert attempt("5.6.7.8, 10.1.1.1", "pw-reader").status_code == 302


@pytest.mark.parametrize(
    ("forwarded", "address"),
    [
        ("1.2.3.4, 10.0.0.1", "1.2.3.4"),
        (" 2001:db8::1:2 ,10.0.0.1", "2001:db8::"),  # an IPv6 client counts as its /64
        ("", "127.0.0.1"),  # no header: REMOTE_ADDR
        ("not-an-address", "not-an-address"),
    ],
)
def test_client_ip(settings, forwarded, address):
    settings.CALLIN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimits.client_ip(request) == address


# --- the counter ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("20/h", (20, 3600)), ("10/5m", (10, 300)), (" 3 / 30s ", (3, 30)), ("1/d", (1, 86400))],
)
def test_parse_rate(rate, parsed):
    assert ratelimits.parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["20", "20/hour", "x/h", "-1/h", "1/0.5h"])
def test_parse_rate_refuses_nonsense(rate):
    with pytest.raises(ValueError, match="COUNT/PERIOD"):
        ratelimits.parse_rate(rate)


def test_no_rate_means_no_limit():
    assert ratelimits.parse_rate(None) is None and ratelimits.parse_rate("") is None


def count_three(group="flag", key=ratelimits.ip_key, ip="10.0.0.1"):
    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    found = [ratelimits.usage(request, group, key, increment=True) for _ in range(3)]
    return [f["should_limit"] for f in found], found[-1]["time_left"]


def test_usage_counts_per_key_in_windows(db):
    with mock.patch("django_ratelimit.core.time.time", return_value=100.0):
        assert count_three()[0] == [False, False, True]
        assert count_three(ip="10.0.0.2")[0] == [False, False, True]
        limited, time_left = count_three()
        assert limited == [True, True, True] and 0 <= time_left <= 3600
    with mock.patch("django_ratelimit.core.time.time", return_value=100.0 + 3600):
        assert count_three()[0] == [False, False, True]


def test_a_group_without_a_limit_is_not_counted():
    request = RequestFactory().post("/")
    assert ratelimits.usage(request, "nonexistent", ratelimits.ip_key, increment=True) is None


def test_an_unreachable_cache_lets_requests_through_and_the_log_says_limits_are_off(
    settings, monkeypatch, caplog, reader, essay, client
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens once the probe is closed
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    monkeypatch.setattr(cache_health, "_failing", set())
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")

    with caplog.at_level(logging.WARNING, logger="moderation.cache_health"):
        assert ratelimits.usage(request, "flag", ratelimits.ip_key, increment=True) is None
        client.force_login(reader)
        for n in range(3):  # one more than the limit
            assert client.post("/essays/essay/reply/", {"body": f"{n}"}).status_code == 302

    logged = [r.getMessage() for r in caplog.records if r.name == "moderation.cache_health"]
    [warning] = [message for message in logged if "rate limits" in message]  # once, not per request
    assert warning.startswith("The cache is unreachable")
    assert "rate limits are not counting (every request goes through)" in warning


def redis_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_running(), reason="no Redis server on 127.0.0.1:6379")
def test_counters_work_on_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"callin-test-{uuid.uuid4().hex}",  # never touches other keys
        }
    }
    settings.CALLIN_RATE_LIMITS = {"flag": "2/10s"}
    assert count_three()[0] == [False, False, True]


def test_redis_url_selects_the_redis_cache(monkeypatch):
    from config import settings as project_settings

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/2")
    try:
        assert importlib.reload(project_settings).CACHES["default"] == {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/2",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        monkeypatch.delenv("REDIS_URL")
        local = importlib.reload(project_settings).CACHES["default"]
        assert local["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
