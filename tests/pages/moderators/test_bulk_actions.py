"""Bulk actions on the queue: /moderation/bulk/ claims, resolves or hides the selected cases,
each in its own transaction, with one event per case and the single-case rules."""

import re

import pytest

from moderation import workflow
from moderation.models import Case, FlaggerRecord, ModerationEvent
from tests.helpers import bulk_cases, bulk_comments, client_for, flashes, make_comment, make_user
from threads.models import Comment

URL = "/moderation/bulk/"

# Pinned: session, user, user permissions, group permissions, the selected cases (one
# query); then per case, in its own transaction: the comment and the case locked, the
# case saved, the event written with its log chain head (two queries an event), and (for
# resolve and hide) the comment's call-ins and the flags reviewed; hiding also writes the
# author's message and notice, and its space's counts and page version (threads.kept).
BULK_BASE = 5
PER_CASE = {"claim": 7, "resolve": 9, "hide": 15}
# The queue page (see tests/pages/moderators/test_queue.py), with a checkbox and a version per case.
QUEUE_QUERIES = 9


@pytest.fixture
def three_cases(essay, writer):
    """Three open cases on the writer's comments, each flagged "heated" by its own reader."""
    cases = []
    for i in range(3):
        comment = make_comment(essay, body=f"Heated comment {i}.", author=writer)
        _, case = workflow.flag_comment(make_user(f"flagger{i}"), comment, "heated")
        cases.append(case)
    return cases


def selection(cases, **data):
    """The bulk form as the queue posts it: checked cases and every row's version."""
    fresh = {case.pk: Case.objects.get(pk=case.pk) for case in cases}
    return {
        "case": [str(pk) for pk in fresh],
        **{f"v{pk}": str(case.version) for pk, case in fresh.items()},
        **data,
    }


def events(action):
    return list(
        ModerationEvent.objects.filter(action=action)
        .order_by("case_id")
        .values_list("case_id", flat=True)
    )


def test_claiming_many(moderator_client, moderator, three_cases):
    response = moderator_client.post(URL, selection(three_cases, action="claim"), follow=True)

    assert response.redirect_chain == [("/moderation/", 302)]
    assert flashes(response) == ["Done for 3 cases."]
    for case in three_cases:
        assert Case.objects.get(pk=case.pk).claimed_by == moderator
    assert events("case_claimed") == [case.pk for case in three_cases]


def test_resolving_many_logs_one_event_per_case_and_reviews_each_flag(
    moderator_client, three_cases
):
    response = moderator_client.post(
        URL, selection(three_cases, action="resolve", outcome="no_action"), follow=True
    )

    assert flashes(response) == ["Done for 3 cases."]
    for case in three_cases:
        case = Case.objects.get(pk=case.pk)
        assert (case.state, case.outcome) == (Case.State.RESOLVED, Case.Outcome.NO_ACTION)
    assert events("case_resolved") == [case.pk for case in three_cases]
    # Each flagger's track record counts the disagreement once.
    assert list(FlaggerRecord.objects.values_list("disagreed", flat=True)) == [1, 1, 1]


def test_hiding_many_with_a_severe_reason_needs_no_call_in(moderator_client, three_cases):
    response = moderator_client.post(
        URL, selection(three_cases, action="hide", hide_reason="spam"), follow=True
    )

    assert flashes(response) == ["Done for 3 cases."]
    for case in three_cases:
        assert Comment.objects.get(pk=case.comment_id).status == Comment.Status.HIDDEN
    assert events("comment_hidden") == [case.pk for case in three_cases]
    assert events("case_resolved") == [case.pk for case in three_cases]


def test_hiding_follows_the_ladder_case_by_case(moderator_client, moderator, three_cases):
    """Without a severe reason or a written one, only the called-in case may be hidden,
    and even then the author must read why: each refusal names its case."""
    called_in = three_cases[1]
    workflow.call_in(moderator, called_in, "Hello, would you reread this?")

    response = moderator_client.post(
        URL, selection(three_cases, action="hide", hide_reason="other"), follow=True
    )

    first, second, third = (case.pk for case in three_cases)
    assert flashes(response) == [
        f"Case #{first}: This author has not been called in yet. To hide the comment now, "
        "choose a severe reason (spam, an attack, a threat, illegal content), or write why "
        "this case is an exception.",
        f"Case #{second}: Say why the comment is hidden; the author will be told privately.",
        f"Case #{third}: This author has not been called in yet. To hide the comment now, "
        "choose a severe reason (spam, an attack, a threat, illegal content), or write why "
        "this case is an exception.",
    ]
    assert not Comment.objects.filter(status=Comment.Status.HIDDEN).exists()
    assert not events("comment_hidden") and not events("case_resolved")


def test_a_written_reason_makes_the_exception_and_is_logged(moderator_client, three_cases):
    data = selection(three_cases[:1], action="hide", hide_reason="other", reason="Doxxing.")
    assert flashes(moderator_client.post(URL, data, follow=True)) == ["Done for 1 case."]
    event = ModerationEvent.objects.get(action="case_resolved")
    assert event.reason == "Doxxing." and event.after["outcome"] == "hidden"


def test_a_stale_case_is_refused_and_the_others_go_ahead(moderator_client, moderator, three_cases):
    data = selection(three_cases, action="claim")
    stale = three_cases[0]
    workflow.claim(moderator, stale)  # changed since the queue was shown
    workflow.unclaim(moderator, stale)
    claimed = len(events("case_claimed"))

    response = moderator_client.post(URL, data, follow=True)

    [done, refused] = flashes(response)
    assert done == "Done for 2 cases."
    assert refused.startswith(f"Case #{stale.pk}: Another moderator acted on this case")
    assert Case.objects.get(pk=stale.pk).claimed_by is None
    assert len(events("case_claimed")) == claimed + 2


def test_a_resolved_case_in_the_selection_is_refused(moderator_client, moderator, three_cases):
    done = three_cases[2]
    workflow.resolve(moderator, done, "no_action")
    response = moderator_client.post(
        URL, selection(three_cases, action="resolve", outcome="deescalated"), follow=True
    )
    messages = flashes(response)
    assert messages[0] == "Done for 2 cases."
    assert messages[1] == (
        f"Case #{done.pk}: This case is now “Resolved”, so that action no longer applies."
    )
    assert Case.objects.get(pk=done.pk).outcome == "no_action"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "delete"}, "Choose an action."),
        ({"action": "resolve", "outcome": ""}, "Choose an outcome."),
        (
            {"action": "hide", "hide_reason": "boring"},
            "Choose one of the listed reasons for hiding.",
        ),
    ],
)
def test_an_unknown_choice_is_refused_for_each_case(moderator_client, three_cases, data, message):
    before = list(Case.objects.order_by("pk").values_list("version", flat=True))
    response = moderator_client.post(URL, selection(three_cases, **data), follow=True)
    assert flashes(response) == [f"Case #{case.pk}: {message}" for case in three_cases]
    assert list(Case.objects.order_by("pk").values_list("version", flat=True)) == before


@pytest.mark.parametrize(
    "data",
    [{"action": "claim"}, {"action": "claim", "case": ["x", ""]}, {"action": "claim", "case": "5"}],
)
def test_nothing_selected(moderator_client, three_cases, data):
    response = moderator_client.post(URL, data, follow=True)
    assert response.redirect_chain == [("/moderation/", 302)]
    assert flashes(response) == ["Select at least one case."]
    assert not events("case_claimed")


def test_a_missing_case_is_named(moderator_client, three_cases):
    response = moderator_client.post(
        URL, {"case": "999999", "v999999": "1", "action": "claim"}, follow=True
    )
    assert flashes(response) == ["Case #999999: No such case."]


def test_it_returns_to_the_filtered_queue_but_never_off_the_site(moderator_client, three_cases):
    back = "/moderation/?essay=essay&state=open"
    response = moderator_client.post(URL, selection(three_cases[:1], action="claim", next=back))
    assert response["Location"] == back
    for away in ["https://evil.example/", "//evil.example/moderation/"]:
        response = moderator_client.post(
            URL, selection(three_cases[1:2], action="claim", next=away)
        )
        assert response["Location"] == "/moderation/", away


def test_readers_and_organizers_cannot_use_it(reader, organizer, three_cases):
    for user in (reader, organizer):
        response = client_for(user).post(
            URL, selection(three_cases, action="hide", hide_reason="spam")
        )
        assert response.status_code == 403
    assert not Comment.objects.filter(status=Comment.Status.HIDDEN).exists()
    assert not events("case_claimed") and not events("case_resolved")


def test_get_is_not_allowed(moderator_client):
    assert moderator_client.get(URL).status_code == 405


# --- query counts ------------------------------------------------------------------------------


def test_the_queue_offers_every_listed_case_for_selection_at_a_fixed_cost(
    moderator_client, essay, django_assert_max_num_queries
):
    bulk_cases(bulk_comments(essay, 120))
    with django_assert_max_num_queries(QUEUE_QUERIES):
        html = moderator_client.get("/moderation/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="case" value="(\d+)"', html)
    versions = re.findall(r'<input type="hidden" name="v(\d+)" value="1"', html)
    assert len(boxes) == 50 and boxes == versions


@pytest.mark.parametrize("action", ["claim", "resolve", "hide"])
@pytest.mark.parametrize("size", [1, 20])
def test_a_bulk_action_costs_a_fixed_number_of_queries_per_case(
    moderator_client, essay, django_assert_max_num_queries, action, size
):
    cases = bulk_cases(bulk_comments(essay, size))
    data = selection(cases, action=action, outcome="no_action", hide_reason="spam")
    with django_assert_max_num_queries(BULK_BASE + PER_CASE[action] * size):
        assert moderator_client.post(URL, data).status_code == 302
    assert len(events("case_claimed" if action == "claim" else "case_resolved")) == size
