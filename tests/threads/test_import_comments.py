"""manage.py import_comments: the Substack comment-page importer."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from threads.models import MAX_COMMENT_LENGTH, Comment, Essay

SEED_000 = Path(settings.BASE_DIR) / "fixtures" / "seeds" / "000_ac2c2a8ca753e8fe.txt"
REPLIES = "9>8,10>8"


def run(path, essay="essay", **options):
    out, err = StringIO(), StringIO()
    call_command("import_comments", str(path), essay=essay, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def in_file_order(essay):
    """The essay's comments in the order they were imported (file order)."""
    return list(Comment.objects.filter(essay=essay).order_by("pk"))


def shape(essay):
    """What a parse produced, independent of primary keys and timestamps."""
    comments = in_file_order(essay)
    position = {c.pk: i for i, c in enumerate(comments, start=1)}
    return [
        (
            position[c.pk],
            position.get(c.parent_id),
            c.level,
            c.author_name,
            c.source_date,
            c.edited is not None,
            c.body,
        )
        for c in comments
    ]


@pytest.fixture
def imported(essay):
    out, err = run(SEED_000, replies=REPLIES)
    return essay, out, err


def test_seed_000_creates_12_comments(imported):
    essay, out, err = imported
    assert out.strip() == "Created 12 comments; 0 were already there."
    assert err == ""
    assert Comment.objects.filter(essay=essay).count() == 12
    assert Comment.objects.filter(essay=essay, parent=None).count() == 10


def test_metadata_line_becomes_date_and_edited(imported):
    essay, _, _ = imported
    eighth = in_file_order(essay)[7]
    assert eighth.body.startswith("I think this is an inaccurate understanding of hatred")
    assert eighth.source_date == "Jan 23"
    assert eighth.edited is not None
    assert "Jan 23" not in eighth.body
    assert "Edited" not in eighth.body
    # Comments without a metadata line have neither.
    first = in_file_order(essay)[0]
    assert (first.source_date, first.edited) == ("", None)


def test_replies_hang_under_comment_8_in_file_order(imported):
    essay, _, _ = imported
    eighth = Comment.objects.get(essay=essay, body__startswith="I think this is an inaccurate")
    children = list(eighth.get_children())
    assert [c.body[:20] for c in children] == ["We didn’t diagnosed ", "Also the mere idea t"]
    assert [(c.parent_id, c.level) for c in children] == [(eighth.pk, 1), (eighth.pk, 1)]
    # In display order the two replies follow comment 8 directly.
    display = list(Comment.objects.filter(essay=essay).order_by("tree_id", "lft"))
    at = display.index(eighth)
    assert display[at + 1 : at + 3] == children
    assert [c.level for c in display].count(1) == 2


def test_paragraphs_are_kept(imported):
    essay, _, _ = imported
    comments = in_file_order(essay)
    assert comments[0].body.count("\n\n") == 0
    assert comments[6].body.startswith("Phew commenting")
    assert len(comments[6].body.split("\n\n")) == 2
    assert comments[7].body.split("\n\n")[1].startswith("I agree that many self proclaimed")
    assert len(comments[11].body.split("\n\n")) == 8
    # No paragraph has stray blank lines or trailing whitespace.
    for comment in comments:
        for paragraph in comment.body.split("\n\n"):
            assert paragraph == paragraph.strip()
            assert paragraph


def test_signed_comment_gets_its_name_and_keeps_the_sign_off(imported):
    essay, _, _ = imported
    last = in_file_order(essay)[-1]
    assert last.author_name == "Ella"
    assert last.body.endswith("With deep respect,\n\nElla")


def test_unnamed_authors_are_numbered(imported):
    essay, _, _ = imported
    names = [c.author_name for c in in_file_order(essay)]
    assert names == [f"Reader {n}" for n in range(1, 12)] + ["Ella"]


def test_second_run_creates_nothing(imported):
    essay, _, _ = imported
    before = shape(essay)
    positions = list(Comment.objects.values_list("pk", "tree_id", "lft", "rght", "level"))
    out, _ = run(SEED_000, replies=REPLIES)
    assert out.strip() == "Created 0 comments; 12 were already there."
    assert Comment.objects.count() == 12
    assert shape(essay) == before
    assert list(Comment.objects.values_list("pk", "tree_id", "lft", "rght", "level")) == positions


def test_dry_run_writes_nothing(essay):
    out, _ = run(SEED_000, replies=REPLIES, dry_run=True)
    assert out.strip() == "Dry run: would create 12 comments; 0 were already there."
    assert Comment.objects.count() == 0


def test_dry_run_after_import_counts_existing(imported):
    out, _ = run(SEED_000, replies=REPLIES, dry_run=True)
    assert out.strip() == "Dry run: would create 0 comments; 12 were already there."


def test_header_count_mismatch_warns_but_imports(essay, write):
    path = write("5 Comments\n\nFirst.\n\nExpand full comment\n\nSecond.\n\nExpand full comment\n")
    out, err = run(path)
    assert "header says 5 comments but 2 were found" in err
    assert err.startswith("warning:")
    assert out.strip() == "Created 2 comments; 0 were already there."
    assert [c.body for c in in_file_order(essay)] == ["First.", "Second."]


def test_last_block_without_separator_counts(essay, write):
    path = write("2 Comments\n\nFirst.\nExpand full comment\nSecond, last line.")
    out, err = run(path)
    assert err == ""
    assert out.strip() == "Created 2 comments; 0 were already there."
    assert [c.body for c in in_file_order(essay)] == ["First.", "Second, last line."]


def test_page_without_header(essay, write):
    path = write("Only one.\n")
    out, err = run(path)
    assert (out.strip(), err) == ("Created 1 comments; 0 were already there.", "")
    assert in_file_order(essay)[0].body == "Only one."


def test_repeated_text_gets_its_own_comment(essay, write):
    path = write("Same.\nExpand full comment\nOther.\nExpand full comment\nSame.\n")
    run(path)
    run(path)
    assert [c.body for c in in_file_order(essay)] == ["Same.", "Other.", "Same."]


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), id="bom-crlf"),
        pytest.param(lambda b: b.replace(b"\n", b"\r"), id="cr"),
    ],
)
def test_bom_and_line_ends_parse_like_lf(db, transform, write):
    data = SEED_000.read_bytes()
    lf = Essay.objects.create(slug="lf", title="LF")
    other = Essay.objects.create(slug="other", title="Other")
    run(write(data, "lf.txt"), essay="lf", replies=REPLIES)
    out, err = run(write(transform(data), "other.txt"), essay="other", replies=REPLIES)
    assert (out.strip(), err) == ("Created 12 comments; 0 were already there.", "")
    assert shape(other) == shape(lf)
    assert not any("\r" in body or "\ufeff" in body for *_, body in shape(other))


@pytest.mark.parametrize(
    ("data", "offset", "line"),
    [
        (b"1 Comments\n\nok\xff\xfe", 14, 3),
        # The offset is counted in the file as it is, BOM included.
        (b"\xef\xbb\xbf1 Comments\n\nok\xff\xfe", 17, 3),
        (b"\xff", 0, 1),
        (b"1 Comments\r\n\r\nok\xff", 16, 3),
        (b"1 Comments\r\rok\xff", 14, 3),
    ],
)
def test_invalid_utf8_names_file_and_byte(essay, write, data, offset, line):
    path = write(data, "broken-page.txt")
    with pytest.raises(CommandError) as excinfo:
        run(path)
    message = str(excinfo.value)
    assert "broken-page.txt" in message
    assert f"byte {offset}" in message
    assert f"line {line}" in message
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"\n  \r\n\t\n", "the file is empty"),
        (b"\xef\xbb\xbf", "the file is empty"),
        (b"Expand full comment\n\nExpand full comment\n", "no comment found"),
        (b"3 Comments\n\nExpand full comment\n", "no comment found"),
    ],
)
def test_nothing_to_import_fails_with_one_line(essay, write, data, expected):
    path = write(data, "nothing.txt")
    with pytest.raises(CommandError) as excinfo:
        run(path)
    message = str(excinfo.value)
    assert expected in message
    assert "nothing.txt" in message
    assert "\n" not in message
    assert Comment.objects.count() == 0


def test_missing_file_fails(essay, tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run(tmp_path / "missing.txt")


def test_too_long_comment_aborts_the_whole_import(essay, write):
    too_long = "x" * (MAX_COMMENT_LENGTH + 1)
    path = write(f"First.\nExpand full comment\nSecond.\nExpand full comment\n{too_long}\n")
    with pytest.raises(CommandError) as excinfo:
        run(path)
    assert "comment 3 (line 5)" in str(excinfo.value)
    assert "10,000 characters" in str(excinfo.value)
    assert Comment.objects.count() == 0


def test_comment_of_exactly_the_maximum_length_is_accepted(essay, write):
    path = write("First.\nExpand full comment\n" + "x" * MAX_COMMENT_LENGTH)
    run(path)
    assert [len(c.body) for c in in_file_order(essay)] == [6, MAX_COMMENT_LENGTH]


@pytest.mark.parametrize(
    ("replies", "expected"),
    [
        ("3>5", "a parent must come before its reply"),
        ("5>5", "a parent must come before its reply"),
        ("13>8", "positions run 1..12"),
        ("9>0", "positions run 1..12"),
        ("x", "'x' is not of the form CHILD>PARENT"),
        ("9>8,10-8", "'10-8' is not of the form CHILD>PARENT"),
    ],
)
def test_bad_replies_fail_cleanly(essay, replies, expected):
    with pytest.raises(CommandError) as excinfo:
        run(SEED_000, replies=replies)
    assert expected in str(excinfo.value)
    assert Comment.objects.count() == 0


def test_a_replies_file_gives_the_same_thread(essay, write):
    run(SEED_000, replies_file=str(write("9>8\n10>8\n", "replies.txt")))
    by_file = shape(essay)
    other = Essay.objects.create(slug="other", title="Other")
    run(SEED_000, essay="other", replies=REPLIES)
    assert by_file == shape(other)
    assert [c.parent_id is not None for c in in_file_order(essay)].count(True) == 2


def test_a_bad_or_missing_replies_file_fails_cleanly(essay, write, tmp_path):
    with pytest.raises(CommandError, match="'10-8' is not of the form CHILD>PARENT"):
        run(SEED_000, replies_file=str(write("9>8\n10-8\n", "replies.txt")))
    with pytest.raises(CommandError, match="Cannot read the replies file"):
        run(SEED_000, replies_file=str(tmp_path / "missing.txt"))
    assert Comment.objects.count() == 0


def test_unknown_essay_fails(essay):
    with pytest.raises(CommandError, match="No essay with slug 'nope'"):
        run(SEED_000, essay="nope")
    assert Comment.objects.count() == 0


def test_essay_is_required():
    with pytest.raises(CommandError, match="--essay"):
        call_command("import_comments", str(SEED_000))
