"""Seed 000's thread in a real browser: replies sit visibly indented under their parent.

The thread is nested lists (issue 14, point 6): each reply is an item of the list inside
its parent's item, so a screen reader announces its level, and its header says, to a
screen reader, whom it answers.  Nesting is also checked where a reader sees it: each
reply comes after its parent and starts further right.
"""

from django.core.management import call_command

from tests.e2e.playwright_api import expect
from threads.models import Comment


def test_thread_page_of_seed_000_shows_nesting(live_server, browsing, screenshot):
    call_command("loaddata", "seeds", verbosity=0)
    replies = list(
        Comment.objects.filter(essay__slug="calling-in", parent__isnull=False).order_by("lft")
    )
    assert replies, "seed 000 has replies"

    page = browsing.page_for()  # an anonymous reader
    response = page.goto("/essays/calling-in/")
    assert response.status == 200
    assert page.locator("h1").first.inner_text().startswith("Calling")
    comments = page.locator("ol.thread li.comment")
    assert comments.count() == Comment.objects.filter(essay__slug="calling-in").count()

    for reply in replies:
        parent = page.locator(f"#c{reply.parent_id}")
        child = page.locator(f"#c{reply.pk}")
        assert parent.is_visible() and child.is_visible()
        parent_box, child_box = parent.bounding_box(), child.bounding_box()
        # Indented to the right of its parent, and shown after it (below), as a reply.
        assert child_box["x"] >= parent_box["x"] + 16, (reply.pk, parent_box, child_box)
        assert child_box["y"] > parent_box["y"]
        assert f"indent-{reply.level}" in child.get_attribute("class")
        # An item of the list of its parent's replies, saying whom it answers.
        assert page.locator(f"#c{reply.parent_id} > ol.replies > #c{reply.pk}").count() == 1
        header = child.locator(":scope > article > header")
        parent_author = Comment.objects.get(pk=reply.parent_id).author_name
        expect(header.locator(".visually-hidden")).to_have_text(f", in reply to {parent_author}")
        # The reply's text is the one the seed holds, under the right author.
        assert header.locator(".author").inner_text() == reply.author_name
    # A top-level comment is not indented: it lines up with the first one.
    tops = Comment.objects.filter(essay__slug="calling-in", parent__isnull=True).order_by("lft")
    first, last = (page.locator(f"#c{c.pk}").bounding_box() for c in (tops[0], tops.last()))
    assert first["x"] == last["x"]
    assert page.locator("ol.thread.nested > li.comment").count() == tops.count()

    screenshot(page, "thread-seed-000")
    assert browsing.csp_violations() == []
