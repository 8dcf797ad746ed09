"""Call-ins that run out (workflow.tick), called directly: every case past its deadline
comes back, counted, each with an event that says why (gaps found by `make mutate`)."""

from datetime import timedelta

import pytest

from moderation import workflow
from moderation.models import Case
from tests.helpers import fresh, last_event, make_comment

pytestmark = pytest.mark.django_db


def test_every_call_in_past_its_deadline_comes_back_and_is_counted(
    space, author, flagger, moderator
):
    cases = []
    for n in range(2):
        comment = make_comment(space, author=author, body=f"Comment {n}.")
        _, case = workflow.flag_comment(flagger, comment, "heated")
        workflow.call_in(moderator, case, "Would you reread this?")
        cases.append(fresh(case))
    later = max(case.call_in_deadline for case in cases) + timedelta(minutes=1)

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
