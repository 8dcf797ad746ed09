"""manage.py import_essay: the essay importer."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from threads.models import Essay

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEED_004 = FIXTURES / "seeds" / "004_54372fb689d24231.txt"
SEED_004_SLUG = "the-leftist-empathy-gap-and-decolonizing-leftist-spaces-for-palestine"
SEED_004_HEADINGS = [
    "When discussing the Israel-Palestine conflict, the concept of indigeneity itself requires"
    " careful examination",
    "For Palestine to thrive, Palestinians require allies across the political and international"
    " spectrum",
    "Of course, empathy alone cannot transform systems",
    "The importance of intersectionality and counter-storytelling",
    "We need more dialogue and strategic empathy on the path to transformation and liberation",
]


def run(path, **options):
    out, err = StringIO(), StringIO()
    call_command("import_essay", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_seed_004(db):
    out, err = run(SEED_004)
    assert out.strip() == SEED_004_SLUG
    assert err == ""
    essay = Essay.objects.get()
    assert essay.slug == SEED_004_SLUG
    assert essay.title == "The Leftist Empathy Gap and Decolonizing Leftist Spaces for Palestine"
    assert essay.subtitle == (
        "How empathy and strategic solidarity can transform the movement for Palestinian liberation"
    )
    assert essay.featured is True
    assert essay.source == str(SEED_004)
    assert essay.is_open


def test_seed_004_blocks(db):
    run(SEED_004)
    blocks = Essay.objects.get().blocks
    lines = [line.strip() for line in SEED_004.read_text().splitlines() if line.strip()]
    # Everything after "Featured", the title and the subtitle, in order, one block a line.
    assert [b["text"] for b in blocks] == lines[3:]
    assert {b["kind"] for b in blocks} == {"heading", "paragraph"}
    assert [b["text"] for b in blocks if b["kind"] == "heading"] == SEED_004_HEADINGS
    assert blocks[0] == {
        "kind": "paragraph",
        "text": lines[3],
    }
    assert blocks[0]["text"].startswith("It is human connection")


def test_essay_without_featured_line(db):
    out, _ = run(FIXTURES / "essay-000.txt", slug="calling-in")
    assert out.strip() == "calling-in"
    essay = Essay.objects.get(slug="calling-in")
    assert essay.featured is False
    assert essay.title == "Calling each other in: a discussion about conflict in organizing spaces"
    assert essay.subtitle == "The comments below were imported from a public comment page"
    assert [b["kind"] for b in essay.blocks] == ["paragraph"]


def test_slug_option_is_honoured(db):
    out, _ = run(SEED_004, slug="leftist-empathy-gap")
    assert out.strip() == "leftist-empathy-gap"
    assert list(Essay.objects.values_list("slug", flat=True)) == ["leftist-empathy-gap"]


def test_titles_without_latin_letters_get_distinct_slugs(db, write):
    first = write("Featured\n日本語の題名\nSubtitle\nA paragraph.\n", "a.txt")
    second = write("Featured\nΕλληνικά\nSubtitle\nA paragraph.\n", "b.txt")
    run(first)
    run(second)
    slugs = sorted(Essay.objects.values_list("slug", flat=True))
    assert len(slugs) == 2 and all(s.startswith("essay-") for s in slugs)
    run(first)  # the slug is stable, so a re-import finds the same essay
    assert Essay.objects.count() == 2


@pytest.mark.parametrize("slug", ["Not a slug", "a/b", "x" * 121])
def test_slug_option_must_be_a_slug(db, slug):
    with pytest.raises(CommandError, match="--slug"):
        run(SEED_004, slug=slug)
    assert not Essay.objects.exists()


def test_second_import_creates_nothing(db, write):
    run(SEED_004)
    before = Essay.objects.values().get()
    # Even a changed file under the same slug leaves the essay as it is.
    changed = write(SEED_004.read_text().replace("human connection", "CHANGED"))
    out, err = run(changed, slug=SEED_004_SLUG)
    assert out.strip() == SEED_004_SLUG
    assert f"slug {SEED_004_SLUG!r} already exists" in err
    assert Essay.objects.count() == 1
    assert Essay.objects.values().get() == before


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), id="bom-crlf"),
    ],
)
def test_bom_and_crlf_parse_like_lf(db, write, transform):
    data = SEED_004.read_bytes()
    run(write(data, "lf.txt"), slug="lf")
    run(write(transform(data), "other.txt"), slug="other")
    lf, other = Essay.objects.get(slug="lf"), Essay.objects.get(slug="other")
    assert (other.title, other.subtitle, other.featured) == (lf.title, lf.subtitle, lf.featured)
    assert other.blocks == lf.blocks
    assert other.featured is True  # "Featured" was recognised despite the BOM
    assert not any("\r" in b["text"] for b in other.blocks)


def test_invalid_utf8_fails_naming_the_file(db, write):
    path = write(b"Featured\nA title\nA subtitle\nCaf\xe9 society.\n", "latin1-essay.txt")
    with pytest.raises(CommandError) as excinfo:
        run(path)
    message = str(excinfo.value)
    assert "latin1-essay.txt" in message
    assert "not valid UTF-8 at byte 31 (line 4)" in message
    assert not Essay.objects.exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [(b"", "the file is empty"), (b"\r\n\n", "the file is empty"), (b"Featured\n", "no title")],
)
def test_empty_file_fails_naming_the_file(db, write, data, expected):
    path = write(data, "empty-essay.txt")
    with pytest.raises(CommandError) as excinfo:
        run(path)
    message = str(excinfo.value)
    assert "empty-essay.txt" in message
    assert expected in message
    assert "\n" not in message
    assert not Essay.objects.exists()


def test_missing_file_fails(db, tmp_path):
    with pytest.raises(CommandError, match="missing.txt: cannot be read"):
        run(tmp_path / "missing.txt")


def test_overlong_title_fails(db, write):
    with pytest.raises(CommandError, match="too long to be a title"):
        run(write("T" * 301 + "\nSubtitle\n"))
    assert not Essay.objects.exists()
