"""Live for several moderators (issue 14, point 5): the queue's rows and an open case page
poll a small part with its ETag; 304 (from one query) while nothing changed, the new
state as soon as another moderator flags, claims or acts."""

import json
import re
from html import unescape

import pytest
import time_machine

from moderation import workflow
from tests.helpers import T0, client_for, make_comment

HTMX = {"HTTP_HX_REQUEST": "true"}
# Pinned: session, user, user permissions, group permissions, the last event's id.
NOT_MODIFIED_QUERIES = 5
# The queue's rows: the above, the count and one page of cases (the queue page less the
# navigation's unread count and the spaces of its filters).
QUEUE_ROWS_QUERIES = 7
# The case's live part: the above, the case with its claimant, its events since the page
# was drawn, the cases opened since.
CASE_LIVE_QUERIES = 8


@pytest.fixture(autouse=True)
def frozen():
    """One minute throughout (the ETag carries the minute, so "3 minutes ago" moves on)."""
    with time_machine.travel(T0, tick=False):
        yield


def polled(html, element_id):
    """(URL, If-None-Match) of the element that polls, as the page gives them to htmx."""
    tag = re.search(rf'<[a-z]+ id="{element_id}"[^>]*>', html).group(0)
    url = unescape(re.search(r'hx-get="([^"]+)"', tag).group(1))
    headers = json.loads(unescape(re.search(r'hx-headers="([^"]+)"', tag).group(1)))
    assert 'hx-trigger="every 3s"' in tag
    return url, headers["If-None-Match"]


def poll(client, url, etag):
    return client.get(url, HTTP_IF_NONE_MATCH=etag, **HTMX)


# --- the queue ---------------------------------------------------------------------------


def test_the_queue_answers_304_while_nothing_changed(
    moderator, flagged_case, django_assert_max_num_queries
):
    client = client_for(moderator)
    url, etag = polled(client.get("/moderation/?state=open").content.decode(), "queue-live")
    assert url == "/moderation/live/?state=open"
    with django_assert_max_num_queries(NOT_MODIFIED_QUERIES):
        response = poll(client, url, etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_queue_shows_another_moderators_claim_and_new_cases(
    moderator,
    second_moderator,
    flagged_case,
    essay,
    writer,
    flagger,
    django_assert_max_num_queries,
):
    client = client_for(moderator)
    url, etag = polled(client.get("/moderation/").content.decode(), "queue-live")
    workflow.claim(second_moderator, flagged_case)
    _, new_case = workflow.flag_comment(flagger, make_comment(essay, author=writer), "spam")
    with django_assert_max_num_queries(QUEUE_ROWS_QUERIES):
        response = poll(client, url, etag)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="queue-live"')
    assert "<strong>mod2</strong> is on it" in html
    assert f'data-case-id="{new_case.pk}"' in html
    assert "2 open cases" in html
    # The new part polls with its own, new ETag; asking with it again is a 304.
    _, new_etag = polled(html, "queue-live")
    assert new_etag != etag and response["ETag"] == new_etag
    assert poll(client, url, new_etag).status_code == 304


def test_each_moderator_has_their_own_etag(moderator, second_moderator, flagged_case):
    _, mine = polled(client_for(moderator).get("/moderation/").content.decode(), "queue-live")
    other = client_for(second_moderator)
    # The rows say "you" to the moderator on a case: another's copy is not theirs.
    assert poll(other, "/moderation/live/", mine).status_code == 200


def test_readers_cannot_poll_the_queue(reader, flagged_case):
    assert client_for(reader).get("/moderation/live/").status_code == 403
    assert client_for().get("/moderation/live/").status_code == 302  # to sign in


# --- an open case page -------------------------------------------------------------------


def test_the_case_page_answers_304_while_nothing_changed(
    moderator, flagged_case, django_assert_max_num_queries
):
    client = client_for(moderator)
    html = client.get(f"/moderation/cases/{flagged_case.pk}/").content.decode()
    url, etag = polled(html, "case-live")
    assert url.startswith(f"/moderation/cases/{flagged_case.pk}/live/?since=")
    assert "Nobody has claimed this case." in html
    with django_assert_max_num_queries(NOT_MODIFIED_QUERIES):
        response = poll(client, url, etag)
    assert response.status_code == 304


def test_the_case_page_says_who_claimed_it_and_what_they_did(
    moderator,
    second_moderator,
    flagged_case,
    essay,
    writer,
    flagger,
    django_assert_max_num_queries,
):
    client = client_for(moderator)
    url, etag = polled(
        client.get(f"/moderation/cases/{flagged_case.pk}/").content.decode(), "case-live"
    )
    workflow.claim(second_moderator, flagged_case)
    workflow.annotate(
        second_moderator, flagged_case.comment, "comment_note", "Looking.", case=flagged_case
    )
    workflow.flag_comment(flagger, make_comment(essay, author=writer), "heated")
    with django_assert_max_num_queries(CASE_LIVE_QUERIES):
        response = poll(client, url, etag)
    assert response.status_code == 200
    html = unescape(re.sub(r"\s+", " ", response.content.decode()))
    assert html.lstrip().startswith('<div id="case-live"')
    assert "<strong>mod2</strong> is on this case." in html
    assert "Since this page was drawn: <strong>mod2</strong> took the case;" in html
    assert "1 new case in the queue" in html
    assert 'href="/moderation/cases/' in html and "Show the case as it is now" in html
    # The same `since`: the part keeps listing what changed since the page was drawn.
    new_url, new_etag = polled(response.content.decode(), "case-live")
    assert new_url == url and poll(client, url, new_etag).status_code == 304


def test_the_case_page_says_you_are_on_it(moderator, flagged_case):
    workflow.claim(moderator, flagged_case)
    html = client_for(moderator).get(f"/moderation/cases/{flagged_case.pk}/").content.decode()
    assert "<strong>You</strong> are on this case." in html


@pytest.mark.parametrize("since", ["99999999999999999999999", "%C2%B2"])  # too long; "²"
def test_a_bad_since_reads_as_the_start(moderator, flagged_case, since):
    """ "²" is a digit to ``str.isdigit`` but no number to ``int``: once a server error."""
    url = f"/moderation/cases/{flagged_case.pk}/live/?since={since}"
    response = client_for(moderator).get(url, **HTMX)
    assert response.status_code == 200
    assert "flagged the comment" in unescape(response.content.decode())


def test_readers_cannot_poll_a_case(reader, flagged_case):
    assert client_for(reader).get(f"/moderation/cases/{flagged_case.pk}/live/").status_code == 403
