"""The queue at scale: a bounded count, fixed queries, and the priority index in the plan."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.synthetic import open_cases
from moderation import queries
from moderation.models import Case
from moderation.pages import moderators
from tests.helpers import client_for
from tests.threadbuilder import build_thread

CASE_LINK = re.compile(r'<a href="/moderation/cases/(\d+)/">#\d+</a>')


@pytest.fixture
def comments(essay):
    return build_thread(essay, 60)


def queue_page(client, url="/moderation/"):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


def test_count_stops_at_the_cap(moderator, comments, monkeypatch):
    monkeypatch.setattr(queries.CappedPaginator, "cap", 5)
    monkeypatch.setattr(moderators, "QUEUE_PAGE_SIZE", 2)
    open_cases(8)
    client = client_for(moderator)
    response, _ = queue_page(client)
    html = response.content.decode()
    assert "5+ open cases" in html
    urgent = list(Case.objects.order_by("urgency", "id").values_list("pk", flat=True))
    assert [int(pk) for pk in CASE_LINK.findall(html)] == urgent[:2]
    assert response.context["page"].paginator.num_pages == 3


def test_below_the_cap_the_count_is_exact(moderator, comments):
    open_cases(7)
    response, _ = queue_page(client_for(moderator))
    assert "7 open cases" in response.content.decode()
    assert not response.context["page"].paginator.capped


def test_queries_do_not_grow_with_the_queue(moderator, comments):
    client = client_for(moderator)
    open_cases(3)
    _, few = queue_page(client)
    open_cases(57)
    response, many = queue_page(client)
    assert few == many
    assert len(CASE_LINK.findall(response.content.decode())) == moderators.QUEUE_PAGE_SIZE


def test_the_queue_is_read_through_its_priority_index(db):
    """The planner can serve "open cases, most urgent first" from the partial index."""
    page = queries.queue()[: moderators.QUEUE_PAGE_SIZE]
    if connection.vendor == "postgresql":
        # With a handful of rows any plan is cheap; make the planner show the index it can use.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
    assert "open_case_queue" in page.explain()
