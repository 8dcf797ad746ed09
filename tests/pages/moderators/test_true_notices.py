"""Notices that are true (issue 13): an auto-held comment whose author has no account,
the case page's one line on what readers see, and undo naming the action it takes back."""

import re
from html import unescape

import pytest

from moderation import workflow
from moderation.models import Case, ModerationEvent
from tests.helpers import (
    case_action,
    client_for,
    flashes,
    fresh,
    html_of,
    make_comment,
    reply,
)
from threads.models import Comment, Essay

pytestmark = pytest.mark.usefixtures("no_heat")

TALK = "while its author and the moderators talk"
LOOK = "This comment is resting for a moment while the moderators look at it."


@pytest.fixture
def held_import(essay, flagger, second_flagger):
    """An imported comment (no author account) auto-held by two heated flags."""
    Essay.objects.filter(pk=essay.pk).update(auto_hold_weight=6)
    comment = make_comment(essay, body="An imported remark.", import_key="src-9")
    workflow.flag_comment(flagger, comment, "heated")
    _, case = workflow.flag_comment(second_flagger, fresh(comment), "heated")
    assert fresh(comment).visibility_paused and fresh(case).auto_held
    return comment, fresh(case)


def readers_see(html):
    line = re.search(r'<span class="visibility" id="readers-see">(.*?)</span>', html, re.S).group(1)
    return unescape(line)


@pytest.mark.parametrize("page", ["thread", "permalink"])
def test_no_talk_is_promised_with_an_author_who_has_no_account(reader, held_import, essay, page):
    comment, _ = held_import
    url = f"/essays/{essay.slug}/" + (f"comments/{comment.pk}/" if page == "permalink" else "")
    html = html_of(client_for(reader).get(url))
    assert LOOK in html
    assert TALK not in html
    assert "An imported remark." not in html


def test_an_author_with_an_account_is_still_talked_with(reader, moderator, called_in_case):
    workflow.pause_visibility(moderator, called_in_case)
    essay = called_in_case.essay
    html = html_of(client_for(reader).get(f"/essays/{essay.slug}/"))
    assert f"This comment is resting for a moment {TALK}." in html


def test_the_case_page_says_once_and_truly_what_readers_see(moderator_client, held_import):
    comment, case = held_import
    Comment.objects.filter(pk=comment.pk).update(heat=0.9, heat_signals=[])
    html = html_of(moderator_client.get(f"/moderation/cases/{case.pk}/"))
    line = readers_see(html)
    assert line.startswith("Readers see a placeholder: the flags' weight reached")
    assert "threshold (6)" in line and "edits" not in line  # nobody here can edit it
    assert "auto-held" not in html
    assert "nothing is hidden" not in html.lower()
    assert html.count('id="readers-see"') == 1


@pytest.mark.parametrize(
    "change, expected",
    [
        ({}, "Readers see this comment."),
        ({"status": Comment.Status.HIDDEN}, "Readers see a placeholder: a moderator hid"),
        ({"status": Comment.Status.PENDING}, "Readers do not see this comment: it waits"),
        ({"status": Comment.Status.WITHDRAWN}, "Readers see a placeholder: its author withdrew"),
        ({"visibility_paused": True}, "Readers see a placeholder while the moderators talk"),
    ],
    ids=["visible", "hidden", "pending", "withdrawn", "paused"],
)
def test_the_line_follows_the_comments_state(moderator_client, case, change, expected):
    Comment.objects.filter(pk=case.comment_id).update(**change)
    html = html_of(moderator_client.get(f"/moderation/cases/{case.pk}/"))
    assert readers_see(html).startswith(expected)


def test_an_ended_auto_hold_is_not_shown_as_in_force(moderator_client, held_import):
    comment, case = held_import
    workflow.restore_visibility(None, comment, case)
    line = readers_see(html_of(moderator_client.get(f"/moderation/cases/{case.pk}/")))
    assert line == "Readers see this comment: its automatic hold has ended."


def undo_button(html):
    match = re.search(r'<button type="submit">Undo: (.*?)</button>', html)
    return match and match.group(1)


def test_slow_mode_from_the_case_page_is_what_undo_takes_back(moderator, case):
    """The finding: the button still named the fold after slow mode, and undo unfolded."""
    client = client_for(moderator)
    case_action(client, case, "collapse", hours="")
    response = case_action(client, case, "slow-mode", minutes="5", hours="1")
    assert flashes(response) == ["Slow mode updated."]
    event = ModerationEvent.objects.filter(action="slow_mode_set").get()
    assert event.case_id == case.pk
    assert undo_button(html_of(response)) == "setting slow mode"

    response = case_action(client, case, "undo")
    assert flashes(response) == ["The last action is undone."]
    assert fresh(case.essay).slow_mode_seconds == 0
    assert fresh(case.comment).is_collapsed()  # the fold the button did not name stays


@pytest.mark.parametrize("action", ["feature", "unfeature"])
def test_featuring_from_the_case_page_is_logged_against_it(moderator, case, action):
    if action == "unfeature":
        workflow.feature(moderator, case.comment, True)
    client = client_for(moderator)
    response = case_action(client, case, action)
    logged = "comment_featured" if action == "feature" else "comment_unfeatured"
    assert ModerationEvent.objects.filter(action=logged, case=case).exists()
    label = "featuring the comment" if action == "feature" else "no longer featuring the comment"
    assert undo_button(html_of(response)) == label


def test_retracting_a_note_from_the_case_page_is_logged_against_it(moderator, case):
    note = workflow.annotate(moderator, case.comment, "context", "Written elsewhere.")
    case_action(client_for(moderator), case, "retract-note", annotation=note.pk)
    assert ModerationEvent.objects.filter(action="annotation_retracted", case=case).exists()


def test_undoing_a_resolve_from_the_page_restores_waiting(moderator, called_in_case):
    client = client_for(moderator)
    case_action(client, called_in_case, "resolve", outcome="no_action")
    response = case_action(client, called_in_case, "undo")
    assert fresh(called_in_case).state == Case.State.WAITING
    assert f"Case #{called_in_case.pk}: {Case.State.WAITING.label}" in html_of(response)
    assert fresh(called_in_case).call_in_deadline is not None


def test_pausing_replies_from_the_case_page_covers_the_subthread(moderator, reader, case):
    deeper = make_comment(case.essay, body="A reply.", author=reader, parent=case.comment)
    case_action(client_for(moderator), case, "pause-replies", minutes="30")
    count = Comment.objects.count()
    response = reply(client_for(reader), case.essay, "And another thing.", deeper)
    assert response.status_code == 400 and "resting until" in html_of(response)
    assert Comment.objects.count() == count
