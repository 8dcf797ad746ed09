"""The essay page: the essay, then its whole discussion as one indented list."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import make_comment
from tests.threadbuilder import build_thread
from threads.forms import CommentForm
from threads.models import Comment, Essay

# Pinned query counts for the essay page, whatever the size of the thread.
# (first request, not yet cached) the page's version, essay (its counts kept on it), the
# page's top-level comments, their replies, context notes, featured comments
ANONYMOUS_QUERIES = 6
# + session, user, unread notifications with the user's permissions (one query)
SIGNED_IN_QUERIES = 9

ITEM = re.compile(r'<li id="c(\d+)" class="comment indent-(\d+)')


def items(response):
    """(comment id, indent) of every comment on the page, in page order."""
    return [(int(pk), int(indent)) for pk, indent in ITEM.findall(response.content.decode())]


def test_seed_thread_in_tree_order(client, seeded):
    response = client.get("/essays/calling-in/")
    assert response.status_code == 200
    thread = list(Comment.objects.filter(essay__slug="calling-in").order_by("tree_id", "lft"))
    assert len(thread) == 12
    assert items(response) == [(c.pk, c.level) for c in thread]
    assert b"Discussion (12)" in response.content


def test_seed_thread_replies_follow_their_parent_indented(client, seed_comment):
    response = client.get("/essays/calling-in/")
    order = items(response)
    replies = list(seed_comment.get_children())
    at = order.index((seed_comment.pk, 0))
    assert order[at + 1 : at + 3] == [(replies[0].pk, 1), (replies[1].pk, 1)]
    assert [indent for _, indent in order].count(1) == 2
    html = response.content.decode()
    assert f'<li id="c{replies[0].pk}" class="comment indent-1' in html


def test_seed_thread_permalinks_and_text(client, seed_comment):
    response = client.get("/essays/calling-in/")
    html = response.content.decode()
    for comment in Comment.objects.all():
        assert f'href="/essays/calling-in/comments/{comment.pk}/"' in html
    # The source date, with its year, is the permalink text; paragraphs are kept.
    permalink = f'<a class="permalink" href="/essays/calling-in/comments/{seed_comment.pk}/">'
    assert permalink + '<time datetime="2026-01-23">Jan 23, 2026</time></a>' in html
    assert '<span class="edited">edited</span>' in html
    assert html.count('<span class="edited">') == 1
    assert "<p>I agree that many self proclaimed leftists" in html
    assert "With deep respect,</p>\n\n<p>Ella</p>" in html


def test_essay_blocks_render_headings_and_paragraphs(client, seeded):
    essay = Essay.objects.get(slug="leftist-empathy-gap")
    response = client.get(essay.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    article = html[html.index('<article class="essay">') : html.index("</article>")]
    headings = re.findall(r"<h2>(.*?)</h2>", article)
    assert len(headings) == 5
    assert headings[2] == "Of course, empathy alone cannot transform systems"
    expected = [b["text"] for b in essay.blocks if b["kind"] == "heading"]
    assert [h.replace("&#x27;", "'") for h in headings] == expected
    assert article.count("<p>") == len(essay.blocks) - 5
    assert "<h1>The Leftist Empathy Gap and Decolonizing Leftist Spaces for Palestine</h1>" in html
    assert '<p class="badge">Featured</p>' in html
    assert b"Discussion (0)" in response.content


def test_user_text_is_escaped(client, db):
    essay = Essay.objects.create(
        slug="xss", title="<b>Bold</b> title", blocks=[{"kind": "heading", "text": "<i>h</i>"}]
    )
    make_comment(essay, body="<script>alert(1)</script>", author_name="<img src=x>")
    html = client.get("/essays/xss/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "&lt;img src=x&gt;" in html
    assert "<img" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html
    assert "<h2>&lt;i&gt;h&lt;/i&gt;</h2>" in html


def page_queries(client, essay):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(essay.get_absolute_url())
    assert response.status_code == 200
    return len(queries), response


def test_query_count_does_not_grow_with_the_thread(client, reader):
    small = Essay.objects.create(slug="small", title="Small")
    big = Essay.objects.create(slug="big", title="Big")
    small_thread = build_thread(small, 10)
    big_thread = build_thread(big, 1000)
    assert (len(small_thread), len(big_thread)) == (10, 1000)
    assert {c.level for c in big_thread} == {0, 1, 2}

    for signed_in, pinned in [(False, ANONYMOUS_QUERIES), (True, SIGNED_IN_QUERIES)]:
        if signed_in:
            client.force_login(reader)
        small_count, small_page = page_queries(client, small)
        big_count, big_page = page_queries(client, big)
        assert small_count == big_count, f"signed_in={signed_in}"
        assert big_count <= pinned, f"signed_in={signed_in}"
        # The pages really show the threads, in order (the big one its first page).
        assert items(small_page) == [(c.pk, c.level) for c in small_thread]
        first_page = [c for c in big_thread if c.tree_id <= big_thread[0].tree_id + 19]
        assert items(big_page) == [(c.pk, c.level) for c in first_page]


def test_query_count_pin(client, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(ANONYMOUS_QUERIES):
        assert client.get("/essays/calling-in/").status_code == 200


def test_deep_threads_stop_indenting(client, essay):
    parent = None
    for _ in range(12):
        parent = make_comment(essay, parent=parent)
    indents = [indent for _, indent in items(client.get("/essays/essay/"))]
    assert indents == [0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8]


def test_withdrawn_comment_hides_its_text_but_keeps_replies(client, essay):
    parent = make_comment(essay, body="Original words.")
    reply = make_comment(essay, body="A reply that stays.", parent=parent)
    Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.WITHDRAWN)

    response = client.get("/essays/essay/")
    html = response.content.decode()
    assert "Withdrawn by its author." in html
    assert "Original words." not in html
    assert "A reply that stays." in html
    assert items(response) == [(parent.pk, 0), (reply.pk, 1)]
    # No reply link under the withdrawn comment.
    assert f"comments/{parent.pk}/reply/" not in html
    assert f"comments/{reply.pk}/reply/" in html


def test_hidden_comment_hides_its_text(client, essay):
    make_comment(essay, body="Hidden words.", status=Comment.Status.HIDDEN)
    html = client.get("/essays/essay/").content.decode()
    assert "Hidden words." not in html
    assert "Withdrawn by its author." not in html


def test_discussion_count_is_of_comments_readers_can_read(client, essay):
    make_comment(essay, body="Shown.")
    make_comment(essay, body="Hidden.", status=Comment.Status.HIDDEN)
    make_comment(essay, body="Waiting.", status=Comment.Status.PENDING)
    assert b"Discussion (1)" in client.get("/essays/essay/").content


def test_opening_prompts_are_shown_above_the_thread(client, essay):
    make_comment(essay, body="An early reader comment.")
    prompt = make_comment(
        essay, body="What did this essay change for you?", kind=Comment.Kind.PROMPT
    )
    html = client.get("/essays/essay/").content.decode()
    assert '<h3 id="prompts-title">Opening prompts</h3>' in html
    # Above the thread, although it was posted after the first comment.
    assert html.index("What did this essay change") < html.index("An early reader comment.")
    assert f'href="/essays/essay/c/{prompt.pk}/">Answers in the thread</a>' in html


def test_unknown_slug_is_404(client, seeded):
    response = client.get("/essays/no-such-essay/")
    assert response.status_code == 404
    assert b"Not found" in response.content


def test_comment_form_only_for_signed_in_readers(client, essay, reader):
    response = client.get("/essays/essay/")
    assert b'action="/essays/essay/reply/"' not in response.content
    assert b'href="/accounts/login/?next=/essays/essay/"' in response.content
    client.force_login(reader)
    response = client.get("/essays/essay/")
    assert b'action="/essays/essay/reply/"' in response.content


def test_the_comment_form_is_the_forms_own_markup(client, essay, reader):
    """Written once per process (threads.forms.blank_comment_fields), as the form writes it."""
    client.force_login(reader)
    html = client.get("/essays/essay/").content.decode()
    fields = str(CommentForm().as_p())
    assert '<textarea name="body"' in fields and 'id="id_body"' in fields
    assert html.count(fields) == 1


def test_closed_discussion_shows_no_form(client, reader):
    essay = Essay.objects.create(slug="closed", title="Closed", discussion="closed")
    comment = make_comment(essay)
    client.force_login(reader)
    html = client.get("/essays/closed/").content.decode()
    assert "This discussion is closed to new comments." in html
    assert 'action="/essays/closed/reply/"' not in html
    assert f"comments/{comment.pk}/reply/" not in html


def test_thread_builder_positions_are_what_mptt_computes(essay):
    # The query-count test relies on tests/threadbuilder.py making valid trees.
    thread = build_thread(essay, 57)
    assert len(thread) == 57
    fields = ("pk", "parent_id", "tree_id", "lft", "rght", "level")
    before = list(Comment.objects.order_by("pk").values_list(*fields))
    Comment.objects.rebuild()
    assert list(Comment.objects.order_by("pk").values_list(*fields)) == before
