"""Threads as nested lists on every page that lists comments (issue 14, point 6): a reply is
an item of the list of replies inside its parent's item, and says, to a screen reader,
whom it answers; the pages' pinned query counts stay as they were."""

import re

import pytest

from tests.helpers import client_for, html_of, make_comment
from tests.nesting import nesting_of
from tests.pages.readers.test_essay_page import ANONYMOUS_QUERIES
from threads.models import Comment

pytestmark = pytest.mark.usefixtures("no_heat")


@pytest.fixture
def tree(essay):
    """ada > ben > cleo, ada > dan; eve alone."""
    ada = make_comment(essay, body="Ada's words.", author_name="ada")
    ben = make_comment(essay, body="Ben's words.", author_name="ben", parent=ada)
    cleo = make_comment(essay, body="Cleo's words.", author_name="cleo", parent=ben)
    dan = make_comment(essay, body="Dan's words.", author_name="dan", parent=ada)
    eve = make_comment(essay, body="Eve's words.", author_name="eve")
    return {c.author_name: c for c in (ada, ben, cleo, dan, eve)}


def thread_part(html):
    """The page's thread: its outermost nested list."""
    start = html.index('<ol class="thread nested">')
    depth, at = 0, start
    for tag in re.finditer(r"<(/?)ol\b", html[start:]):
        depth += -1 if tag.group(1) else 1
        if not depth:
            at = start + tag.end()
            break
    return html[start : html.index(">", at) + 1]


def said_in_reply_to(html, comment):
    """Whom the header of ``comment``'s item says it answers (None: no one)."""
    start = html.index(f'<li id="c{comment.pk}"')
    header = html[start : html.index("</header>", start)]
    found = re.search(r'<span class="visually-hidden">, in reply to ([^<]*)</span>', header)
    return found and found.group(1)


def test_the_essay_page_nests_each_reply_in_its_parents_item(client, essay, tree):
    html = html_of(client.get(f"/essays/{essay.slug}/"))
    found = nesting_of(thread_part(html))
    pk = {name: c.pk for name, c in tree.items()}
    assert found.parent == {
        pk["ada"]: None,
        pk["ben"]: pk["ada"],
        pk["cleo"]: pk["ben"],
        pk["dan"]: pk["ada"],
        pk["eve"]: None,
    }
    for name in ("ben", "cleo", "dan"):
        assert found.between[tree[name].pk] == ["ol.replies"]
    assert said_in_reply_to(html, tree["cleo"]) == "ben"
    assert said_in_reply_to(html, tree["dan"]) == "ada"
    assert said_in_reply_to(html, tree["ada"]) is None  # a top-level comment answers no one


def test_the_essay_page_keeps_its_query_count(client, essay, tree, django_assert_max_num_queries):
    for i in range(3):  # a deeper thread costs no query more
        make_comment(essay, body=f"Deeper {i}.", parent=tree["cleo"])
    with django_assert_max_num_queries(ANONYMOUS_QUERIES):
        response = client.get(f"/essays/{essay.slug}/")
    assert response.status_code == 200


def test_a_comment_page_says_whom_the_comment_and_its_replies_answer(client, essay, tree):
    html = html_of(client.get(f"/essays/{essay.slug}/comments/{tree['ben'].pk}/"))
    assert said_in_reply_to(html, tree["ben"]) == "ada"  # its parent, listed above it
    assert said_in_reply_to(html, tree["cleo"]) == "ben"
    assert "<h1" in html


def test_a_reply_to_a_comment_waiting_for_a_moderator_stays_under_the_right_item(
    client, essay, tree, reader
):
    waiting = make_comment(
        essay, body="Held.", author_name="hal", parent=tree["dan"], status=Comment.Status.PENDING
    )
    under = make_comment(essay, body="Under it.", author_name="ivy", parent=waiting)
    html = html_of(client_for(reader).get(f"/essays/{essay.slug}/"))
    assert "Held." not in html
    found = nesting_of(thread_part(html))
    assert found.parent[under.pk] == tree["dan"].pk  # inside dan's item, one level deeper
    assert found.between[under.pk] == ["ol.replies", "li.thread-gap", "ol.replies"]
    assert said_in_reply_to(html, under) == "an earlier comment"


def test_the_whole_thread_for_moderators_is_nested_too(moderator_client, essay, tree):
    html = html_of(moderator_client.get(f"/essays/{essay.slug}/whole/"))
    found = nesting_of(thread_part(html))
    assert found.parent[tree["cleo"].pk] == tree["ben"].pk
    assert found.parent[tree["eve"].pk] is None
    assert said_in_reply_to(html, tree["cleo"]) == "ben"
