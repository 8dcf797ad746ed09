"""Uploading a comment page into a space, as the import_comments command does."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from moderation.models import ModerationEvent
from threads.importing.parsing import parse_comment_page
from threads.models import Comment

SEED_000 = Path(settings.BASE_DIR, "fixtures/seeds/000_ac2c2a8ca753e8fe.txt")


def upload(client, data, replies="", name="000.txt"):
    return client.post(
        "/organize/essay/import/",
        {"comment_file": SimpleUploadedFile(name, data), "replies": replies},
        follow=True,
    )


def test_seed_page_with_replies_is_imported_once(client, organizer, essay):
    response = upload(client, SEED_000.read_bytes(), "9>8,10>8")

    assert b"Created 12 comments; 0 were already there." in response.content
    assert Comment.objects.filter(essay=essay).count() == 12
    page = parse_comment_page(SEED_000.read_text(), "000.txt")
    eighth, ninth, tenth = (
        Comment.objects.get(essay=essay, body=page.comments[i].body) for i in (7, 8, 9)
    )
    assert ninth.parent == eighth and tenth.parent == eighth
    assert Comment.objects.filter(essay=essay, parent=None).count() == 10
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.essay) == ("comments_imported", organizer, essay)
    assert event.after == {"file": "000.txt", "created": 12, "existing": 0}

    again = upload(client, SEED_000.read_bytes(), "9>8,10>8")

    assert b"Created 0 comments; 12 were already there." in again.content
    assert Comment.objects.count() == 12


def test_header_mismatch_is_a_warning(client, organizer, essay):
    data = SEED_000.read_bytes().replace(b"12 Comments", b"13 Comments", 1)
    response = upload(client, data)
    assert b"Created 12 comments" in response.content
    assert "000.txt: the header says 13 comments but 12 were found" in response.content.decode()


@pytest.mark.parametrize(
    "data, replies, error",
    [
        (b"", "", "page.txt: the file is empty (line 1)"),
        (b"\xff\xfe", "", "page.txt: not valid UTF-8 at byte 0 (line 1)"),
        (b"12 Comments\n\nExpand full comment\n", "", "page.txt: no comment found (line 2)"),
        (b"One.\nExpand full comment\nTwo.\n", "2>5", "positions run 1..2"),
    ],
)
def test_failed_import_shows_the_error_and_writes_nothing(
    client, organizer, essay, data, replies, error
):
    response = upload(client, data, replies, name="page.txt")

    assert response.status_code == 400
    assert response.redirect_chain == []
    assert error in response.content.decode()
    assert not Comment.objects.exists()
    assert not ModerationEvent.objects.exists()
