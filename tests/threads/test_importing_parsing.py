"""threads.importing.parsing: text in, records out, with no models and no database.

These tests take no ``db`` fixture: pytest-django fails any of them that
touches the database.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from threads.importing.parsing import (
    ImportFailed,
    check_text_file,
    decode,
    parse_comment_page,
    parse_essay,
    read_file,
)
from threads.limits import ESSAY_TITLE_LENGTH, SOURCE_DATE_LENGTH

ROOT = Path(__file__).resolve().parents[2]


def test_parsing_imports_no_models_and_no_database():
    """In a fresh interpreter without Django settings, so nothing else has loaded them."""
    probe = (
        "import sys, threads.importing.parsing; "
        "print(sorted(m for m in sys.modules if m.startswith("
        "('django.db', 'threads.models', 'threads.importing.loading', 'moderation'))))"
    )
    env = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_page_parses_into_records_without_a_database():
    text = "2 Comments\nJan 23Edited\nFirst.\nExpand full comment\nSecond,\n\nWith care,\n\nElla"
    page = parse_comment_page(decode(text.encode(), "page.txt"), "page.txt", replies="2>1")
    first, second = page.comments
    assert (first.position, first.line, first.body) == (1, 2, "First.")
    assert (first.source_date, first.edited, first.author_name) == ("Jan 23", True, "Reader 1")
    assert (second.parent_position, second.author_name, second.line) == (1, "Ella", 5)
    assert page.warnings == []


def test_the_lengths_the_models_hold_to_are_checked_in_parsing():
    with pytest.raises(ImportFailed, match="title line is too long"):
        parse_essay("x" * (ESSAY_TITLE_LENGTH + 1) + "\nSubtitle", "long.txt")
    assert parse_essay("x" * ESSAY_TITLE_LENGTH, "ok.txt").title == "x" * ESSAY_TITLE_LENGTH
    # A metadata line longer than the column is body text, not a date.
    long_date = "Jan" + "u" * SOURCE_DATE_LENGTH + " 1"
    (comment,) = parse_comment_page(f"{long_date}\nText", "p.txt").comments
    assert comment.source_date == "" and long_date in comment.body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"ok\r\nok\r\n\xff", "f.txt: not valid UTF-8 at byte 8 (line 3)"),
        (b"\xef\xbb\xbfok\n\xc3", "f.txt: not valid UTF-8 at byte 6 (line 2)"),
        (b"\xef\xbb\xbf \r\n", "f.txt: the file is empty (line 1)"),
    ],
)
def test_a_file_and_its_bytes_fail_with_the_same_message(tmp_path, data, message):
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    for check in (lambda: decode(data, "f.txt"), lambda: check_text_file(path)):
        with pytest.raises(ImportFailed) as failed:
            check()
        assert str(failed.value) == message


def test_a_missing_file_fails_naming_it(tmp_path):
    missing = tmp_path / "missing.txt"
    for check in (read_file, check_text_file):
        with pytest.raises(ImportFailed, match=r"missing.txt: cannot be read \(No such file"):
            check(missing)
