"""The whole event each workflow action writes: who acted, on which case, comment and space,
what it recorded before and after, and why; compared in full, so a key renamed, a value
dropped or a case left out fails (gaps found by `make mutate`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import workflow
from moderation.models import Annotation, Case, ModerationEvent
from moderation.workflow.deescalation import (
    restore_fold,
    restore_replies_pause,
    restore_slow_mode,
)
from tests.helpers import T0, fresh, make_comment
from threads.limits import MAX_REASON_LENGTH
from threads.models import Comment

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def written(action):
    """The newest ``action`` event, as the fields a reader of the log sees."""
    event = ModerationEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None, f"no {action} event"
    return {
        "actor": event.actor_id,
        "case": event.case_id,
        "comment": event.comment_id,
        "essay": event.essay_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
    }


def on(case, actor, before, after, reason=""):
    """What an event about ``case``'s comment written by ``actor`` holds."""
    return {
        "actor": actor.pk,
        "case": case.pk if case else None,
        "comment": case.comment_id,
        "essay": case.essay_id,
        "before": before,
        "after": after,
        "reason": reason,
    }


def iso(value):
    return value.isoformat() if value else None


# Cooling down: pauses, folds and slow mode.


def test_pausing_and_resuming_replies(moderator, case):
    comment = workflow.pause_replies(moderator, case.comment, HOUR, case)
    until = fresh(comment).replies_paused_until
    assert written("replies_paused") == on(
        case, moderator, {"replies_paused_until": None}, {"replies_paused_until": iso(until)}
    )

    workflow.resume_replies(moderator, case.comment, case)
    assert written("replies_resumed") == on(
        case, moderator, {"replies_paused_until": iso(until)}, {"replies_paused_until": None}
    )
    assert fresh(case.comment).replies_paused_until is None


def test_an_undone_pause_puts_back_the_earlier_pause(moderator, case):
    earlier = timezone.now() + 2 * HOUR
    restore_replies_pause(moderator, case.comment, earlier, case)

    assert fresh(case.comment).replies_paused_until == earlier
    assert written("replies_paused") == on(
        case, moderator, {"replies_paused_until": None}, {"replies_paused_until": iso(earlier)}
    )


def test_an_undone_pause_whose_earlier_pause_has_run_out_resumes_replies(moderator, case):
    workflow.pause_replies(moderator, case.comment, HOUR, case)

    restore_replies_pause(moderator, case.comment, timezone.now() - HOUR, case)

    assert fresh(case.comment).replies_paused_until is None
    assert written("replies_resumed")["actor"] == moderator.pk


def test_folding_and_unfolding_a_subthread(moderator, case):
    workflow.collapse(moderator, case.comment, HOUR, case)
    until = fresh(case.comment).collapsed_until
    assert written("subthread_collapsed") == on(
        case,
        moderator,
        {"collapsed": False, "until": None},
        {"collapsed": True, "until": iso(until)},
    )

    workflow.expand(moderator, case.comment, case)
    assert written("subthread_expanded") == on(
        case, moderator, {"collapsed": True}, {"collapsed": False}
    )
    comment = fresh(case.comment)
    assert (comment.collapsed, comment.collapsed_until) == (False, None)


def test_an_undone_fold_puts_back_the_earlier_fold(moderator, case):
    workflow.collapse(moderator, case.comment, HOUR, case)
    first_until = fresh(case.comment).collapsed_until
    earlier = timezone.now() + 5 * HOUR

    restore_fold(moderator, case.comment, earlier, case)

    comment = fresh(case.comment)
    assert (comment.collapsed, comment.collapsed_until) == (True, earlier)
    assert written("subthread_collapsed") == on(
        case,
        moderator,
        {"collapsed": True, "until": iso(first_until)},
        {"collapsed": True, "until": iso(earlier)},
    )


def test_setting_and_lifting_slow_mode(moderator, case):
    workflow.set_slow_mode(moderator, case.essay, 120, HOUR, case)
    until = fresh(case.essay).slow_mode_until
    assert written("slow_mode_set") == {
        **on(case, moderator, {"slow_mode_seconds": 0, "until": None}, None),
        "after": {"slow_mode_seconds": 120, "until": iso(until)},
    }

    workflow.set_slow_mode(moderator, case.essay, 0, None, case)
    assert written("slow_mode_lifted") == {
        **on(case, moderator, {"slow_mode_seconds": 120, "until": iso(until)}, None),
        "after": {"slow_mode_seconds": 0, "until": None},
    }
    essay = fresh(case.essay)
    assert (essay.slow_mode_seconds, essay.slow_mode_until) == (0, None)


# Undoing them: the inverse's event names the moderator who undid, on the case.


def test_undoing_a_fold_over_an_earlier_one_names_who_undid(moderator, second_moderator, case):
    workflow.collapse(moderator, case.comment, None, case)
    workflow.collapse(moderator, case.comment, HOUR, case)

    workflow.undo_last(second_moderator, case)

    comment = fresh(case.comment)
    assert (comment.collapsed, comment.collapsed_until) == (True, None)
    event = written("subthread_collapsed")
    assert (event["actor"], event["case"]) == (second_moderator.pk, case.pk)
    assert event["after"] == {"collapsed": True, "until": None}


def test_undoing_a_fold_expands_and_names_who_undid(moderator, second_moderator, case):
    workflow.collapse(moderator, case.comment, HOUR, case)

    workflow.undo_last(second_moderator, case)

    assert not fresh(case.comment).collapsed
    event = written("subthread_expanded")
    assert (event["actor"], event["case"]) == (second_moderator.pk, case.pk)


def test_undoing_slow_mode_puts_back_the_earlier_interval(moderator, second_moderator, case):
    workflow.set_slow_mode(moderator, case.essay, 300, None, case)
    workflow.set_slow_mode(moderator, case.essay, 60, HOUR, case)

    workflow.undo_last(second_moderator, case)

    essay = fresh(case.essay)
    assert (essay.slow_mode_seconds, essay.slow_mode_until) == (300, None)
    event = written("slow_mode_set")
    assert (event["actor"], event["case"]) == (second_moderator.pk, case.pk)
    assert event["after"] == {"slow_mode_seconds": 300, "until": None}


def test_undoing_the_first_slow_mode_lifts_it(moderator, second_moderator, case):
    workflow.set_slow_mode(moderator, case.essay, 60, HOUR, case)

    workflow.undo_last(second_moderator, case)

    assert fresh(case.essay).slow_mode_seconds == 0
    assert written("slow_mode_lifted")["actor"] == second_moderator.pk


def test_undoing_a_pause_names_who_undid(moderator, second_moderator, case):
    workflow.pause_replies(moderator, case.comment, HOUR, case)

    workflow.undo_last(second_moderator, case)

    assert fresh(case.comment).replies_paused_until is None
    event = written("replies_resumed")
    assert (event["actor"], event["case"]) == (second_moderator.pk, case.pk)


# The conversation with the author.


def test_a_call_in_pausing_visibility_and_a_follow_up(moderator, author, case):
    workflow.call_in(moderator, case, "Hello.", pause_visibility=True)
    assert written("call_in_sent") == on(
        case, moderator, {"state": Case.State.OPEN}, {"state": Case.State.WAITING}
    )
    assert written("visibility_paused") == on(
        case,
        moderator,
        {"visibility_paused": False},
        {"visibility_paused": True},
        "paused while we talk",
    )

    workflow.author_reply(author, case, "I see.")
    workflow.message_author(moderator, case, "Thanks. Would you revise?")
    assert written("message_sent") == on(
        case, moderator, {"state": Case.State.ANSWERED}, {"state": Case.State.WAITING}
    )


# Visibility.


def test_pausing_and_restoring_visibility(moderator, case):
    workflow.pause_visibility(moderator, case)
    assert written("visibility_paused") == on(
        case, moderator, {"visibility_paused": False}, {"visibility_paused": True}
    )

    workflow.restore_visibility(moderator, case.comment, case)
    assert written("visibility_restored") == on(
        case, moderator, {"visibility_paused": True}, {"visibility_paused": False}
    )
    assert not fresh(case.comment).visibility_paused


# Notes.


def test_a_note_and_its_retraction(moderator, case):
    note = workflow.annotate(
        moderator, case.comment, Annotation.Kind.AUTHOR_NOTE, "Second time.", case, "heated"
    )
    assert written("annotation_added") == on(
        case,
        moderator,
        {},
        {"kind": Annotation.Kind.AUTHOR_NOTE, "annotation": note.pk, "label": "heated"},
    )

    workflow.retract_annotation(moderator, note)
    assert written("annotation_retracted") == on(
        case, moderator, {"annotation": note.pk, "retracted": False}, {"retracted": True}
    )
    assert fresh(note).retracted_at is not None


def test_a_note_retracted_from_another_case_is_logged_there(moderator, case, flagger):
    note = workflow.annotate(moderator, case.comment, Annotation.Kind.COMMENT_NOTE, "Watch.", case)
    workflow.resolve(moderator, case, "no_action")
    _, second = workflow.flag_comment(flagger, fresh(case.comment), "heated")

    workflow.retract_annotation(moderator, note, second)

    assert written("annotation_retracted")["case"] == second.pk


def test_a_bridging_note_is_logged_on_its_case(moderator, case):
    note = workflow.add_bridging_note(moderator, case.comment, "Both of you care about this.", case)

    assert written("bridging_note_added") == on(case, moderator, {}, {"note": note.pk})
    saved = fresh(note)
    assert (saved.kind, saved.parent_id) == (Comment.Kind.BRIDGE, case.comment_id)


# Featuring.


def test_featuring_and_unfeaturing(moderator, case):
    workflow.feature(moderator, case.comment, True, case)
    assert fresh(case.comment).featured_at is not None
    assert written("comment_featured") == on(
        case, moderator, {"featured": False}, {"featured": True}
    )

    workflow.feature(moderator, case.comment, False, case)
    assert fresh(case.comment).featured_at is None
    assert written("comment_unfeatured") == on(
        case, moderator, {"featured": True}, {"featured": False}
    )


def test_featuring_twice_writes_one_event(moderator, space, author):
    comment = make_comment(space, author=author)
    workflow.feature(moderator, comment, True)
    workflow.feature(moderator, comment, True)

    assert ModerationEvent.objects.filter(action="comment_featured").count() == 1


# Claiming.


def test_claiming_and_unclaiming(moderator, second_moderator, case):
    workflow.claim(moderator, case)
    assert written("case_claimed") == on(
        case, moderator, {"claimed_by": None}, {"claimed_by": "mod"}
    )

    workflow.unclaim(second_moderator, case)
    assert written("case_unclaimed") == on(
        case, second_moderator, {"claimed_by": "mod"}, {"claimed_by": None}
    )
    assert fresh(case).claimed_by is None


def test_taking_over_a_claimed_case_names_who_had_it(moderator, second_moderator, case):
    workflow.claim(moderator, case)

    workflow.claim(second_moderator, case)

    assert written("case_claimed") == on(
        case, second_moderator, {"claimed_by": "mod"}, {"claimed_by": "mod2"}
    )
    assert fresh(case).claimed_by == second_moderator


def test_a_case_opened_by_a_moderator_keeps_a_note_up_to_the_reasons_limit(moderator, comment):
    with pytest.raises(workflow.Refused, match="4,000"):
        workflow.open_case(moderator, comment, "x" * (MAX_REASON_LENGTH + 1))
    assert not Annotation.objects.exists()

    case, created = workflow.open_case(moderator, comment, "x" * MAX_REASON_LENGTH)

    assert created
    assert Annotation.objects.get(case=case).body == "x" * MAX_REASON_LENGTH


# Lifting a sanction.


def test_a_lifted_sanction_is_logged_on_the_case_it_was_given_on(moderator, called_in_case):
    item = workflow.sanction(moderator, called_in_case, "warning", "A pattern of attacks.")

    workflow.lift_sanction(moderator, item)

    assert written("sanction_warning_lifted") == on(
        called_in_case, moderator, {}, {"sanction": item.pk}
    )
    assert fresh(item).lifted_at is not None


def test_a_sanction_lifted_from_another_case_is_logged_there(moderator, called_in_case, flagger):
    item = workflow.sanction(moderator, called_in_case, "warning", "A pattern of attacks.")
    workflow.resolve(moderator, called_in_case, "no_action")
    _, later = workflow.flag_comment(flagger, fresh(called_in_case.comment), "heated")

    workflow.lift_sanction(moderator, item, "Misread.", later)

    assert written("sanction_warning_lifted")["case"] == later.pk


def test_a_lifting_reason_is_kept_up_to_the_reasons_limit(moderator, called_in_case):
    item = workflow.sanction(moderator, called_in_case, "warning", "A pattern of attacks.")
    with pytest.raises(workflow.Refused, match="4,000"):
        workflow.lift_sanction(moderator, item, "x" * (MAX_REASON_LENGTH + 1))
    assert fresh(item).lifted_at is None

    workflow.lift_sanction(moderator, item, "x" * MAX_REASON_LENGTH)

    assert written("sanction_warning_lifted")["reason"] == "x" * MAX_REASON_LENGTH


# Approving a waiting comment; reopening.


def test_approving_a_waiting_comment(moderator, case, author):
    Comment.objects.filter(pk=case.comment_id).update(status=Comment.Status.PENDING)

    workflow.approve(moderator, case, version=fresh(case).version)

    assert fresh(case.comment).status == Comment.Status.VISIBLE
    assert written("comment_approved") == on(
        case, moderator, {"status": "pending"}, {"status": "visible"}
    )
    notice = author.notices.latest("id")
    assert "approved" in notice.body
    assert notice.link == case.comment.get_absolute_url()


def test_approving_a_case_someone_changed_meanwhile_is_refused(moderator, case):
    Comment.objects.filter(pk=case.comment_id).update(status=Comment.Status.PENDING)
    stale = fresh(case).version
    workflow.claim(moderator, case)

    with pytest.raises(workflow.Conflict):
        workflow.approve(moderator, case, version=stale)
    assert fresh(case.comment).status == Comment.Status.PENDING


def test_approving_a_comment_that_is_not_waiting_says_so(moderator, case):
    with pytest.raises(workflow.Refused, match="This comment is not waiting for approval."):
        workflow.approve(moderator, case)


def test_a_case_reopens_only_in_an_open_state(moderator, case):
    workflow.resolve(moderator, case, "no_action")

    with pytest.raises(workflow.Refused, match="A case reopens as open"):
        workflow.reopen(moderator, case, state="resolved")
    assert fresh(case).state == "resolved"


# The edges of pauses and slow mode.


def test_an_undone_pause_whose_earlier_pause_ends_right_now_resumes_replies(
    moderator, case, time_machine
):
    time_machine.move_to(T0, tick=False)
    workflow.pause_replies(moderator, case.comment, HOUR, case)

    restore_replies_pause(moderator, case.comment, T0, case)

    assert fresh(case.comment).replies_paused_until is None


def test_slow_mode_takes_up_to_a_whole_day(moderator, space):
    workflow.set_slow_mode(moderator, space, 24 * 3600)
    assert fresh(space).slow_mode_seconds == 24 * 3600

    with pytest.raises(workflow.Refused, match="between 0 and 24 hours"):
        workflow.set_slow_mode(moderator, space, 24 * 3600 + 1)
    assert fresh(space).slow_mode_seconds == 24 * 3600


def test_lifting_slow_mode_keeps_no_end_time(moderator, space):
    workflow.set_slow_mode(moderator, space, 60, HOUR)

    workflow.set_slow_mode(moderator, space, 0, timedelta(days=400))
    restore_slow_mode(moderator, space, 0, timezone.now() + HOUR)

    assert (fresh(space).slow_mode_seconds, fresh(space).slow_mode_until) == (0, None)
    assert written("slow_mode_lifted")["after"] == {"slow_mode_seconds": 0, "until": None}


# Undo.


def test_undoing_a_resolve_that_had_shown_a_paused_comment_pauses_it_on_the_case(
    moderator, second_moderator, case
):
    workflow.pause_visibility(moderator, case)
    workflow.resolve(moderator, case, "no_action")

    workflow.undo_last(second_moderator, case)

    assert fresh(case.comment).visibility_paused
    assert written("visibility_paused") == on(
        case, second_moderator, {"visibility_paused": False}, {"visibility_paused": True}, "undo"
    )


def test_undo_takes_back_the_latest_of_two_actions_made_in_the_same_instant(
    moderator, case, time_machine
):
    time_machine.move_to(T0, tick=False)
    workflow.collapse(moderator, case.comment, HOUR, case)
    workflow.pause_replies(moderator, case.comment, HOUR, case)

    workflow.undo_last(moderator, case)

    comment = fresh(case.comment)
    assert comment.replies_paused_until is None
    assert comment.collapsed


def test_undo_looks_past_a_readers_flag_to_the_moderators_last_action(
    moderator, case, second_flagger
):
    workflow.claim(moderator, case)
    workflow.flag_comment(second_flagger, case.comment, "heated")
    events = ModerationEvent.objects.filter(case=case).order_by("-created", "-id")

    assert events[0].action == "flag_added"
    assert workflow.undo_target(events)[0].action == "case_claimed"


def test_a_case_no_moderator_acted_on_has_nothing_to_undo(case):
    events = ModerationEvent.objects.filter(case=case).order_by("-created", "-id")

    with pytest.raises(workflow.Refused, match="There is nothing to undo on this case yet."):
        workflow.undo_target(events)


def test_visibility_restored_outside_a_case_is_logged_on_the_comment(moderator, comment):
    Comment.objects.filter(pk=comment.pk).update(visibility_paused=True)

    workflow.restore_visibility(moderator, comment)

    event = written("visibility_restored")
    assert (event["case"], event["comment"], event["actor"]) == (None, comment.pk, moderator.pk)


def test_featuring_is_what_feature_does_unless_told_otherwise(moderator, comment):
    workflow.feature(moderator, comment)

    assert fresh(comment).featured_at is not None
    event = written("comment_featured")
    assert (event["case"], event["comment"]) == (None, comment.pk)


def test_a_comment_readers_cannot_see_is_not_featured(moderator, space, author):
    hidden = make_comment(space, author=author, status=Comment.Status.HIDDEN)

    with pytest.raises(workflow.Refused, match="Only a comment that readers can see"):
        workflow.feature(moderator, hidden)
    assert fresh(hidden).featured_at is None


# The author's answers.


def test_an_authors_reply_answers_the_call_in(author, called_in_case):
    Case.objects.filter(pk=called_in_case.pk).update(no_answer=True)

    workflow.author_reply(author, called_in_case, "I see what you mean.")

    assert written("author_replied") == on(
        called_in_case, author, {"state": "waiting"}, {"state": "answered"}
    )
    case = fresh(called_in_case)
    assert (case.state, case.no_answer, case.call_in_deadline) == ("answered", False, None)


def test_a_withdrawal_from_the_inbox_carries_no_text(author, called_in_case):
    workflow.author_withdraw(author, called_in_case)

    message = called_in_case.messages.latest("id")
    assert (message.sender, message.body) == (author, "")


def test_a_label_is_kept_on_a_note_about_the_author_only(moderator, case):
    note = workflow.annotate(
        moderator, case.comment, Annotation.Kind.AUTHOR_NOTE, "Often heated.", case, "heated"
    )
    assert fresh(note).label == "heated"

    with pytest.raises(workflow.Refused, match="Labels go on notes about the author"):
        workflow.annotate(
            moderator, case.comment, Annotation.Kind.COMMENT_NOTE, "Heated.", case, "heated"
        )
    assert Annotation.objects.count() == 1


def test_a_note_without_a_label_logs_none(moderator, case):
    note = workflow.annotate(moderator, case.comment, Annotation.Kind.COMMENT_NOTE, "Seen.", case)

    assert written("annotation_added")["after"] == {
        "kind": Annotation.Kind.COMMENT_NOTE,
        "annotation": note.pk,
    }
