"""`tick`: call-in deadlines and everything else that ends on its own, on a frozen clock."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from moderation import workflow
from moderation.models import Case, ModerationEvent, Notice, Sanction
from tests.helpers import T0, client_for, event_count, fresh, html_of, last_event, make_comment
from threads import posting
from threads.errors import Refused
from threads.models import Comment, Essay

NOTHING = {
    "call_ins_expired": 0,
    "cool_downs_ended": 0,
    "folds_ended": 0,
    "slow_modes_ended": 0,
    "posting_pauses_ended": 0,
}


def expect(**counts):
    return {**NOTHING, **counts}


# --- call-in deadlines ------------------------------------------------------------------


def test_a_call_in_comes_back_unanswered_after_the_spaces_hours(moderator, case):
    Essay.objects.filter(pk=case.essay_id).update(call_in_hours=24)
    with time_machine.travel(T0, tick=False) as clock:
        workflow.call_in(moderator, case, "Hello, would you reread your comment?")
        assert fresh(case).call_in_deadline == T0 + timedelta(hours=24)

        clock.shift(timedelta(hours=24) - timedelta(seconds=1))
        assert workflow.tick() == NOTHING
        assert fresh(case).state == Case.State.WAITING and not fresh(case).no_answer

        clock.shift(timedelta(seconds=1))
        assert workflow.tick() == expect(call_ins_expired=1)

    case = fresh(case)
    assert case.state == Case.State.OPEN
    assert case.no_answer is True
    assert case.call_in_deadline is None
    event = last_event("call_in_expired")
    assert event.actor is None and event.case_id == case.pk
    assert event.comment_id == case.comment_id and event.essay_id == case.essay_id
    assert event.before == {"state": "waiting"}
    assert event.after == {"state": "open", "no_answer": True}
    assert event.created == T0 + timedelta(hours=24)


def test_the_default_wait_is_72_hours(moderator, case):
    with time_machine.travel(T0, tick=False) as clock:
        workflow.call_in(moderator, case, "Hello.")
        clock.shift(timedelta(hours=71, minutes=59))
        assert workflow.tick()["call_ins_expired"] == 0
        clock.shift(timedelta(minutes=1))
        assert workflow.tick()["call_ins_expired"] == 1


def test_a_second_tick_changes_nothing(moderator, case, comment):
    with time_machine.travel(T0, tick=False) as clock:
        workflow.call_in(moderator, case, "Hello.")
        workflow.pause_replies(moderator, comment, timedelta(minutes=30), case)
        workflow.collapse(moderator, comment, timedelta(hours=1), case)
        workflow.set_slow_mode(moderator, comment.essay, 60, timedelta(hours=1))
        clock.shift(timedelta(days=4))
        first = workflow.tick()
        assert first == expect(
            call_ins_expired=1, cool_downs_ended=1, folds_ended=1, slow_modes_ended=1
        )
        events, version = event_count(), fresh(case).version

        assert workflow.tick() == NOTHING
        clock.shift(timedelta(minutes=5))
        assert workflow.tick() == NOTHING
    assert event_count() == events
    assert fresh(case).version == version


def test_an_answer_before_the_deadline_clears_it(moderator, called_in_case, author):
    with time_machine.travel(T0, tick=False) as clock:
        workflow.author_reply(author, called_in_case, "I meant it kindly.")
        case = fresh(called_in_case)
        assert case.state == Case.State.ANSWERED and case.call_in_deadline is None
        clock.shift(timedelta(days=30))
        assert workflow.tick() == NOTHING
    case = fresh(case)
    assert case.state == Case.State.ANSWERED and not case.no_answer
    assert not ModerationEvent.objects.filter(action="call_in_expired").exists()


def test_a_revision_before_the_deadline_clears_it_too(moderator, called_in_case, author):
    workflow.author_revise(author, called_in_case, "I put that badly; here is what I meant.")
    assert fresh(called_in_case).call_in_deadline is None
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        assert workflow.tick()["call_ins_expired"] == 0


def test_writing_again_after_no_answer_starts_a_new_wait(moderator, case):
    with time_machine.travel(T0, tick=False) as clock:
        workflow.call_in(moderator, case, "Hello.")
        clock.shift(timedelta(hours=73))
        workflow.tick()
        assert fresh(case).no_answer

        workflow.message_author(moderator, case, "Just checking in once more.")
        case = fresh(case)
        assert case.state == Case.State.WAITING and not case.no_answer
        assert case.call_in_deadline == T0 + timedelta(hours=73 + 72)

        clock.shift(timedelta(hours=71))
        assert workflow.tick()["call_ins_expired"] == 0
        clock.shift(timedelta(hours=1))
        assert workflow.tick()["call_ins_expired"] == 1
    assert ModerationEvent.objects.filter(action="call_in_expired", case=case).count() == 2


def test_an_imported_authors_case_never_waits_for_an_answer(moderator, flagger, imported_comment):
    _, case = workflow.flag_comment(flagger, imported_comment, "heated")
    with time_machine.travel(T0, tick=False) as clock:
        with pytest.raises(workflow.Refused, match="no account"):  # nobody to call in
            workflow.call_in(moderator, case, "Nobody would read this.")
        assert fresh(case).call_in_deadline is None
        clock.shift(timedelta(days=10))
        assert workflow.tick() == NOTHING
    assert fresh(case).state == Case.State.OPEN and not fresh(case).no_answer


def test_a_resolved_case_never_expires(moderator, case):
    with time_machine.travel(T0, tick=False) as clock:
        workflow.call_in(moderator, case, "Hello.")
        workflow.resolve(moderator, case, Case.Outcome.DEESCALATED, "Calmer now.")
        clock.shift(timedelta(days=10))
        assert workflow.tick() == NOTHING
    assert fresh(case).state == Case.State.RESOLVED and not fresh(case).no_answer


def test_the_case_page_says_no_answer_and_offers_next_steps(moderator, case):
    with time_machine.travel(T0, tick=False) as clock:
        client = client_for(moderator)
        workflow.call_in(moderator, case, "Hello.")
        clock.shift(timedelta(hours=1))
        waiting = html_of(client.get(f"/moderation/cases/{case.pk}/"))
        assert "No answer." not in waiting

        clock.shift(timedelta(hours=72))
        call_command("tick", stdout=io.StringIO())
        html = html_of(client.get(f"/moderation/cases/{case.pk}/"))
        queue = html_of(client.get("/moderation/"))
    assert "<strong>No answer.</strong> The call-in waited 72 hours without a reply." in html
    assert "Next steps you could take" in html
    # The author was called in, so the suggested rung is the formal warning.
    assert "move up the ladder (a formal warning)" in html
    # The case history says who marked it and what, in words rather than the event's code.
    assert "<strong>callin</strong> marked the call-in as unanswered after its time ran out" in html
    assert "call_in_expired" not in html
    assert '<span class="badge">no answer</span>' in queue


# --- what else ends on its own -------------------------------------------------------------


def test_a_cool_down_ends_and_replies_are_taken_again(moderator, case, comment, flagger):
    with time_machine.travel(T0, tick=False) as clock:
        workflow.pause_replies(moderator, comment, timedelta(minutes=30), case)
        clock.shift(timedelta(minutes=29))
        assert workflow.tick()["cool_downs_ended"] == 0
        assert fresh(comment).replies_paused_until == T0 + timedelta(minutes=30)
        try:
            posting.post_comment(comment.essay, flagger, "A calm reply.", parent=fresh(comment))
        except Refused as exc:
            assert "resting" in str(exc)
        else:
            raise AssertionError("a reply during the cool-down was taken")

        clock.shift(timedelta(minutes=1))
        assert workflow.tick()["cool_downs_ended"] == 1
        assert fresh(comment).replies_paused_until is None
        posting.post_comment(comment.essay, flagger, "A calm reply.", parent=fresh(comment))
    event = last_event("replies_resumed")
    assert event.actor is None and event.comment_id == comment.pk
    assert event.before == {"replies_paused_until": (T0 + timedelta(minutes=30)).isoformat()}
    assert event.after == {"replies_paused_until": None}
    assert event.reason == "cool-down ended"


def test_a_timed_fold_ends_but_an_open_ended_one_stays(moderator, space, author):
    timed, open_ended = make_comment(space, author=author), make_comment(space, author=author)
    with time_machine.travel(T0, tick=False) as clock:
        workflow.collapse(moderator, timed, timedelta(hours=2))
        workflow.collapse(moderator, open_ended)
        clock.shift(timedelta(hours=1, minutes=59))
        assert workflow.tick()["folds_ended"] == 0
        clock.shift(timedelta(minutes=1))
        assert workflow.tick()["folds_ended"] == 1
        clock.shift(timedelta(days=29))
        assert workflow.tick()["folds_ended"] == 0
    timed, open_ended = fresh(timed), fresh(open_ended)
    assert not timed.collapsed and timed.collapsed_until is None
    assert open_ended.collapsed and open_ended.collapsed_until is None
    event = last_event("subthread_expanded")
    assert event.actor is None and event.comment_id == timed.pk
    assert event.after == {"collapsed": False} and event.reason == "fold ended"


def test_a_timed_slow_mode_ends_but_an_open_ended_one_stays(moderator, space):
    other = Essay.objects.create(slug="other-space", title="Other")
    with time_machine.travel(T0, tick=False) as clock:
        workflow.set_slow_mode(moderator, space, 120, timedelta(hours=3))
        workflow.set_slow_mode(moderator, other, 60)
        clock.shift(timedelta(hours=3) - timedelta(seconds=1))
        assert workflow.tick()["slow_modes_ended"] == 0
        assert fresh(space).slow_mode_active()
        clock.shift(timedelta(seconds=1))
        assert workflow.tick()["slow_modes_ended"] == 1
    space, other = fresh(space), fresh(other)
    assert space.slow_mode_seconds == 0 and space.slow_mode_until is None
    assert other.slow_mode_seconds == 60
    event = last_event("slow_mode_lifted")
    assert event.actor is None and event.essay_id == space.pk
    assert event.before == {"slow_mode_seconds": 120} and event.after == {"slow_mode_seconds": 0}


def test_a_posting_pause_ends_with_an_event_and_a_notice(moderator, called_in_case, author):
    with time_machine.travel(T0, tick=False) as clock:
        warning = workflow.sanction(moderator, called_in_case, Sanction.Kind.WARNING, "Insults.")
        workflow.acknowledge_warning(author, warning)
        pause = workflow.sanction(
            moderator,
            called_in_case,
            Sanction.Kind.POSTING_PAUSE,
            "Insults again.",
            timedelta(hours=12),
        )
        clock.shift(timedelta(hours=11))
        assert workflow.tick()["posting_pauses_ended"] == 0
        assert "paused until" in workflow.posting_refusal(author)
        clock.shift(timedelta(hours=1))
        assert workflow.tick() == expect(posting_pauses_ended=1)
        assert workflow.tick() == NOTHING
    pause = fresh(pause)
    assert pause.lifted_at == T0 + timedelta(hours=12)
    event = last_event("posting_pause_ended")
    assert event.actor is None and event.case_id == called_in_case.pk
    assert event.after == {"sanction": pause.pk, "user": "author"}
    assert Notice.objects.filter(user=author, body__contains="posting pause has ended").count() == 1
    assert workflow.posting_refusal(author) == ""
    # The pause still counts in the author's standing: the ladder remembers.
    assert workflow.standing(author) == 3


def test_the_command_prints_the_counts(moderator, case, comment):
    with time_machine.travel(T0, tick=False) as clock:
        workflow.call_in(moderator, case, "Hello.")
        workflow.pause_replies(moderator, comment, timedelta(minutes=30), case)
        clock.shift(timedelta(days=3, minutes=1))
        out = io.StringIO()
        call_command("tick", stdout=out)
        assert out.getvalue().strip() == (
            "call ins expired: 1, cool downs ended: 1, folds ended: 0, slow modes ended: 0, "
            "posting pauses ended: 0"
        )
        again = io.StringIO()
        call_command("tick", stdout=again)
        assert again.getvalue().strip() == (
            "call ins expired: 0, cool downs ended: 0, folds ended: 0, slow modes ended: 0, "
            "posting pauses ended: 0"
        )
        quiet = io.StringIO()
        call_command("tick", verbosity=0, stdout=quiet)
        assert quiet.getvalue() == ""
    assert fresh(case).no_answer and fresh(comment).replies_paused_until is None


def test_tick_leaves_what_has_not_run_out(moderator, case, comment):
    with time_machine.travel(T0, tick=False):
        workflow.call_in(moderator, case, "Hello.")
        workflow.pause_replies(moderator, comment, timedelta(hours=2), case)
        before = event_count()
        assert workflow.tick() == NOTHING
        assert event_count() == before
    assert fresh(case).state == Case.State.WAITING
    assert Comment.objects.get(pk=comment.pk).replies_paused_until is not None


# --- locking ----------------------------------------------------------------------------------


def test_tick_locks_each_expiring_case_through_lock_case(moderator, case, monkeypatch):
    """lock_case takes the comment first, then the case, like every other action, so tick
    and a moderator never wait on each other in opposite orders (a deadlock on PostgreSQL)."""
    locked, real = [], workflow.lock_case

    def spy(case, version=None, states=workflow.OPEN_STATES):
        locked.append((case.pk, case.comment_id, tuple(states)))
        return real(case, version, states)

    with time_machine.travel(T0, tick=False) as clock:
        workflow.call_in(moderator, case, "Hello.")
        monkeypatch.setattr(workflow.expiry, "lock_case", spy)
        clock.shift(timedelta(days=4))
        assert workflow.tick()["call_ins_expired"] == 1
    assert locked == [(case.pk, case.comment_id, (Case.State.WAITING,))]


def test_a_case_answered_while_tick_runs_is_left_alone(moderator, called_in_case, author):
    """The author answers between tick reading the due cases and locking one of them."""
    real = workflow.lock_case
    answered = []

    def answer_first(case, version=None, states=workflow.OPEN_STATES):
        if states == (Case.State.WAITING,) and not answered:
            answered.append(case.pk)
            workflow.author_reply(author, fresh(called_in_case), "Sorry, I was away.")
        return real(case, version, states)

    with time_machine.travel(timezone.now() + timedelta(days=4), tick=False):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(workflow.expiry, "lock_case", answer_first)
            assert workflow.tick() == NOTHING
    assert answered == [called_in_case.pk]
    case = fresh(called_in_case)
    assert case.state == Case.State.ANSWERED and not case.no_answer
    assert not ModerationEvent.objects.filter(action="call_in_expired").exists()


def test_a_new_wait_started_while_tick_runs_is_left_alone(moderator, called_in_case):
    """A moderator writes again (a new deadline) just before tick locks the case."""
    real = workflow.lock_case
    later = timezone.now() + timedelta(days=4)

    def write_again_first(case, version=None, states=workflow.OPEN_STATES):
        if states == (Case.State.WAITING,) and not fresh(called_in_case).messages.filter(
            kind="moderator"
        ):
            workflow.message_author(moderator, fresh(called_in_case), "Still there?")
        return real(case, version, states)

    with time_machine.travel(later, tick=False):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(workflow.expiry, "lock_case", write_again_first)
            assert workflow.tick() == NOTHING
    case = fresh(called_in_case)
    assert case.state == Case.State.WAITING and case.call_in_deadline > later
