"""Saved replies: /moderation/saved-replies/ (moderators), and their use on the case page."""

import pytest

from moderation import workflow
from moderation.models import Case, ModerationEvent, SavedReply
from tests.helpers import client_for, flashes
from threads.models import Comment

URL = "/moderation/saved-replies/"


@pytest.fixture
def hide_reason(moderator):
    return SavedReply.objects.create(
        kind="hide_reason",
        title="Attack after a call-in",
        body="It attacks a person, and its author chose not to revise it.",
        created_by=moderator,
    )


@pytest.fixture
def saved_call_in(moderator):
    return SavedReply.objects.create(
        kind="call_in",
        title="Short and warm",
        body="Hello {author}, about your comment in “{essay}” ({reasons}): {unknown} stays.",
        created_by=moderator,
    )


def test_the_page_lists_them_with_a_remove_button_each(
    moderator_client, hide_reason, saved_call_in
):
    html = moderator_client.get(URL).content.decode()
    assert "Attack after a call-in" in html and "Short and warm" in html
    assert html.count('name="delete"') == 2
    assert "style=" not in html and "<script" not in html


def test_saving_one_logs_it(moderator_client, moderator):
    response = moderator_client.post(
        URL, {"kind": "call_in", "title": " Gentle ", "body": " Hello {author}. "}, follow=True
    )
    assert response.redirect_chain == [(URL, 302)]
    assert flashes(response) == ["Saved."]
    reply = SavedReply.objects.get()
    assert (reply.kind, reply.title, reply.body, reply.created_by) == (
        "call_in",
        "Gentle",
        "Hello {author}.",
        moderator,
    )
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor) == ("saved_reply_added", moderator)
    assert event.after == {"saved_reply": reply.pk, "kind": "call_in", "title": "Gentle"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "", "title": "T", "body": "B"}, "Choose whether it is a hide reason"),
        ({"kind": "poem", "title": "T", "body": "B"}, "Choose whether it is a hide reason"),
        ({"kind": "call_in", "title": " ", "body": "B"}, "Write a title first."),
        ({"kind": "call_in", "title": "T", "body": ""}, "Write the text first."),
        ({"kind": "call_in", "title": "T" * 121, "body": "B"}, "at most 120 characters"),
        ({"kind": "call_in", "title": "T", "body": "B" * 6001}, "at most 6,000 characters"),
    ],
)
def test_an_incomplete_one_is_refused_and_nothing_is_saved(moderator_client, data, message):
    response = moderator_client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SavedReply.objects.exists() and not ModerationEvent.objects.exists()


def test_removing_one_logs_it(moderator_client, moderator, hide_reason):
    response = moderator_client.post(URL, {"delete": hide_reason.pk}, follow=True)
    assert flashes(response) == ["Removed."]
    assert not SavedReply.objects.exists()
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor) == ("saved_reply_removed", moderator)
    assert event.before == {
        "saved_reply": hide_reason.pk,
        "kind": "hide_reason",
        "title": "Attack after a call-in",
    }
    assert moderator_client.post(URL, {"delete": hide_reason.pk}).status_code == 404
    assert ModerationEvent.objects.count() == 1


@pytest.mark.parametrize("who", ["reader", "organizer"])
def test_others_cannot_see_or_change_them(request, hide_reason, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"delete": hide_reason.pk}).status_code == 403
    assert client.post(URL, {"kind": "call_in", "title": "T", "body": "B"}).status_code == 403
    assert list(SavedReply.objects.values_list("pk", flat=True)) == [hide_reason.pk]


# --- on the case page ---------------------------------------------------------------------


def test_a_saved_call_in_is_offered_and_filled_in(moderator_client, flagged_case, saved_call_in):
    page = moderator_client.get(f"/moderation/cases/{flagged_case.pk}/").content.decode()
    assert f'<option value="saved-{saved_call_in.pk}"' in page
    html = moderator_client.get(
        f"/moderation/cases/{flagged_case.pk}/?template=saved-{saved_call_in.pk}"
    ).content.decode()
    assert (
        "Hello writer, about your comment in “An essay” (heated): {unknown} stays."
        in html.replace("&ldquo;", "“").replace("&rdquo;", "”")
    )


def test_a_saved_hide_reason_is_the_reason_the_author_reads(
    moderator_client, moderator, flagged_case, hide_reason
):
    workflow.call_in(moderator, flagged_case, "Hello, would you reread this?")
    case = Case.objects.get(pk=flagged_case.pk)
    page = moderator_client.get(f"/moderation/cases/{case.pk}/").content.decode()
    assert f'<option value="{hide_reason.pk}">Attack after a call-in</option>' in page

    moderator_client.post(
        f"/moderation/cases/{case.pk}/resolve/",
        {"version": case.version, "outcome": "hidden", "saved_reason": hide_reason.pk},
    )

    case = Case.objects.get(pk=case.pk)
    assert case.outcome == "hidden" and case.resolution_reason == hide_reason.body
    assert Comment.objects.get(pk=case.comment_id).status == Comment.Status.HIDDEN
    assert hide_reason.body in case.messages.last().body


def test_a_saved_call_in_is_not_a_hide_reason(
    moderator_client, moderator, flagged_case, saved_call_in
):
    workflow.call_in(moderator, flagged_case, "Hello.")
    case = Case.objects.get(pk=flagged_case.pk)
    moderator_client.post(
        f"/moderation/cases/{case.pk}/resolve/",
        {"version": case.version, "outcome": "hidden", "saved_reason": saved_call_in.pk},
    )
    # No reason given at all: refused, as without a saved reason.
    assert Case.objects.get(pk=case.pk).state == Case.State.WAITING
