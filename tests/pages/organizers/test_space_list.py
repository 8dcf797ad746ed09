"""The organizers' list of spaces: counts, state and slow mode at a glance."""

from datetime import timedelta

from moderation.workflow import set_slow_mode
from threads.models import Essay


def test_lists_spaces_with_counts_state_and_slow_mode(client, seeded, organizer):
    Essay.objects.filter(slug="leftist-empathy-gap").update(discussion="closed")
    set_slow_mode(organizer, Essay.objects.get(slug="calling-in"), 600, timedelta(hours=3))
    client.force_login(organizer)

    response = client.get("/organize/")

    assert response.status_code == 200
    counts = {e.slug: (e.comment_count, e.is_open) for e in response.context["essays"]}
    assert counts == {"calling-in": (12, True), "leftist-empathy-gap": (0, False)}
    html = response.content.decode()
    assert 'href="/organize/calling-in/"' in html
    assert 'href="/organize/new/"' in html
    assert '<td data-label="Comments">12</td>' in html
    assert '<td data-label="Discussion">Closed</td>' in html
    assert "One comment per person every 10 minutes, until" in html


def test_says_so_when_there_are_no_spaces(client, organizer):
    client.force_login(organizer)
    assert b"No discussion spaces yet." in client.get("/organize/").content
