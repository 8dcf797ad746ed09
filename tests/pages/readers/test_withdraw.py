"""Withdrawing one's own comment: its text goes, its replies stay."""

import pytest

from tests.helpers import make_comment
from threads.models import Comment


@pytest.fixture
def own(essay, reader):
    return make_comment(essay, body="Words I regret.", author=reader)


@pytest.fixture
def reply(essay, own, other_reader):
    return make_comment(essay, body="A reply worth keeping.", parent=own, author=other_reader)


def withdraw_url(comment):
    return f"/essays/{comment.essay.slug}/comments/{comment.pk}/withdraw/"


def state(comment):
    comment.refresh_from_db()
    return comment.status, comment.body


def test_get_asks_for_confirmation_and_changes_nothing(client, reader, own):
    client.force_login(reader)
    response = client.get(withdraw_url(own))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Withdraw your comment?" in html
    assert "Words I regret." in html
    assert '<form method="post">' in html
    assert state(own) == ("visible", "Words I regret.")


def test_post_withdraws(client, reader, own, reply):
    client.force_login(reader)
    response = client.post(withdraw_url(own))
    assert response.status_code == 302
    assert response["Location"] == f"/essays/essay/#c{own.pk}"
    # The text is kept in the database (nothing is deleted), but no longer shown.
    assert state(own) == (Comment.Status.WITHDRAWN, "Words I regret.")
    assert state(reply) == (Comment.Status.VISIBLE, "A reply worth keeping.")
    reply.refresh_from_db()
    assert reply.parent == own

    html = client.get("/essays/essay/").content.decode()
    assert "Withdrawn by its author." in html
    assert "Words I regret." not in html
    assert "A reply worth keeping." in html
    assert f'id="c{reply.pk}" class="comment indent-1' in html
    # Withdrawn: no edit or withdraw links any more.
    assert withdraw_url(own) not in html


def test_withdrawing_twice_is_harmless(client, reader, own):
    client.force_login(reader)
    client.post(withdraw_url(own))
    response = client.post(withdraw_url(own))
    assert response.status_code == 302
    assert state(own)[0] == Comment.Status.WITHDRAWN


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_reader_is_refused(client, other_reader, own, method):
    client.force_login(other_reader)
    response = getattr(client, method)(withdraw_url(own))
    assert response.status_code == 403
    assert "Only its author can withdraw a comment." in response.content.decode()
    assert state(own) == ("visible", "Words I regret.")


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, own, method):
    response = getattr(client, method)(withdraw_url(own))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={withdraw_url(own)}"
    assert state(own)[0] == "visible"


def test_other_methods_are_not_allowed(client, reader, own):
    client.force_login(reader)
    assert client.put(withdraw_url(own)).status_code == 405
    assert client.delete(withdraw_url(own)).status_code == 405
    assert state(own)[0] == "visible"
