"""The moderation event log page: /moderation/log/."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation import workflow
from moderation.models import ModerationEvent
from moderation.pages.moderators import LOG_PAGE_SIZE
from tests.helpers import client_for, flashes, make_user
from threads.models import Essay

# Pinned: session, user, user permissions, group permissions, the unread count of the
# navigation, count, one page of events (with actor, essay and case joined), and the
# filters' choices of people and spaces.
LOG_QUERIES = 9

ROW_REASON = re.compile(r"<td[^>]*>(event-\d+)</td>")


def reasons_on(response):
    return ROW_REASON.findall(response.content.decode())


@pytest.fixture
def log_events(moderator, flagged_case, essay):
    """Six events at known times (one a minute), by two moderators, on two spaces."""
    other_space = Essay.objects.create(slug="other", title="Other")
    second = make_user("secondmod", "moderators")
    start = timezone.now() + timedelta(hours=1)
    rows = [
        (moderator, "case_claimed", flagged_case, essay),
        (second, "message_sent", flagged_case, essay),
        (moderator, "slow_mode_set", None, other_space),
        (second, "case_claimed", None, other_space),
        (moderator, "case_resolved", flagged_case, essay),
        (None, "case_opened", None, other_space),
    ]
    return ModerationEvent.objects.bulk_create(
        ModerationEvent(
            actor=actor,
            action=action,
            case=case,
            comment_id=case.comment_id if case else None,
            essay=space,
            reason=f"event-{i}",
            created=start + timedelta(minutes=i),
        )
        for i, (actor, action, case, space) in enumerate(rows)
    )


def actions_on(response):
    """What each row of the log table says happened, tags dropped, top to bottom."""
    html = response.content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = body.split("<tr>")[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1] for row in rows]
    return [re.sub(r"<[^>]+>", "", cell) for cell in cells]


def test_lists_events_newest_first(moderator, log_events):
    response = client_for(moderator).get("/moderation/log/")
    assert response.status_code == 200
    assert reasons_on(response) == [f"event-{i}" for i in (5, 4, 3, 2, 1, 0)]
    # The flag's own events happened before these, so they come last.
    case = f"case #{log_events[0].case_id}, comment {log_events[0].comment_id}"
    assert actions_on(response) == [
        "callin opened the case, in “Other”.",
        f"mod resolved the case: {case}, in “An essay”.",
        "secondmod took the case, in “Other”.",
        "mod set slow mode for the space, in “Other”.",
        f"secondmod wrote to the author: {case}, in “An essay”.",
        f"mod took the case: {case}, in “An essay”.",
        f"reader flagged the comment: {case}, in “An essay”.",
        f"reader opened the case: {case}, in “An essay”.",
    ]


def test_events_at_the_same_moment_are_newest_id_first(moderator, essay):
    at = timezone.now()
    ModerationEvent.objects.bulk_create(
        ModerationEvent(action="x", essay=essay, reason=f"event-{i}", created=at) for i in range(3)
    )
    response = client_for(moderator).get("/moderation/log/")
    assert reasons_on(response) == ["event-2", "event-1", "event-0"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("action=case_claimed", [3, 0]),
        ("actor=secondmod", [3, 1]),
        ("essay=other", [5, 3, 2]),
        ("action=case_claimed&essay=essay", [0]),
        ("actor=nobody", []),
    ],
)
def test_filters(moderator, log_events, query, expected):
    response = client_for(moderator).get(f"/moderation/log/?{query}")
    assert reasons_on(response) == [f"event-{i}" for i in expected]
    if not expected:
        assert "No events match." in response.content.decode()


def test_filter_by_case(moderator, flagged_case, log_events):
    response = client_for(moderator).get(f"/moderation/log/?case={flagged_case.pk}")
    assert reasons_on(response) == ["event-4", "event-1", "event-0"]
    html = response.content.decode()
    # ... and the case's own events from flagging it.
    assert "flagged the comment" in html
    assert f'value="{flagged_case.pk}"' in html  # the filter is kept in the form


def test_non_numeric_case_filter_is_refused_and_the_log_shown_whole(moderator, log_events):
    response = client_for(moderator).get("/moderation/log/?case=abc")
    assert response.status_code == 400
    assert flashes(response) == ["Case: No such case."]
    assert len(reasons_on(response)) == 6


def test_event_shows_who_what_and_the_change(moderator, flagged_case):
    workflow.claim(moderator, flagged_case)
    html = client_for(moderator).get("/moderation/log/?action=case_claimed").content.decode()
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "<strong>mod</strong> took the case" in row
    assert f'href="/moderation/cases/{flagged_case.pk}/"' in row
    assert "in “An essay”" in row
    assert "On it: <del>nobody</del> → <ins>mod</ins>" in row
    assert "claimed_by" not in row


def test_pages_of_events(moderator, essay):
    start = timezone.now()
    ModerationEvent.objects.bulk_create(
        ModerationEvent(
            action="x", essay=essay, reason=f"event-{i}", created=start + timedelta(seconds=i)
        )
        for i in range(LOG_PAGE_SIZE + 5)
    )
    client = client_for(moderator)
    first = reasons_on(client.get("/moderation/log/?action=x"))
    second = reasons_on(client.get("/moderation/log/?action=x&page=2"))
    assert len(first) == LOG_PAGE_SIZE
    assert first[0] == f"event-{LOG_PAGE_SIZE + 4}"
    assert second == [f"event-{i}" for i in range(4, -1, -1)]


@pytest.mark.parametrize("who, status", [("reader", 403), ("organizer", 403), ("moderator", 200)])
def test_who_can_read_the_log(db, request, who, status):
    response = client_for(request.getfixturevalue(who)).get("/moderation/log/")
    assert response.status_code == status


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get("/moderation/log/")
    assert response["Location"] == "/accounts/login/?next=/moderation/log/"


def add_events(n, essay, actor, case):
    start = timezone.now()
    ModerationEvent.objects.bulk_create(
        ModerationEvent(
            action="bulk",
            actor=actor,
            case=case,
            comment_id=case.comment_id,
            essay=essay,
            before={"i": i - 1},
            after={"i": i},
            created=start + timedelta(seconds=i),
        )
        for i in range(n)
    )


def log_queries(client, url="/moderation/log/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_log(
    moderator, flagged_case, essay, django_assert_max_num_queries
):
    client = client_for(moderator)
    add_events(10, essay, moderator, flagged_case)
    small = log_queries(client)
    # Many more events, by many actors (each joined, not fetched one by one).
    for i in range(5):
        add_events(98, essay, make_user(f"mod{i}", "moderators"), flagged_case)
    assert ModerationEvent.objects.count() > 500
    large = log_queries(client)
    assert small == large == LOG_QUERIES
    with django_assert_max_num_queries(LOG_QUERIES):
        client.get("/moderation/log/?page=3")
    with django_assert_max_num_queries(LOG_QUERIES):
        client.get(f"/moderation/log/?case={flagged_case.pk}&actor=mod1&essay=essay")
