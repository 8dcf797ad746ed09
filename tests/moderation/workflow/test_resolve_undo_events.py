"""Who and why, on every event that resolving and undoing write: each names the moderator
who acted and says why, the undo's own events included (gaps found by `make mutate`)."""

import pytest

from moderation import workflow
from moderation.models import Case, ModerationEvent
from tests.helpers import fresh

pytestmark = pytest.mark.django_db


def written_since(first_id):
    """(action, actor, reason) of each event logged after ``first_id``, oldest first."""
    events = ModerationEvent.objects.filter(id__gt=first_id).order_by("id")
    return [(e.action, e.actor, e.reason) for e in events]


def last_id():
    return ModerationEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_resolving_by_hiding_then_undoing_names_each_moderator_and_reason(
    moderator, second_moderator, called_in_case
):
    start = last_id()
    workflow.resolve(moderator, called_in_case, Case.Outcome.HIDDEN, "A personal attack.")
    resolved = last_id()

    assert written_since(start) == [
        ("comment_hidden", moderator, "A personal attack."),
        ("case_resolved", moderator, "A personal attack."),
    ]

    workflow.undo_last(second_moderator, called_in_case)

    assert written_since(resolved) == [
        ("case_reopened", second_moderator, "undo"),
        ("comment_unhidden", second_moderator, "undo"),
        ("action_undone", second_moderator, "undid hiding the comment and resolving the case"),
    ]


def test_resolving_a_paused_comment_restores_it_and_undo_pauses_it_again(
    moderator, second_moderator, case
):
    workflow.call_in(moderator, case, "Would you reread this?", pause_visibility=True)
    assert fresh(case.comment).visibility_paused
    start = last_id()

    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION, "It reads fine.")
    resolved = last_id()

    assert written_since(start) == [
        ("visibility_restored", moderator, "case resolved"),
        ("case_resolved", moderator, "It reads fine."),
    ]
    assert not fresh(case.comment).visibility_paused

    workflow.undo_last(second_moderator, case)

    assert written_since(resolved) == [
        ("case_reopened", second_moderator, "undo"),
        ("visibility_paused", second_moderator, "undo"),
        ("action_undone", second_moderator, "undid resolving the case"),
    ]
    assert fresh(case.comment).visibility_paused
    assert fresh(case).state == Case.State.WAITING


def test_undoing_a_claim_names_who_undid_it_and_what(moderator, second_moderator, case):
    workflow.claim(moderator, case)
    start = last_id()

    workflow.undo_last(second_moderator, case)

    actions = written_since(start)
    assert actions[-1] == ("action_undone", second_moderator, "undid claiming the case")
    assert all(actor == second_moderator for _, actor, _ in actions)
    assert fresh(case).claimed_by is None
