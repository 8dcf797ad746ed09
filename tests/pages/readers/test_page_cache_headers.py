"""The readers' pages as a cache sees them: an ETag and 304 for anonymous readers, a
cached copy read with one query, and signed-in pages never kept by a shared cache."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from moderation import workflow
from tests.helpers import client_for, make_comment

# The page's version (one indexed query), then the cached copy.
CACHED_QUERIES = 1
FOLD = b"This part of the conversation is resting"


@pytest.fixture
def thread(essay):
    make_comment(essay, body="Something to read.")
    return essay


@pytest.mark.parametrize("path", ["/essays/essay/", "/essays/essay/?page=1", "/"])
def test_anonymous_pages_carry_an_etag_and_a_public_cache_control(client, thread, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert response["Vary"] == "Cookie"


@pytest.mark.parametrize("path", ["/essays/essay/", "/"])
def test_a_matching_etag_gets_304_without_the_page(client, thread, path):
    etag = client.get(path)["ETag"]
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_the_etag_changes_with_the_page(client, thread):
    etag = client.get("/essays/essay/")["ETag"]
    make_comment(thread, body="A new reply.")
    response = client.get("/essays/essay/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"A new reply." in response.content


def test_a_cached_page_costs_one_query(client, thread, django_assert_max_num_queries):
    first = client.get("/essays/essay/")
    with django_assert_max_num_queries(CACHED_QUERIES):
        again = client.get("/essays/essay/")
    assert again.content == first.content
    client.get("/")
    with django_assert_max_num_queries(CACHED_QUERIES):
        assert client.get("/").status_code == 200


def test_max_age_follows_the_setting(client, thread, settings):
    settings.CALLIN_PUBLIC_MAX_AGE = 30
    assert client.get("/essays/essay/")["Cache-Control"] == "public, max-age=30"


def test_signed_in_pages_are_private_and_not_cached(thread, reader):
    client = client_for(reader)
    response = client.get("/essays/essay/")
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert "ETag" not in response
    assert b"Signed in as <strong>reader</strong>" in response.content


def test_a_signed_in_reader_never_gets_the_anonymous_copy(client, thread, reader):
    client.get("/essays/essay/")  # cached for anonymous readers
    page = client_for(reader).get("/essays/essay/").content
    assert b"Post comment" in page and b"Sign in</a> to join" not in page


def test_other_query_strings_are_rendered_not_stored(client, thread):
    response = client.get("/essays/essay/?page=1&x=<b>")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_an_unknown_space_is_404(client, db):
    assert client.get("/essays/nothing-here/").status_code == 404


def test_a_cached_page_ends_when_its_fold_ends(client, thread, moderator):
    """A fold with an end: the cached copy expires then, though no one writes."""
    comment = thread.comments.get()
    make_comment(thread, body="Under it.", parent=comment)
    workflow.collapse(moderator, comment, timedelta(minutes=10))
    assert FOLD in client.get("/essays/essay/").content
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert FOLD not in client.get("/essays/essay/").content
