"""The importers' parser at its edges, without a database: every line ending read as one
line break, a page's warnings kept on the parsed page, and the default name in its
messages (gaps found by `make mutate`)."""

import hashlib
import tracemalloc
from datetime import UTC, date, datetime

import pytest

from threads.importing.parsing import (
    ImportFailed,
    ReplySpec,
    check_text_file,
    decode,
    default_slug,
    digits_to_int,
    parse_comment_page,
    parse_essay,
    parse_replies,
    signed_name,
    written_day,
)
from threads.limits import SOURCE_DATE_LENGTH


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"one\r\ntwo\r\n", "one\ntwo\n"),
        (b"one\rtwo\r", "one\ntwo\n"),
        (b"one\ntwo\r\n\r\nthree", "one\ntwo\n\nthree"),
        (b"\xef\xbb\xbfone\r\ntwo", "one\ntwo"),
    ],
)
def test_every_line_ending_is_one_line_break(data, text):
    assert decode(data, "f.txt") == text


def test_a_page_keeps_the_warning_about_its_header():
    page = parse_comment_page("5 Comments\nFirst.\nExpand full comment\nSecond.", "page.txt")

    assert [c.body for c in page.comments] == ["First.", "Second."]
    assert page.warnings == ["page.txt: the header says 5 comments but 2 were found"]


def test_a_page_without_a_name_is_called_comments_in_its_messages():
    with pytest.raises(ImportFailed, match=r"^comments: no comment found \(line 1\)$"):
        parse_comment_page("\n\n")


def test_an_essay_of_two_lines_has_a_title_and_a_subtitle():
    essay = parse_essay("Title\nSubtitle\n")

    assert (essay.title, essay.subtitle, essay.blocks) == ("Title", "Subtitle", [])


def test_an_essay_of_one_line_has_no_subtitle():
    assert parse_essay("Title").subtitle == ""


def test_an_essay_without_a_name_is_called_essay_in_its_messages():
    with pytest.raises(ImportFailed, match=r"^essay: no title found \(line 1\)$"):
        parse_essay("\n \n")


def test_a_slug_is_cut_at_80_characters_without_a_trailing_dash():
    assert default_slug("a" * 79 + " b" * 10) == "a" * 79
    assert default_slug("b" * 100) == "b" * 80
    assert default_slug("- Title -") == "title"


def test_a_title_without_latin_letters_gets_a_stable_ten_digit_slug():
    slug = default_slug("Ωμέγα")

    assert slug == "essay-" + hashlib.sha1("Ωμέγα".encode()).hexdigest()[:10]


def test_a_heading_is_a_short_line_of_at_most_20_words_without_closing_punctuation():
    twenty = " ".join(["word"] * 20)
    text = f"Title\nSubtitle\n{twenty}\nA paragraph follows it.\n{twenty} more\nAnd another one."

    blocks = parse_essay(text).blocks

    assert [block["kind"] for block in blocks] == ["heading", "paragraph", "paragraph", "paragraph"]


def test_a_short_sentence_is_a_paragraph():
    blocks = parse_essay("Title\nSubtitle\nShort line.\nA paragraph follows it.").blocks

    assert [block["kind"] for block in blocks] == ["paragraph", "paragraph"]


# Reply specs, judged before the comments are counted.


@pytest.mark.parametrize(
    ("spec", "most", "passes"),
    [
        ("9>8,10>8", None, True),
        ("9>8,10>8", 10, True),
        ("9>8,10>8", 9, False),
        ("8>9", None, False),
        ("8>9", 100, False),
        ("nonsense", None, False),
    ],
)
def test_a_reply_spec_can_pass_only_without_bad_items_and_within_the_bound(spec, most, passes):
    assert ReplySpec(spec, "f.txt").can_pass(most=most) is passes


# Files checked as they stream from disk.


def test_a_bad_byte_in_a_later_chunk_is_reported_where_it_is(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"abcdefgh\xffij")

    with pytest.raises(ImportFailed, match=r"not valid UTF-8 at byte 8 \(line 1\)"):
        check_text_file(path, chunk_size=4)


def test_only_the_first_chunk_loses_a_byte_order_mark(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("\ufeff\ufeff", encoding="utf-8")  # the second one is text

    check_text_file(path, chunk_size=3)  # not empty

    path.write_text("\ufeff \n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="the file is empty"):
        check_text_file(path, chunk_size=3)


def test_a_large_file_is_checked_a_chunk_at_a_time_not_held_in_memory(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"A line of a long page.\n" * (1 << 18))  # 6 MiB

    tracemalloc.start()
    try:
        check_text_file(path, chunk_size=1 << 16)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 1 << 20


def test_an_empty_reply_spec_passes_any_bound():
    assert ReplySpec("", "f.txt").can_pass(most=0)


@pytest.mark.parametrize(
    ("spec", "count", "named"),
    [("2>1,5>1", 3, "'5>1'"), ("3>1,5>1", 3, "'5>1'"), ("3>2,5>1", 4, "'5>1'")],
)
def test_the_first_reply_item_out_of_range_is_the_one_named(spec, count, named):
    with pytest.raises(ImportFailed, match=f"replies item {named}: positions run 1..{count}"):
        parse_replies(spec, count, "f.txt")


def test_a_backwards_reply_item_is_refused_with_the_rule_it_breaks():
    with pytest.raises(ImportFailed) as refused:
        parse_replies("2>1,2>3", 3, "f.txt")

    assert str(refused.value) == (
        "f.txt: replies item '2>3': positions run 1..3 and a parent must come before its reply"
    )


def test_a_reply_to_the_first_comment_from_the_last_is_taken():
    assert parse_replies("3>1", 3, "f.txt") == {3: 1}


# Numbers and sign-offs.


@pytest.mark.parametrize(
    ("digits", "number"),
    [
        ("1,234", 1234),
        ("123456789012345678", 123456789012345678),
        ("1234567890123456789", 10**18),
        ("9" * 40, 10**18),
    ],
)
def test_digits_read_as_a_number_and_a_run_too_long_is_simply_huge(digits, number):
    assert digits_to_int(digits) == number


NAME_40 = "E" + "l" * 39


@pytest.mark.parametrize(
    ("paragraphs", "name"),
    [
        (["Body.", "With care,", "Ella"], "Ella"),
        (["With care,", "Ella"], ""),
        (["Body.", "With care", "Ella"], ""),
        (["Body.", "W" * 39 + ",", "Ella"], "Ella"),
        (["Body.", "W" * 40 + ",", "Ella"], ""),
        (["Body.", "Best,", NAME_40], NAME_40),
        (["Body.", "Best,", NAME_40 + "a"], ""),
        (["Body.", "Best,", "Ann Bea Cleo Dee"], "Ann Bea Cleo Dee"),
        (["Body.", "Best,", "Ann Bea Cleo Dee Eve"], ""),
        (["Body.", "Best,", "Ann\nBea"], ""),
        (["Body.", "Best,", "ella"], ""),
        (["Body.", "Best,", "Ella."], ""),
    ],
)
def test_a_name_under_a_short_closing_sign_off(paragraphs, name):
    assert signed_name(paragraphs) == name


# Where each comment of a page starts.


def test_each_comment_is_placed_at_its_first_line_of_text():
    page = parse_comment_page("\n\nFirst.\nExpand full comment\n\n\nSecond.")

    assert [(c.line, c.body) for c in page.comments] == [(3, "First."), (7, "Second.")]


def test_a_header_without_comments_points_below_itself():
    with pytest.raises(ImportFailed, match=r"no comment found \(line 3\)"):
        parse_comment_page("\n3 Comments\n\n")


def test_only_the_first_line_can_be_the_header():
    page = parse_comment_page("First.\nExpand full comment\n2 Comments")

    assert [c.body for c in page.comments] == ["First.", "2 Comments"]
    assert page.warnings == []


def test_a_comments_lines_keep_their_indent_and_line_breaks():
    page = parse_comment_page("A first line\n  an indented second   \n\nA new paragraph.")

    assert page.comments[0].body == "A first line\n  an indented second\n\nA new paragraph."


def test_a_blank_reply_item_is_skipped_and_the_rest_read():
    assert parse_replies("2>1, ,3>1", 3, "f.txt") == {2: 1, 3: 1}


# A NUL character, refused with the line it is on.


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("\x00Title\nSubtitle", 1),
        ("Ti\x00tle\nSubtitle\nText.", 1),
        ("\nTi\x00tle\nSubtitle", 2),
        ("Title\nSub\x00title\nText\x00.", 2),
    ],
)
def test_an_essay_with_a_nul_character_is_refused_at_its_first_one(text, line):
    with pytest.raises(ImportFailed, match=rf"^e.txt: contains a NUL character \(line {line}\)$"):
        parse_essay(text, "e.txt")


# A comment's metadata line.


def test_a_metadata_line_of_only_edited_gives_no_date():
    (comment,) = parse_comment_page("Edited\nA comment.", "p.txt").comments

    assert (comment.source_date, comment.edited, comment.body) == ("", True, "A comment.")


def test_a_date_as_long_as_its_column_is_still_a_date():
    longest = "Jan" + "u" * (SOURCE_DATE_LENGTH - 5) + " 1"

    (comment,) = parse_comment_page(f"{longest}\nA comment.", "p.txt").comments

    assert len(longest) == SOURCE_DATE_LENGTH
    assert (comment.source_date, comment.body) == (longest, "A comment.")


# The day a comment was written, from the date its page showed (the reader's pages show it:
# tests/pages/readers/test_comment_dates.py).


def at(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("source", "now", "day"),
    [
        ("Mar 4, 2019", at(2026, 2, 2), date(2019, 3, 4)),  # the page's year stays
        ("Oct 9", at(2026, 11, 1), date(2026, 10, 9)),
        ("Sept. 30", at(2026, 11, 1), date(2026, 9, 30)),
        ("December 1", at(2026, 12, 1, 8), date(2026, 12, 1)),  # the day it was copied
        ("Nov 2", at(2026, 11, 1), date(2025, 11, 2)),  # a day still to come is last year's
        ("Feb 29", at(2104, 2, 28), date(2096, 2, 29)),  # eight years back, over 2100
        ("4D", at(2026, 2, 2, 12), date(2026, 1, 29)),
        ("36h ago", at(2026, 2, 2, 6), date(2026, 1, 31)),
    ],
)
def test_a_pages_date_is_read_as_the_day_it_names(source, now, day):
    assert written_day(source, now) == day


@pytest.mark.parametrize("source", ["Feb 30", "Feb 30, 2024", "3mo", "9" * 12 + "w"])
def test_a_date_that_names_no_day_gives_none(source):
    assert written_day(source, at(2026, 2, 2)) is None
