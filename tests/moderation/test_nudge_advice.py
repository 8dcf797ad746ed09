"""The nudge names what it saw in plain words and offers a call-in phrasing, through the page."""

import pytest
from django.utils.html import escape

import heat
from heat.model import REASONS
from moderation import nudges
from moderation.models import Nudge
from threads.posting import post_comment

MOCKING = "Congrats on discovering that rent is high. Do you want a medal?"
SILENCING = "With all due respect, you should just log off."


@pytest.fixture
def signed_in(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def parent(essay, other_reader):
    return post_comment(essay, other_reader, "What do you all make of the second section?")


def post_reply(client, essay, parent, body):
    return client.post(f"/essays/{essay.slug}/comments/{parent.pk}/reply/", {"body": body})


@pytest.mark.parametrize(
    ("body", "reading", "call_in"),
    [
        (MOCKING, "This reads as mocking the person.", "I read this differently"),
        (SILENCING, "This tells someone to leave or be quiet.", "What makes you see it this way?"),
    ],
)
def test_the_nudge_says_what_it_saw_and_offers_a_call_in(
    signed_in, essay, parent, body, reading, call_in
):
    response = post_reply(signed_in, essay, parent, body)
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(reading) in html
    assert "A call-in might sound like this:" in html and escape(call_in) in html
    assert Nudge.objects.count() == 1
    assert "_" not in html.split('class="nudge-reading"')[1].split("</p>")[0]  # words, not codes


def test_a_reason_only_the_model_saw_is_named_too(signed_in, essay, parent):
    body = "Do you ever get tired of being wrong?"
    _, signals = heat.score_text(body)
    reading, call_in = nudges.nudge_advice(signals)
    assert reading != nudges.GENERAL_ADVICE[0]
    html = post_reply(signed_in, essay, parent, body).content.decode()
    assert escape(reading) in html and escape(call_in) in html


def test_every_kind_of_heat_the_model_names_has_advice():
    assert set(REASONS) <= set(nudges.ADVICE)
    assert nudges.nudge_advice([]) == nudges.GENERAL_ADVICE
    caps = [{"code": "caps", "label": "all caps", "weight": 0.5, "evidence": []}]
    assert nudges.nudge_advice(caps) == nudges.GENERAL_ADVICE
