"""The moderation queue: /moderation/."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation import workflow
from moderation.models import Case
from moderation.pages.moderators import QUEUE_PAGE_SIZE
from tests.helpers import (
    bulk_cases,
    bulk_comments,
    client_for,
    flashes,
    make_comment,
    make_user,
    page_scripts,
)
from threads.models import Essay

# Pinned: session, user, user permissions, group permissions, the unread count of the
# navigation, the spaces for the filter, the last event's id (the live rows' ETag), count,
# one page of cases (comment, essay and claimant joined; call-in and answer annotated).
QUEUE_QUERIES = 9

CASE_LINK = re.compile(r'<td><a href="/moderation/cases/(\d+)/">#\d+</a>')


def listed(response):
    assert response.status_code == 200
    return [int(pk) for pk in CASE_LINK.findall(response.content.decode())]


@pytest.fixture
def flag_at():
    """Flag a new comment with ``reasons`` (one reader each); the case opened ``ago``."""
    readers = iter(make_user(f"flagger{i}") for i in range(100))
    author = make_user("commenter")

    def flag(essay, reasons, ago):
        comment = make_comment(essay, body=f"Comment flagged {reasons}.", author=author)
        for reason in reasons:
            _, case = workflow.flag_comment(next(readers), comment, reason)
        case = Case.objects.get(pk=case.pk)
        case.opened_at = timezone.now() - ago
        case.set_weight(case.weight)
        case.save()
        return case

    return flag


def test_most_urgent_first(moderator, essay, flag_at):
    hour = timedelta(hours=1)
    heated_old = flag_at(essay, ["heated"], 3 * hour)
    heated_older = flag_at(essay, ["heated"], 4 * hour)
    harmful_new = flag_at(essay, ["harmful"], 1 * hour)
    context_new = flag_at(essay, ["needs_context"], 0 * hour)
    two_heated = flag_at(essay, ["heated", "heated"], 2 * hour)
    response = client_for(moderator).get("/moderation/")
    # urgency = opened - 2h per point: harmful(5) 1h ago sorts before heated(3) 4h ago,
    # two heated flags (6) 2h ago before both; equal weight: the older first.
    assert listed(response) == [
        two_heated.pk,
        harmful_new.pk,
        heated_older.pk,
        heated_old.pk,
        context_new.pk,
    ]
    html = response.content.decode()
    assert "5 open cases, most urgent first." in html
    assert '<span class="badge">Heated (likely to escalate) ×2</span>' in html


def test_case_without_flags_waits_its_turn(moderator, essay, flag_at):
    heated = flag_at(essay, ["heated"], timedelta(minutes=5))
    opened, _ = workflow.open_case(moderator, make_comment(essay, body="Unflagged."))
    assert listed(client_for(moderator).get("/moderation/")) == [heated.pk, opened.pk]


def test_resolved_cases_are_not_listed(moderator, essay, flag_at):
    kept = flag_at(essay, ["heated"], timedelta(0))
    done = flag_at(essay, ["harmful"], timedelta(0))
    workflow.resolve(moderator, done, "no_action")
    client = client_for(moderator)
    assert listed(client.get("/moderation/")) == [kept.pk]
    # Not even when asked for: the queue is of open cases.
    assert listed(client.get("/moderation/?state=resolved")) == [kept.pk]
    assert "1 open case," in client.get("/moderation/").content.decode()


def test_empty_queue(moderator, db):
    response = client_for(moderator).get("/moderation/")
    assert listed(response) == []
    assert "No open cases. The discussion is calm." in response.content.decode()


@pytest.fixture
def mixed(moderator, essay, flag_at):
    """Cases in two spaces, with different reasons, states and claimants.

    Urgency (opened - 2h per point of weight): harmful (8 points), other_space (4),
    theirs and heated (3; theirs is older), waiting (1).
    """
    other_space = Essay.objects.create(slug="other", title="Other space")
    minute = timedelta(minutes=1)
    cases = {
        "heated": flag_at(essay, ["heated"], 1 * minute),
        "harmful": flag_at(essay, ["heated", "harmful"], 2 * minute),
        "other_space": flag_at(other_space, ["spam"], 3 * minute),
        "waiting": flag_at(essay, ["off_topic"], 4 * minute),
        "theirs": flag_at(other_space, ["heated"], 5 * minute),
    }
    workflow.call_in(moderator, cases["waiting"], "Hello, would you reread it?")
    workflow.claim(moderator, cases["heated"])
    workflow.claim(make_user("othermod", "moderators"), cases["theirs"])
    return cases


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["harmful", "other_space", "theirs", "heated", "waiting"]),
        ("essay=other", ["other_space", "theirs"]),
        ("essay=essay", ["harmful", "heated", "waiting"]),
        ("reason=heated", ["harmful", "theirs", "heated"]),
        ("reason=harmful", ["harmful"]),
        ("reason=misinformation", []),
        ("state=waiting", ["waiting"]),
        ("state=open", ["harmful", "other_space", "theirs", "heated"]),
        ("state=bogus", ["harmful", "other_space", "theirs", "heated", "waiting"]),
        ("state=resolved", ["harmful", "other_space", "theirs", "heated", "waiting"]),
        ("mine=1", ["heated", "waiting"]),  # a call-in claims the case for its sender
        ("mine=1&state=waiting", ["waiting"]),
        ("essay=other&reason=heated", ["theirs"]),
        ("essay=nowhere", []),
    ],
)
def test_filters(moderator, mixed, query, expected):
    response = client_for(moderator).get(f"/moderation/?{query}")
    assert listed(response) == [mixed[name].pk for name in expected]


def test_filters_stay_selected(moderator, mixed):
    html = client_for(moderator).get("/moderation/?essay=other&reason=spam&mine=1")
    html = html.content.decode()
    assert '<option value="other" selected>' in html
    assert '<option value="spam" selected>' in html
    assert 'name="mine" value="1" checked' in html


def test_pages_of_fifty(
    moderator,
    essay,
):
    assert QUEUE_PAGE_SIZE == 50
    # The i-th case opened i minutes ago (equal weight): the last is the most urgent.
    cases = bulk_cases(bulk_comments(essay, 55))
    expected = [case.pk for case in reversed(cases)]
    client = client_for(moderator)
    first = client.get("/moderation/")
    assert listed(first) == expected[:50]
    assert "55 open cases" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    assert listed(client.get("/moderation/?page=2")) == expected[50:]
    # Out of range or not a number: Paginator.get_page shows the last or first page.
    assert listed(client.get("/moderation/?page=99")) == expected[50:]
    assert listed(client.get("/moderation/?page=x")) == expected[:50]


def test_page_links_keep_the_filters(
    moderator,
    essay,
):
    bulk_cases(bulk_comments(essay, 51))
    html = client_for(moderator).get("/moderation/?essay=essay").content.decode()
    assert 'href="?essay=essay&amp;page=2"' in html


def queue_queries(client, url="/moderation/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_queue(
    moderator,
    essay,
    django_assert_max_num_queries,
):
    client = client_for(moderator)
    bulk_cases(bulk_comments(essay, 10), claimed_by=moderator)
    small = queue_queries(client)
    # 1,000 more, in other spaces, claimed by other moderators.
    for i in range(4):
        space = Essay.objects.create(slug=f"space-{i}", title=f"Space {i}")
        claimant = make_user(f"claimant{i}", "moderators")
        bulk_cases(bulk_comments(space, 250), claimed_by=claimant)
    assert Case.objects.count() == 1010
    large = queue_queries(client)
    assert small == large == QUEUE_QUERIES
    with django_assert_max_num_queries(QUEUE_QUERIES):
        assert len(listed(client.get("/moderation/?page=7"))) == 50
    with django_assert_max_num_queries(QUEUE_QUERIES):
        client.get("/moderation/?essay=space-1&reason=heated&state=open&mine=1")


# --- acting in place and keyboard shortcuts -----------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_page_loads_the_vendored_htmx_and_the_shortcuts(moderator):
    response = client_for(moderator).get("/moderation/")
    config = page_scripts(response)
    assert config["includeIndicatorStyles"] is False and config["allowEval"] is False
    html = response.content.decode()
    assert '<dialog id="keys-help"' in html and 'id="keys-help-open"' in html


def test_rows_carry_the_case_url_for_the_shortcuts(moderator, essay, flag_at):
    cases = [flag_at(essay, ["heated"], timedelta(hours=i)) for i in (2, 1)]
    html = client_for(moderator).get("/moderation/").content.decode()
    rows = re.findall(
        r'<tr data-case-url="([^"]+)"[^>]*>\s*<td>.*?<td><a href="([^"]+)">', html, re.S
    )
    assert rows == [(f"/moderation/cases/{c.pk}/",) * 2 for c in cases]


def test_htmx_request_gets_only_the_part_it_swaps(
    moderator, essay, flag_at, django_assert_max_num_queries
):
    case = flag_at(essay, ["heated"], timedelta(hours=1))
    client = client_for(moderator)
    # The page's queries less the navigation's unread count and the spaces for the filters.
    with django_assert_max_num_queries(QUEUE_QUERIES - 2):
        response = client.get("/moderation/?state=open", **HTMX)
    html = response.content.decode()
    assert "<html" not in html and "Filter the queue" not in html
    assert re.match(
        r'\s*<div id="queue-page" hx-target="this" hx-swap="outerHTML settle:0ms"', html
    )
    assert listed(response) == [case.pk]
    assert "HX-Request" in response["Vary"]  # a cached part never stands in for the page


def bulk_claim(client, cases, **headers):
    data = {"case": [c.pk for c in cases], "action": "claim", "next": "/moderation/?state=open"}
    data.update({f"v{c.pk}": c.version for c in cases})
    return client.post("/moderation/bulk/", data, follow=True, **headers)


def test_bulk_form_acts_in_place(moderator, essay, flag_at):
    cases = [flag_at(essay, ["heated"], timedelta(hours=i)) for i in (2, 1)]
    client = client_for(moderator)
    html = client.get("/moderation/").content.decode()
    assert 'action="/moderation/bulk/" hx-post="/moderation/bulk/" id="bulk-form"' in html
    # htmx follows the redirect with its header: the queue answers with its part.
    response = bulk_claim(client, cases, **HTMX)
    assert response.redirect_chain == [("/moderation/?state=open", 302)]
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="queue-page"')
    assert flashes(response) == ["Done for 2 cases."]
    assert {c.claimed_by for c in Case.objects.all()} == {moderator}
    assert html.count('<td class="on-it"><strong>You</strong> are on it</td>') == 2


def test_bulk_form_without_javascript_redirects_to_the_whole_page(moderator, essay, flag_at):
    cases = [flag_at(essay, ["heated"], timedelta(hours=1))]
    response = bulk_claim(client_for(moderator), cases)
    assert response.redirect_chain == [("/moderation/?state=open", 302)]
    assert "<html" in response.content.decode()
    assert flashes(response) == ["Done for 1 case."]
