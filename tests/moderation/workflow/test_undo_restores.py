"""Undo puts back the state its action's event recorded as ``before``, and the action it
names is the one logged last against the case (issue 13: notices that are true)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import workflow
from moderation.models import Case, ModerationEvent
from tests.helpers import actions, fresh, last_event
from threads.models import Comment, Essay

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def undo_label(case):
    events = ModerationEvent.objects.filter(case=case).order_by("-created", "-id")
    return workflow.undo_target(events)[1]


@pytest.mark.parametrize(
    "before_resolve",
    [Case.State.OPEN, Case.State.WAITING, Case.State.ANSWERED],
)
def test_undoing_a_resolve_returns_the_case_to_the_state_it_was_in(
    moderator, author, case, before_resolve
):
    if before_resolve != Case.State.OPEN:
        workflow.call_in(moderator, case, "Would you reread your comment?")
    if before_resolve == Case.State.ANSWERED:
        workflow.author_reply(author, case, "I see what you mean.")
    assert fresh(case).state == before_resolve
    deadline = fresh(case).call_in_deadline

    workflow.resolve(moderator, case, "no_action")
    assert last_event("case_resolved").before == {"state": before_resolve}
    workflow.undo_last(moderator, case)

    case = fresh(case)
    assert (case.state, case.outcome) == (before_resolve, "")
    assert case.call_in_deadline == deadline  # a waiting case keeps its deadline
    assert last_event("case_reopened").after == {"state": before_resolve}


def test_undoing_a_resolve_pauses_the_comment_again_when_resolving_had_shown_it(
    moderator, called_in_case
):
    case = called_in_case
    workflow.pause_visibility(moderator, case)
    workflow.resolve(moderator, case, "no_action")
    assert not fresh(case.comment).visibility_paused
    assert last_event("case_resolved").before == {
        "state": Case.State.WAITING,
        "visibility_paused": True,
    }
    workflow.undo_last(moderator, case)
    assert fresh(case.comment).visibility_paused
    assert fresh(case).state == Case.State.WAITING


def test_approve_records_the_state_the_case_left(moderator, case):
    Comment.objects.filter(pk=case.comment_id).update(status=Comment.Status.PENDING)
    workflow.approve(moderator, case)
    event = last_event("case_resolved")
    assert event.before == {"state": Case.State.OPEN}
    assert event.after == {"state": Case.State.RESOLVED, "outcome": Case.Outcome.NO_ACTION}
    assert event.reason == "approved"
    case = fresh(case)
    assert (case.state, case.outcome, case.resolved_by) == (
        Case.State.RESOLVED,
        Case.Outcome.NO_ACTION,
        moderator,
    )


def test_slow_mode_set_from_a_case_is_logged_against_it_and_undone_exactly(moderator, case):
    """The finding: after slow mode the button still named the fold, and undo unfolded."""
    workflow.collapse(moderator, case.comment, None, case)
    workflow.set_slow_mode(moderator, case.essay, 300, HOUR, case=case)
    event = last_event("slow_mode_set")
    assert event.case_id == case.pk
    assert undo_label(case) == "setting slow mode"

    workflow.undo_last(moderator, case)

    essay = fresh(case.essay)
    assert essay.slow_mode_seconds == 0 and essay.slow_mode_until is None
    assert fresh(case.comment).is_collapsed()  # the fold stays
    assert actions(case)[-2:] == ["slow_mode_lifted", workflow.UNDONE]


def test_undoing_slow_mode_puts_back_the_slow_mode_before_it(moderator, case):
    earlier = timezone.now() + 2 * HOUR
    Essay.objects.filter(pk=case.essay_id).update(slow_mode_seconds=60, slow_mode_until=earlier)
    workflow.set_slow_mode(moderator, case.essay, 600, HOUR, case=case)
    workflow.undo_last(moderator, case)
    essay = fresh(case.essay)
    assert (essay.slow_mode_seconds, essay.slow_mode_until) == (60, earlier)


def test_undoing_a_pause_over_a_pause_puts_the_earlier_one_back(moderator, case):
    workflow.pause_replies(moderator, case.comment, 2 * HOUR, case)
    earlier = fresh(case.comment).replies_paused_until
    workflow.pause_replies(moderator, case.comment, 24 * HOUR, case)
    workflow.undo_last(moderator, case)
    assert fresh(case.comment).replies_paused_until == earlier


def test_undoing_a_fold_over_a_fold_puts_the_earlier_one_back(moderator, case):
    workflow.collapse(moderator, case.comment, 2 * HOUR, case)
    earlier = fresh(case.comment).collapsed_until
    workflow.collapse(moderator, case.comment, None, case)
    workflow.undo_last(moderator, case)
    comment = fresh(case.comment)
    assert comment.is_collapsed() and comment.collapsed_until == earlier


@pytest.mark.parametrize("featured", [True, False], ids=["feature", "unfeature"])
def test_featuring_from_a_case_is_logged_against_it_and_undone(moderator, case, featured):
    if not featured:
        workflow.feature(moderator, case.comment, True)
    workflow.feature(moderator, case.comment, featured, case)
    action = "comment_featured" if featured else "comment_unfeatured"
    assert last_event(action).case_id == case.pk
    workflow.undo_last(moderator, case)
    assert bool(fresh(case.comment).featured_at) == (not featured)


def test_retracting_a_note_and_lifting_a_sanction_are_logged_against_the_case(
    moderator, case, flagger, second_flagger
):
    note = workflow.annotate(moderator, case.comment, "context", "Some context.")  # no case
    workflow.retract_annotation(moderator, note, case)
    assert last_event("annotation_retracted").case_id == case.pk
    sanction = workflow.sanction(moderator, case, "warning", "Insults.", skip_reason="Bad.")
    workflow.resolve(moderator, case, "no_action")
    _, later = workflow.flag_comment(second_flagger, fresh(case.comment), "heated")
    workflow.lift_sanction(moderator, sanction, "Settled.", later)
    assert last_event("sanction_warning_lifted").case_id == later.pk
