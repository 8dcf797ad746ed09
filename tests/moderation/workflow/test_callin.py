"""The private call-in conversation: call_in, the author's answers, follow-ups."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import workflow
from moderation.models import Case, Message
from tests.helpers import actions, fresh, make_user
from threads import posting
from threads.models import Comment, CommentRevision, Essay

pytestmark = pytest.mark.django_db


# --- call_in --------------------------------------------------------------------------


def test_call_in_sends_a_message_waits_for_the_author_and_claims(moderator, case):
    version = fresh(case).version

    message = workflow.call_in(
        moderator, case, "  Hello, would you reread this?  ", version=version
    )

    message = fresh(message)
    assert message.case_id == case.pk
    assert message.kind == Message.Kind.CALL_IN
    assert message.sender == moderator
    assert message.body == "Hello, would you reread this?"
    assert message.read_at is None
    case = fresh(case)
    assert case.state == Case.State.WAITING
    assert case.claimed_by == moderator and case.claimed_at is not None
    assert case.version == version + 1
    assert not fresh(case.comment).visibility_paused
    assert actions(case)[-1] == "call_in_sent"


def test_call_in_waits_for_the_author_as_long_as_the_space_says(moderator, case, space):
    Essay.objects.filter(pk=space.pk).update(call_in_hours=24)
    before = timezone.now()

    workflow.call_in(moderator, case, "Hello.")

    deadline = fresh(case).call_in_deadline
    assert deadline is not None
    assert before + timedelta(hours=24) <= deadline <= timezone.now() + timedelta(hours=24)


def test_an_unanswered_call_in_comes_back_to_the_moderators(moderator, case):
    workflow.call_in(moderator, case, "Hello.")
    later = fresh(case).call_in_deadline + timedelta(seconds=1)

    workflow.tick(now=later)

    case = fresh(case)
    assert case.state == Case.State.OPEN and case.no_answer
    assert actions(case)[-1] == "call_in_expired"


def test_author_answer_stops_the_clock(author, called_in_case):
    workflow.author_reply(author, called_in_case, "Here I am.")
    assert fresh(called_in_case).call_in_deadline is None


def test_call_in_keeps_an_existing_claim(moderator, second_moderator, case):
    workflow.claim(second_moderator, case)
    claimed_at = fresh(case).claimed_at

    workflow.call_in(moderator, case, "Hello.")

    case = fresh(case)
    assert case.claimed_by == second_moderator and case.claimed_at == claimed_at


def test_call_in_can_pause_the_comments_visibility(moderator, case):
    workflow.call_in(moderator, case, "Hello.", pause_visibility=True)

    comment = fresh(case.comment)
    assert comment.visibility_paused is True
    assert comment.is_visible and not comment.is_shown
    assert actions(case)[-2:] == ["call_in_sent", "visibility_paused"]


def test_call_in_for_an_imported_comment_is_refused(moderator, flagger, imported_comment):
    _, case = workflow.flag_comment(flagger, imported_comment, "heated")
    logged = actions()

    with pytest.raises(workflow.Refused, match="no account here .* context note"):
        workflow.call_in(moderator, case, "Nobody would read this.")

    assert not Message.objects.exists()
    case = fresh(case)
    assert case.state == Case.State.OPEN and case.claimed_by is None
    assert actions() == logged


def test_call_in_on_a_resolved_case_is_a_conflict(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION)
    logged = actions()

    with pytest.raises(workflow.Conflict, match="Resolved"):
        workflow.call_in(moderator, case, "Hello.")

    assert not Message.objects.filter(kind=Message.Kind.CALL_IN).exists()
    assert fresh(case).state == Case.State.RESOLVED
    assert actions() == logged


def test_call_in_with_a_stale_version_is_a_conflict(moderator, second_moderator, case):
    version = fresh(case).version
    workflow.claim(second_moderator, case)

    with pytest.raises(workflow.Conflict):
        workflow.call_in(moderator, case, "Hello.", version=version)

    assert not Message.objects.exists()
    assert fresh(case).state == Case.State.OPEN


@pytest.mark.parametrize("body", ["", "   \n ", None])
def test_call_in_without_text_is_refused(moderator, case, body):
    with pytest.raises(workflow.Refused, match="Write the call-in message"):
        workflow.call_in(moderator, case, body)
    assert not Message.objects.exists()
    assert fresh(case).state == Case.State.OPEN


def test_overlong_call_in_is_refused(moderator, case):
    with pytest.raises(workflow.Refused, match="too long"):
        workflow.call_in(moderator, case, "x" * 10_001)
    assert not Message.objects.exists()


# --- author_reply ---------------------------------------------------------------------


def test_author_reply_answers_the_call_in(author, called_in_case):
    version = called_in_case.version

    message = workflow.author_reply(author, called_in_case, "I meant it as a joke, sorry.")

    message = fresh(message)
    assert message.kind == Message.Kind.AUTHOR and message.from_author
    assert message.sender == author and message.body == "I meant it as a joke, sorry."
    case = fresh(called_in_case)
    assert case.state == Case.State.ANSWERED
    assert case.version == version + 1
    assert actions(case)[-1] == "author_replied"


def test_author_can_reply_again_after_answering(author, called_in_case):
    workflow.author_reply(author, called_in_case, "First.")
    workflow.author_reply(author, called_in_case, "Second.")
    assert called_in_case.messages.filter(kind=Message.Kind.AUTHOR).count() == 2
    assert fresh(called_in_case).state == Case.State.ANSWERED


def test_author_reply_refused_without_text(author, called_in_case):
    with pytest.raises(workflow.Refused):
        workflow.author_reply(author, called_in_case, "  ")
    assert fresh(called_in_case).state == Case.State.WAITING


# --- author_revise --------------------------------------------------------------------


def test_author_revise_keeps_the_old_text_and_changes_the_body(author, called_in_case):
    comment = called_in_case.comment
    old_body = comment.body

    message = workflow.author_revise(author, called_in_case, "I disagree, and here is why.")

    comment = fresh(comment)
    assert comment.body == "I disagree, and here is why."
    assert comment.edited is not None
    message = fresh(message)
    assert message.kind == Message.Kind.REVISED and message.sender == author
    revision = CommentRevision.objects.get(comment=comment)
    assert message.revision == revision
    assert revision.body == old_body and revision.edited_by == author
    case = fresh(called_in_case)
    assert case.state == Case.State.ANSWERED
    assert actions(case)[-1] == "author_revised"


def test_a_second_revision_links_the_newest_old_text(author, called_in_case):
    workflow.author_revise(author, called_in_case, "Second text.")
    message = workflow.author_revise(author, called_in_case, "Third text.")
    assert fresh(message).revision.body == "Second text."
    assert fresh(called_in_case.comment).body == "Third text."


def test_two_revisions_in_the_same_instant_link_the_newest_old_text(
    author, called_in_case, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)  # both edits carry the same time
    workflow.author_revise(author, called_in_case, "Second text.")
    message = workflow.author_revise(author, called_in_case, "Third text.")

    assert fresh(message).revision.body == "Second text."


@pytest.mark.parametrize("padding", ["", "  ", "\n"])
def test_author_revise_with_unchanged_text_is_refused(author, called_in_case, padding):
    body = called_in_case.comment.body

    with pytest.raises(workflow.Refused, match="unchanged"):
        workflow.author_revise(author, called_in_case, padding + body + padding)

    assert not CommentRevision.objects.exists()
    assert not called_in_case.messages.filter(kind=Message.Kind.REVISED).exists()
    assert fresh(called_in_case).state == Case.State.WAITING


def test_author_revise_with_empty_text_is_refused(author, called_in_case):
    with pytest.raises(workflow.Refused, match="Write something"):
        workflow.author_revise(author, called_in_case, "")
    assert fresh(called_in_case.comment).body.startswith("You clearly")


# --- author_withdraw ------------------------------------------------------------------


def test_author_withdraw_withdraws_the_comment(author, called_in_case):
    message = workflow.author_withdraw(author, called_in_case)

    comment = fresh(called_in_case.comment)
    assert comment.status == Comment.Status.WITHDRAWN
    assert Comment.objects.filter(pk=comment.pk).exists()
    message = fresh(message)
    assert message.kind == Message.Kind.WITHDRAWN and message.sender == author
    case = fresh(called_in_case)
    assert case.state == Case.State.ANSWERED
    assert actions(case)[-1] == "author_withdrew"


def test_withdrawing_twice_is_refused_and_tells_the_moderators_once(author, called_in_case):
    workflow.author_withdraw(author, called_in_case)
    logged, version = actions(), fresh(called_in_case).version

    with pytest.raises(workflow.Refused, match="already withdrawn this comment"):
        workflow.author_withdraw(author, called_in_case)

    assert actions() == logged
    assert fresh(called_in_case).version == version
    assert called_in_case.messages.filter(kind=Message.Kind.WITHDRAWN).count() == 1


def test_withdrawing_on_the_thread_first_still_tells_the_moderators_once(author, called_in_case):
    posting.withdraw_comment(called_in_case.comment, author)
    workflow.author_withdraw(author, called_in_case)
    with pytest.raises(workflow.Refused):
        workflow.author_withdraw(author, called_in_case)
    assert called_in_case.messages.filter(kind=Message.Kind.WITHDRAWN).count() == 1
    assert actions(called_in_case).count("author_withdrew") == 1


# --- only the author, only after a call-in ------------------------------------------


def _answer(kind, user, case):
    if kind == "reply":
        return workflow.author_reply(user, case, "An answer.")
    if kind == "revise":
        return workflow.author_revise(user, case, "A new text.")
    return workflow.author_withdraw(user, case)


ANSWERS = ["reply", "revise", "withdraw"]


@pytest.mark.parametrize("kind", ANSWERS)
def test_only_the_author_may_answer(kind, moderator, flagger, called_in_case):
    comment = called_in_case.comment
    for someone in (flagger, moderator, make_user("stranger")):
        with pytest.raises(workflow.Refused, match="not yours"):
            _answer(kind, someone, called_in_case)
    assert fresh(called_in_case).state == Case.State.WAITING
    assert fresh(comment).body == comment.body
    assert fresh(comment).status == Comment.Status.VISIBLE
    assert called_in_case.messages.count() == 1


@pytest.mark.parametrize("kind", ANSWERS)
def test_the_author_may_not_answer_before_a_call_in(kind, author, case):
    with pytest.raises(workflow.Refused, match="no call-in"):
        _answer(kind, author, case)
    assert fresh(case).state == Case.State.OPEN
    assert fresh(case.comment).status == Comment.Status.VISIBLE
    assert not Message.objects.exists()


@pytest.mark.parametrize("kind", ANSWERS)
def test_the_author_may_not_answer_on_a_resolved_case(kind, author, moderator, called_in_case):
    workflow.resolve(moderator, called_in_case, Case.Outcome.NO_ACTION)
    with pytest.raises(workflow.Conflict):
        _answer(kind, author, called_in_case)
    assert fresh(called_in_case).state == Case.State.RESOLVED


@pytest.mark.parametrize("kind", ANSWERS)
def test_nobody_answers_for_an_imported_author(kind, moderator, flagger, imported_comment):
    _, case = workflow.flag_comment(flagger, imported_comment, "heated")
    with pytest.raises(workflow.Refused, match="not yours"):
        _answer(kind, flagger, case)


# --- message_author -------------------------------------------------------------------


def test_message_author_is_refused_before_a_call_in(moderator, case):
    with pytest.raises(workflow.Refused, match="call-in first"):
        workflow.message_author(moderator, case, "Any news?")
    assert not Message.objects.exists()
    assert fresh(case).state == Case.State.OPEN


def test_message_author_after_the_author_answered_waits_again(moderator, author, called_in_case):
    workflow.author_reply(author, called_in_case, "I see.")
    version = fresh(called_in_case).version

    message = workflow.message_author(moderator, called_in_case, "Thanks. Would you revise?")

    message = fresh(message)
    assert message.kind == Message.Kind.MODERATOR and not message.from_author
    assert message.sender == moderator and message.body == "Thanks. Would you revise?"
    case = fresh(called_in_case)
    assert case.state == Case.State.WAITING
    assert case.version == version + 1
    assert actions(case)[-1] == "message_sent"


def test_message_author_for_an_imported_comment_is_refused(moderator, flagger, imported_comment):
    _, case = workflow.flag_comment(flagger, imported_comment, "heated")
    with pytest.raises(workflow.Refused, match="call-in first"):
        workflow.message_author(moderator, case, "Nobody would read this either.")
    assert fresh(case).state == Case.State.OPEN
    assert not Message.objects.exists()


def test_a_follow_up_after_an_unanswered_call_in_waits_for_the_author_again(moderator, case):
    workflow.call_in(moderator, case, "Hello.")
    workflow.tick(now=fresh(case).call_in_deadline + timedelta(seconds=1))
    assert fresh(case).no_answer

    workflow.message_author(moderator, case, "Any news?")

    case = fresh(case)
    assert case.state == Case.State.WAITING and not case.no_answer
    assert case.call_in_deadline > timezone.now()


def test_a_follow_up_on_an_old_call_in_to_an_imported_author_stays_with_the_moderators(
    moderator, flagger, imported_comment
):
    # Recorded before call-ins to imported comments were refused: nobody can answer it.
    _, case = workflow.flag_comment(flagger, imported_comment, "heated")
    Message.objects.create(
        case=case,
        kind=Message.Kind.CALL_IN,
        sender=moderator,
        body="Hello.",
        created=timezone.now(),
    )

    workflow.message_author(moderator, case, "Any news?")

    case = fresh(case)
    assert case.state == Case.State.OPEN and case.call_in_deadline is None
    assert case.messages.filter(kind=Message.Kind.MODERATOR).count() == 1
    assert actions(case)[-1] == "message_sent"


def test_message_author_with_a_stale_version_is_a_conflict(moderator, author, called_in_case):
    version = called_in_case.version
    workflow.author_reply(author, called_in_case, "Hello.")
    with pytest.raises(workflow.Conflict):
        workflow.message_author(moderator, called_in_case, "Hi.", version=version)
    assert fresh(called_in_case).state == Case.State.ANSWERED
    assert not Message.objects.filter(kind=Message.Kind.MODERATOR).exists()


def test_message_author_without_text_is_refused(moderator, called_in_case):
    with pytest.raises(workflow.Refused):
        workflow.message_author(moderator, called_in_case, "")
    assert called_in_case.messages.count() == 1
