"""One action on many cases (workflow.bulk), called directly: each case gets its own events
naming the moderator and the reason, a case someone changed meanwhile is refused and
the others go through (gaps found by `make mutate`)."""

import pytest

from moderation import workflow
from moderation.models import Case
from tests.helpers import fresh, last_event, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(space, author, flagger):
    cases = []
    for n in range(2):
        comment = make_comment(space, author=author, body=f"Comment {n}.")
        cases.append(workflow.flag_comment(flagger, comment, "heated")[1])
    return cases


def seen(*cases):
    return {case.pk: fresh(case).version for case in cases}


def test_resolving_many_cases_names_the_moderator_and_the_reason(moderator, two_cases):
    done, refused = workflow.bulk(
        moderator, seen(*two_cases), "resolve", "no_action", reason="Fine as written."
    )

    assert (sorted(done), refused) == (sorted(c.pk for c in two_cases), {})
    for case in two_cases:
        event = last_event("case_resolved", case=case)
        assert (event.actor, event.reason) == (moderator, "Fine as written.")
        assert fresh(case).state == Case.State.RESOLVED


def test_resolving_without_a_reason_writes_none(moderator, two_cases):
    workflow.bulk(moderator, seen(two_cases[0]), "resolve", "no_action")

    assert last_event("case_resolved").reason == ""


def test_hiding_many_cases_names_the_moderator(moderator, two_cases):
    done, refused = workflow.bulk(moderator, seen(*two_cases), "hide", hide_reason="spam")

    assert (len(done), refused) == (2, {})
    for case in two_cases:
        assert last_event("comment_hidden", case=case).actor == moderator


@pytest.mark.parametrize(
    ("action", "options"),
    [("resolve", {"outcome": "no_action"}), ("hide", {"hide_reason": "spam"})],
)
def test_a_case_changed_meanwhile_is_refused_and_the_others_go_through(
    moderator, second_moderator, two_cases, action, options
):
    stale, current = two_cases
    versions = seen(stale, current)
    workflow.claim(second_moderator, stale)

    done, refused = workflow.bulk(moderator, versions, action, **options)

    assert done == [current.pk]
    assert list(refused) == [stale.pk]
    assert "Another moderator acted on this case" in refused[stale.pk]
    assert fresh(stale).state == Case.State.OPEN


def test_an_unknown_case_and_an_unknown_action_are_refused(moderator, two_cases):
    done, refused = workflow.bulk(moderator, {10**9: 1}, "resolve", "no_action")
    assert (done, refused) == ([], {10**9: "No such case."})

    done, refused = workflow.bulk(moderator, seen(two_cases[0]), "shout")
    assert (done, refused) == ([], {two_cases[0].pk: "Choose an action."})
