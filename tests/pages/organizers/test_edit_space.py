"""Editing a space's details; each saved change is logged with before and after."""

from moderation.models import ModerationEvent

DETAILS = {
    "title": "An essay",
    "subtitle": "About things",
    "author_name": "",
    "guidelines": "",
}


def test_page_shows_the_current_details_and_every_action(client, organizer, essay):
    html = client.get("/organize/essay/").content.decode()
    assert 'value="An essay"' in html
    for action in ["", "discussion/", "slow-mode/", "prompt/", "import/", "settings/"]:
        assert f'action="/organize/essay/{action}"' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 6
    assert 'href="/organize/essay/watched-words/"' in html
    assert "style=" not in html and "<script" not in html


def test_saving_changes_logs_only_the_changed_fields(client, organizer, essay):
    data = {**DETAILS, "title": "A better title", "author_name": "Ella", "guidelines": "Be kind."}
    old_guidelines = essay.guidelines

    response = client.post("/organize/essay/", data, follow=True)

    assert response.redirect_chain == [("/organize/essay/", 302)]
    assert b"Saved." in response.content
    essay.refresh_from_db()
    assert (essay.title, essay.author_name, essay.guidelines) == (
        "A better title",
        "Ella",
        "Be kind.",
    )
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.essay) == ("space_updated", organizer, essay)
    assert event.before == {"title": "An essay", "author_name": "", "guidelines": old_guidelines}
    assert event.after == {
        "title": "A better title",
        "author_name": "Ella",
        "guidelines": "Be kind.",
    }


def test_saving_without_changes_logs_nothing(client, organizer, essay):
    essay.guidelines = ""
    essay.save()
    response = client.post("/organize/essay/", DETAILS, follow=True)
    assert b"Nothing changed." in response.content
    assert not ModerationEvent.objects.exists()


def test_invalid_details_are_shown_and_not_saved(client, organizer, essay):
    response = client.post("/organize/essay/", {**DETAILS, "title": "", "subtitle": "New"})
    assert response.status_code == 400
    assert response.context["details_form"].errors == {"title": ["This field is required."]}
    essay.refresh_from_db()
    assert essay.subtitle == "About things"
    assert not ModerationEvent.objects.exists()
