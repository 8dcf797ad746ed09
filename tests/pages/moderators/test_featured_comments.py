"""Featured comments: /moderation/comments/ID/feature/ (moderators and organizers), and the
thread's "Featured comments" section above the discussion."""

import re

import pytest

from moderation import workflow
from moderation.models import ModerationEvent
from tests.helpers import client_for, flashes, make_comment, make_user
from threads.models import Comment


def feature_url(comment):
    return f"/moderation/comments/{comment.pk}/feature/"


def featured_section(html):
    """Author names in the thread's featured section, in order ([] when there is none)."""
    found = re.search(r'<section class="featured"[^>]*>(.*?)</section>', html, re.S)
    if not found:
        return []
    return re.findall(r'<span class="author">([^<]+)</span>', found.group(1))


@pytest.fixture
def good_comment(essay, reader):
    return make_comment(essay, body="A careful, generous reading of the essay.", author=reader)


@pytest.mark.parametrize("who", ["moderator", "organizer"])
def test_moderators_and_organizers_feature_a_comment(request, essay, good_comment, who):
    user = request.getfixturevalue(who)
    response = client_for(user).post(feature_url(good_comment), {"featured": "1"}, follow=True)

    assert response.redirect_chain == [(f"/essays/essay/comments/{good_comment.pk}/", 302)]
    assert flashes(response) == ["Featured."]
    assert Comment.objects.get(pk=good_comment.pk).featured_at is not None
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.comment_id) == (
        "comment_featured",
        user,
        good_comment.pk,
    )
    assert (event.before, event.after) == ({"featured": False}, {"featured": True})
    assert "Stop featuring" in response.content.decode()


def test_featured_comments_are_shown_at_the_top_newest_first(
    client,
    moderator,
    essay,
):
    first = make_comment(essay, body="First good one.", author=make_user("ann"))
    make_comment(essay, body="Not featured.", author=make_user("bob"))
    second = make_comment(essay, body="Second good one.", author=make_user("cy"))
    mod = client_for(moderator)
    mod.post(feature_url(first), {"featured": "1"})
    mod.post(feature_url(second), {"featured": "1"})

    html = client.get("/essays/essay/").content.decode()

    assert featured_section(html) == ["cy", "ann"]
    section_end = html.index("</section>", html.index('<section class="featured"'))
    assert html.index("Featured comments") < section_end < html.index("Not featured.")
    # Each is still in the thread too, where the section links to it.
    assert f'href="#c{first.pk}"' in html and f'id="c{first.pk}"' in html


def test_no_section_without_featured_comments(client, essay, good_comment):
    html = client.get("/essays/essay/").content.decode()
    assert featured_section(html) == [] and "Featured comments" not in html


def test_unfeaturing_takes_it_out_of_the_section(client, moderator, essay, good_comment):
    mod = client_for(moderator)
    mod.post(feature_url(good_comment), {"featured": "1"}, follow=True)
    response = mod.post(feature_url(good_comment), {"featured": "0"}, follow=True)
    assert flashes(response) == ["No longer featured."]
    assert Comment.objects.get(pk=good_comment.pk).featured_at is None
    assert featured_section(client.get("/essays/essay/").content.decode()) == []
    assert list(ModerationEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "comment_featured",
        "comment_unfeatured",
    ]


def test_featuring_twice_logs_once(moderator, good_comment):
    mod = client_for(moderator)
    mod.post(feature_url(good_comment), {"featured": "1"})
    mod.post(feature_url(good_comment), {"featured": "1"})
    assert ModerationEvent.objects.filter(action="comment_featured").count() == 1


@pytest.mark.parametrize("change", [{"status": Comment.Status.HIDDEN}, {"visibility_paused": True}])
def test_a_comment_readers_cannot_see_is_not_featured(moderator, good_comment, change):
    Comment.objects.filter(pk=good_comment.pk).update(**change)
    response = client_for(moderator).post(feature_url(good_comment), follow=True)
    assert flashes(response) == ["Only a comment that readers can see can be featured."]
    assert Comment.objects.get(pk=good_comment.pk).featured_at is None
    assert not ModerationEvent.objects.exists()


def test_a_featured_comment_that_is_hidden_later_leaves_the_section(
    client, moderator, essay, good_comment, flagged_case
):
    workflow.feature(moderator, good_comment)
    workflow.feature(moderator, flagged_case.comment)
    workflow.resolve(moderator, flagged_case, "hidden", hide_reason="harmful")
    assert featured_section(client.get("/essays/essay/").content.decode()) == ["reader"]


@pytest.mark.parametrize("who", ["reader", "writer"])
def test_readers_cannot_feature(request, good_comment, who):
    response = client_for(request.getfixturevalue(who)).post(feature_url(good_comment))
    assert response.status_code == 403
    assert Comment.objects.get(pk=good_comment.pk).featured_at is None
    assert not ModerationEvent.objects.exists()


def test_the_comment_page_offers_the_button_to_moderators_only(moderator, reader, good_comment):
    url = f"/essays/essay/comments/{good_comment.pk}/"
    assert "Feature at the top of the thread" in client_for(moderator).get(url).content.decode()
    assert "Feature at the top of the thread" not in client_for(reader).get(url).content.decode()


def test_get_is_not_allowed(moderator, good_comment):
    assert client_for(moderator).get(feature_url(good_comment)).status_code == 405
    assert Comment.objects.get(pk=good_comment.pk).featured_at is None
