"""Opening prompts: posted into the thread, marked as such, logged."""

import pytest

from moderation.models import ModerationEvent
from threads.models import Comment


@pytest.fixture
def organizer(organizer):
    """The organizer with a full name, which shows beside the prompt."""
    organizer.first_name, organizer.last_name = "Ola", "Organizer"
    organizer.save()
    return organizer


def test_prompt_is_posted_and_shown_as_an_opening_prompt(client, organizer, essay):
    response = client.post(
        "/organize/essay/prompt/",
        {"prompt": "What did this essay change for you?", "sign_as": "organizers"},
        follow=True,
    )

    assert b"The opening prompt is posted." in response.content
    prompt = Comment.objects.get()
    assert (prompt.kind, prompt.author_name, prompt.author) == ("prompt", "Organizers", organizer)
    event = ModerationEvent.objects.get()
    assert (event.action, event.comment, event.essay) == ("prompt_added", prompt, essay)
    page = client.get("/essays/essay/").content.decode()
    assert '<span class="badge">Opening prompt</span>' in page
    assert "What did this essay change for you?" in page


def test_prompt_can_be_signed_with_the_organizers_name(client, organizer, essay):
    client.post("/organize/essay/prompt/", {"prompt": "Where do you agree?", "sign_as": "me"})
    assert Comment.objects.get().author_name == "Ola Organizer"


def test_prompt_is_allowed_in_a_closed_discussion(client, organizer, essay):
    essay.discussion = "closed"
    essay.save()
    client.post("/organize/essay/prompt/", {"prompt": "Looking back?", "sign_as": "organizers"})
    assert Comment.objects.get().kind == "prompt"


def test_empty_prompt_is_refused(client, organizer, essay):
    response = client.post("/organize/essay/prompt/", {"prompt": "  ", "sign_as": "organizers"})
    assert response.status_code == 400
    assert "Write the prompt before posting." in response.content.decode()
    assert not Comment.objects.exists()
    assert not ModerationEvent.objects.exists()
