"""What readers see of moderation on the essay page (/essays/<slug>/)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from moderation import workflow
from tests.helpers import client_for, make_comment
from threads.models import Comment

PAGE = "/essays/essay/"
BODY = "You clearly have no idea what you are talking about."
PLACEHOLDER = "This comment is resting for a moment while its author and the moderators talk."


def page(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def item(html, comment):
    """The <li> of one comment (it holds no nested <li>)."""
    start = html.index(f'<li id="c{comment.pk}"')
    return html[start : html.index("</li>", start) + len("</li>")]


def order(html):
    return [int(pk) for pk in re.findall(r'<li id="c(\d+)"', html)]


@pytest.fixture
def paused(reader, moderator, writer_comment):
    _, case = workflow.flag_comment(reader, writer_comment, "harmful", "Nasty pile-on.")
    workflow.call_in(moderator, case, "Hello, would you reread it?", pause_visibility=True)
    return Comment.objects.get(pk=writer_comment.pk)


@pytest.mark.parametrize("who", [None, "reader", "writer"])
def test_paused_comment_shows_a_neutral_placeholder(request, paused, who):
    user = request.getfixturevalue(who) if who else None
    html = page(client_for(user))
    li = item(html, paused)
    assert PLACEHOLDER in li
    assert "removed" not in li.lower()
    assert "hidden" not in li.lower()
    # Neither the text, nor why or by whom it was flagged.
    assert BODY not in html
    assert "harmful" not in html.lower()
    assert "Nasty pile-on." not in html
    # No reply, edit or flag links on a resting comment.
    assert 'class="actions"' not in li
    assert f"/comments/{paused.pk}/flag/" not in li


def test_restored_comment_shows_its_text_again(client, moderator, paused):
    workflow.restore_visibility(moderator, paused)
    li = item(page(client), paused)
    assert BODY in li
    assert PLACEHOLDER not in li


def test_context_note_shows_under_the_comment(client, moderator, writer_comment, essay):
    later = make_comment(essay, body="A later comment.")
    workflow.annotate(moderator, writer_comment, "context", "Context: part two says X.")
    workflow.annotate(moderator, writer_comment, "comment_note", "PRIVATE moderator note.")
    html = page(client)
    li = item(html, writer_comment)
    note = li.index('<aside class="context-note"')
    assert li.index(BODY) < note < li.index("Context: part two says X.")
    assert "Context from the moderators" in li
    assert "Context: part two says X." not in item(html, later)
    assert "PRIVATE moderator note." not in html


def test_retracted_context_note_is_gone(client, moderator, writer_comment):
    note = workflow.annotate(moderator, writer_comment, "context", "Context: wrong link.")
    workflow.retract_annotation(moderator, note)
    html = page(client)
    assert "Context: wrong link." not in html
    assert 'class="context-note"' not in html


def test_bridging_note_appears_under_the_comment_with_its_badge(
    client, moderator, writer_comment, essay
):
    later = make_comment(essay, body="A later comment.")
    workflow.add_bridging_note(moderator, writer_comment, "You both care about this.")
    note = Comment.objects.get(kind=Comment.Kind.BRIDGE)
    html = page(client)
    assert order(html) == [writer_comment.pk, note.pk, later.pk]
    li = item(html, note)
    assert "Moderators' bridging note" in li
    assert '<span class="author">The moderators</span>' in li
    assert "You both care about this." in li
    assert f'<li id="c{note.pk}" class="comment indent-1 kind-bridge">' in li


@pytest.fixture
def resting(moderator, writer_comment):
    workflow.pause_replies(moderator, writer_comment, timedelta(hours=2))
    return Comment.objects.get(pk=writer_comment.pk)


def test_paused_replies_hide_the_reply_link_and_show_a_notice(reader, resting, essay):
    other = make_comment(essay, body="Another comment.")
    html = page(client_for(reader))
    li = item(html, resting)
    assert "Replies here are resting until" in li
    assert f"/comments/{resting.pk}/reply/" not in li
    assert f"/comments/{resting.pk}/flag/" in li  # the comment itself is still shown
    assert BODY in li
    assert f"/comments/{other.pk}/reply/" in item(html, other)


def test_reply_under_a_resting_comment_is_refused(reader, resting, essay):
    client = client_for(reader)
    count = Comment.objects.count()
    response = client.post(f"/essays/essay/comments/{resting.pk}/reply/", {"body": "But wait!"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Replies here are resting until" in html
    assert "You can still reply elsewhere in the discussion." in html
    assert Comment.objects.count() == count
    # Elsewhere in the discussion replies still work.
    other = make_comment(essay, body="Another comment.")
    response = client.post(f"/essays/essay/comments/{other.pk}/reply/", {"body": "Agreed."})
    assert response.status_code == 302
    assert Comment.objects.count() == count + 2


def test_expired_reply_pause_shows_the_reply_link(reader, resting):
    Comment.objects.filter(pk=resting.pk).update(
        replies_paused_until=timezone.now() - timedelta(minutes=1)
    )
    li = item(page(client_for(reader)), resting)
    assert "Replies here are resting" not in li
    assert f"/comments/{resting.pk}/reply/" in li


@pytest.fixture
def subthread(writer_comment, essay):
    reply = make_comment(essay, body="A heated reply.", parent=writer_comment)
    nested = make_comment(essay, body="An even more heated reply.", parent=reply)
    after = make_comment(essay, body="A calm comment after the subthread.")
    return writer_comment, reply, nested, after


def test_collapsed_comment_folds_its_replies_into_details(client, moderator, subthread):
    parent, reply, nested, after = subthread
    workflow.collapse(moderator, parent, timedelta(hours=2))
    html = page(client)
    at_parent = html.index(f'<li id="c{parent.pk}"')
    opens = html.index("<details>", at_parent)
    closes = html.index("</details>", opens)
    assert at_parent < opens < html.index(f'<li id="c{reply.pk}"') < closes
    assert opens < html.index(f'<li id="c{nested.pk}"') < closes
    assert closes < html.index(f'<li id="c{after.pk}"')
    assert html.count("<details>") == 1
    assert "This part of the conversation is resting." in html[opens:closes]
    # The collapsed comment itself stays in view, before the fold.
    assert BODY in html[at_parent:opens]


def test_expired_collapse_shows_no_fold(client, moderator, subthread):
    parent, reply, nested, after = subthread
    workflow.collapse(moderator, parent, timedelta(hours=2))
    Comment.objects.filter(pk=parent.pk).update(collapsed_until=timezone.now() - timedelta(1))
    html = page(client)
    assert "<details>" not in html
    assert "This part of the conversation is resting." not in html
    assert order(html) == [parent.pk, reply.pk, nested.pk, after.pk]


def test_expanded_subthread_shows_no_fold(client, moderator, subthread):
    parent = subthread[0]
    workflow.collapse(moderator, parent)
    assert "<details>" in page(client)
    workflow.expand(moderator, parent)
    assert "<details>" not in page(client)


def test_slow_mode_notice(client, moderator, essay):
    workflow.set_slow_mode(moderator, essay, 300, duration=timedelta(hours=1))
    assert "This discussion is in slow mode for now" in page(client)
    assert "a pause of 5 minutes between" in page(client)
    # When its hour is over, the (cached) page no longer says so, with nothing written.
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert "slow mode" not in page(client)


def test_hidden_comment_shows_a_placeholder(client, moderator, flagged_case):
    workflow.resolve(moderator, flagged_case, "hidden", "", "harmful")
    html = page(client)
    li = item(html, flagged_case.comment)
    assert "This comment is hidden by the moderators." in li
    assert BODY not in html
    assert Comment.objects.filter(pk=flagged_case.comment_id).exists()
