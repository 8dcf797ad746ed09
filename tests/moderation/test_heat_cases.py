"""moderation.heat_cases: a reader's heated comment or edit opens a system case (never a
removal); the queue and the case page show the heat."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import override_settings

from moderation import workflow
from moderation.models import Case, ModerationEvent
from moderation.submissions import comment_submit
from tests.helpers import make_user
from threads import posting
from threads.models import Comment

HEATED = "You're an idiot and your argument is garbage."
CALM = "I see it differently, but thank you for writing this."


def post(essay, author, body):
    return comment_submit(user=author, essay=essay, body=body)


def test_a_heated_comment_opens_a_system_case_and_is_never_hidden(essay, author):
    comment = post(essay, author, HEATED)
    comment.refresh_from_db()
    assert comment.heat > essay.heat_threshold
    assert {s["code"] for s in comment.heat_signals} >= {"insult"}
    case = Case.objects.get(comment=comment)
    assert (case.origin, case.opened_by, case.state) == (Case.Origin.HEAT, None, Case.State.OPEN)
    event = ModerationEvent.objects.get(case=case, action="case_opened")
    assert event.actor is None
    assert event.reason.startswith("heated")
    assert "insult aimed at a person" in event.reason
    # Visible as such, never an automatic removal.
    assert comment.status == Comment.Status.VISIBLE
    assert not comment.visibility_paused
    assert not ModerationEvent.objects.filter(comment=comment, action="comment_hidden").exists()


def test_posting_alone_scores_but_opens_no_case(essay, author):
    """The content layer scores; only moderation's callers open cases."""
    comment = posting.post_comment(essay, author, HEATED)
    comment.refresh_from_db()
    assert comment.heat > essay.heat_threshold
    assert not Case.objects.exists()


def test_a_calm_comment_opens_nothing_but_is_scored(essay, author):
    comment = post(essay, author, CALM)
    comment.refresh_from_db()
    assert comment.heat is not None and comment.heat <= essay.heat_threshold
    assert not Case.objects.exists()


def test_the_threshold_is_the_spaces_own(essay, author):
    essay.heat_threshold = 1.0  # the highest a space may set: nothing is above it
    essay.save()
    post(essay, author, HEATED)
    assert not Case.objects.exists()
    essay.heat_threshold = 0.3
    essay.save()
    post(essay, author, "Socialists never think about costs.")  # heat 0.72
    assert Case.objects.get().origin == Case.Origin.HEAT


def test_new_spaces_take_the_configured_default_threshold(essay):
    assert essay.heat_threshold == settings.HEAT_THRESHOLD == 0.7


def test_editing_into_heat_opens_a_case_and_an_open_case_only_notes_it(essay, author):
    comment = post(essay, author, CALM)
    comment_submit(user=author, essay=comment.essay, body=HEATED, comment=comment)
    comment.refresh_from_db()
    assert comment.heat > 0.7 and comment.revisions.count() == 1
    case = Case.objects.get(comment=comment, origin=Case.Origin.HEAT)
    # unchanged: no edit, nothing noted
    comment_submit(user=author, essay=comment.essay, body=HEATED, comment=comment)
    assert not ModerationEvent.objects.filter(case=case, action="heat_noted").exists()
    comment_submit(
        user=author, essay=comment.essay, body=HEATED + " Seriously, you people.", comment=comment
    )
    assert Case.objects.filter(comment=comment).count() == 1
    noted = ModerationEvent.objects.get(case=case, action="heat_noted")
    assert noted.actor is None and noted.reason.startswith("heated")
    comment_submit(user=author, essay=comment.essay, body=CALM + " Sorry.", comment=comment)
    comment.refresh_from_db()
    assert comment.heat <= 0.7  # the case stays for the moderators to close


def test_a_heated_revision_after_a_call_in_is_noted_on_its_case(essay, author):
    comment = post(essay, author, CALM)
    case, _ = workflow.open_case(make_user("mod"), comment)
    workflow.call_in(make_user("mod2"), case, "Would you look at this again?")
    workflow.author_revise(author, case, HEATED)
    noted = ModerationEvent.objects.get(case=case, action="heat_noted")
    assert noted.reason.startswith("heated") and "insult aimed at a person" in noted.reason
    assert Case.objects.filter(comment=comment).count() == 1


def test_prompts_and_bridging_notes_open_no_case(essay, author):
    for kind in (Comment.Kind.PROMPT, Comment.Kind.BRIDGE):
        comment = posting.post_comment(essay, author, HEATED, kind=kind, author_name="Mods")
        assert comment.heat > 0.7
    assert not Case.objects.exists()


@override_settings(HEAT_SCORING=False)
def test_scoring_can_be_switched_off(essay, author):
    comment = post(essay, author, HEATED)
    comment.refresh_from_db()
    assert (comment.heat, comment.heat_signals) == (None, [])
    assert not Case.objects.exists()


# --- moderators' pages ---------------------------------------------------------------------------


@pytest.fixture
def permitted_client(client):
    """The test client, signed in as a user given the two case permissions directly
    (no moderators group): the heat pages ask for permissions, not the group."""
    moderator = make_user("mod")
    moderator.user_permissions.add(
        *Permission.objects.filter(codename__in=["moderate_case", "open_case"])
    )
    client.force_login(moderator)
    return client


def test_queue_sorts_by_heat_and_shows_badges(essay, author, permitted_client):
    mild = post(essay, author, "A plain comment.")
    post(essay, author, "Socialists never think about costs.")  # 0.72
    post(essay, author, HEATED)  # hotter
    workflow.open_case(author, mild)  # an older-style case with no heat
    by_urgency = permitted_client.get("/moderation/")
    by_heat = permitted_client.get("/moderation/?sort=heat")
    assert by_urgency.status_code == by_heat.status_code == 200
    cases = list(by_heat.context["page"])
    heats = [c.comment.heat for c in cases]
    assert heats == sorted(heats, reverse=True)
    html = by_heat.content.decode()
    assert "Hottest first" in html and "hottest comment first" in html
    assert "heat 0." in html and "insult aimed at a person" in html


def test_case_page_shows_heat_signals_and_the_system_as_opener(essay, author, permitted_client):
    comment = post(essay, author, HEATED)
    case = Case.objects.get(comment=comment)
    html = permitted_client.get(f"/moderation/cases/{case.pk}/").content.decode()
    assert f"heat {comment.heat:.2f}" in html
    assert "insult aimed at a person" in html
    assert "Opened by callin itself (heat signal)" in html
    assert "Heat is a hint from offline signals, not a verdict." in html
    assert "Readers see this comment." in html
