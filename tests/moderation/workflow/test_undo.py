"""Undo the last action: workflow.undo_last and the case page's "undo" action (key u)."""

from datetime import timedelta

import pytest

from moderation import workflow
from moderation.audit import record
from moderation.models import Annotation, Case, Message, ModerationEvent, Notice, Sanction
from tests.helpers import actions, assert_event, client_for, flashes, fresh
from threads.models import Comment

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def state(case):
    """What an undo may change: the case, its comment, its notes."""
    case = fresh(case)
    return (
        Case.objects.filter(pk=case.pk).values().get(),
        Comment.objects.filter(pk=case.comment_id).values().get(),
        list(Annotation.objects.values_list("id", "retracted_at")),
    )


def check_unclaimed(case, comment):
    assert case.claimed_by is None


def check_retracted(case, comment):
    assert Annotation.objects.get().retracted_at is not None


def check_replies_open(case, comment):
    assert comment.replies_paused_until is None


def check_unfolded(case, comment):
    assert not comment.collapsed


def check_shown(case, comment):
    assert not comment.visibility_paused


def check_reopened(case, comment):
    assert (case.state, case.outcome) == (Case.State.OPEN, "")
    assert comment.status == Comment.Status.VISIBLE


# action taken -> (how, what the undo button says, the inverse's event, check afterwards)
UNDOABLE = {
    "claim": (
        lambda m, c: workflow.claim(m, c),
        "claiming the case",
        "case_unclaimed",
        check_unclaimed,
    ),
    "annotate": (
        lambda m, c: workflow.annotate(m, c.comment, "context", "Some context.", c),
        "adding a note",
        "annotation_retracted",
        check_retracted,
    ),
    "pause-replies": (
        lambda m, c: workflow.pause_replies(m, c.comment, HOUR, c),
        "pausing replies",
        "replies_resumed",
        check_replies_open,
    ),
    "collapse": (
        lambda m, c: workflow.collapse(m, c.comment, None, c),
        "folding the replies",
        "subthread_expanded",
        check_unfolded,
    ),
    "pause-visibility": (
        lambda m, c: workflow.pause_visibility(m, c),
        "pausing visibility",
        "visibility_restored",
        check_shown,
    ),
    "resolve": (
        lambda m, c: workflow.resolve(m, c, "no_action"),
        "resolving the case",
        "case_reopened",
        check_reopened,
    ),
    "hide": (
        lambda m, c: workflow.resolve(m, c, "hidden", "", "harmful"),
        "hiding the comment and resolving the case",
        "comment_unhidden",
        check_reopened,
    ),
}


# --- the workflow --------------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted(UNDOABLE))
def test_the_last_action_is_taken_back_by_its_inverse(moderator, second_moderator, case, action):
    act, what, inverse, check = UNDOABLE[action]
    act(moderator, case)
    case = fresh(case)
    event = ModerationEvent.objects.filter(case=case).order_by("-id").first()
    assert workflow.undo_target([event]) == (event, what)
    undone = workflow.undo_last(second_moderator, case, case.version)
    assert undone == event
    after = fresh(case)
    check(after, fresh(case.comment))
    assert after.version > case.version  # open pages are now stale
    # The log only grows: the original event stays, the inverse's and the undo's follow.
    assert ModerationEvent.objects.filter(pk=event.pk).exists()
    assert inverse in actions(case)[-3:]
    assert actions(case)[-1] == workflow.UNDONE
    assert_event(
        workflow.UNDONE,
        actor=second_moderator,
        case=case,
        before={"event": event.pk, "action": event.action},
    )


def test_undoing_a_hide_tells_the_author_their_comment_is_back(moderator, author, case):
    workflow.resolve(moderator, case, "hidden", "", "harmful")
    workflow.undo_last(moderator, case)
    assert fresh(case.comment).status == Comment.Status.VISIBLE
    latest = Notice.objects.filter(user=author).order_by("id").last()
    assert "visible in the discussion again" in latest.body


def test_undo_twice_takes_back_one_action_and_never_redoes_it(moderator, case):
    workflow.annotate(moderator, case.comment, "context", "First note.", case)
    workflow.pause_replies(moderator, case.comment, HOUR, case)
    workflow.undo_last(moderator, case)
    assert fresh(case.comment).replies_paused_until is None
    before, logged = state(case), actions(case)
    with pytest.raises(workflow.Refused, match="already undone"):
        workflow.undo_last(moderator, case)
    # Neither the pause comes back nor the earlier note is retracted.
    assert state(case) == before and actions(case) == logged
    assert Annotation.objects.get().retracted_at is None


def test_undo_never_reaches_past_an_action_it_cannot_undo(moderator, case):
    workflow.pause_replies(moderator, case.comment, HOUR, case)
    workflow.sanction(moderator, case, Sanction.Kind.WARNING, "Insults.", skip_reason="Bad.")
    before = state(case)
    with pytest.raises(workflow.Refused, match=r"\(sanction warning\) cannot be undone"):
        workflow.undo_last(moderator, case)
    assert state(case) == before
    assert fresh(case.comment).replies_paused_until is not None


@pytest.mark.parametrize("follow_up", [False, True], ids=["call-in", "message"])
def test_a_message_to_the_author_cannot_be_unsent(moderator, called_in_case, follow_up):
    case = called_in_case
    if follow_up:
        workflow.message_author(moderator, case, "One more thing.")
    before, sent = state(case), Message.objects.count()
    with pytest.raises(workflow.Refused, match="cannot be unsent"):
        workflow.undo_last(moderator, case)
    assert state(case) == before and Message.objects.count() == sent


def test_an_approval_cannot_be_undone(moderator, case):
    Comment.objects.filter(pk=case.comment_id).update(status=Comment.Status.PENDING)
    workflow.approve(moderator, case)
    with pytest.raises(workflow.Refused, match="approved the comment"):
        workflow.undo_last(moderator, case)
    assert fresh(case).state == Case.State.RESOLVED


def test_nothing_to_undo_on_a_new_case(moderator, case):
    with pytest.raises(workflow.NothingToUndo):
        workflow.undo_last(moderator, case)
    assert actions(case) == ["case_opened", "flag_added"]


def test_others_actions_are_not_the_last_action(moderator, author, second_flagger, called_in_case):
    """Flags, the author's answers and callin's own events do not hide the moderators' action."""
    case = called_in_case
    workflow.pause_replies(moderator, case.comment, HOUR, case)
    workflow.author_reply(author, case, "I am sorry.")
    workflow.flag_comment(second_flagger, case.comment, "heated")
    record(None, "heat_noted", case=case, after={"heat": 0.9})
    case = fresh(case)
    assert workflow.undo_last(moderator, case, case.version).action == "replies_paused"
    assert fresh(case.comment).replies_paused_until is None


def test_a_stale_version_is_refused(moderator, second_moderator, case):
    workflow.pause_replies(moderator, case.comment, HOUR, case)
    seen = fresh(case).version
    workflow.claim(second_moderator, case)
    before = state(case)
    with pytest.raises(workflow.Conflict):
        workflow.undo_last(moderator, case, seen)
    assert state(case) == before


def test_an_undo_that_cannot_finish_changes_nothing(moderator, case):
    """Undoing a hide reopens the case and unhides the comment: both, or neither."""
    workflow.resolve(moderator, case, "hidden", "", "harmful")
    # Shown again meanwhile by some other way than the case page (nothing logged on the case).
    Comment.objects.filter(pk=case.comment_id).update(status=Comment.Status.VISIBLE)
    before, logged = state(case), actions(case)
    with pytest.raises(workflow.Refused, match="not hidden"):
        workflow.undo_last(moderator, case)
    assert state(case) == before and actions(case) == logged
    assert fresh(case).state == Case.State.RESOLVED


# --- the view: POST /moderation/cases/<id>/undo/ ------------------------------------------


def undo_url(case):
    return f"/moderation/cases/{case.pk}/undo/"


def test_undo_from_the_case_page(moderator, case):
    workflow.pause_replies(moderator, case.comment, HOUR, case)
    case = fresh(case)
    response = client_for(moderator).post(undo_url(case), {"version": case.version}, follow=True)
    assert response.redirect_chain == [(f"/moderation/cases/{case.pk}/", 302)]
    assert flashes(response) == ["The last action is undone."]
    assert fresh(case.comment).replies_paused_until is None
    html = response.content.decode()
    assert 'id="undo-form"' not in html
    assert "The last action was already undone" in html


def test_undo_in_place(moderator, case):
    workflow.collapse(moderator, case.comment, None, case)
    case = fresh(case)
    response = client_for(moderator).post(
        undo_url(case), {"version": case.version}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div id="case-page"')
    assert flashes(response) == ["The last action is undone."]
    assert f'name="version" value="{fresh(case).version}"' in html
    assert not fresh(case.comment).collapsed


def test_undo_from_a_stale_page_is_refused(moderator, second_moderator, case):
    workflow.pause_replies(moderator, case.comment, HOUR, case)
    seen = fresh(case).version
    workflow.annotate(second_moderator, case.comment, "comment_note", "Meanwhile.", case)
    before = state(case)
    response = client_for(moderator).post(undo_url(case), {"version": seen}, follow=True)
    [message] = flashes(response)
    assert message.startswith("Another moderator acted on this case")
    assert state(case) == before


def test_undo_refused_says_why(moderator, called_in_case):
    case = called_in_case
    response = client_for(moderator).post(undo_url(case), {"version": case.version}, follow=True)
    [message] = flashes(response)
    assert "a call-in cannot be unsent" in message
    assert fresh(case).state == Case.State.WAITING


def test_a_reader_cannot_undo(moderator, flagger, case):
    workflow.pause_replies(moderator, case.comment, HOUR, case)
    case = fresh(case)
    before = state(case)
    response = client_for(flagger).post(undo_url(case), {"version": case.version})
    assert response.status_code == 403
    assert state(case) == before


def test_get_is_not_allowed(moderator, case):
    workflow.pause_replies(moderator, case.comment, HOUR, case)
    case = fresh(case)
    before = state(case)
    assert client_for(moderator).get(undo_url(case), {"version": case.version}).status_code == 405
    assert state(case) == before
