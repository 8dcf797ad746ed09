"""Folding a subthread never folds away the moderators' own bridging note (issue 13)."""

import re

import pytest

from moderation import workflow
from tests.helpers import client_for, html_of, make_comment
from threads.models import Comment

pytestmark = pytest.mark.usefixtures("no_heat")

NOTE = "We hear both of you; let us slow down and restate each point."


@pytest.fixture
def folded(essay, writer, moderator):
    """A comment with two replies, a bridging note under it between them, folded."""
    top = make_comment(essay, body="Top comment.", author=writer)
    first = make_comment(essay, body="A sharp reply.", author=writer, parent=top)
    bridge = workflow.add_bridging_note(moderator, top, NOTE)
    last = make_comment(essay, body="A sharper reply.", author=writer, parent=top)
    Comment.objects.filter(pk=last.pk).update(created=bridge.created)
    workflow.collapse(moderator, top)
    return top, first, bridge, last


def folds(html):
    """The HTML inside each fold (<details>), outermost ones."""
    return re.findall(r'<li class="fold"><details>(.*?)</details></li>', html, re.S)


def test_the_bridging_note_stays_in_view_when_its_subthread_is_folded(reader, folded, essay):
    top, first, bridge, last = folded
    html = html_of(client_for(reader).get(f"/essays/{essay.slug}/"))
    assert NOTE in html
    inside = "".join(folds(html))
    assert NOTE not in inside  # not behind a fold
    assert f'id="c{first.pk}"' in inside and f'id="c{last.pk}"' in inside
    # The note keeps its place in the thread: after the first reply, before the last one.
    assert html.index(f'id="c{first.pk}"') < html.index(NOTE) < html.index(f'id="c{last.pk}"')
    assert html.count('<li class="fold"><details>') == html.count("</ol></details></li>") == 2


def test_a_note_first_under_the_fold_leaves_no_empty_fold(reader, essay, writer, moderator):
    top = make_comment(essay, body="Top comment.", author=writer)
    workflow.add_bridging_note(moderator, top, NOTE)
    workflow.collapse(moderator, top)
    html = html_of(client_for(reader).get(f"/essays/{essay.slug}/"))
    assert NOTE in html and '<li class="fold">' not in html


def test_replies_to_the_note_stay_folded(reader, folded, essay, writer):
    top, _, bridge, _ = folded
    answer = make_comment(essay, body="Thanks, moderators.", author=writer, parent=bridge)
    html = html_of(client_for(reader).get(f"/essays/{essay.slug}/"))
    assert any(f'id="c{answer.pk}"' in fold for fold in folds(html))
    assert NOTE not in "".join(folds(html))


def test_the_permalink_of_the_folded_comment_shows_the_note(reader, folded, essay):
    top, *_ = folded
    html = html_of(client_for(reader).get(f"/essays/{essay.slug}/comments/{top.pk}/"))
    assert NOTE in html
