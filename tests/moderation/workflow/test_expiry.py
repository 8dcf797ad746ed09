"""Call-ins that run out (workflow.tick), called directly: every case past its deadline
comes back, counted, each with an event that says why; one changed meanwhile does not hold
back the next, and cases not due cost tick nothing (gaps found by `make mutate`)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation import workflow
from moderation.models import Case
from tests.helpers import T0, fresh, last_event, make_comment

pytestmark = pytest.mark.django_db


def _two_call_ins_past_their_deadline(space, author, flagger, moderator):
    """Two call-ins, and a moment after both their deadlines."""
    cases = []
    for n in range(2):
        comment = make_comment(space, author=author, body=f"Comment {n}.")
        _, case = workflow.flag_comment(flagger, comment, "heated")
        workflow.call_in(moderator, case, "Would you reread this?")
        cases.append(fresh(case))
    return cases, max(case.call_in_deadline for case in cases) + timedelta(minutes=1)


def test_every_call_in_past_its_deadline_comes_back_and_is_counted(
    space, author, flagger, moderator
):
    cases, later = _two_call_ins_past_their_deadline(space, author, flagger, moderator)

    done = workflow.tick(later)

    assert done["call_ins_expired"] == 2
    for case in cases:
        case = fresh(case)
        assert (case.state, case.no_answer, case.call_in_deadline) == (
            Case.State.OPEN,
            True,
            None,
        )
    event = last_event("call_in_expired")
    assert (event.actor, event.before, event.after, event.reason) == (
        None,
        {"state": "waiting"},
        {"state": "open", "no_answer": True},
        "the author did not answer in time",
    )


def _answered(case, author, moderator, later):
    workflow.author_reply(author, fresh(case), "Sorry, I was away.")
    return lambda: fresh(case).state == Case.State.ANSWERED and not fresh(case).no_answer


def _written_again(case, author, moderator, later):
    workflow.message_author(moderator, fresh(case), "Still there?")
    return lambda: fresh(case).state == Case.State.WAITING and fresh(case).call_in_deadline > later


@pytest.mark.parametrize("meanwhile", [_answered, _written_again])
def test_a_case_changed_while_tick_runs_does_not_hold_back_the_next_one(
    space, author, flagger, moderator, monkeypatch, meanwhile
):
    """The author answers the first due case, or a moderator writes on it again, between
    tick reading the list and locking it: that case is left as they left it, and the one
    after it still comes back unanswered."""
    (first, second), later = _two_call_ins_past_their_deadline(space, author, flagger, moderator)
    real, left_alone = workflow.lock_case, []

    def change_first(case, version=None, states=workflow.OPEN_STATES):
        if case.pk == first.pk:
            left_alone.append(meanwhile(first, author, moderator, later))
        return real(case, version, states)

    monkeypatch.setattr(workflow.expiry, "lock_case", change_first)
    with time_machine.travel(later, tick=False):
        assert workflow.tick()["call_ins_expired"] == 1

    assert left_alone and left_alone[0]()
    assert (fresh(second).state, fresh(second).no_answer) == (Case.State.OPEN, True)


def test_tick_does_no_work_for_call_ins_not_yet_due_or_already_resolved(
    space, author, flagger, moderator
):
    """Run every minute, tick must not lock every waiting case, nor every case ever called
    in: its queries stay those of an idle tick however many such cases there are."""
    with time_machine.travel(T0, tick=False) as clock:
        with CaptureQueriesContext(connection) as idle:
            workflow.tick()
        resolved, waiting = [
            workflow.flag_comment(flagger, make_comment(space, author=author), "heated")[1]
            for _ in range(2)
        ]
        workflow.call_in(moderator, resolved, "Would you reread this?")
        workflow.resolve(moderator, fresh(resolved), Case.Outcome.DEESCALATED, "Calmer now.")
        clock.shift(timedelta(days=10))  # the resolved case's old deadline is long past
        workflow.call_in(moderator, waiting, "Would you reread this?")

        with CaptureQueriesContext(connection) as busy:
            assert workflow.tick()["call_ins_expired"] == 0

    assert len(busy) == len(idle)
    assert fresh(waiting).state == Case.State.WAITING
    assert fresh(resolved).state == Case.State.RESOLVED and not fresh(resolved).no_answer
