"""Every /organize/ URL is for organizers (and superusers) only.

The watched-words pages are the exception (moderators use them too): see
tests/pages/moderators/test_permissions.py.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from moderation.models import ModerationEvent

PAGES = ["/organize/", "/organize/new/", "/organize/essay/", "/organize/essay/text/"]
ACTIONS = {
    "/organize/essay/": {"title": "Renamed"},
    "/organize/essay/discussion/": {"state": "closed"},
    "/organize/essay/slow-mode/": {"interval_minutes": "5"},
    "/organize/essay/prompt/": {"prompt": "What surprised you?", "sign_as": "organizers"},
    "/organize/essay/import/": {"replies": ""},
    "/organize/essay/import/arrange/": {
        "page_text": "One.\nExpand full comment\nTwo.\n",
        "page_name": "page.txt",
        "parent_2": "1",
        "import": "1",
    },
    "/organize/essay/settings/": {
        "call_in_hours": "24",
        "auto_hold_weight": "0",
        "premoderate_first": "0",
        "heat_threshold": "0.7",
    },
}


@pytest.fixture
def users(reader, moderator, organizer, superuser):
    return {
        "reader": reader,
        "moderator": moderator,
        "organizer": organizer,
        "superuser": superuser,
    }


def post_data(url):
    data = dict(ACTIONS[url])
    if url.endswith("/import/"):
        data["comment_file"] = SimpleUploadedFile("page.txt", b"One comment here.\n")
    return data


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_sign_in(client, essay, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", ACTIONS)
def test_anonymous_post_is_sent_to_sign_in_and_changes_nothing(client, essay, url):
    response = client.post(url, post_data(url))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize(
    "who, status", [("reader", 403), ("moderator", 403), ("organizer", 200), ("superuser", 200)]
)
@pytest.mark.parametrize("url", PAGES)
def test_only_organizers_and_superusers_see_the_pages(client, essay, users, who, status, url):
    client.force_login(users[who])
    assert client.get(url).status_code == status


@pytest.mark.parametrize("who", ["reader", "moderator"])
@pytest.mark.parametrize("url", ACTIONS)
def test_others_cannot_act(client, essay, users, who, url):
    client.force_login(users[who])
    assert client.post(url, post_data(url)).status_code == 403
    essay.refresh_from_db()
    assert (essay.title, essay.discussion, essay.slow_mode_seconds) == ("An essay", "open", 0)
    assert essay.call_in_hours == 72
    assert not ModerationEvent.objects.exists()
    assert not essay.comments.exists()


@pytest.mark.parametrize("who", ["organizer", "superuser"])
@pytest.mark.parametrize("url", ACTIONS)
def test_organizers_and_superusers_can_act(client, essay, users, who, url):
    client.force_login(users[who])
    response = client.post(url, post_data(url), follow=True)
    assert response.redirect_chain == [("/organize/essay/", 302)]
    assert response.status_code == 200
    assert ModerationEvent.objects.get().actor == users[who]


@pytest.mark.parametrize("url", list(ACTIONS)[1:])
def test_actions_refuse_get(client, essay, users, url):
    client.force_login(users["organizer"])
    assert client.get(url).status_code == 405
    assert not ModerationEvent.objects.exists()


def test_unknown_space_is_404(client, users):
    client.force_login(users["organizer"])
    assert client.get("/organize/nope/").status_code == 404
