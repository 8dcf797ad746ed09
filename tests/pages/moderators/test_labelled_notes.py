"""Moderator notes on an author carry a label (helpful contributor, watch for spam, warned…),
shown beside the author's name on every case page about that author."""

import re

import pytest

from moderation import workflow
from moderation.models import Annotation, ModerationEvent
from tests.helpers import client_for, flashes, make_comment


def labels_on(client, case):
    """The label badges beside the author's name on the case page."""
    html = client.get(f"/moderation/cases/{case.pk}/").content.decode()
    return re.findall(r'<span class="badge label">([^<]+)</span>', html)


def annotate(client, case, **data):
    case.refresh_from_db()
    url = f"/moderation/cases/{case.pk}/annotate/"
    return client.post(url, {"version": case.version, **data}, follow=True)


def test_a_labelled_author_note_shows_beside_the_authors_name(moderator, flagged_case):
    mod = client_for(moderator)
    assert labels_on(mod, flagged_case) == []

    response = annotate(
        mod, flagged_case, kind="author_note", label="heated", body="Often sharp with others."
    )

    assert flashes(response) == ["Note added."]
    note = Annotation.objects.get()
    assert (note.kind, note.label, note.about_user) == (
        "author_note",
        "heated",
        flagged_case.comment.author,
    )
    assert labels_on(mod, flagged_case) == ["Often heated"]
    event = ModerationEvent.objects.get(action="annotation_added")
    assert event.after == {"kind": "author_note", "annotation": note.pk, "label": "heated"}


def test_the_label_follows_the_author_to_their_other_cases(
    moderator, flagged_case, essay, writer, reader
):
    workflow.annotate(moderator, flagged_case.comment, "author_note", "Watch.", label="watch_spam")
    other_comment = make_comment(essay, body="Buy my book.", author=writer)
    _, other_case = workflow.flag_comment(reader, other_comment, "spam")
    mod = client_for(moderator)
    assert labels_on(mod, other_case) == ["Watch for spam"]
    # ...but not to another author's case.
    someone = make_comment(essay, body="A different author.")
    _, unrelated = workflow.flag_comment(reader, someone, "heated")
    assert labels_on(mod, unrelated) == []


def test_each_label_shows_once_and_a_retracted_note_loses_its_label(moderator, flagged_case):
    comment = flagged_case.comment
    first = workflow.annotate(moderator, comment, "author_note", "A.", label="helpful")
    workflow.annotate(moderator, comment, "author_note", "B.", label="helpful")
    warned = workflow.annotate(moderator, comment, "author_note", "C.", label="warned")
    mod = client_for(moderator)
    assert labels_on(mod, flagged_case) == ["Helpful contributor", "Warned"]
    workflow.retract_annotation(moderator, warned)
    workflow.retract_annotation(moderator, first)
    assert labels_on(mod, flagged_case) == ["Helpful contributor"]


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "context", "label": "heated", "body": "Public context."},
        {"kind": "comment_note", "label": "heated", "body": "About the comment."},
        {"kind": "author_note", "label": "troll", "body": "Not a listed label."},
    ],
)
def test_labels_only_go_on_author_notes_from_the_list(moderator, flagged_case, data):
    response = annotate(client_for(moderator), flagged_case, **data)
    assert flashes(response) == ["Labels go on notes about the author, from the listed ones."]
    assert not Annotation.objects.exists()
    assert not ModerationEvent.objects.filter(action="annotation_added").exists()


def test_an_unlabelled_author_note_shows_no_badge(moderator, flagged_case):
    workflow.annotate(moderator, flagged_case.comment, "author_note", "Just a note.")
    assert labels_on(client_for(moderator), flagged_case) == []
    assert "label" not in ModerationEvent.objects.get(action="annotation_added").after


def test_the_note_form_offers_every_label(moderator, flagged_case):
    html = client_for(moderator).get(f"/moderation/cases/{flagged_case.pk}/").content.decode()
    for value in ["helpful", "watch_spam", "warned", "heated", "new"]:
        assert f'<option value="{value}">' in html
