"""The nudge before posting, through HTTP: shown, then Edit or Post anyway; and its rates."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.utils.html import escape

import heat
from moderation import nudges
from moderation.models import Case, Nudge
from tests.helpers import make_comment, make_user
from threads.models import Comment

HEATED = "You're an idiot. People like you are the reason nothing changes."
CALMER = "I see this differently. I think the essay misses why people hold on."
PROMPT = "This may land as a call-out. Want to rephrase?"


@pytest.fixture
def parent(essay):
    return make_comment(essay, body="What do you all make of the second section?")


def reply_url(essay, parent):
    return f"/essays/{essay.slug}/comments/{parent.pk}/reply/"


def token_of(response):
    match = re.search(r'name="nudge" value="([^"]+)"', response.content.decode())
    assert match, "the form carries the nudge"
    return match[1]


def test_a_calm_reply_posts_straight_away(signed_in, essay, parent):
    response = signed_in.post(reply_url(essay, parent), {"body": CALMER})
    assert response.status_code == 302
    comment = Comment.objects.get(body=CALMER)
    assert comment.heat is not None and comment.heat <= essay.heat_threshold
    assert not Nudge.objects.exists()


def test_a_heated_reply_comes_back_with_a_calm_prompt_and_is_not_posted(
    signed_in, essay, parent, reader
):
    response = signed_in.post(reply_url(essay, parent), {"body": HEATED})
    assert response.status_code == 200  # the form again: a pause, never a block
    html = response.content.decode()
    assert PROMPT in html
    assert "insult aimed at a person" in html and "sweeping claim about a group" in html
    assert "“People like you”" in html  # what was noticed, in the reader's own words
    assert ">Edit</a>" in html and "Post anyway" in html
    assert "Post my edited reply" in html
    assert escape(HEATED) in html  # the text stays in the box
    assert not Comment.objects.filter(body=HEATED).exists()
    nudge = Nudge.objects.get()
    assert (nudge.user, nudge.essay, nudge.result) == (reader, essay, Nudge.Result.SHOWN)
    assert nudge.heat == heat.score_text(HEATED)[0] > essay.heat_threshold


def test_post_anyway_posts_it_and_records_posted_anyway(signed_in, essay, parent):
    url = reply_url(essay, parent)
    token = token_of(signed_in.post(url, {"body": HEATED}))
    response = signed_in.post(url, {"body": HEATED, "nudge": token, "post_anyway": "1"})
    assert response.status_code == 302
    comment = Comment.objects.get(body=HEATED)
    assert comment.parent == parent and comment.status == Comment.Status.VISIBLE
    assert Nudge.objects.get().result == Nudge.Result.POSTED_ANYWAY
    # Posted above the threshold: the moderators get a system case, nothing is hidden.
    case = Case.objects.get(comment=comment)
    assert (case.origin, case.opened_by) == (Case.Origin.HEAT, None)
    assert not comment.visibility_paused


def test_edit_with_calmer_text_posts_it_and_records_edited(signed_in, essay, parent):
    url = reply_url(essay, parent)
    token = token_of(signed_in.post(url, {"body": HEATED}))
    response = signed_in.post(url, {"body": CALMER, "nudge": token})
    assert response.status_code == 302
    assert Comment.objects.filter(body=CALMER, parent=parent).exists()
    assert not Comment.objects.filter(body=HEATED).exists()
    assert Nudge.objects.get().result == Nudge.Result.EDITED
    assert not Case.objects.exists()


def test_the_same_text_again_shows_the_same_nudge_again(signed_in, essay, parent):
    url = reply_url(essay, parent)
    token = token_of(signed_in.post(url, {"body": HEATED}))
    response = signed_in.post(url, {"body": HEATED, "nudge": token})
    assert response.status_code == 200
    assert PROMPT in response.content.decode()
    assert "Your reply is unchanged." in response.content.decode()
    assert Nudge.objects.count() == 1 and Nudge.objects.get().result == Nudge.Result.SHOWN
    assert not Comment.objects.filter(body=HEATED).exists()


def test_a_nudge_token_counts_once_and_only_for_its_reader(
    signed_in, client, essay, parent, other_reader
):
    url = reply_url(essay, parent)
    token = token_of(signed_in.post(url, {"body": HEATED}))
    signed_in.post(url, {"body": HEATED, "nudge": token, "post_anyway": "1"})
    # Used up: a second post with it starts a new nudge.
    signed_in.post(url, {"body": HEATED + " Again.", "nudge": token})
    assert Nudge.objects.count() == 2
    # Someone else's token, or a forged one, is ignored.
    client.force_login(other_reader)
    other = token_of(client.post(url, {"body": HEATED}))
    assert Nudge.objects.count() == 3
    forged = signing.dumps({"id": Nudge.objects.order_by("pk").first().pk, "text": "x"}, salt="x")
    for fake in (token, forged, "garbage"):
        response = client.post(url, {"body": HEATED, "nudge": fake})
        assert response.status_code == 200
    assert Nudge.objects.filter(user=other_reader).count() == 1 + 3
    assert other  # the reader's own token still works
    assert client.post(url, {"body": CALMER, "nudge": other}).status_code == 302


def test_a_comment_on_the_essay_is_nudged_too(signed_in, essay):
    response = signed_in.post(f"/essays/{essay.slug}/reply/", {"body": HEATED})
    assert response.status_code == 200 and PROMPT in response.content.decode()


def test_the_spaces_threshold_decides(signed_in, essay, parent):
    essay.heat_threshold = 1.0
    essay.save()
    assert signed_in.post(reply_url(essay, parent), {"body": HEATED}).status_code == 302
    assert not Nudge.objects.exists()


def test_a_refused_post_keeps_the_nudge_for_the_next_try(signed_in, essay, parent):
    url = reply_url(essay, parent)
    token = token_of(signed_in.post(url, {"body": HEATED}))
    essay.discussion = essay.Discussion.CLOSED
    essay.save()
    response = signed_in.post(url, {"body": CALMER, "nudge": token})
    assert response.status_code == 400
    assert token_of(response) == token
    assert Nudge.objects.get().result == Nudge.Result.SHOWN


def test_nudge_rates(signed_in, essay, parent):
    url = reply_url(essay, parent)
    assert nudges.nudge_rates()["shown"] == 0 and nudges.nudge_rates()["edited_rate"] is None
    # One edited, one posted anyway, one left undecided.
    signed_in.post(url, {"body": CALMER, "nudge": token_of(signed_in.post(url, {"body": HEATED}))})
    anyway = token_of(signed_in.post(url, {"body": HEATED + " Yes."}))
    signed_in.post(url, {"body": HEATED + " Yes.", "nudge": anyway, "post_anyway": "1"})
    signed_in.post(url, {"body": HEATED + " Still."})
    rates = nudges.nudge_rates()
    assert rates == {
        "shown": 3,
        "edited": 1,
        "posted_anyway": 1,
        "no_decision": 1,
        "edited_rate": 0.333,
        "posted_anyway_rate": 0.333,
        "no_decision_rate": 0.333,
    }
    later = Nudge.objects.order_by("created").last().created
    assert nudges.nudge_rates(since=later)["shown"] == 1
    assert nudges.nudge_rates(essay=essay)["shown"] == 3


def test_the_dashboard_shows_nudge_rates(signed_in, client, essay, parent):
    url = reply_url(essay, parent)
    token = token_of(signed_in.post(url, {"body": HEATED}))
    signed_in.post(url, {"body": HEATED, "nudge": token, "post_anyway": "1"})
    moderator = make_user("mod")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_case"))
    client.force_login(moderator)
    response = client.get("/moderation/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nudges before posting" in html and "Posted anyway" in html
