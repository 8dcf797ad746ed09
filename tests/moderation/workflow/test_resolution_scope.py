"""Resolving and reopening touch only their own case: other cases' flaggers, other open
cases, and the words and links the author is sent (gaps found by `make mutate`)."""

import pytest

from moderation import workflow
from moderation.models import Case, Flag, FlaggerRecord, Message, ModerationEvent, Notice
from moderation.workflow.appeals import appeal_open
from tests.helpers import fresh, make_comment
from threads.limits import MAX_REASON_LENGTH
from threads.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_case(second_flagger, space, writer):
    """An open case on another comment in the same space, flagged by someone else."""
    other = make_comment(space, body="Another remark.", author=writer)
    _, case = workflow.flag_comment(second_flagger, other, "heated")
    return case


def test_reopen_works_while_an_unrelated_case_is_open(moderator, case, other_case):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION, "Fine as it is.")

    workflow.reopen(moderator, case, "A second look.")

    assert fresh(case).state == Case.State.OPEN
    assert fresh(other_case).state == Case.State.OPEN


def test_resolving_one_case_credits_and_thanks_only_its_own_flaggers(
    moderator, flagger, second_flagger, case, other_case
):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION, "Fine as it is.")

    assert FlaggerRecord.objects.get(user=flagger).disagreed == 1
    assert not FlaggerRecord.objects.filter(user=second_flagger, disagreed__gt=0).exists()
    assert Notice.objects.filter(user=flagger, body__startswith="Thank you").count() == 1
    assert not Notice.objects.filter(user=second_flagger, body__startswith="Thank you").exists()
    assert Flag.objects.get(case=case).reviewed_at is not None
    assert Flag.objects.get(case=other_case).reviewed_at is None


def test_the_flaggers_thanks_links_to_the_discussion(moderator, flagger, case):
    workflow.resolve(moderator, case, Case.Outcome.REVISED, "Reworded.")

    notice = Notice.objects.get(user=flagger)
    assert notice.link == case.essay.get_absolute_url()
    assert case.essay.title in notice.body


@pytest.mark.parametrize("hide_reason", [None, "", "other"])
def test_hiding_after_a_call_in_without_any_reason_is_refused_politely(
    moderator, called_in_case, hide_reason
):
    logged = ModerationEvent.objects.count()

    with pytest.raises(workflow.Refused, match="Say why the comment is hidden"):
        workflow.resolve(moderator, called_in_case, Case.Outcome.HIDDEN, "", hide_reason)

    assert fresh(called_in_case).state == Case.State.WAITING
    assert fresh(called_in_case.comment).status == Comment.Status.VISIBLE
    assert ModerationEvent.objects.count() == logged


def test_hiding_and_unhiding_tell_the_author_as_the_moderator_with_a_link(
    moderator, second_moderator, author, called_in_case
):
    comment = called_in_case.comment
    link = comment.get_absolute_url()
    workflow.resolve(moderator, called_in_case, Case.Outcome.HIDDEN, "A personal attack.")

    hidden_notice = Message.objects.get(case=called_in_case, kind=Message.Kind.NOTICE)
    assert hidden_notice.sender == moderator
    assert "A personal attack." in hidden_notice.body
    inbox = Notice.objects.filter(user=author).order_by("id")
    assert inbox.last().link == link
    assert "is hidden" in inbox.last().body

    workflow.unhide(second_moderator, comment, "On reflection.", called_in_case)

    shown_again = Message.objects.filter(case=called_in_case, kind=Message.Kind.NOTICE)
    assert shown_again.order_by("id").last().sender == second_moderator
    assert "visible in the discussion again" in shown_again.order_by("id").last().body
    assert inbox.last().link == link
    assert "visible in the discussion again" in inbox.last().body


def test_reopening_without_a_reason_logs_an_empty_one(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION, "Fine as it is.")

    workflow.reopen(moderator, case)

    event = ModerationEvent.objects.filter(action="case_reopened").get()
    assert (event.actor, event.reason) == (moderator, "")


def test_reopening_refuses_a_reason_longer_than_a_reasons_limit(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION, "Fine as it is.")

    with pytest.raises(workflow.Refused):
        workflow.reopen(moderator, case, "x" * (MAX_REASON_LENGTH + 1))
    assert fresh(case).state == Case.State.RESOLVED


@pytest.mark.parametrize(
    ("outcome", "agreed", "disagreed"),
    [
        (Case.Outcome.HIDDEN, 1, 0),
        (Case.Outcome.REVISED, 1, 0),
        (Case.Outcome.WITHDRAWN, 1, 0),
        (Case.Outcome.ANNOTATED, 1, 0),
        (Case.Outcome.NO_ACTION, 0, 1),
        (Case.Outcome.DEESCALATED, 0, 0),
    ],
)
def test_each_outcome_counts_for_or_against_the_flagger_or_neither(
    moderator, flagger, case, outcome, agreed, disagreed
):
    workflow.resolve(moderator, case, outcome, "Looked at it.", hide_reason="spam")

    record = FlaggerRecord.objects.filter(user=flagger).first()
    counts = (record.agreed, record.disagreed) if record else (0, 0)
    assert counts == (agreed, disagreed)
    assert Notice.objects.filter(user=flagger, body__startswith="Thank you").count() == 1


def test_a_flag_counts_once_when_its_reopened_case_is_resolved_again(
    moderator, flagger, second_flagger, case
):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION, "Fine as it is.")
    workflow.reopen(moderator, case, "A second look.")
    workflow.flag_comment(second_flagger, case.comment, "heated")

    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION, "Still fine.")

    assert FlaggerRecord.objects.get(user=flagger).disagreed == 1
    assert FlaggerRecord.objects.get(user=second_flagger).disagreed == 1
    assert Notice.objects.filter(user=flagger, body__startswith="Thank you").count() == 1


def test_an_appeal_case_is_not_resolved_here_and_the_moderator_is_told_where(
    moderator, second_moderator, author, case
):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    appeal = appeal_open(user=author, kind="hidden", comment=case.comment, body="Not spam.")

    with pytest.raises(workflow.Refused, match="An appeal is decided on its own page"):
        workflow.resolve(second_moderator, appeal.case, Case.Outcome.NO_ACTION)
    with pytest.raises(workflow.Refused, match="An appeal is decided on its own page"):
        workflow.approve(second_moderator, appeal.case)
    assert fresh(appeal.case).state == Case.State.OPEN
