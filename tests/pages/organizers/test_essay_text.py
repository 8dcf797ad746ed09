"""Editing a space's essay text after creating it: a preview as readers will see it, then
a save that is logged (text before and after) and shows on the reader's page at once."""

import html as html_text
import re
from pathlib import Path

import pytest
from django.conf import settings

from moderation.log_words import event_changes
from moderation.models import ModerationEvent
from threads.importing.essay_text import blocks_digest, written_blocks
from threads.models import DEFAULT_GUIDELINES, Essay

URL = "/organize/essay/text/"
BLOCKS = [
    {"kind": "heading", "text": "Why listen"},
    {"kind": "paragraph", "text": "Because it works, most of the time."},
]
NEW_TEXT = (
    "## Why listen first\n\nBecause it works, most of the time.\n\n"
    "A second paragraph.\n\nThanks for reading"
)
NEW_BLOCKS = [
    {"kind": "heading", "text": "Why listen first"},
    {"kind": "paragraph", "text": "Because it works, most of the time."},
    {"kind": "paragraph", "text": "A second paragraph."},
    {"kind": "paragraph", "text": "Thanks for reading"},
]
SEED_004 = Path(settings.BASE_DIR, "fixtures/seeds/004_54372fb689d24231.txt")


@pytest.fixture
def written(essay):
    essay.blocks = BLOCKS
    essay.save()
    essay.refresh_from_db()
    return essay


def preview(client, text, based_on):
    return client.post(URL, {"text": text, "based_on": based_on, "preview": "1"})


def save(client, text, based_on, previewed=None):
    digest = blocks_digest(written_blocks(text)) if previewed is None else previewed
    data = {"text": text, "based_on": based_on, "previewed": digest, "save": "1"}
    return client.post(URL, data)


def test_the_page_shows_the_text_in_the_written_form_and_only_a_preview_button(
    client, organizer, written, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        html = client.get(URL).content.decode()
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)[1]
    assert textarea.strip() == "## Why listen\n\nBecause it works, most of the time."
    assert f'name="based_on" value="{blocks_digest(BLOCKS)}"' in html
    assert ">Preview</button>" in html and "Save the text" not in html
    assert 'href="/organize/essay/text/"' in client.get("/organize/essay/").content.decode()


def test_preview_renders_as_readers_see_it_and_saves_nothing(client, organizer, written):
    version = written.version
    response = preview(client, NEW_TEXT, blocks_digest(BLOCKS))

    html = response.content.decode()
    assert response.status_code == 200
    start = html.index('id="preview-title"')
    section = html[start : html.index("<form", start)]
    assert "<h2>Why listen first</h2>" in section
    assert "<p>Thanks for reading</p>" in section and "<h2>Thanks for reading" not in section
    assert "Save the text" in html
    assert f'name="previewed" value="{blocks_digest(NEW_BLOCKS)}"' in html
    assert "A second paragraph." in re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)[1]
    written.refresh_from_db()
    assert (written.blocks, written.version) == (BLOCKS, version)
    assert not ModerationEvent.objects.exists()


def test_save_after_preview_is_logged_and_shown_to_readers_at_once(client, organizer, written):
    client.logout()  # an anonymous reader's page, cached by the space's version
    assert "Why listen first" not in client.get("/essays/essay/").content.decode()
    client.force_login(organizer)
    version = Essay.objects.get().version

    response = save(client, NEW_TEXT, blocks_digest(BLOCKS))

    assert response.status_code == 302 and response["Location"] == "/organize/essay/"
    written.refresh_from_db()
    assert written.blocks == NEW_BLOCKS
    assert written.version > version  # the cached pages' key moved in the same transaction
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.essay) == ("space_text_edited", organizer, written)
    assert event.before["text"] == "## Why listen\n\nBecause it works, most of the time."
    assert event.after["text"].endswith("A second paragraph.\n\nThanks for reading")
    assert event_changes(event)[0][0] == "Essay text"
    client.logout()
    page = client.get("/essays/essay/").content.decode()
    assert "<h2>Why listen first</h2>" in page and "<p>Thanks for reading</p>" in page


def test_the_log_says_it_in_words(client, organizer, written, moderator):
    save(client, NEW_TEXT, blocks_digest(BLOCKS))
    client.force_login(moderator)
    html = client.get("/moderation/log/").content.decode()
    assert "edited the essay&#x27;s text" in html
    assert ">space_text_edited<" not in html  # the code is only an option's value


def test_a_text_changed_after_its_preview_is_previewed_again_not_saved(client, organizer, written):
    previewed = blocks_digest(written_blocks(NEW_TEXT))
    changed = NEW_TEXT + "\n\nOne more line, added after the preview."

    response = save(client, changed, blocks_digest(BLOCKS), previewed=previewed)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The text changed since its preview" in html
    assert "<p>One more line, added after the preview.</p>" in html
    written.refresh_from_db()
    assert written.blocks == BLOCKS and not ModerationEvent.objects.exists()


def test_someone_elses_newer_save_is_not_overwritten_and_the_typed_text_is_kept(
    client, organizer, written
):
    opened_on = blocks_digest(BLOCKS)
    Essay.objects.filter(pk=written.pk).update(blocks=[{"kind": "paragraph", "text": "Theirs."}])

    response = save(client, NEW_TEXT, opened_on)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Someone saved another version of the text since you opened it" in html
    assert "A second paragraph." in re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)[1]
    written.refresh_from_db()
    assert written.blocks == [{"kind": "paragraph", "text": "Theirs."}]
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_an_empty_text_is_refused(client, organizer, written, text):
    response = save(client, text, blocks_digest(BLOCKS), previewed="x")
    assert response.status_code == 400
    assert "Write the essay&#x27;s text: it cannot be empty." in response.content.decode()
    written.refresh_from_db()
    assert written.blocks == BLOCKS


def test_saving_the_same_text_changes_nothing(client, organizer, written):
    text = "## Why listen\n\nBecause it works, most of the time."
    response = client.post(
        URL,
        {
            "text": text,
            "based_on": blocks_digest(BLOCKS),
            "previewed": blocks_digest(BLOCKS),
            "save": "1",
        },
        follow=True,
    )
    assert "Nothing changed." in response.content.decode()
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize("who, status", [("reader", 403), ("moderator", 403)])
def test_only_organizers_save(client, written, reader, moderator, who, status):
    client.force_login({"reader": reader, "moderator": moderator}[who])
    assert save(client, NEW_TEXT, blocks_digest(BLOCKS)).status_code == status
    written.refresh_from_db()
    assert written.blocks == BLOCKS and not ModerationEvent.objects.exists()


# --- one heading rule, whichever way the text arrives ---------------------------------------

CLOSING = "Thanks for reading"
BODY_LINES = ["Why it matters", "Because people listen when they are heard.", CLOSING]


def test_pasted_typed_and_edited_texts_follow_one_heading_rule(client, organizer):
    expected = [
        {"kind": "heading", "text": "Why it matters"},
        {"kind": "paragraph", "text": "Because people listen when they are heard."},
        {"kind": "paragraph", "text": CLOSING},
    ]
    fields = {"guidelines": DEFAULT_GUIDELINES}
    pasted = "Pasted\nA subtitle\n" + "\n".join(BODY_LINES)
    client.post("/organize/new/", {**fields, "essay_text": pasted, "slug": "pasted"})
    typed = "\n\n".join(BODY_LINES)
    client.post("/organize/new/", {**fields, "title": "Typed", "body": typed, "slug": "typed"})

    assert Essay.objects.get(slug="pasted").blocks == expected
    assert Essay.objects.get(slug="typed").blocks == expected
    based_on = blocks_digest(expected)
    edited = typed + "\n\nMore to say"
    client.post(
        "/organize/typed/text/",
        {
            "text": edited,
            "based_on": based_on,
            "save": "1",
            "previewed": blocks_digest(written_blocks(edited)),
        },
    )
    blocks = Essay.objects.get(slug="typed").blocks
    # "Thanks for reading" now introduces nothing either: "More to say" is as short.
    assert [b["kind"] for b in blocks] == ["heading", "paragraph", "paragraph", "paragraph"]


def test_the_heading_marker_works_in_pasted_text_too(client, organizer):
    pasted = "Marked\nSub\n## Thanks for reading\nA last paragraph, after all."
    client.post("/organize/new/", {"guidelines": DEFAULT_GUIDELINES, "essay_text": pasted})
    assert Essay.objects.get().blocks[0] == {"kind": "heading", "text": "Thanks for reading"}


def test_seed_004_reads_back_the_same_after_an_edit_round_trip(client, organizer):
    client.post(
        "/organize/new/",
        {"guidelines": DEFAULT_GUIDELINES, "essay_text": SEED_004.read_text(), "slug": "gap"},
    )
    essay = Essay.objects.get(slug="gap")
    page = client.get("/organize/gap/text/").content.decode()
    text = html_text.unescape(re.search(r"<textarea[^>]*>\n?(.*?)</textarea>", page, re.S)[1])
    assert written_blocks(text) == essay.blocks
    assert sum(b["kind"] == "heading" for b in essay.blocks) == 5
