"""Issue 13's inputs that gave a 500, each now answered with a message in words and
nothing written; and the text bounds the forms, the models and the database share."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Repeat

from moderation import workflow
from moderation.models import (
    Annotation,
    Case,
    Flag,
    Message,
    ModerationEvent,
    Sanction,
    SavedReply,
)
from tests.helpers import case_action, flashes, form_errors, fresh, html_of, make_comment
from threads.inputs import NUL_MESSAGE
from threads.limits import MAX_GUIDELINES_LENGTH, MAX_MESSAGE_LENGTH, MAX_REASON_LENGTH
from threads.models import Comment, Essay

MEGABYTE = "x" * 1_000_000


def events():
    return ModerationEvent.objects.count()


# Numbers in the query string.


@pytest.mark.parametrize("after", ["²", "٣x", "9" * 30, "-1", "abc", "\x00"])
def test_a_replies_page_after_an_odd_value_says_so(client, comment, after):
    make_comment(comment.essay, body="A reply.", parent=comment)
    url = f"/essays/{comment.essay.slug}/comments/{comment.pk}/replies/"
    response = client.get(url, {"after": after}, follow=True)
    assert response.status_code == 400
    assert "Replies after: No such place in the thread." in flashes(response)


def test_a_replies_page_after_a_reply_still_continues_there(client, comment):
    first = make_comment(comment.essay, body="First reply.", parent=comment)
    make_comment(comment.essay, body="Second reply.", parent=comment)
    url = f"/essays/{comment.essay.slug}/comments/{comment.pk}/replies/"
    html = html_of(client.get(url, {"after": fresh(first).lft}))
    assert "Second reply." in html and "First reply." not in html


@pytest.mark.parametrize("value", ["²", "9" * 30, "0", "abc", "1\x00"])
def test_the_log_refuses_a_case_number_it_cannot_hold(moderator_client, case, value):
    response = moderator_client.get("/moderation/log/", {"case": value})
    assert response.status_code == 400
    assert "Case: No such case." in flashes(response)


def test_the_log_still_filters_by_case(moderator_client, case):
    response = moderator_client.get("/moderation/log/", {"case": case.pk})
    assert response.status_code == 200
    assert "flag_added" in html_of(response) or "Flag" in html_of(response)


@pytest.mark.parametrize("field", ["essay", "reason", "state"])
def test_the_queue_refuses_a_nul_in_a_filter(moderator_client, case, field):
    response = moderator_client.get("/moderation/", {field: "a\x00b"})
    assert response.status_code == 400
    assert any(NUL_MESSAGE in text for text in flashes(response))


# Numbers and ids posted from the case page.


@pytest.mark.parametrize("hours", ["inf", "-inf", "nan", "1e300", "²", "0", "721"])
@pytest.mark.parametrize("action", ["collapse", "slow-mode", "pause-posting"])
def test_odd_hours_are_refused_with_a_message(moderator_client, called_in_case, action, hours):
    before, version = events(), fresh(called_in_case).version
    data = {"hours": hours, "minutes": "5", "reason": "Cool down.", "skip_reason": "Needed."}
    response = case_action(moderator_client, called_in_case, action, **data)
    assert response.status_code == 200
    assert "Hours: Give the hours as a number from 0.01 to 720" in " ".join(flashes(response))
    assert (events(), fresh(called_in_case).version) == (before, version)


@pytest.mark.parametrize("minutes", ["99999999999999", "-99999999999999", "²", "1e3", "-1"])
@pytest.mark.parametrize("action", ["pause-replies", "slow-mode"])
def test_odd_minutes_are_refused_with_a_message(moderator_client, case, action, minutes):
    before = events()
    response = case_action(moderator_client, case, action, minutes=minutes)
    assert "Minutes: Choose a whole number of minutes" in " ".join(flashes(response))
    assert events() == before


def test_hours_within_bounds_still_fold_the_replies(moderator_client, case):
    response = case_action(moderator_client, case, "collapse", hours="1.5")
    assert "The replies are folded behind a calm notice." in flashes(response)
    assert fresh(case.comment).collapsed_until is not None


@pytest.mark.parametrize(
    ("action", "field", "what"),
    [
        ("lift-sanction", "sanction", "No such sanction."),
        ("retract-note", "annotation", "No such note."),
    ],
)
@pytest.mark.parametrize("value", ["abc", "²", "9" * 30, "", "12345"])
def test_an_odd_id_is_refused_with_a_message(moderator_client, case, action, field, what, value):
    before = events()
    response = case_action(moderator_client, case, action, **{field: value})
    assert response.status_code == 200
    assert what in " ".join(flashes(response))
    assert events() == before


def test_a_bulk_form_with_odd_case_ids_selects_nothing(moderator_client, case):
    response = moderator_client.post(
        "/moderation/bulk/",
        {"case": ["²", "9" * 30, "abc"], "v²": "1", "action": "claim"},
        follow=True,
    )
    assert "Select at least one case." in flashes(response)
    assert fresh(case).claimed_by is None


# Free text: NUL and length.


@pytest.mark.parametrize(
    ("note", "message"),
    [("a\x00b", NUL_MESSAGE), ("n" * (MAX_REASON_LENGTH + 1), "at most 4,000 characters")],
)
def test_open_case_refuses_an_odd_note_and_opens_nothing(moderator_client, comment, note, message):
    response = moderator_client.post(
        f"/moderation/comments/{comment.pk}/open-case/", {"note": note}, follow=True
    )
    assert response.status_code == 200
    assert any(message in text for text in flashes(response))
    assert not Case.objects.filter(comment=comment).exists()


@pytest.mark.parametrize("field", ["reason", "skip_reason"])
@pytest.mark.parametrize("text", ["a\x00b", MEGABYTE])
def test_a_warning_refuses_an_odd_reason(moderator_client, called_in_case, field, text):
    data = {"reason": "Please be kind.", "skip_reason": "", field: text}
    response = case_action(moderator_client, called_in_case, "warn", **data)
    shown = " ".join(flashes(response))
    assert NUL_MESSAGE in shown if "\x00" in text else "at most 4,000 characters" in shown
    assert not Sanction.objects.exists()
    assert len(html_of(response)) < 200_000


@pytest.mark.parametrize("text", ["a\x00b", MEGABYTE])
def test_resolving_refuses_an_odd_reason(moderator_client, called_in_case, text):
    data = {"outcome": "hidden", "reason": text}
    response = case_action(moderator_client, called_in_case, "resolve", **data)
    shown = " ".join(flashes(response))
    assert NUL_MESSAGE in shown if "\x00" in text else "at most 4,000 characters" in shown
    assert fresh(called_in_case).state == Case.State.WAITING
    assert fresh(called_in_case.comment).status == Comment.Status.VISIBLE


@pytest.mark.parametrize("text", ["a\x00b", MEGABYTE])
def test_the_workflow_refuses_an_odd_reason_from_any_caller(moderator, called_in_case, text):
    for act in (
        lambda: workflow.resolve(moderator, called_in_case, "no_action", text),
        lambda: workflow.sanction(moderator, called_in_case, "warning", "Be kind.", None, text),
        lambda: workflow.reopen(moderator, called_in_case, text),
    ):
        with pytest.raises(workflow.Refused):
            act()


@pytest.mark.parametrize("text", ["a\x00b", "g" * (MAX_GUIDELINES_LENGTH + 1)])
def test_guidelines_are_bounded_on_the_space_page(organizer_client, space, text):
    data = {"title": space.title, "guidelines": text}
    response = organizer_client.post(f"/organize/{space.slug}/", data)
    assert response.status_code == 400
    errors = form_errors(response)
    assert NUL_MESSAGE in errors if "\x00" in text else "at most 10000 characters" in errors
    assert fresh(space).guidelines == space.guidelines


def test_a_saved_reply_refuses_a_nul(moderator_client):
    data = {"kind": "hide_reason", "title": "Spam", "body": "It is\x00 spam."}
    response = moderator_client.post("/moderation/saved-replies/", data)
    assert response.status_code == 400
    assert NUL_MESSAGE in html_of(response).replace("&#x27;", "'")
    assert not SavedReply.objects.exists()


def test_a_comment_with_a_nul_gets_the_same_words(signed_in, essay):
    response = signed_in.post(f"/essays/{essay.slug}/reply/", {"body": "Hi\x00"})
    assert response.status_code == 400
    assert NUL_MESSAGE in form_errors(response)


# The database holds the bounds whatever path writes.


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        (Case, "resolution_reason", MAX_REASON_LENGTH),
        (Flag, "note", 2000),
        (Message, "body", MAX_MESSAGE_LENGTH),
        (Annotation, "body", MAX_REASON_LENGTH),
        (Sanction, "reason", MAX_REASON_LENGTH),
        (Sanction, "skip_reason", MAX_REASON_LENGTH),
        (SavedReply, "body", 6000),
        (Essay, "guidelines", MAX_GUIDELINES_LENGTH),
    ],
)
def test_the_database_refuses_text_past_its_bound(moderator, called_in_case, model, field, limit):
    workflow.sanction(moderator, called_in_case, "warning", "Be kind.")
    workflow.annotate(moderator, called_in_case.comment, "comment_note", "A note.")
    SavedReply.objects.create(kind="hide_reason", title="T", body="B", created_by=moderator)
    rows = model.objects.all()
    assert rows.exists()
    rows.update(**{field: Repeat(Value("x"), limit)})  # at the bound: stored
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(**{field: Repeat(Value("x"), limit + 1)})


def test_model_validation_refuses_a_nul(moderator, called_in_case):
    message = called_in_case.messages.first()
    message.body = "Hello\x00"
    with pytest.raises(ValidationError) as raised:
        message.full_clean()
    assert raised.value.message_dict["body"] == [NUL_MESSAGE]


@pytest.mark.parametrize("url", ["/transparency/", "/transparency.csv"])
@pytest.mark.parametrize("space", ["a\x00b", "no such space", "x" * 500])
def test_the_transparency_page_of_an_odd_space_is_no_such_space(client, essay, url, space):
    assert client.get(url, {"space": space}).status_code == 404
