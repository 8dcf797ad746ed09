"""Setting and lifting slow mode from the organizer's page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import ModerationEvent
from threads.errors import Refused
from threads.posting import post_comment


def test_slow_mode_paces_readers_for_the_chosen_time(client, organizer, essay, reader):
    response = client.post(
        "/organize/essay/slow-mode/",
        {"interval_minutes": "10", "duration_hours": "2"},
        follow=True,
    )

    assert b"Slow mode is on." in response.content
    essay.refresh_from_db()
    assert essay.slow_mode_seconds == 600
    expected = timezone.now() + timedelta(hours=2)
    assert abs(essay.slow_mode_until - expected) < timedelta(minutes=1)
    post_comment(essay, reader, "First thought.")
    with pytest.raises(Refused, match="slow mode"):
        post_comment(essay, reader, "Second thought, right away.")
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.after["slow_mode_seconds"]) == (
        "slow_mode_set",
        organizer,
        600,
    )
    assert b"Lift slow mode" in response.content


def test_slow_mode_without_duration_stays_on(client, organizer, essay):
    client.post("/organize/essay/slow-mode/", {"interval_minutes": "5"})
    essay.refresh_from_db()
    assert essay.slow_mode_seconds == 300 and essay.slow_mode_until is None


def test_lifting_slow_mode(client, organizer, essay, reader):
    client.post("/organize/essay/slow-mode/", {"interval_minutes": "5"})

    response = client.post("/organize/essay/slow-mode/", {"lift": "1"}, follow=True)

    assert b"Slow mode is lifted." in response.content
    essay.refresh_from_db()
    assert essay.slow_mode_seconds == 0 and not essay.slow_mode_active()
    post_comment(essay, reader, "One.")
    post_comment(essay, reader, "Two.")
    assert ModerationEvent.objects.order_by("-id").first().action == "slow_mode_lifted"


@pytest.mark.parametrize(
    "data",
    [
        {"interval_minutes": "0"},
        {"interval_minutes": ""},
        {"interval_minutes": "5", "duration_hours": "721"},
    ],
)
def test_invalid_values_are_refused(client, organizer, essay, data):
    response = client.post("/organize/essay/slow-mode/", data)
    assert response.status_code == 400
    assert response.context["slow_mode_form"].errors
    assert "Nothing was changed." in response.content.decode()
    essay.refresh_from_db()
    assert essay.slow_mode_seconds == 0
    assert not ModerationEvent.objects.exists()
