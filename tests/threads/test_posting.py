"""Posting, editing and withdrawing comments (threads.posting), called directly: what is
saved, what is refused, and what an edit keeps (the module's own tests for `make mutate`)."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

import heat
from tests.conftest import HEATED_REMARK
from tests.helpers import fresh, make_comment, make_essay, make_user
from threads.errors import Refused
from threads.limits import MAX_COMMENT_LENGTH
from threads.models import MAX_LEVEL, Comment, CommentRevision, Essay
from threads.posting import (
    check_pace,
    clean_body,
    comment_text_correct,
    edit_comment,
    post_comment,
    withdraw_comment,
)

pytestmark = pytest.mark.django_db


# The text.


def test_the_text_is_kept_without_its_surrounding_blanks():
    assert clean_body("  A thought.\n") == "A thought."


@pytest.mark.parametrize("body", ["", "   \n ", None])
def test_an_empty_text_is_refused(body):
    with pytest.raises(Refused, match="Write something before posting."):
        clean_body(body)


def test_a_text_at_the_limit_is_taken_and_one_over_it_refused():
    assert clean_body("x" * MAX_COMMENT_LENGTH) == "x" * MAX_COMMENT_LENGTH
    with pytest.raises(Refused, match=r"at most 10,000 characters \(this one has 10,001\)"):
        clean_body("x" * (MAX_COMMENT_LENGTH + 1))


def test_a_nul_character_is_refused():
    with pytest.raises(Refused, match="NUL character"):
        clean_body("A\x00B")


# Posting.


def test_a_posted_comment_is_saved_with_its_author_time_and_heat(space, reader):
    before = timezone.now()
    comment = post_comment(space, reader, f"  {HEATED_REMARK}  ")

    saved = fresh(comment)
    assert saved.essay_id == space.pk and saved.author_id == reader.pk
    assert saved.body == HEATED_REMARK
    assert saved.author_name == "reader"
    assert saved.kind == Comment.Kind.COMMENT and saved.status == Comment.Status.VISIBLE
    assert saved.parent_id is None and saved.level == 0
    assert before <= saved.created <= timezone.now()
    assert (saved.heat, saved.heat_signals) == heat.score_text(HEATED_REMARK)
    assert saved.heat > 0


def test_the_name_shown_is_the_given_one_then_the_full_name_then_the_username(space):
    named = make_user("named", first_name="Ada", last_name="Lovelace")
    plain = make_user("plain")

    assert post_comment(space, named, "One.", author_name="A. L.").author_name == "A. L."
    assert post_comment(space, named, "Two.").author_name == "Ada Lovelace"
    assert post_comment(space, plain, "Three.").author_name == "plain"


def test_kind_and_status_are_saved_as_given(space, moderator):
    prompt = post_comment(
        space, moderator, "What do you think?", kind=Comment.Kind.PROMPT, status="pending"
    )

    saved = fresh(prompt)
    assert saved.kind == Comment.Kind.PROMPT
    assert saved.status == Comment.Status.PENDING


@override_settings(HEAT_SCORING=False)
def test_with_heat_scoring_off_a_comment_gets_no_heat(space, reader):
    comment = post_comment(space, reader, HEATED_REMARK)

    assert fresh(comment).heat is None


def test_a_reply_goes_under_its_parent(space, reader, other_reader):
    parent = post_comment(space, reader, "A start.")
    reply = post_comment(space, other_reader, "A reply.", parent=parent)

    saved = fresh(reply)
    assert saved.parent_id == parent.pk
    assert saved.tree_id == fresh(parent).tree_id
    assert saved.level == 1


def test_a_reply_past_the_deepest_level_goes_beside_the_deepest_comment(space, reader):
    deepest = make_comment(space, author=reader)
    for _ in range(MAX_LEVEL):
        deepest = make_comment(space, author=reader, parent=deepest)
    assert deepest.level == MAX_LEVEL

    reply = post_comment(space, reader, "One more.", parent=deepest)

    saved = fresh(reply)
    assert saved.level == MAX_LEVEL
    assert saved.parent_id == deepest.parent_id


def test_a_reply_one_level_above_the_deepest_still_nests(space, reader):
    parent = make_comment(space, author=reader)
    for _ in range(MAX_LEVEL - 1):
        parent = make_comment(space, author=reader, parent=parent)

    reply = post_comment(space, reader, "Deepest.", parent=parent)

    assert fresh(reply).parent_id == parent.pk
    assert fresh(reply).level == MAX_LEVEL


def test_a_reply_to_another_discussions_comment_is_refused(space, reader):
    elsewhere = make_comment(make_essay(), author=reader)

    with pytest.raises(Refused, match="belongs to another discussion"):
        post_comment(space, reader, "A reply.", parent=elsewhere)
    assert not Comment.objects.filter(essay=space).exists()


@pytest.mark.parametrize("status", [Comment.Status.HIDDEN, Comment.Status.WITHDRAWN])
def test_a_reply_to_a_comment_no_longer_shown_is_refused(space, reader, status):
    parent = make_comment(space, author=reader, status=status)

    with pytest.raises(Refused, match="no longer shown"):
        post_comment(space, reader, "A reply.", parent=parent)
    assert Comment.objects.filter(essay=space).count() == 1


def test_a_comment_in_a_closed_discussion_is_refused(reader):
    closed = make_essay(discussion=Essay.Discussion.CLOSED)

    with pytest.raises(Refused, match="closed to new comments"):
        post_comment(closed, reader, "Late.")
    assert not Comment.objects.filter(essay=closed).exists()


def test_a_prompt_is_posted_in_a_closed_discussion(moderator):
    closed = make_essay(discussion=Essay.Discussion.CLOSED)

    prompt = post_comment(closed, moderator, "A question.", kind=Comment.Kind.PROMPT)

    assert fresh(prompt).essay_id == closed.pk


def test_a_reply_under_a_resting_comment_is_refused_and_elsewhere_taken(space, reader):
    resting = make_comment(space, author=reader)
    Comment.objects.filter(pk=resting.pk).update(
        replies_paused_until=timezone.now() + timedelta(hours=1)
    )
    below = make_comment(space, author=reader, parent=resting)
    elsewhere = make_comment(space, author=reader)

    with pytest.raises(Refused, match="resting until .* You can still reply elsewhere"):
        post_comment(space, reader, "A reply.", parent=fresh(below))
    assert post_comment(space, reader, "Here.", parent=elsewhere).parent_id == elsewhere.pk


def test_slow_mode_refuses_the_second_comment_and_a_prompt_skips_it(space, reader, moderator):
    Essay.objects.filter(pk=space.pk).update(slow_mode_seconds=600)
    space = fresh(space)
    post_comment(space, reader, "First.")

    with pytest.raises(Refused, match="slow mode.*10 minutes"):
        post_comment(space, reader, "Second.")
    post_comment(space, moderator, "First.")
    assert post_comment(space, moderator, "A prompt.", kind=Comment.Kind.PROMPT).pk


# Editing.


def test_an_edit_keeps_the_previous_text_as_a_revision(space, reader):
    comment = post_comment(space, reader, "Calm words.")
    before = timezone.now()

    edited = edit_comment(comment, reader, f" {HEATED_REMARK} ")

    saved = fresh(edited)
    assert saved.body == HEATED_REMARK
    assert before <= saved.edited <= timezone.now()
    assert (saved.heat, saved.heat_signals) == heat.score_text(HEATED_REMARK)
    revision = CommentRevision.objects.get(comment=comment)
    assert revision.body == "Calm words."
    assert revision.edited_by_id == reader.pk
    assert revision.edited_at == saved.edited


def test_an_edit_that_changes_nothing_keeps_no_revision(space, reader):
    comment = post_comment(space, reader, "Same words.")

    edit_comment(comment, reader, "Same words.  ")

    assert not CommentRevision.objects.filter(comment=comment).exists()
    assert fresh(comment).edited is None


@override_settings(HEAT_SCORING=False)
def test_an_edit_with_heat_scoring_off_keeps_the_old_heat(space, reader):
    comment = make_comment(space, author=reader, body="Calm.", heat=0.25)

    edit_comment(comment, reader, HEATED_REMARK)

    assert fresh(comment).heat == 0.25


def test_only_the_author_may_edit(space, reader, other_reader):
    comment = post_comment(space, reader, "Mine.")

    with pytest.raises(Refused, match="Only its author can edit"):
        edit_comment(comment, other_reader, "Theirs.")
    assert fresh(comment).body == "Mine."


def test_a_withdrawn_comment_cannot_be_edited(space, reader):
    comment = post_comment(space, reader, "Mine.")
    withdraw_comment(comment, reader)

    with pytest.raises(Refused, match="withdrawn comment cannot be edited"):
        edit_comment(comment, reader, "Changed.")
    assert fresh(comment).body == "Mine."


def test_an_edit_to_an_empty_text_is_refused(space, reader):
    comment = post_comment(space, reader, "Mine.")

    with pytest.raises(Refused, match="Write something"):
        edit_comment(comment, reader, "  ")
    assert fresh(comment).body == "Mine."


# Corrections by someone else.


def test_a_correction_keeps_the_previous_text_and_names_the_editor(space, reader, superuser):
    comment = post_comment(space, reader, "Teh words.")
    withdraw_comment(comment, reader)

    corrected, before = comment_text_correct(comment=comment, body="The words.", editor=superuser)

    assert before == "Teh words."
    assert fresh(corrected).body == "The words."
    assert fresh(corrected).status == Comment.Status.WITHDRAWN
    revision = CommentRevision.objects.get(comment=comment)
    assert (revision.body, revision.edited_by_id) == ("Teh words.", superuser.pk)


def test_a_correction_that_changes_nothing_keeps_no_revision(space, reader, superuser):
    comment = post_comment(space, reader, "Fine words.")

    corrected, before = comment_text_correct(comment=comment, body="Fine words.", editor=superuser)

    assert before == "Fine words." and fresh(corrected).body == "Fine words."
    assert not CommentRevision.objects.exists()


def test_a_correction_rescores_the_heat(space, reader, superuser):
    comment = post_comment(space, reader, "Calm words.")

    comment_text_correct(comment=comment, body=HEATED_REMARK, editor=superuser)

    saved = fresh(comment)
    assert (saved.heat, saved.heat_signals) == heat.score_text(HEATED_REMARK)


@override_settings(HEAT_SCORING=False)
def test_a_correction_with_heat_scoring_off_keeps_the_old_heat(space, reader, superuser):
    comment = make_comment(space, author=reader, body="Calm.", heat=0.25)

    comment_text_correct(comment=comment, body=HEATED_REMARK, editor=superuser)

    assert fresh(comment).heat == 0.25


# Withdrawing.


def test_withdrawing_keeps_the_text_and_the_replies(space, reader, other_reader):
    comment = post_comment(space, reader, "Mine.")
    reply = post_comment(space, other_reader, "A reply.", parent=comment)

    withdrawn = withdraw_comment(comment, reader)

    assert withdrawn.status == Comment.Status.WITHDRAWN
    saved = fresh(comment)
    assert saved.status == Comment.Status.WITHDRAWN and saved.body == "Mine."
    assert fresh(reply).parent_id == comment.pk
    assert withdraw_comment(comment, reader).status == Comment.Status.WITHDRAWN


def test_only_the_author_may_withdraw(space, reader, other_reader):
    comment = post_comment(space, reader, "Mine.")

    with pytest.raises(Refused, match="Only its author can withdraw"):
        withdraw_comment(comment, other_reader)
    assert fresh(comment).status == Comment.Status.VISIBLE


# The pace, as of the moment given.


def test_a_resting_subthread_says_until_when_and_is_judged_at_the_time_given(space, reader):
    until = timezone.now() + timedelta(hours=2)
    parent = make_comment(space, author=reader)
    Comment.objects.filter(pk=parent.pk).update(replies_paused_until=until)
    parent = fresh(parent)

    with pytest.raises(Refused, match=f"resting until {timezone.localtime(until):%b %-d, %H:%M}"):
        check_pace(space, reader, parent, timezone.now())
    check_pace(space, reader, parent, until + timedelta(minutes=1))  # over by then


def test_slow_mode_is_judged_at_the_time_given(reader):
    ends = timezone.now() + timedelta(hours=1)
    space = make_essay(slow_mode_seconds=600, slow_mode_until=ends)
    first = post_comment(space, reader, "First.")
    Comment.objects.filter(pk=first.pk).update(created=ends)  # just before the end

    check_pace(space, reader, None, ends + timedelta(minutes=1))  # slow mode over by then
    with pytest.raises(Refused, match="slow mode"):
        check_pace(space, reader, None, ends - timedelta(minutes=1))
