"""Upload a comment page, preview its comments, choose each reply's parent by clicking (a
radio per candidate, a plain form), then import; an error never loses what was entered."""

import html as html_text
import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from moderation.models import ModerationEvent
from threads.importing.parsing import parse_comment_page
from threads.models import Comment

SEED_000 = Path(settings.BASE_DIR, "fixtures/seeds/000_ac2c2a8ca753e8fe.txt")
SMALL = "One first.\nExpand full comment\nTwo answers one.\nExpand full comment\nThree.\n"


def upload(client, data, replies="", name="000.txt", **extra):
    fields = {"comment_file": SimpleUploadedFile(name, data), "replies": replies, **extra}
    return client.post("/organize/essay/import/", fields)


def hidden(html, name):
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    return html_text.unescape(match[1]) if match else None


def checked(html, position):
    """The value of comment ``position``'s checked radio."""
    found = re.search(rf'name="parent_{position}" value="(\d*)" checked', html)
    return found and found[1]


def test_preview_lists_the_parsed_comments_with_a_radio_per_earlier_comment(
    client, organizer, essay, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = upload(client, SEED_000.read_bytes(), "9>8", preview="1")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Arrange the replies before importing" in html
    page = parse_comment_page(SEED_000.read_text(), "000.txt")
    for comment in page.comments:
        assert f'id="import-{comment.position}"' in html
    # Comment 12 may answer any of the 11 before it, or none.
    assert len(re.findall(r'name="parent_12"', html)) == 12
    assert 'name="parent_1"' not in html
    assert checked(html, 9) == "8" and checked(html, 10) == ""  # from the typed map
    assert hidden(html, "page_text") == SEED_000.read_text()
    assert not Comment.objects.exists() and not ModerationEvent.objects.exists()


def test_choices_are_imported_as_the_tree(client, organizer, essay):
    text = SEED_000.read_text()
    choices = {"parent_9": "8", "parent_10": "8", "parent_11": "10"}
    response = client.post(
        "/organize/essay/import/arrange/",
        {"page_text": text.replace("\n", "\r\n"), "page_name": "000.txt", "import": "1", **choices},
        follow=True,
    )

    assert response.redirect_chain == [("/organize/essay/", 302)]
    assert "Created 12 comments; 0 were already there." in response.content.decode()
    page = parse_comment_page(text, "000.txt")
    by_position = {c.position: Comment.objects.get(essay=essay, body=c.body) for c in page.comments}
    assert by_position[9].parent == by_position[8] == by_position[10].parent
    assert by_position[11].parent == by_position[10]
    assert Comment.objects.filter(essay=essay, parent=None).count() == 9
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor) == ("comments_imported", organizer)
    assert event.after == {"file": "000.txt", "created": 12, "existing": 0}


def test_show_the_nesting_draws_the_choices_and_imports_nothing(client, organizer, essay):
    response = client.post(
        "/organize/essay/import/arrange/",
        {"page_text": SMALL, "page_name": "small.txt", "parent_2": "1", "arrange": "1"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="import-comment depth-1" id="import-2"' in html
    assert 'class="import-comment depth-0" id="import-3"' in html
    assert checked(html, 2) == "1" and checked(html, 3) == ""
    assert "replies to comment 1" in html
    assert not Comment.objects.exists()


def test_an_impossible_choice_comes_back_with_every_choice_kept(client, organizer, essay):
    response = client.post(
        "/organize/essay/import/arrange/",
        {
            "page_text": SMALL,
            "page_name": "small.txt",
            "parent_2": "1",
            "parent_3": "7",
            "import": "1",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Comment 3: choose a comment before it, or none." in html
    assert checked(html, 2) == "1"
    assert hidden(html, "page_text") == SMALL
    assert not Comment.objects.exists() and not ModerationEvent.objects.exists()


def test_a_bad_typed_map_keeps_the_map_and_the_file_for_the_next_try(client, organizer, essay):
    response = upload(client, SMALL.encode(), "2>5", name="small.txt", preview="1")

    html = response.content.decode()
    assert response.status_code == 400
    assert "small.txt: replies item &#x27;2&gt;5&#x27;: positions run 1..3" in html
    assert 'value="2&gt;5"' in html  # the typed map, as typed
    assert hidden(html, "page_text") == SMALL and hidden(html, "page_name") == "small.txt"
    assert "The page you sent, small.txt, is kept" in html
    assert not Comment.objects.exists()

    # The next try sends no file: the kept page is imported with the corrected map.
    again = client.post(
        "/organize/essay/import/",
        {"replies": "2>1", "page_text": SMALL, "page_name": "small.txt"},
        follow=True,
    )

    assert "Created 3 comments; 0 were already there." in again.content.decode()
    assert Comment.objects.get(body="Two answers one.").parent.body == "One first."


def test_no_file_and_nothing_kept_asks_for_the_file(client, organizer, essay):
    response = client.post("/organize/essay/import/", {"replies": "2>1", "preview": "1"})
    assert response.status_code == 400
    assert "Choose the file to import." in response.content.decode()
    assert 'value="2&gt;1"' in response.content.decode()


def test_a_page_too_long_to_arrange_by_clicking_says_to_type_the_map(client, organizer, essay):
    page = "\nExpand full comment\n".join(f"Comment number {n}." for n in range(1, 62))
    response = upload(client, page.encode(), name="long.txt", preview="1")
    assert response.status_code == 400
    assert "61 comments are too many to arrange one by one here" in response.content.decode()
    # The direct import, with the typed map, still takes it.
    again = client.post(
        "/organize/essay/import/",
        {"replies": "2>1", "page_text": page, "page_name": "long.txt"},
        follow=True,
    )
    assert "Created 61 comments" in again.content.decode()


def test_preview_of_an_export_imports_nothing_and_says_what_to_do(client, organizer, essay):
    export = b'{"format": "callin", "spaces": []}'
    response = upload(client, export, name="space.json", preview="1")
    assert response.status_code == 400
    assert "An export (XML or JSON) is imported as its source arranged it" in (
        response.content.decode()
    )
    assert not ModerationEvent.objects.exists()


def test_earlier_comments_wait_behind_a_disclosure_open_when_one_is_chosen(
    client, organizer, essay
):
    choices = {"parent_12": "1", "arrange": "1"}
    response = client.post(
        "/organize/essay/import/arrange/",
        {"page_text": SEED_000.read_text(), "page_name": "000.txt", **choices},
    )
    html = response.content.decode()
    twelfth = html[html.index('id="import-12"') :]
    eleventh = html[html.index('id="import-11"') : html.index('id="import-12"')]
    assert '<details class="import-earlier" open><summary>Earlier comments (6)' in twelfth
    assert '<details class="import-earlier"><summary>Earlier comments (5)' in eleventh
    assert checked(html, 12) == "1"


def test_arranging_without_the_previewed_page_asks_for_the_file(client, organizer, essay):
    response = client.post(
        "/organize/essay/import/arrange/", {"page_name": "", "parent_2": "1", "arrange": "1"}
    )
    assert response.status_code == 400
    assert "The previewed page was not sent back; choose the file again." in response.text
    assert not Comment.objects.exists()


def test_arranging_a_page_that_no_longer_parses_says_why(client, organizer, essay):
    response = client.post(
        "/organize/essay/import/arrange/",
        {"page_text": "x" * 10_001, "page_name": "big.txt", "arrange": "1"},
    )
    assert response.status_code == 400
    assert "big.txt" in response.text and not Comment.objects.exists()
