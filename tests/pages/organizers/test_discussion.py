"""Opening and closing a space's discussion."""

import pytest
from django.test import Client

from moderation.models import ModerationEvent
from threads.errors import Refused
from threads.posting import post_comment


def test_closing_refuses_new_comments_and_reopening_allows_them(client, organizer, essay, reader):
    response = client.post("/organize/essay/discussion/", {"state": "closed"}, follow=True)

    assert b"The discussion is closed to new comments." in response.content
    essay.refresh_from_db()
    assert not essay.is_open
    with pytest.raises(Refused, match="closed"):
        post_comment(essay, reader, "Can I still say this?")
    assert b"Open the discussion" in response.content

    client.post("/organize/essay/discussion/", {"state": "open"})

    essay.refresh_from_db()
    assert essay.is_open
    assert post_comment(essay, reader, "Now I can.").pk
    events = list(ModerationEvent.objects.order_by("id").values_list("action", "before", "after"))
    assert events == [
        ("space_closed", {"discussion": "open"}, {"discussion": "closed"}),
        ("space_opened", {"discussion": "closed"}, {"discussion": "open"}),
    ]


def test_closing_a_closed_discussion_is_refused(client, organizer, essay):
    essay.discussion = "closed"
    essay.save()
    response = client.post("/organize/essay/discussion/", {"state": "closed"})
    assert response.status_code == 400
    assert "The discussion is already closed." in response.content.decode()
    assert not ModerationEvent.objects.exists()


def test_unknown_state_is_refused(client, organizer, essay):
    response = client.post("/organize/essay/discussion/", {"state": "archived"})
    assert response.status_code == 400
    essay.refresh_from_db()
    assert essay.is_open
    assert not ModerationEvent.objects.exists()


def test_csrf_token_is_required(organizer, essay):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organizer)

    response = client.post("/organize/essay/discussion/", {"state": "closed"})

    assert response.status_code == 403
    essay.refresh_from_db()
    assert essay.is_open
    assert not ModerationEvent.objects.exists()
    # With the token from the page, the same post goes through.
    client.get("/organize/essay/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/organize/essay/discussion/", {"state": "closed", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
