"""The helpers every workflow action shares (workflow.cases): a case callin opens itself
gathers the watched words of every screening; messages are checked at their limits; a
case's opening is logged with who and how; locking reads what actions read (gaps found by
`make mutate`)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction

from moderation import workflow
from moderation.models import Case, Message, Notice, Sanction
from moderation.workflow.cases import lock_case, lock_comment, open_system_case
from tests.helpers import T0, assert_event, fresh, last_event
from threads.inputs import NUL_MESSAGE, too_long
from threads.limits import MAX_MESSAGE_LENGTH

pytestmark = pytest.mark.django_db


def test_a_system_case_gathers_the_watched_words_of_each_screening(comment):
    case, created = open_system_case(comment, Case.Origin.WATCHED_WORD, "watched", ["plum"])
    assert created and fresh(case).watched_words == ["plum"]

    again, created = open_system_case(comment, Case.Origin.WATCHED_WORD, "watched", ["fig", "plum"])

    assert (again.pk, created) == (case.pk, False)
    assert fresh(case).watched_words == ["fig", "plum"]


def test_a_system_case_without_words_keeps_the_ones_it_has(comment):
    case, _ = open_system_case(comment, Case.Origin.WATCHED_WORD, "watched", ["plum"])

    open_system_case(comment, Case.Origin.HEAT, "heated")

    assert fresh(case).watched_words == ["plum"]


def test_a_message_of_exactly_the_limit_is_sent_and_one_character_more_is_refused(moderator, case):
    with pytest.raises(workflow.Refused) as refused:
        workflow.call_in(moderator, case, "x" * (MAX_MESSAGE_LENGTH + 1))
    assert str(refused.value) == too_long(MAX_MESSAGE_LENGTH)
    assert fresh(case).state == Case.State.OPEN

    workflow.call_in(moderator, case, "x" * MAX_MESSAGE_LENGTH)

    assert fresh(case).state == Case.State.WAITING
    assert len(case.messages.get(kind=Message.Kind.CALL_IN).body) == MAX_MESSAGE_LENGTH


def test_a_message_holding_a_nul_character_is_refused_with_the_reason(moderator, case):
    with pytest.raises(workflow.Refused) as refused:
        workflow.call_in(moderator, case, "Would you reread\x00 this?")

    assert str(refused.value) == NUL_MESSAGE
    assert fresh(case).state == Case.State.OPEN and not case.messages.exists()


def test_an_empty_message_is_refused_with_what_to_write(moderator, called_in_case):
    with pytest.raises(workflow.Refused, match="^Write a message first\\.$"):
        workflow.message_author(moderator, called_in_case, "   ")
    assert called_in_case.messages.count() == 1


def test_a_timed_action_logs_when_it_ends(moderator, case, comment):
    with time_machine.travel(T0, tick=False):
        workflow.pause_replies(moderator, comment, timedelta(minutes=30), case)

    event = last_event("replies_paused")
    assert event.after == {"replies_paused_until": (T0 + timedelta(minutes=30)).isoformat()}


def test_a_notice_with_nothing_to_open_has_no_link(moderator, called_in_case, author):
    warning = workflow.sanction(moderator, called_in_case, Sanction.Kind.WARNING, "Insults.")

    workflow.lift_sanction(moderator, warning, "Issued in error.")

    lifted = Notice.objects.get(user=author, body__contains="lifted your formal warning")
    assert lifted.link == ""


def test_a_locked_case_or_comment_comes_with_what_actions_read(
    case, comment, django_assert_num_queries
):
    """Every action reads the case's comment and space: locking reads them with the case
    (and a locked comment with its space), not one query each later."""
    with transaction.atomic():
        locked, locked_comment = lock_case(case), lock_comment(comment)
        with django_assert_num_queries(0):
            assert (locked.comment.pk, locked.essay.pk) == (case.comment_id, case.essay_id)
            assert locked_comment.essay.pk == comment.essay_id


def test_a_case_opened_by_a_flag_is_logged_with_who_opened_it_and_how(flagger, comment):
    _, case = workflow.flag_comment(flagger, comment, "heated")

    event = assert_event(
        "case_opened", actor=flagger, case=case, after={"state": "open", "origin": "flag"}
    )
    assert event.reason == ""


def test_a_case_callin_opens_itself_is_logged_without_an_actor_and_with_why(comment):
    case, _ = open_system_case(comment, Case.Origin.HEAT, "heated thread")

    event = assert_event(
        "case_opened", actor=None, case=case, after={"state": "open", "origin": "heat"}
    )
    assert event.reason == "heated thread"
