"""A reply pause covers its whole subthread, and every page says so where a reply form or
a Reply link would be (issue 13: notices that are true)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation import workflow
from tests.helpers import client_for, html_of, make_comment, reply
from threads.models import Comment

pytestmark = pytest.mark.usefixtures("no_heat")

SUBTHREAD_NOTICE = "Replies in this part of the conversation are resting until"


@pytest.fixture
def chain(essay, writer, moderator):
    """A top comment paused by a moderator, a reply under it and a reply to that reply,
    plus a comment elsewhere that is not paused."""
    top = make_comment(essay, body="Top comment.", author=writer)
    child = make_comment(essay, body="A first reply.", author=writer, parent=top)
    grandchild = make_comment(essay, body="A deeper reply.", author=writer, parent=child)
    elsewhere = make_comment(essay, body="Another thread.", author=writer)
    workflow.pause_replies(moderator, top, timedelta(hours=2))
    return top, child, grandchild, elsewhere


def item(html, comment):
    match = re.search(rf'<li id="c{comment.pk}".*?</li>', html, re.S)
    assert match, f"comment {comment.pk} not on the page"
    return match.group(0)


@pytest.mark.parametrize("depth", [1, 2], ids=["reply", "reply-to-a-reply"])
def test_a_deeper_reply_under_a_pause_is_refused(reader, chain, essay, depth):
    parent = chain[depth]
    count = Comment.objects.count()
    response = reply(client_for(reader), essay, "But wait!", parent)
    assert response.status_code == 400
    assert "Replies here are resting until" in html_of(response)
    assert Comment.objects.count() == count


def test_elsewhere_replies_still_post(reader, chain, essay):
    response = reply(client_for(reader), essay, "A calm answer.", chain[3])
    assert response.status_code == 302
    assert Comment.objects.filter(body="A calm answer.", parent=chain[3]).exists()


def test_the_thread_page_shows_no_reply_link_in_the_paused_subthread(reader, chain, essay):
    top, child, grandchild, elsewhere = chain
    html = html_of(client_for(reader).get(f"/essays/{essay.slug}/"))
    assert "Replies here are resting until" in item(html, top)
    for comment in (child, grandchild):
        li = item(html, comment)
        assert SUBTHREAD_NOTICE in li
        assert f"/comments/{comment.pk}/reply/" not in li
    assert f"/comments/{elsewhere.pk}/reply/" in item(html, elsewhere)
    assert SUBTHREAD_NOTICE not in item(html, elsewhere)


def test_the_permalink_page_says_so_for_the_comment_and_its_replies(reader, chain, essay):
    top, child, grandchild, _ = chain
    html = html_of(client_for(reader).get(f"/essays/{essay.slug}/comments/{child.pk}/"))
    for comment in (child, grandchild):
        li = item(html, comment)
        assert SUBTHREAD_NOTICE in li and f"/comments/{comment.pk}/reply/" not in li
    assert "Replies here are resting until" in item(html, top)  # shown as its ancestor


def test_the_replies_page_finds_the_pause_above_it(reader, chain, essay):
    _, child, grandchild, _ = chain
    client = client_for(reader)
    url = f"/essays/{essay.slug}/comments/{child.pk}/replies/"
    client.get(url)  # warm the session and caches so the count is the page's own
    with CaptureQueriesContext(connection) as queries:
        html = html_of(client.get(url))
    li = item(html, grandchild)
    assert SUBTHREAD_NOTICE in li and f"/comments/{grandchild.pk}/reply/" not in li
    # The pause above is read in one query, whatever the depth.
    assert sum('"replies_paused_until" >' in q["sql"] for q in queries) == 1


def test_the_reply_page_itself_says_so_and_offers_no_form(reader, chain, essay):
    _, _, grandchild, elsewhere = chain
    client = client_for(reader)
    paused = "the moderators paused replies in this part of the conversation"
    html = html_of(client.get(f"/essays/{essay.slug}/comments/{grandchild.pk}/reply/"))
    assert "Replies here are resting until" in html and paused in html
    assert 'class="comment-form"' not in html
    html = html_of(client.get(f"/essays/{essay.slug}/comments/{elsewhere.pk}/reply/"))
    assert 'class="comment-form"' in html and paused not in html


def test_a_pause_that_ended_leaves_the_subthread_open(reader, chain, essay):
    top, child, grandchild, _ = chain
    Comment.objects.filter(pk=top.pk).update(
        replies_paused_until=timezone.now() - timedelta(minutes=1)
    )
    html = html_of(client_for(reader).get(f"/essays/{essay.slug}/"))
    assert f"/comments/{grandchild.pk}/reply/" in item(html, grandchild)
    response = reply(client_for(reader), essay, "Now it is fine.", grandchild)
    assert response.status_code == 302


def page_queries(client, url):
    client.get(url)  # the session and caches first, so the count is the page's own
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


@pytest.mark.parametrize("page", ["essay", "permalink", "replies"])
def test_a_pause_adds_no_query_to_a_page(reader, moderator, chain, essay, page):
    top, child, _, _ = chain
    url = {
        "essay": f"/essays/{essay.slug}/",
        "permalink": f"/essays/{essay.slug}/comments/{child.pk}/",
        "replies": f"/essays/{essay.slug}/comments/{child.pk}/replies/",
    }[page]
    client = client_for(reader)
    paused = page_queries(client, url)
    workflow.resume_replies(moderator, top)
    assert page_queries(client, url) == paused
