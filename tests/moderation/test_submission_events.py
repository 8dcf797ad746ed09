"""What screening a reader's edit writes (moderation.submissions): the reason on the
event of a comment held again, and the link in the author's notices, so the author can
find the comment the notice is about (gaps found by `make mutate`)."""

import pytest

from moderation import watched, workflow
from moderation.models import Case, Notice
from moderation.submissions import comment_submit
from tests.helpers import fresh, last_event, make_comment
from threads.models import Comment, Essay

pytestmark = pytest.mark.usefixtures("no_heat")


def edit(user, comment, body):
    return comment_submit(user=user, essay=comment.essay, body=body, comment=fresh(comment))


def test_an_edit_held_again_says_why_and_links_the_author_to_the_comment(
    moderator, space, author, comment
):
    watched.add_word(moderator, space, "pineapple", "hold")

    edit(author, comment, "Now with pineapple.")

    event = last_event("comment_held")
    assert event.reason == "the author's edit brought in a watched word that holds comments"
    notice = Notice.objects.filter(user=author).latest("id")
    assert "waiting for a moderator" in notice.body
    assert notice.link == comment.get_absolute_url()


def test_a_new_comment_held_links_its_author_to_it(moderator, space, author):
    watched.add_word(moderator, space, "pineapple", "hold")

    held = comment_submit(user=author, essay=space, body="I like pineapple.")

    notice = Notice.objects.get(user=author)
    assert notice.link == held.get_absolute_url()


def test_pre_moderation_counts_only_the_authors_own_shown_comments(space, author, reader):
    Essay.objects.filter(pk=space.pk).update(premoderate_first=1)
    space = fresh(space)
    make_comment(space, author=reader, body="Someone else's comment.")
    make_comment(space, author=author, body="Hidden.", status=Comment.Status.HIDDEN)

    held = comment_submit(user=author, essay=space, body="My comment.")

    assert held.status == Comment.Status.PENDING


def test_after_a_shown_comment_the_author_posts_at_once(space, author):
    Essay.objects.filter(pk=space.pk).update(premoderate_first=1)
    space = fresh(space)
    make_comment(space, author=author, body="Shown.")

    posted = comment_submit(user=author, essay=space, body="My second comment.")

    assert posted.status == Comment.Status.VISIBLE


# An edit that ends an automatic hold.


def auto_held(comment, *flaggers):
    Essay.objects.filter(pk=comment.essay_id).update(auto_hold_weight=6)
    for flagger in flaggers:
        _, case = workflow.flag_comment(flagger, fresh(comment), "heated")
    assert fresh(comment).visibility_paused and fresh(case).auto_held
    return case


def test_an_edit_to_an_auto_held_comment_puts_it_back_in_view(
    comment, author, flagger, second_flagger
):
    case = auto_held(comment, flagger, second_flagger)

    edit(author, comment, "Said more kindly.")

    assert not fresh(comment).visibility_paused
    assert fresh(case).state == Case.State.ANSWERED
    event = last_event("auto_hold_released")
    assert (event.actor, event.case_id, event.comment_id) == (author, case.pk, comment.pk)
    assert event.before == {"visibility_paused": True}
    assert event.after == {"visibility_paused": False, "state": "answered"}
    assert event.reason == "the author edited the comment; pending review"
    notice = Notice.objects.filter(user=author).latest("id")
    assert notice.body.startswith("Thank you for editing.")
    assert notice.link == comment.get_absolute_url()


def test_an_edit_does_not_end_a_pause_the_moderators_chose(moderator, case, author):
    workflow.pause_visibility(moderator, case)

    edit(author, case.comment, "Said more kindly.")

    assert fresh(case.comment).visibility_paused
    assert last_event("auto_hold_released") is None


def test_an_edit_ends_only_its_own_comments_automatic_hold(
    space, moderator, author, flagger, second_flagger
):
    other = make_comment(space, author=author, body="Another comment.")
    auto_held(other, flagger, second_flagger)
    mine = make_comment(space, author=author, body="My comment.")
    _, case = workflow.flag_comment(flagger, mine, "heated")
    workflow.pause_visibility(moderator, case)

    edit(author, mine, "Said more kindly.")

    assert fresh(mine).visibility_paused
    assert fresh(other).visibility_paused
