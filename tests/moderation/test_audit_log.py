"""The append-only audit log: what each action writes, and that nothing rewrites it."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from moderation import workflow
from moderation.audit import record
from moderation.models import Annotation, Case, ModerationEvent
from tests.helpers import actions, assert_event, fresh, make_comment

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The append-only trigger exists on PostgreSQL only; SQLite relies on the ORM guard.",
)


# --- what each action writes --------------------------------------------------------------


def test_first_flag_logs_case_opened_and_flag_added(flagger, comment):
    _, case = workflow.flag_comment(flagger, comment, "heated", note="n")

    assert actions(case) == ["case_opened", "flag_added"]
    opened = case.events.get(action="case_opened")
    assert (opened.actor, opened.comment, opened.essay) == (flagger, comment, comment.essay)
    assert opened.before == {}
    assert opened.after["state"] == "open" and opened.after["origin"] == "flag"
    added = assert_event(
        "flag_added", actor=flagger, case=case, after={"reason": "heated", "note": "n"}
    )
    assert added.before == {}


def test_second_flag_logs_only_flag_added(flagger, second_flagger, case):
    workflow.flag_comment(second_flagger, case.comment, "spam")
    assert actions(case) == ["case_opened", "flag_added", "flag_added"]
    assert_event(
        "flag_added", actor=second_flagger, case=case, after={"reason": "spam", "note": ""}
    )


def test_changed_flag_logs_flag_updated_with_before_and_after(flagger, case):
    workflow.flag_comment(flagger, case.comment, "harmful", note="worse")
    assert_event(
        "flag_updated",
        actor=flagger,
        case=case,
        before={"reason": "heated", "note": ""},
        after={"reason": "harmful", "note": "worse"},
    )


def test_open_case_logs_case_opened(moderator, comment):
    case, _ = workflow.open_case(moderator, comment)
    event = assert_event("case_opened", actor=moderator, case=case, after={"state": "open"})
    assert event.before == {}


def test_claim_and_unclaim_log_who_held_the_case(moderator, case):
    workflow.claim(moderator, case)
    assert_event(
        "case_claimed",
        actor=moderator,
        case=case,
        before={"claimed_by": None},
        after={"claimed_by": "mod"},
    )
    workflow.unclaim(moderator, case)
    assert_event(
        "case_unclaimed",
        actor=moderator,
        case=case,
        before={"claimed_by": "mod"},
        after={"claimed_by": None},
    )


def test_call_in_logs_the_state_change_and_the_visibility_pause(moderator, case):
    workflow.call_in(moderator, case, "Hello.", pause_visibility=True)
    assert_event(
        "call_in_sent",
        actor=moderator,
        case=case,
        before={"state": "open"},
        after={"state": "waiting"},
    )
    assert_event(
        "visibility_paused",
        actor=moderator,
        case=case,
        before={"visibility_paused": False},
        after={"visibility_paused": True},
    )


def test_message_author_logs_message_sent(moderator, author, called_in_case):
    workflow.author_reply(author, called_in_case, "Hi.")
    workflow.message_author(moderator, called_in_case, "Thanks.")
    assert_event(
        "message_sent",
        actor=moderator,
        case=called_in_case,
        before={"state": "answered"},
        after={"state": "waiting"},
    )


@pytest.mark.parametrize(
    ("answer", "action"),
    [
        (lambda u, c: workflow.author_reply(u, c, "Hi."), "author_replied"),
        (lambda u, c: workflow.author_revise(u, c, "Better."), "author_revised"),
        (lambda u, c: workflow.author_withdraw(u, c), "author_withdrew"),
    ],
)
def test_author_answers_are_logged_as_the_author(author, called_in_case, answer, action):
    answer(author, called_in_case)
    assert_event(
        action,
        actor=author,
        case=called_in_case,
        before={"state": "waiting"},
        after={"state": "answered"},
    )


def test_annotation_and_retraction_are_logged(moderator, case):
    note = workflow.annotate(moderator, case.comment, Annotation.Kind.CONTEXT, "Ctx.", case=case)
    assert_event(
        "annotation_added",
        actor=moderator,
        case=case,
        after={"kind": "context", "annotation": note.pk},
    )
    workflow.retract_annotation(moderator, note)
    assert_event(
        "annotation_retracted",
        actor=moderator,
        case=case,
        before={"annotation": note.pk, "retracted": False},
        after={"retracted": True},
    )


def test_annotation_without_a_case_names_the_comment_and_its_essay(moderator, comment):
    workflow.annotate(moderator, comment, Annotation.Kind.COMMENT_NOTE, "Note.")
    assert_event("annotation_added", actor=moderator, comment=comment)


def test_bridging_note_is_logged_on_the_parent_comment(moderator, case):
    note = workflow.add_bridging_note(moderator, case.comment, "Bridge.", case=case)
    assert_event("bridging_note_added", actor=moderator, case=case, after={"note": note.pk})


def test_pause_and_resume_replies_are_logged_with_the_times(moderator, comment):
    workflow.pause_replies(moderator, comment, timedelta(hours=1))
    until = fresh(comment).replies_paused_until.isoformat()
    assert_event(
        "replies_paused",
        actor=moderator,
        comment=comment,
        before={"replies_paused_until": None},
        after={"replies_paused_until": until},
    )
    workflow.resume_replies(moderator, comment)
    assert_event(
        "replies_resumed",
        actor=moderator,
        comment=comment,
        before={"replies_paused_until": until},
        after={"replies_paused_until": None},
    )


def test_collapse_and_expand_are_logged(moderator, comment):
    workflow.collapse(moderator, comment)
    assert_event(
        "subthread_collapsed",
        actor=moderator,
        comment=comment,
        before={"collapsed": False, "until": None},
        after={"collapsed": True, "until": None},
    )
    workflow.expand(moderator, comment)
    assert_event(
        "subthread_expanded",
        actor=moderator,
        comment=comment,
        before={"collapsed": True},
        after={"collapsed": False},
    )


def test_slow_mode_is_logged_on_the_essay(moderator, space):
    workflow.set_slow_mode(moderator, space, 300)
    workflow.set_slow_mode(moderator, space, 0)
    assert_event(
        "slow_mode_lifted",
        actor=moderator,
        essay=space,
        before={"slow_mode_seconds": 300, "until": None},
        after={"slow_mode_seconds": 0, "until": None},
    )


def test_visibility_pause_and_restore_are_logged(moderator, case):
    workflow.pause_visibility(moderator, case)
    assert_event("visibility_paused", actor=moderator, case=case)
    workflow.restore_visibility(moderator, case.comment, case=case)
    assert_event(
        "visibility_restored",
        actor=moderator,
        case=case,
        before={"visibility_paused": True},
        after={"visibility_paused": False},
    )


def test_resolve_logs_the_outcome_and_the_reason(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION, reason="Fine as is.")
    event = assert_event(
        "case_resolved",
        actor=moderator,
        case=case,
        before={"state": "open"},
        after={"state": "resolved", "outcome": "no_action"},
    )
    assert event.reason == "Fine as is."


def test_hiding_logs_comment_hidden_then_case_resolved(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    assert actions(case)[-2:] == ["comment_hidden", "case_resolved"]
    event = assert_event(
        "comment_hidden",
        actor=moderator,
        case=case,
        before={"status": "visible"},
        after={"status": "hidden", "hide_reason": "spam"},
    )
    assert event.reason == "Spam"


def test_reopen_and_unhide_are_logged(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="harmful")
    workflow.reopen(moderator, case, reason="Second look.")
    assert_event(
        "case_reopened",
        actor=moderator,
        case=case,
        before={"state": "resolved", "outcome": "hidden"},
        after={"state": "open"},
    )
    workflow.unhide(moderator, case.comment, case=case)
    assert_event(
        "comment_unhidden",
        actor=moderator,
        case=case,
        before={"status": "hidden"},
        after={"status": "visible"},
    )


def test_refused_actions_log_nothing(moderator, author, flagger, case):
    logged = actions()
    refusals = [
        lambda: workflow.flag_comment(author, case.comment, "heated"),
        lambda: workflow.flag_comment(flagger, case.comment, "bogus"),
        lambda: workflow.message_author(moderator, case, "Hi."),
        lambda: workflow.author_reply(author, case, "Hi."),
        lambda: workflow.claim(moderator, case, version=0),
        lambda: workflow.resolve(moderator, case, Case.Outcome.HIDDEN),
        lambda: workflow.reopen(moderator, case),
        lambda: workflow.expand(moderator, case.comment),
        lambda: workflow.resume_replies(moderator, case.comment),
        lambda: workflow.restore_visibility(moderator, case.comment),
        lambda: workflow.unhide(moderator, case.comment),
    ]
    for refused in refusals:
        with pytest.raises(workflow.Refused):
            refused()
    assert actions() == logged


def test_events_are_newest_first_by_default(moderator, case):
    workflow.claim(moderator, case)
    assert [e.action for e in ModerationEvent.objects.filter(case=case)] == [
        "case_claimed",
        "flag_added",
        "case_opened",
    ]


def test_record_defaults_the_comment_and_essay_from_the_case(moderator, case, space):
    event = record(moderator, "custom", case=case)
    assert (event.comment_id, event.essay_id) == (case.comment_id, case.essay_id)
    other = make_comment(space, author=None, body="Elsewhere.")
    event = record(None, "system", comment=other)
    assert (event.actor, event.case, event.essay_id) == (None, None, other.essay_id)


# --- append-only --------------------------------------------------------------------------


@pytest.fixture
def event(moderator, case):
    return ModerationEvent.objects.filter(case=case).order_by("id").first()


def test_saving_an_existing_event_raises(event):
    event.action = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    assert fresh(event).action == "case_opened"


def test_deleting_an_event_raises(event):
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    assert ModerationEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_raises(event):
    with pytest.raises(TypeError, match="append-only"):
        ModerationEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(TypeError, match="append-only"):
        ModerationEvent.objects.update(reason="x")
    assert fresh(event).action == "case_opened"


def test_queryset_delete_raises(event):
    count = ModerationEvent.objects.count()
    with pytest.raises(TypeError, match="append-only"):
        ModerationEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(TypeError, match="append-only"):
        ModerationEvent.objects.all().delete()
    assert ModerationEvent.objects.count() == count


def test_bulk_update_raises(event):
    event.action = "x"
    # bulk_update's own atomic block has no savepoint: give it one to roll back to.
    with pytest.raises(TypeError, match="append-only"), transaction.atomic():
        ModerationEvent.objects.bulk_update([event], ["action"])
    assert fresh(event).action == "case_opened"


def test_new_events_can_still_be_appended(moderator, event):
    new = ModerationEvent(actor=moderator, action="note", created=timezone.now())
    new.save()
    assert ModerationEvent.objects.filter(pk=new.pk).exists()


@postgres_only
def test_raw_sql_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE moderation_moderationevent SET action='x'")
    assert fresh(event).action == "case_opened"


@postgres_only
def test_raw_sql_delete_is_refused_by_the_database(event):
    count = ModerationEvent.objects.count()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM moderation_moderationevent")
    assert ModerationEvent.objects.count() == count
