"""Pre-moderation of newcomers (per space, off by default): a reader's first N comments
wait for a moderator's approval; after N approved comments they are shown at once."""

import pytest

from moderation import watched, workflow
from moderation.models import Case, Notice
from tests.helpers import (
    case_action,
    client_for,
    flashes,
    fresh,
    html_of,
    last_event,
    make_comment,
    make_essay,
    make_user,
    reply,
)
from threads.models import Comment, Essay

pytestmark = pytest.mark.usefixtures("no_heat")


@pytest.fixture
def premoderated(space):
    Essay.objects.filter(pk=space.pk).update(premoderate_first=2)
    return fresh(space)


def post(user, essay, body, parent=None):
    response = reply(client_for(user), essay, body, parent)
    assert response.status_code == 302, response.content.decode()[:500]
    return Comment.objects.get(body=body)


def test_off_by_default(space, author):
    assert space.premoderate_first == 0
    assert post(author, space, "Hello there.").status == Comment.Status.VISIBLE
    assert not Case.objects.exists()


def test_a_newcomers_first_comment_waits_with_a_system_case(premoderated, author):
    response = client_for(author).post(
        f"/essays/{premoderated.slug}/reply/", {"body": "My first comment."}, follow=True
    )

    assert flashes(response) == ["Thank you. Your comment is waiting for a moderator."]
    comment = Comment.objects.get(body="My first comment.")
    assert comment.status == Comment.Status.PENDING
    case = Case.objects.get(comment=comment)
    assert case.origin == Case.Origin.NEWCOMER and case.opened_by is None
    assert case.watched_words == []
    assert last_event("case_opened").reason == "a newcomer's comment waits for approval"
    [notice] = Notice.objects.filter(user=author)
    assert notice.body.startswith("Thank you for your comment. It is waiting for a moderator")
    # Only its author sees it for now.
    assert "My first comment." in html_of(client_for(author).get(f"/essays/{premoderated.slug}/"))
    assert "My first comment." not in html_of(client_for().get(f"/essays/{premoderated.slug}/"))


def test_after_n_approved_comments_the_reader_posts_at_once(premoderated, author, moderator):
    first = post(author, premoderated, "First.")
    second = post(author, premoderated, "Second.")
    # Waiting comments do not count: until approved, the reader is still new.
    assert fresh(second).status == Comment.Status.PENDING
    for comment in (first, second):
        workflow.approve(moderator, Case.objects.get(comment=comment))
    third = post(author, premoderated, "Third.")
    assert third.status == Comment.Status.VISIBLE
    assert not Case.objects.filter(comment=third).exists()


def test_a_moderator_approves_from_the_case_page(premoderated, author, moderator):
    comment = post(author, premoderated, "Hello, first time here.")
    case = Case.objects.get(comment=comment)
    client = client_for(moderator)
    html = html_of(client.get(f"/moderation/cases/{case.pk}/"))
    assert "This comment is waiting for approval (newcomer" in html
    assert "Approve and show it" in html

    response = case_action(client, case, "approve")

    assert flashes(response) == ["The comment is approved and shown."]
    assert fresh(comment).status == Comment.Status.VISIBLE
    assert fresh(case).state == Case.State.RESOLVED
    assert Notice.objects.filter(user=author, body__contains="approved").count() == 1
    assert "Hello, first time here." in html_of(client_for().get(f"/essays/{premoderated.slug}/"))


def test_approving_twice_is_refused(premoderated, author, moderator):
    case = Case.objects.get(comment=post(author, premoderated, "Hello."))
    workflow.approve(moderator, case)
    with pytest.raises(workflow.Refused):
        workflow.approve(moderator, case)
    assert Notice.objects.filter(user=author, body__contains="approved").count() == 1


def test_a_reader_who_already_took_part_is_not_held(premoderated, author):
    make_comment(premoderated, author=author, body="An earlier comment.")
    make_comment(premoderated, author=author, body="Another earlier comment.")
    assert post(author, premoderated, "Now a third.").status == Comment.Status.VISIBLE


def test_it_counts_per_space(premoderated, author):
    elsewhere = make_essay()
    make_comment(elsewhere, author=author, body="One.")
    make_comment(elsewhere, author=author, body="Two.")
    assert post(author, premoderated, "New here.").status == Comment.Status.PENDING
    assert post(author, elsewhere, "Three.").status == Comment.Status.VISIBLE


def test_replies_wait_too(premoderated, comment):
    newcomer = make_user("newcomer")
    waiting = post(newcomer, premoderated, "A reply from a newcomer.", parent=comment)
    assert waiting.status == Comment.Status.PENDING and waiting.parent_id == comment.pk


def test_a_hold_word_and_pre_moderation_open_one_case(premoderated, author, moderator):
    watched.add_word(moderator, premoderated, "durian", "hold")
    comment = post(author, premoderated, "A durian for all.")
    case = Case.objects.get(comment=comment)
    assert case.origin == Case.Origin.WATCHED_WORD and case.watched_words == ["durian"]
    assert Notice.objects.filter(user=author).count() == 1


def test_a_block_word_refuses_before_pre_moderation(premoderated, author, moderator):
    watched.add_word(moderator, premoderated, "kumquat", "block")
    response = reply(client_for(author), premoderated, "A kumquat.")
    assert response.status_code == 400
    assert not Comment.objects.exists() and not Case.objects.exists()
