"""The author's private inbox of call-ins: /inbox/ and /inbox/<case id>/."""

import re

import pytest

from moderation import workflow
from moderation.models import Case, Message
from tests.helpers import client_for, flashes, make_comment, make_user
from threads.models import Comment

NEW_BADGE = '<span class="badge">New</span>'
FLAG_NOTE = "SECRET-FLAG-NOTE: this person is always like this"
CALL_IN = "Hello writer, would you reread your comment?"


@pytest.fixture
def flagger():
    """A flagger whose name no page text contains, so the tests see it never shows."""
    return make_user("quietflagger")


@pytest.fixture
def called_in(flagger, moderator, writer_comment):
    """A waiting case: flagged with a note, then the author is called in."""
    _, case = workflow.flag_comment(flagger, writer_comment, "harmful", FLAG_NOTE)
    workflow.call_in(moderator, case, CALL_IN)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def other_writer():
    return make_user("otherwriter")


@pytest.fixture
def others_case(other_writer, flagger, moderator, essay):
    comment = make_comment(essay, body="Someone else's sharp remark.", author=other_writer)
    _, case = workflow.flag_comment(flagger, comment, "heated")
    workflow.call_in(moderator, case, "Hello otherwriter.")
    return Case.objects.get(pk=case.pk)


def inbox_links(response):
    return [
        int(part.split("/")[0])
        for part in response.content.decode().split('href="/inbox/')[1:]
        if part[0].isdigit()
    ]


def test_author_sees_only_their_own_call_ins(writer, called_in, others_case, essay, flagger):
    # A flagged comment of the writer without a call-in yet is not in the inbox.
    quiet = make_comment(essay, body="Another comment of mine.", author=writer)
    workflow.flag_comment(flagger, quiet, "off_topic")
    response = client_for(writer).get("/inbox/")
    assert response.status_code == 200
    assert inbox_links(response) == [called_in.pk]
    html = response.content.decode()
    assert "You clearly have no idea" in html
    assert "Someone else" not in html
    assert "The moderators are waiting for your answer." in html


def test_inbox_is_empty_for_a_reader(reader, called_in):
    response = client_for(reader).get("/inbox/")
    assert inbox_links(response) == []
    assert "Nothing here." in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, called_in):
    for url in ("/inbox/", f"/inbox/{called_in.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    response = client.post(f"/inbox/{called_in.pk}/reply/", {"body": "Hi"})
    assert response["Location"].startswith("/accounts/login/")
    assert not Message.objects.filter(kind=Message.Kind.AUTHOR).exists()


@pytest.mark.parametrize("who", ["reader", "other_writer", "moderator", "flagger"])
def test_someone_elses_conversation_is_not_found(request, called_in, who):
    user = request.getfixturevalue(who)
    response = client_for(user).get(f"/inbox/{called_in.pk}/")
    assert response.status_code == 404
    # Looking did not mark anything read.
    assert Message.objects.filter(case=called_in, read_at__isnull=True).count() == 1


def test_case_without_a_call_in_is_not_found(writer, flagged_case):
    assert client_for(writer).get(f"/inbox/{flagged_case.pk}/").status_code == 404


def test_inbox_never_shows_the_flagger_or_the_flag_note(writer, moderator, called_in):
    client = client_for(writer)
    for url in ("/inbox/", f"/inbox/{called_in.pk}/"):
        html = client.get(url).content.decode()
        assert "quietflagger" not in html
        assert "SECRET-FLAG-NOTE" not in html
        assert not re.search(rf"\b{moderator.username}\b", html)  # nor which moderator wrote
    html = client.get(f"/inbox/{called_in.pk}/").content.decode()
    assert CALL_IN in html
    assert "The moderators" in html


def test_new_badge_disappears_after_reading(writer, moderator, called_in):
    client = client_for(writer)
    assert NEW_BADGE in client.get("/inbox/").content.decode()
    assert client.get(f"/inbox/{called_in.pk}/").status_code == 200
    assert NEW_BADGE not in client.get("/inbox/").content.decode()
    assert not Message.objects.filter(read_at__isnull=True).exists()
    # A follow-up from the moderators is new again.
    workflow.message_author(moderator, called_in, "Any thoughts?")
    assert NEW_BADGE in client.get("/inbox/").content.decode()


def post_action(client, case, action, data=None):
    return client.post(f"/inbox/{case.pk}/{action}/", data or {}, follow=True)


def test_reply_answers_the_moderators(writer, called_in):
    response = post_action(client_for(writer), called_in, "reply", {"body": "I was upset."})
    assert response.redirect_chain == [(f"/inbox/{called_in.pk}/", 302)]
    assert flashes(response) == ["Your answer is sent to the moderators."]
    case = Case.objects.get(pk=called_in.pk)
    assert case.state == Case.State.ANSWERED
    reply = case.messages.get(kind=Message.Kind.AUTHOR)
    assert (reply.body, reply.sender) == ("I was upset.", writer)
    assert "I was upset." in response.content.decode()
    assert "The moderators have your answer." in client_for(writer).get("/inbox/").content.decode()


def test_empty_reply_is_refused(writer, called_in):
    response = post_action(client_for(writer), called_in, "reply", {"body": " "})
    assert flashes(response) == ["Write a message first."]
    assert Case.objects.get(pk=called_in.pk).state == Case.State.WAITING


def test_revise_changes_the_comment_and_keeps_the_old_text(client, writer, called_in):
    new = "I disagree with your reading of the essay, and here is why."
    response = post_action(client_for(writer), called_in, "revise", {"body": new})
    assert flashes(response) == ["Your comment is revised; the moderators are told."]
    case = Case.objects.get(pk=called_in.pk)
    assert case.state == Case.State.ANSWERED
    comment = Comment.objects.get(pk=case.comment_id)
    assert comment.body == new
    assert comment.edited is not None
    message = case.messages.get(kind=Message.Kind.REVISED)
    assert message.revision.body == "You clearly have no idea what you are talking about."
    # The inbox shows the earlier text; the thread shows the new one.
    assert "Your earlier text:" in response.content.decode()
    thread = client.get("/essays/essay/").content.decode()
    assert new in thread
    assert "no idea what you are talking about" not in thread


def test_revise_with_unchanged_text_is_refused(writer, called_in):
    body = "  You clearly have no idea what you are talking about.  "
    response = post_action(client_for(writer), called_in, "revise", {"body": body})
    assert flashes(response) == ["The text is unchanged; edit it before saving."]
    case = Case.objects.get(pk=called_in.pk)
    assert case.state == Case.State.WAITING
    assert not case.messages.filter(kind=Message.Kind.REVISED).exists()
    assert Comment.objects.get(pk=case.comment_id).edited is None


def test_withdraw_withdraws_the_comment(client, writer, called_in):
    response = post_action(client_for(writer), called_in, "withdraw")
    assert flashes(response) == ["Your comment is withdrawn; the moderators are told."]
    case = Case.objects.get(pk=called_in.pk)
    assert case.state == Case.State.ANSWERED
    assert case.messages.filter(kind=Message.Kind.WITHDRAWN).exists()
    assert Comment.objects.get(pk=case.comment_id).status == Comment.Status.WITHDRAWN
    html = response.content.decode()
    assert "You withdrew this comment." in html
    assert "Save revision" not in html  # nothing left to revise
    assert "Withdrawn by its author." in client.get("/essays/essay/").content.decode()


def test_withdrawing_twice_tells_the_moderators_once(writer, called_in):
    """A second click, or a second tab, on "Withdraw"."""
    client = client_for(writer)
    post_action(client, called_in, "withdraw")
    response = post_action(client, called_in, "withdraw")
    assert flashes(response) == [
        "You have already withdrawn this comment; the moderators were told."
    ]
    case = Case.objects.get(pk=called_in.pk)
    assert case.messages.filter(kind=Message.Kind.WITHDRAWN).count() == 1
    assert case.events.filter(action="author_withdrew").count() == 1


@pytest.mark.parametrize("action", ["reply", "revise", "withdraw"])
def test_actions_on_someone_elses_case_are_not_found(other_writer, moderator, called_in, action):
    for user in (other_writer, moderator):
        response = client_for(user).post(f"/inbox/{called_in.pk}/{action}/", {"body": "Mine now."})
        assert response.status_code == 404
    case = Case.objects.get(pk=called_in.pk)
    assert case.state == Case.State.WAITING
    assert list(case.messages.values_list("kind", flat=True)) == [Message.Kind.CALL_IN]
    comment = Comment.objects.get(pk=case.comment_id)
    assert (comment.body, comment.status) == (
        "You clearly have no idea what you are talking about.",
        Comment.Status.VISIBLE,
    )


@pytest.mark.parametrize("action", ["delete", "resolve", "read"])
def test_unknown_action_is_not_found(writer, called_in, action):
    response = client_for(writer).post(f"/inbox/{called_in.pk}/{action}/", {"body": "x"})
    assert response.status_code == 404
    assert Case.objects.get(pk=called_in.pk).state == Case.State.WAITING


def test_actions_need_post(writer, called_in):
    response = client_for(writer).get(f"/inbox/{called_in.pk}/withdraw/")
    assert response.status_code == 405
    assert Comment.objects.get(pk=called_in.comment_id).status == Comment.Status.VISIBLE


def test_closed_case_shows_its_outcome_and_takes_no_answers(writer, moderator, called_in):
    workflow.resolve(moderator, called_in, "no_action")
    client = client_for(writer)
    assert "Closed: no action needed." in client.get("/inbox/").content.decode()
    page = client.get(f"/inbox/{called_in.pk}/").content.decode()
    assert "Your answer" not in page
    response = post_action(client, called_in, "reply", {"body": "Late answer."})
    [message] = flashes(response)
    assert "no longer applies" in message
    assert not Message.objects.filter(kind=Message.Kind.AUTHOR).exists()
