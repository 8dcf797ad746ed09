"""What a sanction keeps and tells: its row, its event and the author's notice in full, the
reasons' limits, a sanction on a resolved case, and whose standing and posting it touches
(gaps found by `make mutate` in moderation/workflow/ladder.py)."""

from datetime import timedelta

import pytest
import time_machine

from moderation import workflow
from moderation.models import Case, Message, Notice, Sanction
from tests.helpers import T0, fresh, last_event
from threads.limits import MAX_REASON_LENGTH

pytestmark = pytest.mark.usefixtures("no_heat")


def notice_of(user):
    return Notice.objects.filter(user=user).order_by("-id").first().body


def test_a_notice_on_a_case_is_not_a_call_in(moderator, case, author):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")

    assert case.messages.filter(kind=Message.Kind.NOTICE).exists()
    assert workflow.standing(author) == 0


def test_a_warning_keeps_its_reason_and_names_the_space(moderator, called_in_case, author):
    item = workflow.sanction(moderator, called_in_case, Sanction.Kind.WARNING, "Insults.")

    assert fresh(item).reason == "Insults."
    assert notice_of(author) == (
        f"The moderators of “{called_in_case.essay.title}” are giving you a formal warning: "
        "Insults.\nPlease read it and acknowledge it in your inbox before you post again."
    )


def test_a_posting_pause_is_kept_logged_and_told_with_its_end(moderator, called_in_case, author):
    with time_machine.travel(T0, tick=False):
        warning = workflow.sanction(moderator, called_in_case, Sanction.Kind.WARNING, "Insults.")
        workflow.acknowledge_warning(author, warning)

        item = workflow.sanction(
            moderator,
            called_in_case,
            Sanction.Kind.POSTING_PAUSE,
            "Insults again.",
            timedelta(hours=12, minutes=30),
        )

        item = fresh(item)
        assert (item.reason, item.ends_at) == ("Insults again.", T0 + timedelta(hours=12.5))
        event = last_event("sanction_posting_pause")
        assert event.after == {
            "standing": 3,
            "sanction": item.pk,
            "ends_at": "2030-03-04T21:30:00+00:00",
        }
        assert notice_of(author) == (
            f"The moderators of “{called_in_case.essay.title}” have paused your posting "
            "until Mar 4, 21:30: Insults again."
        )
        assert workflow.posting_refusal(author) == "Your posting is paused until Mar 4, 21:30."


def test_the_latest_end_of_two_pauses_is_the_one_the_author_is_told(
    moderator, called_in_case, author
):
    with time_machine.travel(T0, tick=False):
        for hours in (30, 2):
            workflow.sanction(
                moderator,
                called_in_case,
                Sanction.Kind.POSTING_PAUSE,
                "Insults again.",
                timedelta(hours=hours),
                skip_reason="Repeated.",
            )
        assert workflow.posting_refusal(author) == "Your posting is paused until Mar 5, 15:00."


@pytest.mark.parametrize("field", ["reason", "skip_reason"])
def test_a_sanctions_reasons_are_kept_up_to_the_reasons_limit(moderator, called_in_case, field):
    texts = {"reason": "Insults.", "skip_reason": "Repeated."}

    texts[field] = "x" * (MAX_REASON_LENGTH + 1)
    with pytest.raises(workflow.Refused, match="4,000"):
        workflow.sanction(
            moderator,
            called_in_case,
            Sanction.Kind.POSTING_PAUSE,
            **texts,
            duration=timedelta(hours=1),
        )
    assert not Sanction.objects.exists()

    texts[field] = "x" * MAX_REASON_LENGTH
    item = workflow.sanction(
        moderator, called_in_case, Sanction.Kind.POSTING_PAUSE, **texts, duration=timedelta(hours=1)
    )
    assert getattr(fresh(item), field) == "x" * MAX_REASON_LENGTH


def test_a_sanction_can_follow_the_resolution_of_its_case(moderator, called_in_case, author):
    workflow.resolve(moderator, called_in_case, Case.Outcome.HIDDEN, hide_reason="harmful")
    assert fresh(called_in_case).state == Case.State.RESOLVED

    item = workflow.sanction(moderator, called_in_case, Sanction.Kind.WARNING, "Insults.")

    assert fresh(item).case_id == called_in_case.pk
    assert workflow.standing(author) == 2


def test_one_authors_sanctions_stop_nobody_else(
    moderator, superuser, called_in_case, author, flagger
):
    workflow.sanction(moderator, called_in_case, Sanction.Kind.WARNING, "Insults.")
    workflow.sanction(
        moderator, called_in_case, Sanction.Kind.POSTING_PAUSE, "Again.", timedelta(hours=2)
    )
    workflow.sanction(superuser, called_in_case, Sanction.Kind.SUSPENSION, "Again.")

    assert workflow.posting_refusal(author) == "Your account is suspended from posting."
    assert workflow.posting_refusal(flagger) == ""
    assert workflow.standing(flagger) == 0
