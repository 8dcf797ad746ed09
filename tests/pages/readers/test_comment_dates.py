"""When a comment was written: an imported comment shows the day its source gave, with
the year, or its import day labelled as such; a comment posted here its posting time."""

import importlib
import re
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from moderation import workflow
from tests.helpers import client_for, make_comment
from threads.importing.loading import import_comments
from threads.importing.parsing import parse_comment_page, written_day
from threads.models import Comment

# When seed 000 was imported (Makefile: SEEDS_IMPORTED_AT).
SEEDS_IMPORTED = datetime(2026, 11, 23, 9, 20, 40, tzinfo=UTC)
IMPORTED_LABEL = 'imported <time datetime="2026-11-23">Nov 23, 2026</time>'
JAN_23 = '<time datetime="2026-01-23">Jan 23, 2026</time>'
PAGE = "2 Comments\nJan 23Edited\nFirst.\nExpand full comment\nSecond, undated.\n"


def at(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("source", "now", "day"),
    [
        ("Jan 23", at(2026, 2, 2), date(2026, 1, 23)),
        ("Jan 23", at(2026, 1, 10), date(2025, 1, 23)),
        ("Jan 23", at(2026, 1, 23, 0, 0), date(2026, 1, 23)),  # the same day is not after it
        ("Dec 31", at(2026, 12, 31, 23, 59), date(2026, 12, 31)),
        ("Dec 31", at(2026, 12, 30, 23, 59), date(2025, 12, 31)),
        ("Dec 31", at(2027, 1, 1), date(2026, 12, 31)),
        ("january 5", at(2026, 3, 1), date(2026, 1, 5)),
        ("Sept 3", at(2026, 3, 1), date(2025, 9, 3)),
        ("Jan 23, 2024", at(2026, 2, 2), date(2024, 1, 23)),  # a year in the source stays
        ("Feb 29", at(2026, 3, 1), date(2024, 2, 29)),
        ("3d", at(2026, 2, 2, 12), date(2026, 1, 30)),
        ("5h", at(2026, 2, 2, 3), date(2026, 2, 1)),
        ("12m ago", at(2026, 2, 2, 0, 5), date(2026, 2, 1)),
        ("2w", at(2026, 2, 2), date(2026, 1, 19)),
    ],
)
def test_a_source_date_becomes_a_day_with_its_year(source, now, day):
    assert written_day(source, now) == day


@pytest.mark.parametrize("source", ["", "2mo", "1y", "Feb 30", "Jan 32", "999999999999999999d"])
def test_a_source_date_that_names_no_day_gives_none(source):
    assert written_day(source, at(2026, 2, 2)) is None


@pytest.mark.parametrize(
    ("now", "year"), [(at(2026, 2, 2), 2026), (at(2026, 1, 10), 2025)], ids=["feb", "jan"]
)
def test_import_keeps_the_source_day_and_marks_every_comment_imported(essay, now, year):
    import_comments(essay, parse_comment_page(PAGE), now=now)
    dated, undated = Comment.objects.order_by("pk")
    assert (dated.source_date, dated.written_on, dated.edited is not None) == (
        "Jan 23",
        date(year, 1, 23),
        True,
    )
    assert (undated.source_date, undated.written_on, undated.edited) == ("", None, None)
    assert dated.imported and undated.imported
    assert dated.created == undated.created == now  # the import time, for order and pacing


def test_the_command_reads_dates_as_of_imported_at(essay, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    out = StringIO()
    call_command(
        "import_comments", str(page), essay="essay", imported_at="2026-01-10T12:00:00Z", stdout=out
    )
    assert "Created 2 comments" in out.getvalue()
    dated = Comment.objects.get(source_date="Jan 23")
    assert (dated.written_on, dated.created) == (date(2025, 1, 23), at(2026, 1, 10, 12))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Jan 10", "--imported-at 'Jan 10' is not a date and time like 2026-11-23T09:20:40Z."),
        ("2999-01-01T00:00:00Z", "--imported-at '2999-01-01T00:00:00Z' is in the future."),
    ],
)
def test_a_bad_imported_at_is_refused_and_imports_nothing(essay, tmp_path, value, message):
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_comments", str(page), essay="essay", imported_at=value)
    assert str(refused.value) == message
    assert not Comment.objects.exists()


def permalink_texts(html):
    """{comment id: the text of its permalink} on a reader's page."""
    found = re.findall(r'<a class="permalink" href="[^"]*/comments/(\d+)/">(.*?)</a>', html)
    return {int(pk): text for pk, text in found}


def test_seed_fixture_was_imported_at_a_fixed_time(seeded):
    assert set(Comment.objects.values_list("created", flat=True)) == {SEEDS_IMPORTED}
    assert set(Comment.objects.values_list("imported", flat=True)) == {True}


def test_seed_thread_shows_jan_23_with_its_year_and_no_made_up_dates(client, seed_comment):
    html = client.get("/essays/calling-in/").content.decode()
    texts = permalink_texts(html)
    assert len(texts) == 12
    assert texts.pop(seed_comment.pk) == JAN_23
    assert set(texts.values()) == {IMPORTED_LABEL}
    # The import time is never shown as a time of writing.
    assert "2026-11-23T" not in html and "09:20" not in html


def test_permalink_and_replies_pages_follow_the_same_rule(client, seed_comment):
    page = client.get(f"/essays/calling-in/comments/{seed_comment.pk}/").content.decode()
    texts = permalink_texts(page)
    assert texts[seed_comment.pk] == JAN_23
    replies = list(seed_comment.get_children())
    assert [texts[r.pk] for r in replies] == [IMPORTED_LABEL] * 2

    url = f"/essays/calling-in/comments/{seed_comment.pk}/replies/"
    texts = permalink_texts(client.get(url).content.decode())
    assert set(texts) == {r.pk for r in replies}
    assert set(texts.values()) == {IMPORTED_LABEL}


def test_whole_thread_and_case_page_follow_the_same_rule(seed_comment, reader, moderator):
    moderator = client_for(moderator)
    whole = moderator.get("/essays/calling-in/whole/").content.decode()
    assert whole.count(JAN_23) == 1
    assert whole.count(IMPORTED_LABEL) == 11
    assert "09:20" not in whole

    _, case = workflow.flag_comment(reader, seed_comment, "heated")
    page = moderator.get(f"/moderation/cases/{case.pk}/").content.decode()
    focus = page[page.index(f'id="ctx{seed_comment.pk}"') :]
    assert JAN_23 in focus[: focus.index("</li>")]
    shown = re.findall(r'id="ctx(\d+)"', page)  # it and its two replies
    assert len(shown) == 3 and page.count(IMPORTED_LABEL) == len(shown) - 1
    assert "09:20" not in page


def test_a_comment_posted_here_shows_its_posting_time(client, essay, reader):
    client.force_login(reader)
    # (Not "Written right here.": the heat model reads that as heated and nudges; see
    # docs/heat.md, "Short replies".)
    client.post("/essays/essay/reply/", {"body": "I wrote this reply on the site today."})
    comment = Comment.objects.get()
    assert (comment.imported, comment.written_on) == (False, None)
    created = comment.created
    shown = f"{created:%b} {created.day}, {created:%Y %H:%M}"
    html = client.get("/essays/essay/").content.decode()
    assert permalink_texts(html)[comment.pk] == (
        f'<time datetime="{created.isoformat()}">{shown}</time>'
    )
    assert "imported" not in html


def test_the_migration_marks_comments_imported_by_their_key(essay):
    migration = importlib.import_module("threads.migrations.0005_comment_written_on")
    loaded = make_comment(
        essay, body="From a page.", import_key="0" * 32 + "-1", source_date="Jan 23"
    )
    undated = make_comment(essay, body="Also from a page.", import_key="a" * 32 + "-2")
    demo = make_comment(essay, body="The demo reply.", import_key="demo-ben-1")
    posted = make_comment(essay, body="Posted here.")
    Comment.objects.filter(pk=loaded.pk).update(created=at(2026, 1, 10))

    migration.mark_imported(apps, None)

    rows = Comment.objects.in_bulk([loaded.pk, undated.pk, demo.pk, posted.pk])
    assert (rows[loaded.pk].imported, rows[loaded.pk].written_on) == (True, date(2025, 1, 23))
    assert (rows[undated.pk].imported, rows[undated.pk].written_on) == (True, None)
    assert not rows[demo.pk].imported and not rows[posted.pk].imported
