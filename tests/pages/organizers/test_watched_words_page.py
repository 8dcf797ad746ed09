"""The watched-words page: /organize/SLUG/watched-words/ and /organize/watched-words/.

Who may use it is checked URL by URL in tests/pages/moderators/test_permissions.py; this module is
about what the page shows and does.
"""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from moderation import watched
from moderation.models import ModerationEvent, WatchedWord
from tests.helpers import client_for, flashes, make_user
from threads.models import Essay

PAGE = "/organize/essay/watched-words/"
SITE = "/organize/watched-words/"

# Pinned: session, user, user permissions, group permissions, the unread count of the
# navigation, the space, its words (creators joined), the site-wide words.
PAGE_QUERIES = 8


def words(essay=None):
    return list(WatchedWord.objects.filter(essay=essay).values_list("pattern", "action"))


def text_of(response):
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def errors_of(response):
    items = re.findall(
        r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )
    return unescape(" ".join(re.sub(r"<[^>]+>", "", item) for item in items))


# --- the list ----------------------------------------------------------------------------


def test_the_page_lists_the_spaces_words_and_the_site_wide_ones(organizer_client, moderator, essay):
    watched.add_word(moderator, essay, "durian*", "hold")
    watched.add_word(moderator, essay, "plum", "block")
    watched.add_word(moderator, None, "kumquat", "flag")
    other = Essay.objects.create(slug="other", title="Other")
    watched.add_word(moderator, other, "elsewhere", "flag")

    response = organizer_client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\"><code>([^<]+)</code>(.*?)</tr>", html, re.S)
    assert [(pattern, "wildcard" in rest) for pattern, rest in rows] == [
        ("durian*", True),
        ("plum", False),
    ]
    assert "Hold for a moderator" in rows[0][1] and "Refuse the post" in rows[1][1]
    assert "<code>kumquat</code> (flag for review)" in html  # the site-wide word, read only
    assert "elsewhere" not in html
    # One remove form per word of this space, each with its CSRF token.
    for word in WatchedWord.objects.filter(essay=essay):
        assert f'action="/organize/essay/watched-words/{word.pk}/remove/"' in html
    # Two removes; add, test and import; signing out (in the header).
    assert html.count('name="csrfmiddlewaretoken"') == 2 + 3 + 1
    assert "style=" not in html and "<script" not in html
    # An organizer is pointed back to the space and told who keeps the site-wide list.
    assert 'href="/organize/essay/"' in html
    assert "The moderators keep the site-wide list." in html


def test_a_moderator_is_pointed_to_the_site_wide_list(moderator_client, essay):
    html = moderator_client.get(PAGE).content.decode()
    assert 'href="/organize/watched-words/">Manage the site-wide words' in html


def test_the_site_wide_page_lists_its_words_and_links_every_space(
    moderator_client, moderator, essay
):
    watched.add_word(moderator, None, "kumquat", "block")
    watched.add_word(moderator, essay, "durian", "hold")
    Essay.objects.create(slug="other", title="Other space")

    html = moderator_client.get(SITE).content.decode()

    assert "Site-wide watched words" in html
    assert "<code>kumquat</code>" in html and "durian" not in html
    assert 'href="/organize/essay/watched-words/">An essay</a>' in html
    assert 'href="/organize/other/watched-words/">Other space</a>' in html


def test_the_space_pages_link_the_watched_words(organizer_client, essay):
    assert (
        'href="/organize/essay/watched-words/"'
        in organizer_client.get("/organize/essay/").content.decode()
    )
    assert (
        'href="/organize/essay/watched-words/"'
        in organizer_client.get("/organize/").content.decode()
    )


def test_query_count_does_not_grow_with_the_words(
    organizer_client, moderator, essay, django_assert_max_num_queries
):
    for i in range(30):
        watched.add_word(moderator, essay, f"word{i}", "flag")
        watched.add_word(moderator, None, f"site{i}", "hold")
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert organizer_client.get(PAGE).status_code == 200


def test_query_count_of_the_site_wide_page_does_not_grow_with_the_spaces(
    moderator_client, moderator, essay, django_assert_max_num_queries
):
    for i in range(30):
        Essay.objects.create(slug=f"space-{i}", title=f"Space {i}")
        watched.add_word(moderator, None, f"site{i}", "hold")
    # As the space's page, without the space: its words and the spaces instead.
    with django_assert_max_num_queries(PAGE_QUERIES - 1):
        assert moderator_client.get(SITE).status_code == 200


# --- add and remove ----------------------------------------------------------------------------


def test_adding_a_word_logs_it_and_shows_it(organizer_client, organizer, essay):
    response = organizer_client.post(
        f"{PAGE}add/", {"pattern": "  Durian*  ", "action": "hold"}, follow=True
    )

    assert response.redirect_chain == [(PAGE, 302)]
    assert flashes(response) == ["“durian*” is watched: hold for a moderator."]
    assert words(essay) == [("durian*", "hold")]
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.essay) == ("watched_word_set", organizer, essay)
    assert event.after == {"pattern": "durian*", "action": "hold", "site_wide": False}


def test_adding_it_again_with_another_action_changes_it(organizer_client, essay):
    organizer_client.post(f"{PAGE}add/", {"pattern": "durian", "action": "flag"}, follow=True)
    response = organizer_client.post(
        f"{PAGE}add/", {"pattern": "durian", "action": "block"}, follow=True
    )
    assert flashes(response) == ["“durian” is watched: refuse the post."]
    assert words(essay) == [("durian", "block")]
    assert ModerationEvent.objects.order_by("id").last().before == {"action": "flag"}
    response = organizer_client.post(
        f"{PAGE}add/", {"pattern": "durian", "action": "block"}, follow=True
    )
    assert flashes(response) == ["“durian” was already watched that way."]
    assert ModerationEvent.objects.count() == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ({"pattern": "", "action": "flag"}, "Write the word to watch."),
        ({"pattern": "a.b", "action": "flag"}, "“a.b”: use letters, digits, spaces"),
        ({"pattern": "*", "action": "flag"}, "“*”: use letters, digits, spaces"),
        ({"pattern": "x" * 101, "action": "flag"}, "at most 100 characters"),
        ({"pattern": "durian", "action": "delete"}, "Select a valid choice."),
        ({"pattern": "durian"}, "Choose flag, hold or block."),
    ],
)
def test_a_bad_word_is_refused_with_the_reason(organizer_client, essay, data, message):
    response = organizer_client.post(f"{PAGE}add/", data)
    assert response.status_code == 400
    assert message in errors_of(response)
    assert "Nothing was changed." in response.content.decode()
    assert not WatchedWord.objects.exists() and not ModerationEvent.objects.exists()


def test_removing_a_word_is_logged(organizer_client, organizer, moderator, essay):
    word = watched.add_word(moderator, essay, "durian", "hold")
    response = organizer_client.post(f"{PAGE}{word.pk}/remove/", follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert flashes(response) == ["“durian” is no longer watched."]
    assert not WatchedWord.objects.exists()
    event = ModerationEvent.objects.get(action="watched_word_removed")
    assert (event.actor, event.essay) == (organizer, essay)
    assert event.before == {"pattern": "durian", "action": "hold", "site_wide": False}
    # A second click finds nothing to remove and logs nothing.
    assert organizer_client.post(f"{PAGE}{word.pk}/remove/").status_code == 404
    assert ModerationEvent.objects.filter(action="watched_word_removed").count() == 1


def test_a_word_is_removed_only_from_its_own_list(
    organizer_client, moderator_client, moderator, essay
):
    other = Essay.objects.create(slug="other", title="Other")
    theirs = watched.add_word(moderator, other, "durian", "hold")
    site = watched.add_word(moderator, None, "kumquat", "block")
    assert organizer_client.post(f"{PAGE}{theirs.pk}/remove/").status_code == 404
    assert organizer_client.post(f"{PAGE}{site.pk}/remove/").status_code == 404
    assert moderator_client.post(f"{SITE}{theirs.pk}/remove/").status_code == 404
    assert WatchedWord.objects.count() == 2
    assert not ModerationEvent.objects.filter(action="watched_word_removed").exists()


def test_site_wide_words_are_added_and_removed_on_their_page(moderator_client, moderator, essay):
    response = moderator_client.post(
        f"{SITE}add/", {"pattern": "kumquat", "action": "block"}, follow=True
    )
    assert response.redirect_chain == [(SITE, 302)]
    assert words(None) == [("kumquat", "block")] and words(essay) == []
    assert ModerationEvent.objects.get().after["site_wide"] is True
    word = WatchedWord.objects.get()
    moderator_client.post(f"{SITE}{word.pk}/remove/")
    assert not WatchedWord.objects.exists()


def test_get_on_an_action_is_not_allowed(organizer_client, moderator, essay):
    word = watched.add_word(moderator, essay, "durian", "hold")
    for action in ["add/", f"{word.pk}/remove/", "test/", "import/"]:
        assert organizer_client.get(f"{PAGE}{action}").status_code == 405, action
    assert WatchedWord.objects.count() == 1


def test_an_unknown_space_is_not_found(organizer_client):
    assert organizer_client.get("/organize/nope/watched-words/").status_code == 404


def test_watched_words_is_a_reserved_slug(organizer_client):
    response = organizer_client.post(
        "/organize/new/",
        {"title": "Watched words", "body": "Text.", "slug": "watched-words"},
    )
    assert response.status_code == 400
    assert "“watched-words” is reserved" in text_of(response)
    assert not Essay.objects.exists()


# --- test a text ---------------------------------------------------------------------------------


def test_testing_a_text_shows_the_matches_and_what_would_happen(organizer_client, moderator, essay):
    watched.add_word(moderator, essay, "durian*", "hold")
    watched.add_word(moderator, None, "pineapple", "flag")
    text = "Durians & <b>pineapple</b>, more durian."
    events = ModerationEvent.objects.count()

    response = organizer_client.post(f"{PAGE}test/", {"text": text})

    assert response.status_code == 200
    html = response.content.decode()
    result = re.search(
        r'<div class="notice" role="status" id="test-result">(.*?)</div>', html, re.S
    )
    assert result, "no result shown"
    shown = result.group(1)
    assert "<strong>Held.</strong>" in shown
    assert "<code>durian*</code> (hold for a moderator) matched “Durians”, “durian”" in shown
    assert "<code>pineapple</code> (flag for review, site-wide) matched “pineapple”" in shown
    # Highlighted, and escaped: the reader's text is never markup.
    assert (
        "<mark>Durians</mark> &amp; &lt;b&gt;<mark>pineapple</mark>&lt;/b&gt;, more "
        "<mark>durian</mark>." in shown
    )
    assert "<b>" not in shown
    # The text stays in the box, and nothing is written.
    assert "Durians &amp; &lt;b&gt;pineapple" in html.split('name="text"')[1]
    assert ModerationEvent.objects.count() == events


@pytest.mark.parametrize(
    "text, outcome",
    [
        ("I love kumquats and durian.", "<strong>Refused.</strong> The reader would read: "),
        ("A durian.", "<strong>Held.</strong>"),
        ("A plum.", "<strong>Posted and flagged.</strong>"),
        ("An apple.", "<strong>Posted as usual.</strong> No watched word matches."),
    ],
)
def test_each_outcome(organizer_client, moderator, essay, text, outcome):
    watched.add_word(moderator, essay, "kumquat*", "block")
    watched.add_word(moderator, essay, "durian", "hold")
    watched.add_word(moderator, essay, "plum", "flag")
    html = organizer_client.post(f"{PAGE}test/", {"text": text}).content.decode()
    assert outcome in html


def test_a_blocked_text_shows_the_message_the_reader_would_get(organizer_client, moderator, essay):
    watched.add_word(moderator, essay, "kumquat*", "block")
    html = unescape(organizer_client.post(f"{PAGE}test/", {"text": "Kumquats!"}).content.decode())
    assert "“This space does not allow “Kumquats”. Please rephrase and post again.”" in html


def test_the_site_wide_page_tests_only_the_site_wide_words(moderator_client, moderator, essay):
    watched.add_word(moderator, essay, "durian", "block")
    html = moderator_client.post(f"{SITE}test/", {"text": "A durian."}).content.decode()
    assert "<strong>Posted as usual.</strong>" in html


def test_an_empty_text_is_refused(organizer_client, essay):
    response = organizer_client.post(f"{PAGE}test/", {"text": ""})
    assert response.status_code == 400
    assert "Write or paste a text to test." in errors_of(response)


# --- CSV -----------------------------------------------------------------------------------------


def upload(text, name="words.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_export_downloads_the_spaces_words(organizer_client, moderator, essay):
    watched.add_word(moderator, essay, "durian*", "hold")
    watched.add_word(moderator, essay, "fake news", "flag")
    watched.add_word(moderator, None, "kumquat", "block")

    response = organizer_client.get(f"{PAGE}export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="watched-words-essay.csv"'
    assert response.content.decode().splitlines() == [
        "pattern,action",
        "durian*,hold",
        "fake news,flag",
    ]


def test_export_of_the_site_wide_words(moderator_client, moderator, essay):
    watched.add_word(moderator, None, "kumquat", "block")
    response = moderator_client.get(f"{SITE}export/")
    assert response["Content-Disposition"] == 'attachment; filename="watched-words-site-wide.csv"'
    assert response.content.decode().splitlines() == ["pattern,action", "kumquat,block"]


def test_importing_a_file_sets_every_word(organizer_client, moderator, essay):
    watched.add_word(moderator, essay, "durian", "flag")
    watched.add_word(moderator, essay, "plum", "hold")
    text = "\ufeffpattern,action\r\ndurian,block\r\nplum,hold\r\nkumquat*,flag\r\n"

    response = organizer_client.post(f"{PAGE}import/", {"csv_file": upload(text)}, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert flashes(response) == ["Imported: 1 new, 1 changed, 1 already watched that way."]
    assert sorted(words(essay)) == [("durian", "block"), ("kumquat*", "flag"), ("plum", "hold")]
    assert ModerationEvent.objects.filter(action="watched_word_set").count() == 2 + 2


def test_pasted_rows_are_imported_too(organizer_client, essay):
    organizer_client.post(f"{PAGE}import/", {"csv_text": "durian,hold\nkumquat,block"})
    assert sorted(words(essay)) == [("durian", "hold"), ("kumquat", "block")]


def test_an_export_imports_into_another_space(organizer_client, moderator, essay):
    watched.add_word(moderator, essay, "durian*", "hold")
    Essay.objects.create(slug="other", title="Other")
    exported = organizer_client.get(f"{PAGE}export/").content.decode()
    organizer_client.post("/organize/other/watched-words/import/", {"csv_file": upload(exported)})
    assert words(Essay.objects.get(slug="other")) == [("durian*", "hold")]


@pytest.mark.parametrize(
    "text, message",
    [
        ("pattern,action\ndurian,hold\n\nkumquat,delete\n", "line 4: Choose flag, hold or block."),
        ("durian,hold\nplum\n", "line 2: expected two columns, pattern and action (found 1)"),
        ("durian,hold\nd.u.r.i.a.n,hold\n", "line 2: “d.u.r.i.a.n”: use letters"),
        ("durian,hold\ndurian,block\n", "line 2: “durian” is already on line 1"),
    ],
)
def test_a_malformed_file_names_the_line_and_imports_nothing(
    organizer_client, moderator, essay, text, message
):
    watched.add_word(moderator, essay, "existing", "flag")
    events = ModerationEvent.objects.count()

    response = organizer_client.post(f"{PAGE}import/", {"csv_file": upload(text)})

    assert response.status_code == 400
    assert f"Nothing was imported. {message}" in errors_of(response)
    assert words(essay) == [("existing", "flag")]
    assert ModerationEvent.objects.count() == events


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose a CSV file or paste its rows."),
        ({"csv_text": "   \n"}, "Choose a CSV file or paste its rows."),
        ({"csv_text": "a,flag", "csv_file": "file"}, "Upload a file or paste the rows, not both."),
        ({"csv_file": b"\xff\xfe"}, "words.csv: not valid UTF-8 at byte 0 (line 1)"),
        ({"csv_file": b""}, "words.csv: the file is empty"),
    ],
)
def test_an_unusable_import_is_refused(organizer_client, essay, data, message):
    if "csv_file" in data:
        content = data["csv_file"]
        content = b"b,flag" if content == "file" else content
        data = {**data, "csv_file": SimpleUploadedFile("words.csv", content)}
    response = organizer_client.post(f"{PAGE}import/", data)
    assert response.status_code == 400
    assert message in errors_of(response)
    assert not WatchedWord.objects.exists()


def test_imported_words_then_act_on_posting(organizer_client, essay, settings):
    settings.HEAT_SCORING = False
    organizer_client.post(f"{PAGE}import/", {"csv_text": "kumquat*,block\n"})
    author = client_for(make_user("poster"))
    response = author.post("/essays/essay/reply/", {"body": "Kumquats are great."})
    assert response.status_code == 400
    assert "This space does not allow “Kumquats”." in text_of(response)
    assert not essay.comments.exists()
