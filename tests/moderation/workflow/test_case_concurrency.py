"""Two moderators acting on one case at the same moment (PostgreSQL row locks).

Each worker thread has its own database connection (Django's are per thread), so
these tests need real transactions: ``django_db(transaction=True)``.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from moderation import workflow
from moderation.models import Annotation, Case, Message
from tests.helpers import actions, fresh

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers; row locks only exist on PostgreSQL",
    ),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 20


def run_in_thread(call, results, index, barrier=None):
    def work():
        try:
            if barrier is not None:
                barrier.wait(timeout=TIMEOUT)
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=work, name=f"worker-{index}")
    thread.start()
    return thread


def join(threads):
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a worker is stuck"


def at_the_same_moment(*calls):
    """Run the calls in threads released together by a barrier; results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    join([run_in_thread(call, results, i, barrier) for i, call in enumerate(calls)])
    return results


def interleaved(monkeypatch, first, pause_at, second):
    """Run ``first`` until it reaches ``pause_at`` (``"<submodule>.<name>"`` of
    ``moderation.workflow``, the name as that submodule calls it), then start
    ``second``, give it time to take (or wait for) its locks, and let ``first`` go on.

    Two transactions that lock the same rows in opposite orders deadlock here, and
    PostgreSQL aborts one of them.
    """
    submodule, name = pause_at.split(".")
    module = getattr(workflow, submodule)
    original = getattr(module, name)
    reached, go = threading.Event(), threading.Event()

    def pausing(*args, **kwargs):
        if threading.current_thread().name == "worker-0" and not reached.is_set():
            reached.set()
            go.wait(timeout=TIMEOUT)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, pausing)
    results = [None, None]
    threads = [run_in_thread(first, results, 0)]
    assert reached.wait(timeout=TIMEOUT), f"the first worker never reached {pause_at}"
    threads.append(run_in_thread(second, results, 1))
    time.sleep(0.5)
    go.set()
    join(threads)
    return results


def test_two_moderators_resolving_at_once_one_wins(moderator, second_moderator, case):
    version = fresh(case).version

    results = at_the_same_moment(
        lambda: workflow.resolve(moderator, case, Case.Outcome.NO_ACTION, version=version),
        lambda: workflow.resolve(
            second_moderator, case, Case.Outcome.HIDDEN, hide_reason="spam", version=version
        ),
    )

    won = [r for r in results if isinstance(r, Case)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], workflow.Conflict), repr(lost[0])
    case = fresh(case)
    assert case.state == Case.State.RESOLVED
    assert case.version == version + 1
    assert case.resolved_by_id == won[0].resolved_by_id
    assert actions(case).count("case_resolved") == 1
    hidden = case.outcome == Case.Outcome.HIDDEN
    assert actions(case).count("comment_hidden") == int(hidden)
    assert case.messages.filter(kind=Message.Kind.NOTICE).count() == int(hidden)


def test_two_call_ins_at_once_send_one_message(moderator, second_moderator, case):
    version = fresh(case).version

    results = at_the_same_moment(
        lambda: workflow.call_in(moderator, case, "Hello from one.", version=version),
        lambda: workflow.call_in(second_moderator, case, "Hello from two.", version=version),
    )

    sent = [r for r in results if isinstance(r, Message)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(sent) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], workflow.Conflict), repr(lost[0])
    assert Message.objects.filter(case=case, kind=Message.Kind.CALL_IN).count() == 1
    case = fresh(case)
    assert case.state == Case.State.WAITING
    assert case.claimed_by_id == sent[0].sender_id
    assert actions(case).count("call_in_sent") == 1


def test_two_claims_at_once_leave_one_claimant(moderator, second_moderator, case):
    version = fresh(case).version

    results = at_the_same_moment(
        lambda: workflow.claim(moderator, case, version=version),
        lambda: workflow.claim(second_moderator, case, version=version),
    )

    assert sum(isinstance(r, workflow.Conflict) for r in results) == 1, results
    assert actions(case).count("case_claimed") == 1
    assert fresh(case).version == version + 1


def test_two_first_flags_at_once_open_one_case(flagger, second_flagger, comment):
    results = at_the_same_moment(
        lambda: workflow.flag_comment(flagger, comment, "heated"),
        lambda: workflow.flag_comment(second_flagger, comment, "harmful"),
    )

    assert all(isinstance(r, tuple) for r in results), results
    case = Case.objects.get(comment=comment)
    assert (case.flag_count, case.weight) == (2, 8)
    assert actions(case).count("case_opened") == 1


# --- lock order: the comment first, then the case -------------------------------------


def test_a_flag_and_a_resolution_at_once_do_not_deadlock(
    monkeypatch, moderator, second_flagger, case
):
    # flag_comment holds the comment when it looks for the open case.
    flagged, resolved = interleaved(
        monkeypatch,
        lambda: workflow.flag_comment(second_flagger, case.comment, "harmful"),
        "intake.open_case_for",
        lambda: workflow.resolve(moderator, case, Case.Outcome.NO_ACTION),
    )

    assert isinstance(flagged, tuple), repr(flagged)
    assert isinstance(resolved, Case), repr(resolved)
    case = fresh(case)
    assert case.state == Case.State.RESOLVED and case.flag_count == 2


def test_a_case_note_and_a_resolution_at_once_do_not_deadlock(monkeypatch, moderator, case):
    # annotate holds the case when it logs; its rows check their comment on commit.
    noted, resolved = interleaved(
        monkeypatch,
        lambda: workflow.annotate(
            moderator, case.comment, Annotation.Kind.COMMENT_NOTE, "Note.", case=case
        ),
        "notes.record",
        lambda: workflow.resolve(moderator, case, Case.Outcome.NO_ACTION),
    )

    assert isinstance(noted, Annotation), repr(noted)
    assert isinstance(resolved, Case), repr(resolved)
    assert fresh(case).state == Case.State.RESOLVED


def test_pausing_replies_and_a_resolution_at_once_do_not_deadlock(monkeypatch, moderator, case):
    # pause_replies holds the comment when it logs; the event checks its case on commit.
    paused, resolved = interleaved(
        monkeypatch,
        lambda: workflow.pause_replies(moderator, case.comment, timedelta(hours=1), case=case),
        "deescalation.record",
        lambda: workflow.resolve(moderator, case, Case.Outcome.DEESCALATED),
    )

    assert not isinstance(paused, Exception), repr(paused)
    assert isinstance(resolved, Case), repr(resolved)
    assert fresh(case.comment).replies_paused()
    assert fresh(case).state == Case.State.RESOLVED
