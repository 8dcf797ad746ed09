"""One path for a reader's comment (moderation.submissions.comment_submit): an edit is
screened like a new comment (the ladder, watched words), one error type reaches the
pages, and the revision from the inbox takes the same path."""

from datetime import timedelta

import pytest

from moderation import watched, workflow
from moderation.models import Case, Sanction
from moderation.submissions import comment_submit
from tests.helpers import (
    actions,
    assert_event,
    client_for,
    form_errors,
    fresh,
    html_of,
    last_event,
    make_comment,
    notices_of,
)
from threads.errors import Refused
from threads.models import Comment, CommentRevision, Essay

pytestmark = pytest.mark.usefixtures("no_heat")


def edit(user, comment, body):
    return comment_submit(user=user, essay=comment.essay, body=body, comment=fresh(comment))


def test_workflow_refused_is_the_one_error_type_from_posting_up():
    assert workflow.Refused is Refused
    assert issubclass(workflow.Conflict, Refused)


# --- watched words on an edit ----------------------------------------------------------


def test_an_edit_that_brings_in_a_block_word_is_refused_and_changes_nothing(
    moderator, space, author, comment
):
    watched.add_word(moderator, space, "pineapple", "block")
    with pytest.raises(Refused, match="does not allow “pineapple”"):
        edit(author, comment, "Now with pineapple.")
    assert fresh(comment).body == comment.body
    assert not CommentRevision.objects.exists()
    assert not Case.objects.exists()


def test_an_edit_that_brings_in_a_hold_word_puts_the_comment_back_to_waiting(
    moderator, space, author, comment
):
    watched.add_word(moderator, space, "pineapple", "hold")
    edited = edit(author, comment, "Now with pineapple.")
    assert edited.status == Comment.Status.PENDING
    assert fresh(comment).body == "Now with pineapple."
    case = Case.objects.get(comment=comment)
    assert (case.origin, case.opened_by, case.watched_words) == (
        Case.Origin.WATCHED_WORD,
        None,
        ["pineapple"],
    )
    assert_event(
        "comment_held",
        actor=None,
        case=case,
        before={"status": "visible"},
        after={"status": "pending"},
    )
    assert "waiting for a moderator" in notices_of(author)[-1]


def test_a_word_already_in_the_text_before_the_edit_does_not_hold_it_again(
    moderator, space, author
):
    comment = make_comment(space, author=author, body="I like pineapple.")
    watched.add_word(moderator, space, "pineapple", "hold")
    edited = edit(author, comment, "I like pineapple, still.")
    assert edited.status == Comment.Status.VISIBLE
    assert not Case.objects.exists()


def test_an_edit_that_brings_in_a_flag_word_opens_a_case_and_stays_shown(
    moderator, space, author, comment
):
    watched.add_word(moderator, space, "pineapple", "flag")
    edited = edit(author, comment, "Now with pineapple.")
    assert edited.status == Comment.Status.VISIBLE
    case = Case.objects.get(comment=comment)
    assert case.origin == Case.Origin.WATCHED_WORD
    assert last_event("case_opened", case=case).reason == "watched words: flag"


def test_an_unchanged_edit_is_no_edit_even_with_a_hold_word(moderator, space, author):
    comment = make_comment(space, author=author, body="I like pineapple.")
    watched.add_word(moderator, space, "pineapple", "hold")
    edited = edit(author, comment, "I like pineapple.")
    assert edited.status == Comment.Status.VISIBLE
    assert not CommentRevision.objects.exists()
    assert last_event("comment_held") is None


# --- the ladder and pre-moderation on an edit --------------------------------------------


def test_an_edit_during_a_posting_pause_is_refused(moderator, author, called_in_case):
    workflow.sanction(
        moderator,
        called_in_case,
        Sanction.Kind.POSTING_PAUSE,
        "Cooling off.",
        timedelta(hours=2),
        skip_reason="Insults after the call-in.",
    )
    comment = called_in_case.comment
    with pytest.raises(Refused, match="Your posting is paused until"):
        edit(author, comment, "A kinder text.")
    assert fresh(comment).body == comment.body


def test_an_unacknowledged_warning_refuses_an_edit_until_it_is_read(
    moderator, author, called_in_case
):
    warning = workflow.sanction(moderator, called_in_case, Sanction.Kind.WARNING, "Insults.")
    comment = called_in_case.comment
    with pytest.raises(Refused, match="acknowledge it in your inbox"):
        edit(author, comment, "A kinder text.")
    workflow.acknowledge_warning(author, warning)
    assert edit(author, comment, "A kinder text.").body == "A kinder text."


def test_pre_moderation_holds_new_comments_only_never_an_edit(space, author, comment):
    Essay.objects.filter(pk=space.pk).update(premoderate_first=5)
    edited = edit(author, comment, "A second thought.")
    assert edited.status == Comment.Status.VISIBLE
    assert not Case.objects.exists()


# --- the pages: one error type, shown on the form ----------------------------------------


def test_the_edit_page_shows_a_watched_word_refusal_and_keeps_the_text(
    moderator, essay, writer, writer_comment
):
    watched.add_word(moderator, essay, "pineapple", "block")
    url = f"/essays/{essay.slug}/comments/{writer_comment.pk}/edit/"
    response = client_for(writer).post(url, {"body": "Now with pineapple."})
    assert response.status_code == 400
    assert "does not allow “pineapple”" in form_errors(response)
    assert "Now with pineapple." in html_of(response)
    assert fresh(writer_comment).body == writer_comment.body


def test_the_edit_page_says_when_the_edit_waits_for_a_moderator(
    moderator, essay, writer, writer_comment
):
    watched.add_word(moderator, essay, "pineapple", "hold")
    url = f"/essays/{essay.slug}/comments/{writer_comment.pk}/edit/"
    response = client_for(writer).post(url, {"body": "Now with pineapple."}, follow=True)
    assert "Your comment is updated and waits for a moderator." in html_of(response)
    assert fresh(writer_comment).status == Comment.Status.PENDING


def test_the_reply_page_shows_a_refusal_from_posting_the_same_way(essay, reader):
    Essay.objects.filter(pk=essay.pk).update(discussion=Essay.Discussion.CLOSED)
    response = client_for(reader).post(f"/essays/{essay.slug}/reply/", {"body": "Hello."})
    assert response.status_code == 400
    assert "This discussion is closed to new comments." in form_errors(response)
    assert not Comment.objects.exists()


def test_only_the_author_reaches_the_edit_and_withdraw_pages(essay, reader, writer_comment):
    client = client_for(reader)
    for verb in ("edit", "withdraw"):
        url = f"/essays/{essay.slug}/comments/{writer_comment.pk}/{verb}/"
        for response in (client.get(url), client.post(url, {"body": "Mine now."})):
            assert response.status_code == 403
            assert f"Only its author can {verb} a comment." in html_of(response)
    assert fresh(writer_comment).body == writer_comment.body
    assert fresh(writer_comment).status == Comment.Status.VISIBLE


# --- the revision from the inbox takes the same path --------------------------------------


def test_a_revision_from_the_inbox_is_screened_too(moderator, author, called_in_case):
    watched.add_word(moderator, called_in_case.essay, "pineapple", "block")
    with pytest.raises(Refused, match="does not allow “pineapple”"):
        workflow.author_revise(author, called_in_case, "Now with pineapple.")
    assert "author_revised" not in actions(called_in_case)
    assert fresh(called_in_case.comment).body == called_in_case.comment.body
