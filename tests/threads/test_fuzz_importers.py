"""Property-based tests: the importers take any input and either import it or fail cleanly.

Whatever the bytes or text (control characters, NUL, stray separators and
headers, huge numbers, very long lines, deep --replies chains), the importers
answer with a result or ``ImportFailed`` (a one-line message naming the
input), never another exception and never a partial write.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import FUZZ
from threads.importing.html_text import html_paragraphs
from threads.importing.loading import import_comment_file, import_comments, import_essay
from threads.importing.parsing import ImportFailed, decode, parse_comment_page, parse_essay
from threads.models import MAX_LEVEL, Comment, Essay

# Lines that mean something to the parsers, and lines that should not.
MEANINGFUL = [
    "Expand full comment",
    "  EXPAND FULL COMMENT  ",
    "12 Comments",
    "1,000 comments",
    "0 comments",
    "9" * 5000 + " comments",
    "Jan 23Edited",
    "Sept. 4, 2023",
    "3h ago",
    "9" * 60 + "m",
    "9" * 5000 + "d",
    "edited",
    "With deep respect,",
    "Ella",
    "Featured",
    "",
    " ",
    "\t",
    "\x00",
    "a\x00b",
    "\x0b\x0c\x1c\x1d\x1e\x85",
    "\u2028\u2029",
    "\ufeff",
    "\r",
    "x" * 400,
    "A heading without a full stop",
]
LINE = st.one_of(st.sampled_from(MEANINGFUL), st.text(max_size=120))
DOCUMENT = st.lists(LINE, max_size=40).map("\n".join)
REPLIES = st.one_of(
    st.just(""),
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 60)).map(lambda p: f"{p[0]}>{p[1]}"),
        max_size=8,
    ).map(",".join),
    st.sampled_from(["9" * 5000 + ">1", "2>" + "1" * 30, "2>1,,3>1", "2 > 1", "a>b", ">", ","]),
    st.text(max_size=40),
)


def assert_clean(exc, name):
    message = str(exc)
    assert message.startswith(f"{name}: ")
    assert "\n" not in message.strip()


# --- decoding ---------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=400) | DOCUMENT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_decode_returns_text_or_fails_cleanly(data):
    try:
        text = decode(data, "file.txt")
    except ImportFailed as exc:
        assert_clean(exc, "file.txt")
    else:
        assert isinstance(text, str) and "\r" not in text and text.strip()


# --- essays -----------------------------------------------------------------------------


@FUZZ
@given(DOCUMENT)
def test_parse_essay_returns_an_essay_or_fails_cleanly(text):
    try:
        parsed = parse_essay(text, "essay.txt")
    except ImportFailed as exc:
        assert_clean(exc, "essay.txt")
    else:
        assert parsed.title.strip()
        assert len(parsed.title) <= Essay._meta.get_field("title").max_length


@pytest.mark.django_db
@FUZZ
@given(DOCUMENT)
def test_import_essay_writes_a_whole_essay_or_nothing(text):
    before = Essay.objects.count()
    try:
        essay, created = import_essay(text, "essay.txt")
    except ImportFailed as exc:
        assert_clean(exc, "essay.txt")
        assert Essay.objects.count() == before
    else:
        essay.full_clean()  # what was stored fits the model
        assert Essay.objects.count() == before + created


# --- comment pages ----------------------------------------------------------------------


@FUZZ
@given(DOCUMENT, REPLIES)
def test_parse_comment_page_returns_comments_or_fails_cleanly(text, replies):
    try:
        page = parse_comment_page(text, "page.txt", replies)
    except ImportFailed as exc:
        assert_clean(exc, "page.txt")
    else:
        assert page.comments
        assert [c.position for c in page.comments] == list(range(1, len(page.comments) + 1))
        for comment in page.comments:
            assert comment.body.strip()
            assert comment.parent_position is None or comment.parent_position < comment.position


@pytest.fixture
def space(db):
    return Essay.objects.create(slug="fuzz", title="Fuzz")


def comment_rows():
    return list(Comment.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "level"))


@FUZZ
@given(text=DOCUMENT, replies=REPLIES)
def test_import_comments_writes_all_or_nothing(space, text, replies):
    before = comment_rows()
    try:
        page = parse_comment_page(text, "page.txt", replies)
        created, existing = import_comments(space, page)
    except ImportFailed as exc:
        assert_clean(exc, "page.txt")
        assert comment_rows() == before
        return
    assert created + existing == len(page.comments)
    assert len(comment_rows()) == len(before) + created
    for comment in Comment.objects.filter(essay=space):
        comment.full_clean()
    # A second run finds everything already there.
    assert import_comments(space, page) == (0, len(page.comments))


@FUZZ
@given(
    text=DOCUMENT,
    replies=REPLIES,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_import_comment_file_writes_all_or_nothing(
    space, tmp_path_factory, text, replies, encoding, newline
):
    path = tmp_path_factory.mktemp("pages") / "page.txt"
    path.write_bytes(text.replace("\n", newline).encode(encoding, "replace"))
    before = comment_rows()
    try:
        created, existing, _ = import_comment_file(space, path, replies)
    except ImportFailed as exc:
        assert str(exc).startswith((f"{path}: ", f"{path.name}: "))
        assert "\n" not in str(exc).strip()
        assert comment_rows() == before
    else:
        assert len(comment_rows()) == len(before) + created


@FUZZ
@given(st.integers(2, 120), st.booleans())
def test_long_reply_chains_nest_up_to_the_cap(db, length, fan):
    space = Essay.objects.create(slug=f"chain-{Essay.objects.count()}", title="Chain")
    text = "\n".join(f"Comment number {n}.\nExpand full comment" for n in range(1, length + 1))
    chain = ",".join(f"{n}>{1 if fan else n - 1}" for n in range(2, length + 1))
    created, _ = import_comments(space, parse_comment_page(text, "page.txt", chain))
    assert created == length
    levels = list(
        Comment.objects.filter(essay=space).order_by("lft").values_list("level", flat=True)
    )
    assert max(levels) == (1 if fan else min(length - 1, MAX_LEVEL))
    assert len({c.tree_id for c in Comment.objects.filter(essay=space)}) == 1


def test_a_huge_position_is_a_clean_error():
    for replies in ("9" * 5000 + ">1", "2>" + "9" * 5000):
        with pytest.raises(ImportFailed, match="page.txt: replies item"):
            parse_comment_page("One.\nExpand full comment\nTwo.", "page.txt", replies)


@pytest.mark.django_db
def test_a_nul_character_is_a_clean_error():
    with pytest.raises(ImportFailed, match=r"essay.txt: .*line 2"):
        import_essay("Title\nSub\x00title\nText.", "essay.txt")
    with pytest.raises(ImportFailed, match=r"page.txt: .*line 3"):
        parse_comment_page("One.\nExpand full comment\nT\x00wo.", "page.txt")


def test_an_overlong_date_line_is_text_not_a_date():
    page = parse_comment_page("9" * 60 + "m\nA comment.\nExpand full comment", "page.txt")
    assert page.comments[0].source_date == ""
    assert page.comments[0].body.startswith("9" * 60)
    page = parse_comment_page("12m\nA comment.", "page.txt")
    assert (page.comments[0].source_date, page.comments[0].body) == ("12m", "A comment.")


# --- HTML from other comment systems -----------------------------------------------------

HTML_PARTS = [
    "<p>", "</p>", "<p/>", "<br>", "<br/>", "<hr>", "<h2>", "</h2>", "<li>", "</ul>", "<div>",
    '<a href="https://q.example/a?b=1&amp;c=2">', '<a href="mailto:x@q.example">',
    "<a href='http://x'>", "<a href=https://y>", '<a href="javascript:z()">', "<a>", "</a>",
    "<script>", "</script>", "<style>", "&amp;", "&lt", "&NotEqualTilde;", "&#10;", "&#x1F600;",
    "&nbsp;", "<![CDATA[c]]>", "<!-- n -->", "<!x>", "<", ">", "\n", "\n\n", "\n \n", " ", "\t",
    "\r", "\x00", "\x0b", "\x85", "\u2028", "word", "Many words here.",
]  # fmt: skip
HTML = st.lists(st.sampled_from(HTML_PARTS) | st.text(max_size=12), max_size=30).map("".join)


@FUZZ
@given(HTML, st.booleans())
def test_a_posts_text_is_never_longer_than_its_html(html, newlines_break):
    # A site import reads a post's HTML after it has begun writing only when the HTML fits
    # a comment (sites.text_fits): its text must then fit too.
    assert len(html_paragraphs(html, newlines_break=newlines_break)) <= len(html)
