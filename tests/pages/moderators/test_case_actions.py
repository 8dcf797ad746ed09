"""The case page's actions, posted through the test client as a moderator."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import workflow
from moderation.models import Annotation, Case, Message, ModerationEvent, Sanction
from moderation.pages.cases import CASE_ACTIONS
from tests.helpers import client_for, flashes, make_comment, make_user
from threads.models import Comment, Essay

STALE = "Another moderator acted on this case while you were looking at it."
INCOMPLETE = "That form is incomplete; please use the buttons on this page."


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def url(case, action):
    return f"/moderation/cases/{case.pk}/{action}/"


def near(when, delta):
    return abs(when - (timezone.now() + delta)) < timedelta(minutes=1)


# --- one test per action: (setup before posting, form data, check afterwards) ---------
#
# setup(moderator, case) runs through the workflow and may return extra form data;
# check(case, comment, essay) gets fresh rows after the request.


def _call_in(mod, case):
    workflow.call_in(mod, case, "Hello, would you reread your comment?")


def _note(mod, case):
    note = workflow.annotate(mod, case.comment, "context", "Some context.", case)
    return {"annotation": str(note.pk)}


def _hide(mod, case):
    workflow.resolve(mod, case, "hidden", "", "harmful")


def _pending(mod, case):
    Comment.objects.filter(pk=case.comment_id).update(status=Comment.Status.PENDING)


def _warned(mod, case):
    item = workflow.sanction(mod, case, Sanction.Kind.WARNING, "Insults.", skip_reason="Bad.")
    return {"sanction": str(item.pk)}


def check_approve(case, comment, essay):
    assert comment.status == Comment.Status.VISIBLE
    assert (case.state, case.outcome) == (Case.State.RESOLVED, Case.Outcome.NO_ACTION)


def check_feature(case, comment, essay):
    assert comment.featured_at is not None


def check_unfeature(case, comment, essay):
    assert comment.featured_at is None


def sanction_check(kind):
    def check(case, comment, essay):
        item = Sanction.objects.get(case=case)
        assert (item.kind, item.user_id, item.reason) == (kind, comment.author_id, "Insults.")
        assert item.lifted_at is None

    return check


def check_lifted(case, comment, essay):
    assert Sanction.objects.get(case=case).lifted_at is not None


def check_claim(case, comment, essay):
    assert case.claimed_by.username == "mod"


def check_unclaim(case, comment, essay):
    assert case.claimed_by is None


def check_call_in(case, comment, essay):
    assert case.state == Case.State.WAITING
    message = case.messages.get()
    assert (message.kind, message.body) == (Message.Kind.CALL_IN, "Please reread this.")
    assert comment.visibility_paused


def check_message(case, comment, essay):
    assert case.messages.filter(kind=Message.Kind.MODERATOR, body="A follow-up.").exists()
    assert case.state == Case.State.WAITING


def check_annotate(case, comment, essay):
    note = Annotation.objects.get(comment=comment)
    assert (note.kind, note.body, note.case_id) == ("context", "For context: see part 2.", case.pk)


def check_retract(case, comment, essay):
    assert Annotation.objects.get(comment=comment).retracted_at is not None


def check_bridge(case, comment, essay):
    note = comment.get_children().get()
    assert (note.kind, note.author_name) == (Comment.Kind.BRIDGE, "The moderators")
    assert note.body == "You both care about this."


def check_pause_replies(case, comment, essay):
    assert near(comment.replies_paused_until, timedelta(minutes=30))


def check_resume_replies(case, comment, essay):
    assert comment.replies_paused_until is None


def check_collapse(case, comment, essay):
    assert comment.collapsed
    assert near(comment.collapsed_until, timedelta(hours=2))


def check_expand(case, comment, essay):
    assert not comment.collapsed
    assert comment.collapsed_until is None


def check_slow_mode(case, comment, essay):
    assert essay.slow_mode_seconds == 300
    assert near(essay.slow_mode_until, timedelta(hours=1))


def check_pause_visibility(case, comment, essay):
    assert comment.visibility_paused


def check_restore_visibility(case, comment, essay):
    assert not comment.visibility_paused


def check_resolve(case, comment, essay):
    assert (case.state, case.outcome) == (Case.State.RESOLVED, Case.Outcome.NO_ACTION)
    assert case.resolved_by.username == "mod"
    assert comment.status == Comment.Status.VISIBLE


def check_reopen(case, comment, essay):
    assert (case.state, case.outcome) == (Case.State.OPEN, "")


def check_unhide(case, comment, essay):
    assert comment.status == Comment.Status.VISIBLE


ACTIONS = {
    "claim": (None, {}, check_claim),
    "unclaim": (lambda m, c: workflow.claim(m, c), {}, check_unclaim),
    "call-in": (
        None,
        {"body": "Please reread this.", "pause_visibility": "on"},
        check_call_in,
    ),
    "message": (_call_in, {"body": "A follow-up."}, check_message),
    "annotate": (None, {"kind": "context", "body": "For context: see part 2."}, check_annotate),
    "retract-note": (_note, {}, check_retract),
    "bridge": (None, {"body": "You both care about this."}, check_bridge),
    "pause-replies": (None, {"minutes": "30"}, check_pause_replies),
    "resume-replies": (
        lambda m, c: workflow.pause_replies(m, c.comment, timedelta(hours=1), c),
        {},
        check_resume_replies,
    ),
    "collapse": (None, {"hours": "2"}, check_collapse),
    "expand": (lambda m, c: workflow.collapse(m, c.comment, None, c), {}, check_expand),
    "slow-mode": (None, {"minutes": "5", "hours": "1"}, check_slow_mode),
    "pause-visibility": (None, {}, check_pause_visibility),
    "restore-visibility": (
        lambda m, c: workflow.pause_visibility(m, c),
        {},
        check_restore_visibility,
    ),
    "resolve": (None, {"outcome": "no_action"}, check_resolve),
    "reopen": (lambda m, c: workflow.resolve(m, c, "no_action"), {}, check_reopen),
    "unhide": (_hide, {"reason": "It was satire."}, check_unhide),
    "approve": (_pending, {}, check_approve),
    "feature": (None, {}, check_feature),
    "unfeature": (lambda m, c: workflow.feature(m, c.comment, True), {}, check_unfeature),
    "warn": (
        None,
        {"reason": "Insults.", "skip_reason": "Repeated."},
        sanction_check(Sanction.Kind.WARNING),
    ),
    "pause-posting": (
        None,
        {"reason": "Insults.", "hours": "24", "skip_reason": "Repeated."},
        sanction_check(Sanction.Kind.POSTING_PAUSE),
    ),
    "suspend": (
        None,
        {"reason": "Insults.", "skip_reason": "Threats."},
        sanction_check(Sanction.Kind.SUSPENSION),
    ),
    "lift-sanction": (_warned, {"reason": "Apologised."}, check_lifted),
    "undo": (
        lambda m, c: workflow.pause_replies(m, c.comment, timedelta(hours=1), c),
        {},
        check_resume_replies,
    ),
}

# Only admins suspend (and lift suspensions); the other actions are the moderators'.
ADMIN_ONLY = {"suspend"}


def prepare(action, moderator, case):
    """Run the action's setup; returns its extra form data."""
    setup = ACTIONS[action][0]
    extra = setup(moderator, case) if setup else None
    return extra if isinstance(extra, dict) else {}


def test_every_action_is_covered():
    assert set(ACTIONS) == set(CASE_ACTIONS)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_action_with_current_version_succeeds(moderator, admin_user, flagged_case, action):
    actor = admin_user if action in ADMIN_ONLY else moderator
    _, data, check = ACTIONS[action]
    extra = prepare(action, moderator, flagged_case)
    case = fresh(flagged_case)
    events_before = ModerationEvent.objects.count()
    response = client_for(actor).post(
        url(case, action), {"version": case.version, **data, **extra}, follow=True
    )
    assert response.redirect_chain == [(f"/moderation/cases/{case.pk}/", 302)]
    assert flashes(response) == [CASE_ACTIONS[action][0]]
    after = fresh(case)
    check(after, fresh(case.comment), fresh(case.essay))
    assert ModerationEvent.objects.count() > events_before
    # The page shows the change: the next form carries the current version.
    assert f'name="version" value="{after.version}"' in response.content.decode()


def test_only_admins_suspend(moderator, flagged_case):
    response = client_for(moderator).post(
        url(flagged_case, "suspend"),
        {"version": flagged_case.version, "reason": "Insults.", "skip_reason": "Threats."},
        follow=True,
    )
    assert flashes(response) == ["Only admins can suspend an account."]
    assert not Sanction.objects.exists()


def test_ladder_step_skipped_without_a_reason_is_refused(moderator, flagged_case):
    """The author was never called in: a warning skips a rung and needs a written why."""
    response = client_for(moderator).post(
        url(flagged_case, "warn"), {"version": flagged_case.version, "reason": "Rude."}, follow=True
    )
    [message] = flashes(response)
    assert message.startswith("This author stands at “nothing yet”")
    assert not Sanction.objects.exists()


# Every form on the case page carries the version of the page it came from.
VERSIONED = sorted(ACTIONS)


def state_of(case):
    case = fresh(case)
    comment, essay = fresh(case.comment), fresh(case.essay)
    return (
        Case.objects.filter(pk=case.pk).values().get(),
        Comment.objects.filter(pk=comment.pk).values().get(),
        Essay.objects.filter(pk=essay.pk).values().get(),
        Comment.objects.count(),
        list(Annotation.objects.values_list("id", "retracted_at")),
        Message.objects.count(),
        ModerationEvent.objects.count(),
        list(Sanction.objects.values_list("id", "lifted_at")),
    )


@pytest.mark.parametrize("action", VERSIONED)
def test_action_from_a_stale_page_is_refused(moderator, admin_user, flagged_case, action):
    data = ACTIONS[action][1]
    actor = admin_user if action in ADMIN_ONLY else moderator
    extra = prepare(action, moderator, flagged_case)
    stale = fresh(flagged_case).version
    # Meanwhile another moderator adds a note to the case: its version moves on.
    other = make_user("othermod", "moderators")
    workflow.annotate(other, flagged_case.comment, "comment_note", "Meanwhile.", flagged_case)
    assert fresh(flagged_case).version > stale
    before = state_of(flagged_case)
    response = client_for(actor).post(
        url(flagged_case, action), {"version": stale, **data, **extra}, follow=True
    )
    assert response.redirect_chain == [(f"/moderation/cases/{flagged_case.pk}/", 302)]
    [message] = flashes(response)
    assert message.startswith(STALE)
    assert state_of(flagged_case) == before


@pytest.mark.parametrize("version", [None, "", "abc"])
def test_action_without_a_version_is_refused(moderator, flagged_case, version):
    before = state_of(flagged_case)
    data = {"body": "Please reread this."}
    if version is not None:
        data["version"] = version
    response = client_for(moderator).post(url(flagged_case, "call-in"), data, follow=True)
    assert response.redirect_chain == [(f"/moderation/cases/{flagged_case.pk}/", 302)]
    assert flashes(response) == [INCOMPLETE]
    assert state_of(flagged_case) == before


def test_refused_action_shows_the_reason(moderator, flagged_case):
    """A message before any call-in is refused by the workflow with its own words."""
    before = state_of(flagged_case)
    response = client_for(moderator).post(
        url(flagged_case, "message"),
        {"version": flagged_case.version, "body": "Hello?"},
        follow=True,
    )
    assert flashes(response) == ["Start the conversation with a call-in first."]
    assert state_of(flagged_case) == before


def test_call_in_without_text_is_refused(moderator, flagged_case):
    before = state_of(flagged_case)
    response = client_for(moderator).post(
        url(flagged_case, "call-in"), {"version": flagged_case.version, "body": "  "}, follow=True
    )
    assert flashes(response) == ["Write the call-in message first."]
    assert state_of(flagged_case) == before


# --- hiding -----------------------------------------------------------------------------


def test_hiding_without_call_in_or_severe_reason_is_refused(moderator, flagged_case):
    before = state_of(flagged_case)
    response = client_for(moderator).post(
        url(flagged_case, "resolve"),
        {"version": flagged_case.version, "outcome": "hidden", "hide_reason": "other"},
        follow=True,
    )
    [message] = flashes(response)
    assert message.startswith("This author has not been called in yet.")
    assert state_of(flagged_case) == before
    assert fresh(flagged_case.comment).status == Comment.Status.VISIBLE


def test_hiding_without_any_reason_is_refused(moderator, flagged_case):
    response = client_for(moderator).post(
        url(flagged_case, "resolve"),
        {"version": flagged_case.version, "outcome": "hidden"},
        follow=True,
    )
    [message] = flashes(response)
    assert message.startswith("This author has not been called in yet.")
    assert fresh(flagged_case).state == Case.State.OPEN


@pytest.mark.parametrize(
    "data",
    [
        {"hide_reason": "harmful"},
        {"hide_reason": "spam"},
        {"hide_reason": "other", "reason": "Doxxing, an exception."},
    ],
)
def test_hiding_is_allowed_for_severe_reasons_or_with_an_explanation(
    client, moderator, flagged_case, data
):
    response = client_for(moderator).post(
        url(flagged_case, "resolve"),
        {"version": flagged_case.version, "outcome": "hidden", **data},
        follow=True,
    )
    assert flashes(response) == ["Case resolved."]
    case = fresh(flagged_case)
    assert (case.state, case.outcome) == (Case.State.RESOLVED, Case.Outcome.HIDDEN)
    # The comment is not deleted: its row and text are kept.
    comment = Comment.objects.get(pk=flagged_case.comment_id)
    assert comment.status == Comment.Status.HIDDEN
    assert comment.body == "You clearly have no idea what you are talking about."
    # The author is told privately.
    assert case.messages.filter(kind=Message.Kind.NOTICE).count() == 1
    # Readers see a placeholder instead of the text.
    page = client.get("/essays/essay/").content.decode()
    assert "This comment is hidden by the moderators." in page
    assert "no idea what you are talking about" not in page
    assert f'id="c{comment.pk}"' in page


def test_hiding_after_a_call_in_needs_only_a_reason(moderator, flagged_case):
    workflow.call_in(moderator, flagged_case, "Hello, would you reread your comment?")
    case = fresh(flagged_case)
    response = client_for(moderator).post(
        url(case, "resolve"),
        {"version": case.version, "outcome": "hidden", "hide_reason": "other", "reason": "No."},
        follow=True,
    )
    assert flashes(response) == ["Case resolved."]
    assert fresh(case.comment).status == Comment.Status.HIDDEN


def test_unhide_shows_the_comment_again_and_tells_the_author(client, moderator, flagged_case):
    _hide(moderator, flagged_case)
    case = fresh(flagged_case)
    response = client_for(moderator).post(
        url(case, "unhide"), {"version": case.version, "reason": "Satire."}, follow=True
    )
    assert flashes(response) == [CASE_ACTIONS["unhide"][0]]
    assert "no idea what you are talking about" in client.get("/essays/essay/").content.decode()
    assert list(case.messages.values_list("body", flat=True))[-1] == (
        "Your comment is visible in the discussion again."
    )


def test_resolve_without_an_outcome_is_refused(moderator, flagged_case):
    response = client_for(moderator).post(
        url(flagged_case, "resolve"), {"version": flagged_case.version}, follow=True
    )
    assert flashes(response) == ["Choose an outcome."]
    assert fresh(flagged_case).state == Case.State.OPEN


def test_acting_on_a_resolved_case_is_refused(moderator, flagged_case):
    workflow.resolve(moderator, flagged_case, "no_action")
    case = fresh(flagged_case)
    response = client_for(moderator).post(
        url(case, "call-in"), {"version": case.version, "body": "Hello."}, follow=True
    )
    [message] = flashes(response)
    assert "no longer applies" in message
    assert not case.messages.exists()


def test_retracting_a_note_of_another_comment_is_not_found(moderator, flagged_case, essay):
    elsewhere = make_comment(essay, body="Another comment.")
    note = workflow.annotate(moderator, elsewhere, "context", "Context elsewhere.")
    response = client_for(moderator).post(
        url(flagged_case, "retract-note"),
        {"version": flagged_case.version, "annotation": note.pk},
        follow=True,
    )
    assert flashes(response) == ["No such note."]
    assert fresh(note).retracted_at is None


@pytest.mark.parametrize("minutes", ["", "soon", "-5", str(60 * 24 * 31)])
def test_pause_replies_with_a_bad_duration_is_refused(moderator, flagged_case, minutes):
    response = client_for(moderator).post(
        url(flagged_case, "pause-replies"),
        {"version": flagged_case.version, "minutes": minutes},
        follow=True,
    )
    [message] = flashes(response)
    assert message in (
        "Choose how long.",
        "Choose a duration between a few minutes and 30 days.",
        "Minutes: Choose a whole number of minutes, at most 30 days.",
    )
    assert fresh(flagged_case.comment).replies_paused_until is None


# --- acting in place (htmx) ---------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}
# Pinned for a note: session, user, permissions (4); the case, the version check and the
# workflow with its locks, savepoints, note and event with its log chain head (14); then
# the case page's part (test_case_page's queries less the navigation's unread count; a
# top-level comment has no ancestors to query: 14; with the previous and next case and
# the last event's id for the live part: 17).
HTMX_ACTION_QUERIES = 35


def fragment(response):
    """The part of the case page an htmx action swaps in, as text."""
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html and "<main" not in html
    assert re.match(r'\s*<div id="case-page" hx-target="this"', html)
    return html


def versions(html):
    return set(re.findall(r'name="version" value="(\d+)"', html))


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_htmx_action_answers_with_the_changed_part_of_the_page(
    moderator, admin_user, flagged_case, action
):
    actor = admin_user if action in ADMIN_ONLY else moderator
    _, data, check = ACTIONS[action]
    extra = prepare(action, moderator, flagged_case)
    case = fresh(flagged_case)
    response = client_for(actor).post(
        url(case, action), {"version": case.version, **data, **extra}, **HTMX
    )
    html = fragment(response)
    assert flashes(response) == [CASE_ACTIONS[action][0]]
    after = fresh(case)
    check(after, fresh(case.comment), fresh(case.essay))
    # Every form in the new part carries the version the case has now.
    assert versions(html) == {str(after.version)}


def test_htmx_action_costs_a_bounded_number_of_queries(
    moderator, flagged_case, django_assert_max_num_queries
):
    client = client_for(moderator)
    with django_assert_max_num_queries(HTMX_ACTION_QUERIES):
        response = client.post(
            url(flagged_case, "annotate"),
            {"version": flagged_case.version, "kind": "context", "body": "See part 2."},
            **HTMX,
        )
    assert "See part 2." in fragment(response)


def test_htmx_action_from_a_stale_page_shows_the_current_state(moderator, flagged_case):
    stale = flagged_case.version
    workflow.annotate(make_user("othermod", "moderators"), flagged_case.comment, "context", "Hm.")
    workflow.claim(make_user("third", "moderators"), flagged_case)
    current = fresh(flagged_case)
    response = client_for(moderator).post(url(flagged_case, "unclaim"), {"version": stale}, **HTMX)
    html = fragment(response)
    [message] = flashes(response)
    assert message.startswith(STALE)
    assert fresh(flagged_case).claimed_by.username == "third"
    assert versions(html) == {str(current.version)}
    assert "<strong>third</strong> is on this case." in html


def test_htmx_action_without_a_version_shows_why(moderator, flagged_case):
    response = client_for(moderator).post(url(flagged_case, "call-in"), {"body": "Hello."}, **HTMX)
    fragment(response)
    assert flashes(response) == [INCOMPLETE]
    assert not fresh(flagged_case).messages.exists()


def test_without_javascript_the_action_still_redirects(moderator, flagged_case):
    response = client_for(moderator).post(
        url(flagged_case, "claim"), {"version": flagged_case.version}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/moderation/cases/{flagged_case.pk}/"
    assert fresh(flagged_case).claimed_by == moderator
