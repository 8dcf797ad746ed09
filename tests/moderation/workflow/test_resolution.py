"""Resolution: outcomes, hiding as the reasoned last resort, reopen and unhide."""

import pytest

from moderation import workflow
from moderation.models import Case, HideReason, Message, ModerationEvent
from tests.helpers import actions, fresh, make_comment
from threads.limits import MAX_REASON_LENGTH
from threads.models import Comment

pytestmark = pytest.mark.django_db

NOT_HIDDEN = [o for o in Case.Outcome.values if o != Case.Outcome.HIDDEN]


@pytest.mark.parametrize("outcome", NOT_HIDDEN)
def test_resolve_with_each_outcome_closes_the_case(moderator, case, outcome):
    version = fresh(case).version

    workflow.resolve(moderator, case, outcome, reason=" Talked it through. ", version=version)

    case = fresh(case)
    assert case.state == Case.State.RESOLVED and not case.is_open
    assert case.outcome == outcome
    assert case.resolution_reason == "Talked it through."
    assert case.resolved_by == moderator and case.resolved_at is not None
    assert case.version == version + 1
    comment = fresh(case.comment)
    assert comment.status == Comment.Status.VISIBLE
    assert not case.messages.exists()
    assert actions(case)[-1] == "case_resolved"


@pytest.mark.parametrize("outcome", NOT_HIDDEN)
def test_resolving_without_hiding_clears_a_visibility_pause(moderator, case, outcome):
    workflow.call_in(moderator, case, "Hello.", pause_visibility=True)

    workflow.resolve(moderator, case, outcome)

    assert not fresh(case.comment).visibility_paused
    assert actions(case)[-2:] == ["visibility_restored", "case_resolved"]


@pytest.mark.parametrize("outcome", ["", "deleted", None])
def test_resolve_with_an_unknown_outcome_is_refused(moderator, case, outcome):
    with pytest.raises(workflow.Refused, match="outcome"):
        workflow.resolve(moderator, case, outcome)
    assert fresh(case).state == Case.State.OPEN


def test_resolving_a_resolved_case_is_a_conflict(moderator, second_moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION)
    with pytest.raises(workflow.Conflict, match="Resolved"):
        workflow.resolve(second_moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    case = fresh(case)
    assert case.outcome == Case.Outcome.NO_ACTION and case.resolved_by == moderator
    assert fresh(case.comment).status == Comment.Status.VISIBLE


def test_resolve_with_a_stale_version_is_a_conflict(moderator, second_moderator, case):
    version = fresh(case).version
    workflow.claim(second_moderator, case)
    with pytest.raises(workflow.Conflict, match="Another moderator"):
        workflow.resolve(moderator, case, Case.Outcome.NO_ACTION, version=version)
    assert fresh(case).state == Case.State.OPEN
    assert "case_resolved" not in actions(case)


# --- hiding ---------------------------------------------------------------------------


def test_hiding_without_a_call_in_is_refused_without_a_severe_reason(moderator, case):
    for hide_reason in (None, "", HideReason.OTHER):
        with pytest.raises(workflow.Refused, match="not been called in"):
            workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason=hide_reason)

    assert fresh(case).state == Case.State.OPEN
    assert fresh(case.comment).status == Comment.Status.VISIBLE
    assert not Message.objects.exists()
    assert "comment_hidden" not in actions()


@pytest.mark.parametrize("hide_reason", ["spam", "harmful", "threat", "illegal"])
def test_hiding_without_a_call_in_is_allowed_for_severe_reasons(moderator, case, hide_reason):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason=hide_reason)

    case = fresh(case)
    assert case.state == Case.State.RESOLVED and case.outcome == Case.Outcome.HIDDEN
    assert case.resolution_reason == hide_reason
    assert fresh(case.comment).status == Comment.Status.HIDDEN
    notice = case.messages.get(kind=Message.Kind.NOTICE)
    assert f"reason: {HideReason(hide_reason).label}." in notice.body
    assert case.events.get(action="comment_hidden").reason == HideReason(hide_reason).label


def test_hiding_without_a_call_in_is_allowed_with_a_written_reason(moderator, case):
    workflow.resolve(
        moderator, case, Case.Outcome.HIDDEN, reason="It posts a private address.", version=None
    )
    case = fresh(case)
    assert case.outcome == Case.Outcome.HIDDEN
    assert case.resolution_reason == "It posts a private address."
    assert fresh(case.comment).status == Comment.Status.HIDDEN


def test_hiding_after_a_call_in_still_needs_a_reason(moderator, called_in_case):
    with pytest.raises(workflow.Refused, match="Say why"):
        workflow.resolve(moderator, called_in_case, Case.Outcome.HIDDEN, reason="   ")
    assert fresh(called_in_case).state == Case.State.WAITING
    assert fresh(called_in_case.comment).status == Comment.Status.VISIBLE


@pytest.mark.parametrize("hide_reason", ["rude", "heated"])
def test_hiding_with_an_unknown_reason_is_refused(moderator, called_in_case, hide_reason):
    with pytest.raises(workflow.Refused, match="listed reasons"):
        workflow.resolve(moderator, called_in_case, Case.Outcome.HIDDEN, hide_reason=hide_reason)
    with pytest.raises(workflow.Refused, match="listed reasons"):
        workflow.resolve(
            moderator, called_in_case, Case.Outcome.HIDDEN, reason="Why.", hide_reason=hide_reason
        )
    assert fresh(called_in_case).state == Case.State.WAITING
    assert fresh(called_in_case.comment).status == Comment.Status.VISIBLE


def test_hiding_never_deletes_and_tells_the_author_privately(moderator, author, called_in_case):
    workflow.pause_visibility(moderator, called_in_case)
    comment_pk = called_in_case.comment_id

    workflow.resolve(
        moderator,
        called_in_case,
        Case.Outcome.HIDDEN,
        reason="It kept attacking another reader.",
        hide_reason="other",
    )

    comment = Comment.objects.get(pk=comment_pk)
    assert comment.status == Comment.Status.HIDDEN
    assert comment.body.startswith("You clearly")
    assert not comment.visibility_paused
    case = fresh(called_in_case)
    assert case.outcome == Case.Outcome.HIDDEN
    assert case.resolution_reason == "It kept attacking another reader."
    notice = case.messages.get(kind=Message.Kind.NOTICE)
    assert notice.sender == moderator and not notice.from_author
    assert "It kept attacking another reader." in notice.body
    assert "not deleted" in notice.body
    assert actions(case)[-2:] == ["comment_hidden", "case_resolved"]
    hidden = case.events.get(action="comment_hidden")
    assert hidden.reason == "It kept attacking another reader."
    assert hidden.before == {"status": "visible"}
    assert hidden.after == {"status": "hidden", "hide_reason": "other"}


# --- reopen ---------------------------------------------------------------------------


def test_reopen_puts_a_resolved_case_back_in_the_queue(moderator, second_moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.DEESCALATED, "They calmed down.")
    version = fresh(case).version

    workflow.reopen(second_moderator, case, reason="It flared up again.", version=version)

    case = fresh(case)
    assert case.state == Case.State.OPEN and case.is_open
    # Nothing of the previous resolution stays on the reopened case; the log keeps it.
    assert case.outcome == "" and case.resolution_reason == ""
    assert case.resolved_at is None and case.resolved_by is None
    assert case.version == version + 1
    event = case.events.get(action="case_reopened")
    assert event.actor == second_moderator and event.reason == "It flared up again."
    assert event.before == {
        "state": "resolved",
        "outcome": "deescalated",
        "resolution_reason": "They calmed down.",
    }


def test_resolving_a_reopened_case_again_records_only_the_new_reason(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    workflow.reopen(moderator, case, "Not spam: a real question.")
    workflow.unhide(moderator, case.comment, "Not spam.", case)
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION)
    case = fresh(case)
    assert (case.outcome, case.resolution_reason) == (Case.Outcome.NO_ACTION, "")


def test_reopen_of_an_open_case_is_a_conflict(moderator, case):
    with pytest.raises(workflow.Conflict):
        workflow.reopen(moderator, case)
    assert "case_reopened" not in actions()


def test_reopen_with_a_stale_version_is_a_conflict(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION)
    stale = fresh(case).version - 1
    with pytest.raises(workflow.Conflict):
        workflow.reopen(moderator, case, version=stale)
    assert fresh(case).state == Case.State.RESOLVED


def test_reopen_is_refused_while_another_case_is_open_on_the_comment(
    moderator, second_flagger, case
):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION)
    _, newer = workflow.flag_comment(second_flagger, case.comment, "heated")

    with pytest.raises(workflow.Refused, match="Another case"):
        workflow.reopen(moderator, case)

    assert fresh(case).state == Case.State.RESOLVED
    assert fresh(newer).state == Case.State.OPEN


def test_reopen_of_a_hidden_case_leaves_the_comment_hidden(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    workflow.reopen(moderator, case)
    assert fresh(case.comment).status == Comment.Status.HIDDEN


# --- unhide ---------------------------------------------------------------------------


def test_unhide_restores_the_comment_and_tells_the_author(moderator, second_moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")

    workflow.unhide(second_moderator, case.comment, reason="Not spam after all.", case=case)

    comment = fresh(case.comment)
    assert comment.status == Comment.Status.VISIBLE and comment.is_shown
    notices = list(case.messages.filter(kind=Message.Kind.NOTICE).order_by("id"))
    assert len(notices) == 2 and "visible" in notices[1].body
    event = case.events.get(action="comment_unhidden")
    assert event.actor == second_moderator and event.reason == "Not spam after all."
    assert event.comment_id == comment.pk
    assert event.before == {"status": "hidden"} and event.after == {"status": "visible"}


def test_unhide_without_a_case_sends_no_message(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    workflow.unhide(moderator, case.comment)
    assert fresh(case.comment).status == Comment.Status.VISIBLE
    assert case.messages.filter(kind=Message.Kind.NOTICE).count() == 1
    assert actions(comment=case.comment)[-1] == "comment_unhidden"


@pytest.mark.parametrize("status", [Comment.Status.VISIBLE, Comment.Status.WITHDRAWN])
def test_unhide_of_a_comment_that_is_not_hidden_is_refused(moderator, comment, status):
    Comment.objects.filter(pk=comment.pk).update(status=status)
    with pytest.raises(workflow.Refused, match="not hidden"):
        workflow.unhide(moderator, comment)
    assert fresh(comment).status == status
    assert actions() == []


@pytest.mark.parametrize(
    ("hide_reason", "reason", "logged"),
    [
        ("spam", "", "spam"),
        ("threat", "A threat.", "threat"),
        (None, "A private address.", "other"),
    ],
)
def test_a_hide_logs_the_chosen_reasons_code(moderator, case, hide_reason, reason, logged):
    """The transparency page counts hides by this code, never by anyone's words."""
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, reason, hide_reason)

    hidden = case.events.get(action="comment_hidden")
    assert hidden.after == {"status": "hidden", "hide_reason": logged}


def test_unhide_without_a_reason_logs_an_empty_one(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")

    workflow.unhide(moderator, case.comment)

    assert ModerationEvent.objects.get(action="comment_unhidden").reason == ""


def test_approving_closes_the_case_as_no_action_with_no_written_reason(moderator, author, space):
    comment = make_comment(space, author=author, status=Comment.Status.PENDING)
    case, _ = workflow.open_system_case(comment, Case.Origin.NEWCOMER, "newcomer")

    workflow.approve(moderator, case)

    case = fresh(case)
    assert (case.state, case.outcome, case.resolution_reason, case.resolved_by) == (
        Case.State.RESOLVED,
        Case.Outcome.NO_ACTION,
        "",
        moderator,
    )


def test_resolving_and_unhiding_refuse_a_reason_past_the_reasons_limit(moderator, case):
    too_long = "x" * (MAX_REASON_LENGTH + 1)
    with pytest.raises(workflow.Refused, match="4,000"):
        workflow.resolve(moderator, case, Case.Outcome.NO_ACTION, too_long)
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")

    with pytest.raises(workflow.Refused, match="4,000"):
        workflow.unhide(moderator, case.comment, too_long)
    assert fresh(case.comment).status == Comment.Status.HIDDEN
