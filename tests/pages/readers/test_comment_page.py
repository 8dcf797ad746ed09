"""A comment's permalink page: its ancestors, the comment, and its replies."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import make_comment
from threads.models import Comment, Essay

# Pinned: the comment with its essay, its ancestors, its replies, context notes.
COMMENT_QUERIES = 4

ITEM = re.compile(r'<li id="c(\d+)" class="comment indent-(\d+)')


@pytest.fixture
def tree(essay):
    """root > a > b; b has replies c (with reply e) and d; plus an unrelated tree."""
    root = make_comment(essay, body="Root words.")
    a = make_comment(essay, body="A words.", parent=root)
    b = make_comment(essay, body="B words.", parent=a)
    c = make_comment(essay, body="C words.", parent=b)
    d = make_comment(essay, body="D words.", parent=b)
    e = make_comment(essay, body="E words.", parent=c)
    other = make_comment(essay, body="Other tree.")
    sibling = make_comment(essay, body="Sibling of b.", parent=a)
    return {"root": root, "a": a, "b": b, "c": c, "d": d, "e": e, "other": other, "sib": sibling}


def section(html, heading_id):
    """The HTML of the page section labelled by ``heading_id``."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def ids(html):
    return [int(pk) for pk, _ in ITEM.findall(html)]


def test_shows_ancestors_comment_and_replies(client, tree):
    b = tree["b"]
    response = client.get(f"/essays/essay/comments/{b.pk}/")
    assert response.status_code == 200
    assert response.context["comment"] == b
    assert response.context["ancestors"] == [tree["root"], tree["a"]]
    assert response.context["replies"] == [tree["c"], tree["e"], tree["d"]]

    html = response.content.decode()
    assert ids(section(html, "context-title")) == [tree["root"].pk, tree["a"].pk]
    assert ids(section(html, "comment-title")) == [b.pk]
    replies = section(html, "replies-title")
    assert ids(replies) == [tree["c"].pk, tree["e"].pk, tree["d"].pk]
    assert "Replies (3)" in replies
    assert "E words." in replies
    # Neither the other tree nor b's sibling is part of b's context.
    assert "Other tree." not in html
    assert "Sibling of b." not in html
    # The way back leads to the comment in the thread (a redirect to its page).
    assert f'href="/essays/essay/c/{b.pk}/"' in html


def test_focus_comment_is_not_indented_replies_keep_their_levels(client, tree):
    html = client.get(f"/essays/essay/comments/{tree['b'].pk}/").content.decode()
    assert f'<li id="c{tree["b"].pk}" class="comment indent-0' in html
    assert f'<li id="c{tree["e"].pk}" class="comment indent-4' in html


def test_root_comment_has_no_ancestors_section(client, tree):
    response = client.get(f"/essays/essay/comments/{tree['root'].pk}/")
    assert response.status_code == 200
    assert response.context["ancestors"] == []
    assert 'id="context-title"' not in response.content.decode()
    assert len(response.context["replies"]) == 6


def test_seed_reply_permalink(client, seed_comment):
    reply = seed_comment.get_children()[0]
    response = client.get(f"/essays/calling-in/comments/{reply.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ids(section(html, "context-title")) == [seed_comment.pk]
    assert "Replies (0)" in html
    assert "We didn’t diagnosed hatred for capitalism" in html


def test_withdrawn_comment_page_hides_text(client, tree):
    Comment.objects.filter(pk=tree["b"].pk).update(status=Comment.Status.WITHDRAWN)
    html = client.get(f"/essays/essay/comments/{tree['b'].pk}/").content.decode()
    assert "Withdrawn by its author." in html
    assert "B words." not in html
    assert "C words." in html


def test_wrong_slug_is_404(client, tree):
    Essay.objects.create(slug="elsewhere", title="Elsewhere")
    assert client.get(f"/essays/elsewhere/comments/{tree['b'].pk}/").status_code == 404
    assert client.get(f"/essays/nowhere/comments/{tree['b'].pk}/").status_code == 404
    assert client.get("/essays/essay/comments/999999/").status_code == 404


def count_queries(client, comment):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/essays/{comment.essay.slug}/comments/{comment.pk}/")
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_fixed(client, tree, django_assert_max_num_queries):
    small = count_queries(client, tree["b"])
    # A comment deeper down, with many more ancestors and replies.
    deep = tree["e"]
    for _ in range(6):
        deep = make_comment(deep.essay, parent=deep)
    for _ in range(40):
        make_comment(deep.essay, parent=deep)
    assert len(deep.get_ancestors()) == 10
    big = count_queries(client, deep)
    assert small == big
    with django_assert_max_num_queries(COMMENT_QUERIES):
        client.get(f"/essays/essay/comments/{deep.pk}/")
