"""The thread a page at a time: top-level pages, a comment budget, "more replies", landing."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.helpers import make_comment
from threads.importing.loading import BulkLoader
from threads.importing.parsing import ParsedComment
from threads.models import Comment, Essay
from threads.queries import PAGE_BUDGET, TOP_LEVEL_PER_PAGE, share_budget

ITEM = re.compile(r'<li id="c(\d+)" class="comment indent-(\d+)')
MORE = re.compile(r'<li class="more-replies indent-(\d+)"><a href="([^"]+)">(\d+) more repl')


@pytest.fixture(autouse=True)
def no_heat_scoring(settings):
    """These threads are about structure: scoring thousands of bodies would only cost time."""
    settings.HEAT_SCORING = False


def load_thread(essay, parents):
    """Comments in file order; ``parents[i]`` is the 1-based position of comment i+1's parent."""
    before = Comment.objects.filter(essay=essay).count()
    replies = {i: p for i, p in enumerate(parents, start=1) if p}
    comments = [
        ParsedComment(position=i, line=i, body=f"Comment {before + i}.", author_name=f"Reader {i}")
        for i in range(1, len(parents) + 1)
    ]
    with transaction.atomic():
        BulkLoader(essay, replies).load(comments)
    return list(Comment.objects.filter(essay=essay).order_by("pk")[before:])


def ids(response):
    return [int(pk) for pk, _ in ITEM.findall(response.content.decode())]


def more_links(response):
    return [
        (int(indent), url, int(n)) for indent, url, n in MORE.findall(response.content.decode())
    ]


def display_order(essay):
    return list(Comment.objects.filter(essay=essay).order_by("tree_id", "lft"))


@pytest.fixture
def flat(essay):
    """45 top-level comments without replies: three pages."""
    return load_thread(essay, [None] * 45)


@pytest.fixture
def big_tree(essay):
    """One top-level comment with 3 replies, each with 200 replies of its own (604 comments)."""
    parents = [None, 1, 1, 1]
    for child in (2, 3, 4):
        parents += [child] * 200
    return load_thread(essay, parents)


def test_pages_hold_a_fixed_number_of_top_level_comments(client, flat):
    assert TOP_LEVEL_PER_PAGE == 20
    pks = [c.pk for c in flat]
    assert ids(client.get("/essays/essay/")) == pks[:20]
    assert ids(client.get("/essays/essay/?page=2")) == pks[20:40]
    third = client.get("/essays/essay/?page=3")
    assert ids(third) == pks[40:]
    html = third.content.decode()
    assert "Page 3 of 3" in html
    assert 'href="?page=2#discussion-title"' in html
    assert "Later comments" not in html
    assert b"Discussion (45)" in third.content


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("0", 1), ("x", 1), ("", 1)])
def test_out_of_range_pages_show_the_nearest(client, flat, asked, shown):
    response = client.get(f"/essays/essay/?page={asked}")
    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_a_small_thread_has_no_page_links(client, essay):
    make_comment(essay)
    assert b'class="pagination"' not in client.get("/essays/essay/").content


def test_budget_cuts_a_big_subthread_with_more_replies_links(client, essay, big_tree):
    response = client.get("/essays/essay/")
    shown = ids(response)
    order = [c.pk for c in display_order(essay)]
    assert shown == order[:PAGE_BUDGET]
    # The page stops among the last reply's own replies; the root's replies all came
    # before, so one link, counting exactly what is missing, continues after the last shown.
    last, fourth = Comment.objects.get(pk=shown[-1]), big_tree[3]
    assert last.parent_id == fourth.pk
    missing = len(order) - PAGE_BUDGET
    url = f"/essays/essay/comments/{fourth.pk}/replies/?after={last.rght}"
    assert more_links(response) == [(2, url, missing)]
    assert f"{missing} more replies to Reader 4" in response.content.decode()


def test_following_more_replies_links_reaches_every_comment_once(client, essay, big_tree):
    seen = ids(client.get("/essays/essay/"))
    queue = [url for _, url, _ in more_links(client.get("/essays/essay/"))]
    while queue:
        response = client.get(queue.pop(0))
        assert response.status_code == 200
        seen += ids(response)
        queue += [url for _, url, _ in more_links(response)]
    assert sorted(seen) == sorted(c.pk for c in big_tree)
    assert len(seen) == len(set(seen))


def test_more_replies_for_every_cut_ancestor_deepest_first(client, essay):
    # A chain of replies: past MAX_LEVEL they pile up beside each other under one
    # comment, which the page cuts; the root has one more reply after the chain.
    parents = [None, 1, 2, 2, 2] + list(range(5, 600)) + [1]
    comments = load_thread(essay, parents)
    links = more_links(client.get("/essays/essay/"))
    assert [(indent, n) for indent, _, n in links] == [(8, 100), (1, 1)]
    assert links[1][1] == (
        f"/essays/essay/comments/{comments[0].pk}/replies/?after="
        f"{Comment.objects.get(pk=comments[1].pk).rght}"
    )


def test_small_trees_show_whole_and_big_ones_share_the_rest(client, essay):
    parents = [None] + [1] * 999 + [None] + [1001] * 9
    load_thread(essay, parents)
    comments = display_order(essay)
    shown = ids(client.get("/essays/essay/"))
    assert len(shown) == PAGE_BUDGET
    small = [c.pk for c in comments if c.tree_id == comments[-1].tree_id]
    assert shown[-10:] == small
    assert share_budget([1000, 10]) == [490, 10]
    assert share_budget([1, 1, 1]) == [1, 1, 1]
    assert sum(share_budget([300, 300, 300])) == PAGE_BUDGET


def test_replies_page_lists_one_subthread(client, essay, big_tree):
    second = big_tree[2]
    response = client.get(f"/essays/essay/comments/{second.pk}/replies/")
    assert response.status_code == 200
    replies = [c.pk for c in big_tree if c.parent_id == second.pk]
    assert ids(response) == replies
    assert "Replies to Reader 3" in response.content.decode()
    assert more_links(response) == []


def test_permalink_page_bounds_its_replies(client, essay, big_tree):
    root = big_tree[0]
    response = client.get(f"/essays/essay/comments/{root.pk}/")
    html = response.content.decode()
    assert "Replies (603)" in html
    assert len(ids(response)) == 1 + PAGE_BUDGET  # the comment and its first replies
    assert sum(n for *_, n in more_links(response)) == 603 - PAGE_BUDGET


def landing(client, comment):
    response = client.get(f"/essays/essay/c/{comment.pk}/")
    assert response.status_code == 302
    return response["Location"]


def test_in_thread_redirects_to_the_page_that_shows_the_comment(client, flat, big_tree):
    # big_tree was added after the 45 flat comments: its root is on page 3.
    assert landing(client, flat[0]) == f"/essays/essay/#c{flat[0].pk}"
    assert landing(client, flat[25]) == f"/essays/essay/?page=2#c{flat[25].pk}"
    reply = big_tree[4]
    url = landing(client, reply)
    assert url == f"/essays/essay/?page=3#c{reply.pk}"
    assert reply.pk in ids(client.get(url))


def test_a_comment_the_budget_leaves_out_lands_on_its_own_page(client, essay, big_tree):
    last = display_order(essay)[-1]
    assert last.pk not in ids(client.get("/essays/essay/"))
    url = landing(client, last)
    assert url == f"/essays/essay/comments/{last.pk}/#c{last.pk}"
    assert f'id="c{last.pk}"' in client.get(url).content.decode()


def test_after_a_reply_the_author_lands_on_the_right_page(client, flat, reader):
    client.force_login(reader)
    parent = flat[30]
    response = client.post(f"/essays/essay/comments/{parent.pk}/reply/", {"body": "Indeed."})
    reply = Comment.objects.get(parent=parent)
    assert response["Location"] == f"/essays/essay/?page=2#c{reply.pk}"


def test_unknown_comment_or_wrong_essay_is_404(client, flat):
    Essay.objects.create(slug="other", title="Other")
    assert client.get(f"/essays/other/c/{flat[0].pk}/").status_code == 404
    assert client.get(f"/essays/other/comments/{flat[0].pk}/replies/").status_code == 404
    assert client.get("/essays/essay/c/999999/").status_code == 404


# --- the moderators' whole thread ------------------------------------------------


def test_whole_thread_needs_the_moderator_permission(client, essay, reader):
    response = client.get("/essays/essay/whole/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(reader)
    assert client.get("/essays/essay/whole/").status_code == 403
    assert b"/essays/essay/whole/" not in client.get("/essays/essay/").content


def test_whole_thread_shows_every_comment_in_order(client, essay, big_tree, moderator):
    Comment.objects.filter(pk=big_tree[5].pk).update(
        status=Comment.Status.HIDDEN, body="<b>Hidden</b> words"
    )
    client.force_login(moderator)
    assert b"/essays/essay/whole/" in client.get("/essays/essay/").content
    response = client.get("/essays/essay/whole/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ids(response) == [c.pk for c in display_order(essay)]
    assert "The whole thread (604 comments)" in html
    assert "&lt;b&gt;Hidden&lt;/b&gt; words" in html
    assert '<span class="badge">Hidden by a moderator</span>' in html
    assert "<b>Hidden</b>" not in html


# --- query counts ------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 302)
    return len(queries)


@pytest.fixture
def small_and_big(db):
    small, big = (Essay.objects.create(slug=s, title=s) for s in ("small", "big"))
    load_thread(small, [None, 1, 2, None])
    parents = [None] * 30
    for _ in range(10):
        parents += [None] + [len(parents) + 1] * 150
    load_thread(big, parents)
    return small, big


def test_essay_page_queries_do_not_grow(client, small_and_big, django_assert_max_num_queries):
    small, big = small_and_big
    assert count_queries(client, "/essays/small/") == count_queries(client, "/essays/big/?page=2")
    with django_assert_max_num_queries(6):
        client.get("/essays/big/?page=2")


@pytest.mark.parametrize("view", ["comments/{pk}/", "comments/{pk}/replies/", "c/{pk}/"])
def test_comment_pages_queries_do_not_grow(client, small_and_big, view):
    small, big = small_and_big
    small_root = Comment.objects.get(essay=small, pk=display_order(small)[0].pk)
    big_root = Comment.objects.filter(essay=big, rght__gt=300).first()
    small_count = count_queries(client, f"/essays/small/{view.format(pk=small_root.pk)}")
    big_count = count_queries(client, f"/essays/big/{view.format(pk=big_root.pk)}")
    assert small_count == big_count <= 4


def test_whole_thread_queries_do_not_grow(client, small_and_big, moderator):
    client.force_login(moderator)
    small, big = small_and_big
    assert count_queries(client, "/essays/small/whole/") == count_queries(
        client, "/essays/big/whole/"
    )


def test_thread_counts_add_up_from_the_top_level_rows(small_and_big):
    """queries.thread_counts sums tree sizes from the top-level rows (rght / 2) and takes
    away the comments readers cannot read; it must agree with counting every row."""
    from threads.queries import thread_counts

    small, big = small_and_big
    rows = display_order(big)
    for status, comments in [
        (Comment.Status.HIDDEN, rows[40:45]),
        (Comment.Status.WITHDRAWN, rows[200:203]),
        (Comment.Status.PENDING, rows[31:32] + rows[-1:]),
    ]:
        Comment.objects.filter(pk__in=[c.pk for c in comments]).update(status=status)
    for essay in (small, big):
        visible = Comment.objects.filter(essay=essay, status=Comment.Status.VISIBLE).count()
        top_level = Comment.objects.filter(essay=essay, parent=None).count()
        assert thread_counts(essay) == {"total": visible, "top_level": top_level}
    assert thread_counts(big)["total"] == len(rows) - 10
    empty = Essay.objects.create(slug="empty", title="Empty")
    assert thread_counts(empty) == {"total": 0, "top_level": 0}
