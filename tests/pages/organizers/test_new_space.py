"""Creating a space from seed-format text (pasted or uploaded) or from written fields."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from moderation.models import ModerationEvent
from threads.importing.essay_text import written_blocks
from threads.models import DEFAULT_GUIDELINES, Essay

SEED_004 = Path(settings.BASE_DIR, "fixtures/seeds/004_54372fb689d24231.txt")
TITLE_004 = "The Leftist Empathy Gap and Decolonizing Leftist Spaces for Palestine"


def create(client, **data):
    fields = {"guidelines": DEFAULT_GUIDELINES, **data}
    return client.post("/organize/new/", fields)


def test_form_offers_every_way_with_labels(client, organizer):
    html = client.get("/organize/new/").content.decode()
    for name in ["essay_text", "essay_file", "title", "subtitle", "body", "slug", "author_name"]:
        assert f'<label for="id_{name}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "style=" not in html and "<script" not in html


def test_create_from_pasted_seed_text(client, organizer):
    response = create(client, essay_text=SEED_004.read_text(), author_name="Ella")

    essay = Essay.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/organize/{essay.slug}/"
    assert essay.title == TITLE_004
    assert essay.slug == "the-leftist-empathy-gap-and-decolonizing-leftist-spaces-for-palestine"
    assert essay.subtitle.startswith("How empathy and strategic solidarity")
    assert essay.featured and essay.is_open and essay.author_name == "Ella"
    headings = [b["text"] for b in essay.blocks if b["kind"] == "heading"]
    assert len(headings) == 5
    assert headings[-1].startswith("We need more dialogue")
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.essay) == ("space_created", organizer, essay)
    assert event.after["slug"] == essay.slug
    page = client.get(essay.get_absolute_url()).content.decode()
    assert "<h2>The importance of intersectionality and counter-storytelling</h2>" in page


def test_create_from_uploaded_seed_file_with_slug(client, organizer):
    upload = SimpleUploadedFile("004.txt", SEED_004.read_bytes())
    response = create(client, essay_file=upload, slug="empathy-gap")

    assert response.status_code == 302
    essay = Essay.objects.get(slug="empathy-gap")
    assert essay.title == TITLE_004 and essay.source == "004.txt"


def test_create_from_written_fields(client, organizer):
    body = "First paragraph\nstill first.\n\n## A heading\nSecond paragraph.\n\n\nThird."
    response = create(
        client,
        title="Listening across lines",
        subtitle="A short one",
        body=body,
        author_name="Sam",
        guidelines="Be kind.",
    )

    assert response.status_code == 302
    essay = Essay.objects.get(slug="listening-across-lines")
    assert (essay.title, essay.subtitle, essay.author_name) == (
        "Listening across lines",
        "A short one",
        "Sam",
    )
    assert essay.guidelines == "Be kind."
    assert not essay.featured
    assert essay.blocks == [
        {"kind": "paragraph", "text": "First paragraph still first."},
        {"kind": "heading", "text": "A heading"},
        {"kind": "paragraph", "text": "Second paragraph."},
        {"kind": "paragraph", "text": "Third."},
    ]
    assert ModerationEvent.objects.filter(action="space_created", essay=essay).count() == 1


def test_invalid_utf8_upload_shows_the_importers_error_and_creates_nothing(client, organizer):
    upload = SimpleUploadedFile("bad.txt", b"A title\nA subtitle\nCaf\xe9 au lait.\n")
    response = create(client, essay_file=upload)

    assert response.status_code == 400
    assert "bad.txt: not valid UTF-8 at byte 22 (line 3)" in response.content.decode()
    assert not Essay.objects.exists()
    assert not ModerationEvent.objects.exists()


def test_empty_upload_is_refused(client, organizer):
    response = create(client, essay_file=SimpleUploadedFile("empty.txt", b""))
    assert response.status_code == 400
    assert "empty.txt: the file is empty (line 1)" in response.content.decode()
    assert not Essay.objects.exists()


@pytest.mark.parametrize(
    "data, error",
    [
        ({}, "Paste or upload the essay text, or write its title and body."),
        ({"essay_text": "Title\nSub", "title": "Also"}, "Give the essay one way only"),
        ({"body": "Text without a title."}, "Give the space a title."),
        ({"title": "A space", "slug": "not a slug!"}, "Enter a valid “slug”"),
        ({"title": "A space", "slug": "new"}, "“new” is reserved"),
    ],
)
def test_errors_are_shown_and_nothing_is_written(client, organizer, data, error):
    response = create(client, **data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Essay.objects.exists()
    assert not ModerationEvent.objects.exists()


def test_taken_slug_is_refused(client, organizer, essay):
    response = create(client, title="Another", slug="essay")
    assert response.status_code == 400
    assert "A space with the address “essay” already exists" in response.content.decode()
    assert Essay.objects.get().title == "An essay"
    assert not ModerationEvent.objects.exists()


def test_headings_need_the_marker_at_the_start():
    assert written_blocks("Not ## a heading\n##No space") == [
        {"kind": "paragraph", "text": "Not ## a heading ##No space"}
    ]
