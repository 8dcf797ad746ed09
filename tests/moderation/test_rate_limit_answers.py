"""What a request over a rate limit is told, and when several workers are warned: the
wait in minutes rounded up, the Retry-After seconds, the log line naming what and from
where, and the start-up warning's defaults (gaps found by `make mutate`)."""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import checks
from django.test import RequestFactory

from moderation import ratelimits

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def answer(seconds, what="flags"):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    return ratelimits.too_many(request, seconds, what)


@pytest.mark.parametrize(
    ("seconds", "minutes"),
    [
        (1, "about 1 minute and"),
        (60, "about 1 minute and"),
        (61, "about 2 minutes"),
        (150, "about 3 minutes"),
        (3600, "about 60 minutes"),
    ],
)
def test_the_wait_is_told_in_whole_minutes_rounded_up(seconds, minutes):
    response = answer(seconds)

    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds)
    assert f"Please wait {minutes}" in response.content.decode()


def test_the_answer_names_what_was_refused():
    assert "too many comments from you" in answer(30, "comments").content.decode()


def test_the_log_names_what_and_the_address(caplog):
    with caplog.at_level(logging.WARNING, logger="moderation.ratelimits"):
        answer(30, "flags")

    assert "rate limit: flags from 203.0.113.9" in caplog.messages


@pytest.mark.parametrize(("time_left", "seconds"), [(-1, 1), (0, 1), (1, 1), (2, 2), (90, 90)])
def test_retry_after_is_the_time_left_and_at_least_a_second(time_left, seconds):
    assert ratelimits.retry_after({"time_left": time_left}) == seconds


def warnings_for(settings, **changes):
    for name, value in changes.items():
        setattr(settings, name, value)
    return [m for m in checks.run_checks(tags=[checks.Tags.caches]) if m.id == "callin.W001"]


def test_two_workers_on_local_memory_are_warned(settings):
    [warning] = warnings_for(settings, CACHES={"default": {"BACKEND": LOCMEM}}, CALLIN_WORKERS=2)

    assert "2 worker processes" in warning.msg


def test_without_a_workers_setting_one_worker_is_assumed(settings):
    settings.CACHES = {"default": {"BACKEND": LOCMEM}}
    del settings.CALLIN_WORKERS

    assert warnings_for(settings) == []


def test_no_cache_configured_is_not_warned(settings):
    assert warnings_for(settings, CACHES={}, CALLIN_WORKERS=4) == []


def test_a_signed_in_person_over_the_limit_still_sees_whom_they_are_signed_in_as(reader):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    request.user = reader

    html = ratelimits.too_many(request, 30, "flags").content.decode()

    assert "Signed in as <strong>reader</strong>" in html


# Whom a limit counts.


def test_a_configured_proxy_header_missing_from_the_request_falls_back_to_the_peer(settings):
    settings.CALLIN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")

    assert ratelimits.client_ip(request) == "198.51.100.7"


def test_without_a_proxy_header_setting_the_peer_address_counts(settings):
    del settings.CALLIN_CLIENT_IP_HEADER  # a settings module that never names a proxy header
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")

    assert ratelimits.client_ip(request) == "198.51.100.7"


def test_a_request_without_any_address_counts_as_unknown():
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]

    assert ratelimits.client_ip(request) == "unknown"
    assert ratelimits.ip_key("login_ip", request) == "ip:unknown"


@pytest.mark.parametrize(
    ("username", "counted"),
    [("  Alice ", "alice"), ("", ""), ("b" * 200, "b" * 150)],
)
def test_sign_in_attempts_count_per_address_and_username_as_typed(username, counted):
    request = RequestFactory().post("/", {"username": username}, REMOTE_ADDR="198.51.100.7")

    assert ratelimits.login_key("login", request) == f"ip:198.51.100.7|user:{counted}"


def test_sign_in_attempts_without_a_username_count_per_address():
    request = RequestFactory().post("/", {}, REMOTE_ADDR="198.51.100.7")

    assert ratelimits.login_key("login", request) == "ip:198.51.100.7|user:"


def test_a_signed_in_person_is_counted_by_account_and_anyone_else_by_address(reader):
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")
    assert ratelimits.user_key("flag", request) == "ip:198.51.100.7"

    request.user = AnonymousUser()
    assert ratelimits.user_key("flag", request) == "ip:198.51.100.7"

    request.user = reader
    assert ratelimits.user_key("flag", request) == f"user:{reader.pk}"
