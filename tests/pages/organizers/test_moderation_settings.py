"""A space's moderation settings on its organizer page: /organize/SLUG/settings/.

Call-in wait, auto-hold, pre-moderation of newcomers and the heat threshold; each
saved change is logged with before and after, like the space's details.
"""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from moderation import spaces, workflow
from moderation.models import Case, ModerationEvent
from tests.helpers import client_for, flashes
from threads.models import Comment

URL = "/organize/essay/settings/"
DEFAULTS = {
    "call_in_hours": "72",
    "auto_hold_weight": "0",
    "premoderate_first": "0",
    "heat_threshold": "0.7",
}


def errors_of(response):
    """{field name: its error text} from the settings form on the page."""
    html = response.content.decode()
    form = html.split('action="/organize/essay/settings/"')[1].split("</form>")[0]
    found = {}
    for name in DEFAULTS:
        match = re.search(
            rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', form, re.S
        ) or re.search(rf'<ul class="errorlist">(.*?)</ul>\s*<input[^>]*name="{name}"', form, re.S)
        if match:
            found[name] = unescape(re.sub(r"<[^>]+>", "", match.group(1)))
    return found


def test_the_page_shows_the_current_settings(organizer_client, essay):
    html = organizer_client.get("/organize/essay/").content.decode()
    assert f'action="{URL}"' in html
    assert (
        "Now: a call-in waits 72 hours for its author;\n    auto-hold is off;\n"
        "    pre-moderation is off;\n    the heat threshold is 0.70." in html
    )
    for name, value in DEFAULTS.items():
        assert re.search(rf'name="{name}" value="{re.escape(value)}"', html), name


def test_saving_changes_them_and_logs_only_what_changed(organizer_client, organizer, essay):
    data = {**DEFAULTS, "call_in_hours": "24", "auto_hold_weight": "7.5", "premoderate_first": "2"}

    response = organizer_client.post(URL, data, follow=True)

    assert response.redirect_chain == [("/organize/essay/", 302)]
    assert flashes(response) == ["Settings saved."]
    essay.refresh_from_db()
    assert (essay.call_in_hours, essay.auto_hold_weight, essay.premoderate_first) == (24, 7.5, 2)
    assert essay.heat_threshold == 0.7
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.essay) == ("space_updated", organizer, essay)
    assert event.before == {"call_in_hours": 72, "auto_hold_weight": 0.0, "premoderate_first": 0}
    assert event.after == {"call_in_hours": 24, "auto_hold_weight": 7.5, "premoderate_first": 2}
    html = response.content.decode()
    assert "a call-in waits 24 hours" in html
    assert "auto-hold pauses a comment at weighted flags of 7.5" in html
    assert "pre-moderation holds a newcomer's first 2 comments" in html


def test_saving_the_same_values_logs_nothing(organizer_client, essay):
    response = organizer_client.post(URL, {**DEFAULTS, "heat_threshold": "0.70"}, follow=True)
    assert flashes(response) == ["Nothing changed."]
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("call_in_hours", "0", "A call-in waits between 1 and 720 hours"),
        ("call_in_hours", "721", "A call-in waits between 1 and 720 hours"),
        ("call_in_hours", "1.5", "Enter a whole number."),
        ("call_in_hours", "", "This field is required."),
        ("auto_hold_weight", "3", "Use 0 to turn auto-hold off, or a weight from 6 to 100."),
        ("auto_hold_weight", "-1", "Use 0 to turn auto-hold off"),
        ("auto_hold_weight", "101", "Use 0 to turn auto-hold off"),
        ("auto_hold_weight", "lots", "Enter a number."),
        ("premoderate_first", "-1", "Hold from 0 to 20 of a newcomer's first comments"),
        ("premoderate_first", "21", "Hold from 0 to 20"),
        ("heat_threshold", "0.2", "The heat threshold is between 0.30 and 1.00"),
        ("heat_threshold", "1.01", "The heat threshold is between 0.30 and 1.00"),
        ("heat_threshold", "0.705", "no more than 2 decimal places"),
    ],
)
def test_values_out_of_bounds_are_refused_with_a_clear_message(
    organizer_client, essay, field, value, message
):
    response = organizer_client.post(URL, {**DEFAULTS, "call_in_hours": "24", field: value})
    assert response.status_code == 400
    assert message in errors_of(response).get(field, ""), errors_of(response)
    assert "Nothing was changed." in response.content.decode()
    # The form keeps what was typed.
    assert re.search(rf'name="{field}"( value="{re.escape(value)}")?', response.content.decode())
    essay.refresh_from_db()
    assert essay.call_in_hours == 72 and essay.auto_hold_weight == 0
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("call_in_hours", "1"),
        ("call_in_hours", "720"),
        ("auto_hold_weight", "6"),
        ("auto_hold_weight", "100"),
        ("premoderate_first", "20"),
        ("heat_threshold", "0.3"),
        ("heat_threshold", "1"),
    ],
)
def test_the_bounds_themselves_are_accepted(organizer_client, essay, field, value):
    assert organizer_client.post(URL, {**DEFAULTS, field: value}).status_code == 302
    essay.refresh_from_db()
    assert getattr(essay, field) == float(value)


def test_update_space_checks_the_bounds_too(organizer, essay):
    """Commands and other callers go through the same rules as the form."""
    with pytest.raises(spaces.SpaceError, match="between 1 and 720 hours") as info:
        spaces.update_space(organizer, essay, call_in_hours=10_000)
    assert info.value.field == "call_in_hours"
    with pytest.raises(spaces.SpaceError, match="auto-hold"):
        spaces.update_space(organizer, essay, auto_hold_weight=2.5)
    with pytest.raises(spaces.SpaceError, match="heat threshold"):
        spaces.update_space(organizer, essay, heat_threshold=True)
    essay.refresh_from_db()
    assert (essay.call_in_hours, essay.auto_hold_weight) == (72, 0)
    assert not ModerationEvent.objects.exists()


def test_a_moderator_or_reader_cannot_change_them(moderator, reader, essay):
    for user in (moderator, reader):
        response = client_for(user).post(URL, {**DEFAULTS, "call_in_hours": "1"})
        assert response.status_code == 403
    essay.refresh_from_db()
    assert essay.call_in_hours == 72
    assert not ModerationEvent.objects.exists()


# --- the settings take effect ---------------------------------------------------------------


def test_the_call_in_wait_applies_to_the_next_call_in(
    organizer_client, moderator, flagged_case, settings
):
    organizer_client.post(URL, {**DEFAULTS, "call_in_hours": "6"})
    before = timezone.now()
    workflow.call_in(moderator, flagged_case, "Hello, would you reread this?")
    deadline = Case.objects.get(pk=flagged_case.pk).call_in_deadline
    assert timedelta(hours=6) <= deadline - before < timedelta(hours=6, minutes=1)


def test_premoderation_set_here_holds_a_newcomers_comment(
    organizer_client, reader, essay, settings
):
    settings.HEAT_SCORING = False
    organizer_client.post(URL, {**DEFAULTS, "premoderate_first": "1"})
    client_for(reader).post("/essays/essay/reply/", {"body": "Hello, first time here."})
    assert Comment.objects.get(author=reader).status == Comment.Status.PENDING
