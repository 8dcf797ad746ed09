"""Acting from the queue (issue 14, point 1): each row offers the likely actions for its
state, done in place through the same workflow functions as the case page (same events,
same refusals), and shows the part of the comment that was flagged."""

import re
from html import unescape

import pytest

from moderation import workflow
from moderation.models import Case, Message
from tests.helpers import actions, client_for, flashes, fresh, make_comment
from threads.models import Comment

HTMX = {"HTTP_HX_REQUEST": "true"}
STALE = "Another moderator acted on this case while you were looking at it."


def row(html, case):
    """The HTML of a case's row in the queue."""
    match = re.search(rf'<tr data-case-url="[^"]+" data-case-id="{case.pk}".*?</tr>', html, re.S)
    assert match, f"no row for case {case.pk}"
    return match.group(0)


def offered(html, case):
    """The labels of a row's action buttons and links (data-key), with their keys."""
    found = re.findall(r'data-key="(\w)"[^>]*>([^<]+)<', row(html, case))
    return [(unescape(label), key) for key, label in found]


def queue_html(user):
    return client_for(user).get("/moderation/").content.decode()


def act(user, case, action, version=None, follow=True, **data):
    data.setdefault("next", "/moderation/")
    data["version"] = case.version if version is None else version
    return client_for(user).post(
        f"/moderation/cases/{case.pk}/queue/{action}/", data, follow=follow, **HTMX
    )


@pytest.fixture
def spam_case(writer, essay, flagger, second_flagger):
    comment = make_comment(essay, body="Buy cheap pills at example.com now!", author=writer)
    workflow.flag_comment(flagger, comment, "spam")
    _, case = workflow.flag_comment(second_flagger, comment, "heated")
    return case


@pytest.fixture
def held_case(essay, writer, moderator):
    """A comment waiting for approval (as a newcomer's would), with its case."""
    comment = make_comment(essay, body="My first comment here.", author=writer)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)
    case, _ = workflow.open_system_case(comment, Case.Origin.NEWCOMER, "first comment")
    return case


# --- what each row offers ------------------------------------------------------------------


def test_an_open_flagged_case_offers_a_call_in_and_no_action(moderator, flagged_case):
    assert offered(queue_html(moderator), flagged_case) == [("Call in…", "c"), ("No action", "n")]


def test_a_spam_flag_also_offers_hiding_as_spam(moderator, spam_case):
    assert offered(queue_html(moderator), spam_case) == [
        ("Call in…", "c"),
        ("No action", "n"),
        ("Hide as spam", "h"),
    ]


def test_a_held_comment_offers_approval_and_no_no_action(moderator, held_case):
    # "No action" would close the case and leave the comment waiting for ever.
    assert offered(queue_html(moderator), held_case) == [("Approve", "a"), ("Call in…", "c")]


def test_an_imported_comment_offers_no_call_in(moderator, flagger, imported_comment):
    _, case = workflow.flag_comment(flagger, imported_comment, "heated")
    assert offered(queue_html(moderator), case) == [("No action", "n")]


def test_a_revised_answer_offers_to_resolve_as_revised(moderator, author, called_in_case):
    workflow.author_revise(author, called_in_case, "A calmer version of my comment.")
    html = queue_html(moderator)
    assert offered(html, called_in_case) == [("Resolve: revised", "r")]


def test_a_case_another_moderator_is_on_says_who_and_offers_nothing(
    moderator, second_moderator, flagged_case
):
    workflow.claim(second_moderator, flagged_case)
    html = row(queue_html(moderator), flagged_case)
    assert "<strong>mod2</strong> is on it" in html
    assert "data-key" not in html and "mod2 is on it: <a" in html


# --- doing it ----------------------------------------------------------------------------


def test_no_action_resolves_in_place_with_the_case_pages_event(moderator, flagged_case):
    response = act(moderator, flagged_case, "no-action")
    assert response.redirect_chain == [("/moderation/", 302)]
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="queue-page"')  # the part htmx swaps
    assert flashes(response) == [f"Case #{flagged_case.pk}: Resolved: no action needed."]
    case = fresh(flagged_case)
    assert case.state == Case.State.RESOLVED and case.outcome == Case.Outcome.NO_ACTION
    assert case.resolved_by == moderator
    assert actions(case)[-1] == "case_resolved"
    assert f'data-case-id="{case.pk}"' not in html  # gone from the queue


def test_hide_as_spam_hides_with_the_severe_reason(moderator, spam_case):
    act(moderator, spam_case, "hide-spam")
    case = fresh(spam_case)
    assert case.outcome == Case.Outcome.HIDDEN
    assert fresh(case.comment).status == Comment.Status.HIDDEN
    assert actions(case)[-2:] == ["comment_hidden", "case_resolved"]
    assert case.resolution_reason == "spam"


def test_approve_shows_the_held_comment(moderator, held_case):
    response = act(moderator, held_case, "approve")
    assert flashes(response) == [f"Case #{held_case.pk}: Approved: the comment is shown."]
    assert fresh(held_case.comment).status == Comment.Status.VISIBLE
    assert actions(held_case)[-2:] == ["comment_approved", "case_resolved"]


def test_a_stale_row_is_refused_with_the_case_pages_words(
    moderator, second_moderator, flagged_case
):
    seen = flagged_case.version
    workflow.claim(second_moderator, flagged_case)
    logged = actions()
    response = act(moderator, flagged_case, "no-action", version=seen)
    [message] = flashes(response)
    assert message.startswith(f"Case #{flagged_case.pk}: {STALE}")
    assert fresh(flagged_case).state == Case.State.OPEN
    assert actions() == logged


def test_an_unknown_action_is_not_found(moderator, flagged_case):
    assert act(moderator, flagged_case, "delete", follow=False).status_code == 404


def test_a_reader_cannot_act_from_the_queue(reader, flagged_case):
    assert act(reader, flagged_case, "no-action", follow=False).status_code == 403
    assert fresh(flagged_case).state == Case.State.OPEN


def test_without_csrf_the_row_action_is_refused(moderator, flagged_case):
    client = client_for(moderator, enforce_csrf_checks=True)
    url = f"/moderation/cases/{flagged_case.pk}/queue/no-action/"
    assert client.post(url, {"version": flagged_case.version}).status_code == 403
    assert fresh(flagged_case).state == Case.State.OPEN


def test_next_off_the_site_goes_back_to_the_queue(moderator, flagged_case):
    response = act(moderator, flagged_case, "no-action", follow=False, next="//evil.example/")
    assert response.status_code == 302 and response["Location"] == "/moderation/"


# --- the call-in from a row --------------------------------------------------------------


def test_the_row_call_in_opens_with_the_default_text(moderator, flagged_case):
    client = client_for(moderator)
    url = f"/moderation/cases/{flagged_case.pk}/queue/call-in/?next=/moderation/%3Fstate%3Dopen"
    html = client.get(url, **HTMX).content.decode()
    assert html.lstrip().startswith(f'<tr id="callin-{flagged_case.pk}" class="queue-callin"')
    assert "Hello writer," in html and "Some readers felt" in html  # the "reflect" text
    assert 'name="next" value="/moderation/?state=open"' in html
    assert "autofocus" in html
    # Without htmx the link leads to the case page's call-in.
    plain = client.get(url)
    assert plain["Location"] == f"/moderation/cases/{flagged_case.pk}/#call-in-message"


def test_the_row_call_in_sends_through_the_workflow(moderator, flagged_case):
    response = act(moderator, flagged_case, "call-in", body="Hello writer, a word?")
    assert flashes(response) == [
        f"Case #{flagged_case.pk}: The call-in is sent privately to the author."
    ]
    case = fresh(flagged_case)
    assert case.state == Case.State.WAITING and case.claimed_by == moderator
    message = case.messages.get()
    assert message.kind == Message.Kind.CALL_IN and message.body == "Hello writer, a word?"
    assert actions(case)[-1] == "call_in_sent"


def test_a_refused_row_call_in_keeps_what_was_typed(moderator, second_moderator, flagged_case):
    seen = flagged_case.version
    workflow.claim(second_moderator, flagged_case)
    response = act(moderator, flagged_case, "call-in", version=seen, follow=False, body="Mine.")
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#callin-{flagged_case.pk}"
    html = response.content.decode()
    assert STALE in html and ">Mine.</textarea>" in html
    # The form now carries the current version: sending again is a deliberate choice.
    assert f'name="version" value="{fresh(flagged_case).version}"' in html
    assert not Message.objects.exists()


def test_the_row_call_in_for_an_imported_author_is_refused(moderator, flagger, imported_comment):
    _, case = workflow.flag_comment(flagger, imported_comment, "heated")
    html = (
        client_for(moderator)
        .get(f"/moderation/cases/{case.pk}/queue/call-in/", **HTMX)
        .content.decode()
    )
    assert "has no account here" in html and "#note-body" in html and "<textarea" not in html
    response = act(moderator, case, "call-in", follow=False, body="Hello?")
    assert "has no account here" in response.content.decode()
    assert not Message.objects.exists() and fresh(case).state == Case.State.OPEN


# --- the flagged part in the row ---------------------------------------------------------


def test_the_row_shows_the_heat_evidence_not_only_the_first_words(moderator, seeded, flagger):
    reader6 = Comment.objects.get(author_name="Reader 6", body__contains="Never trust liberals")
    assert reader6.body.index("Never trust liberals") > 140  # cut off by the first words
    _, case = workflow.flag_comment(flagger, reader6, "harmful")
    html = row(queue_html(moderator), case)
    assert "<mark>Never trust liberals</mark>" in html
    assert "The end goal is equality" not in html  # the window starts near the phrase


def test_the_row_marks_the_watched_word_matched(moderator, essay, writer):
    words = "A long and calm start to this comment, going on for quite a while. " * 4
    comment = make_comment(essay, body=words + "Only an idiot would say that.", author=writer)
    case, _ = workflow.open_system_case(comment, Case.Origin.WATCHED_WORD, "", ["idiot*"])
    assert "<mark>idiot</mark> would say that." in row(queue_html(moderator), case)


def test_without_anything_flagged_the_row_shows_the_start(moderator, essay, writer, flagger):
    comment = make_comment(essay, body="Plain words. " * 30, author=writer, heat=None)
    _, case = workflow.flag_comment(flagger, comment, "off_topic")
    html = row(queue_html(moderator), case)
    assert "<mark>" not in html and "Plain words. Plain words." in html and "…" in html


def test_without_javascript_a_row_action_posts_and_comes_back_to_the_queue(moderator, flagged_case):
    client = client_for(moderator)
    html = client.get("/moderation/?state=open").content.decode()
    # The row's form posts to the action its button names, back to the same filters.
    form = re.search(
        r'<form method="post" action="([^"]+)" class="row-actions".*?</form>', html, re.S
    )
    assert 'name="next" value="/moderation/?state=open"' in form.group(0)
    action = re.search(r'formaction="([^"]+no-action/)"', form.group(0)).group(1)
    data = {"version": flagged_case.version, "next": "/moderation/?state=open"}
    response = client.post(action, data, follow=True)
    assert response.redirect_chain == [("/moderation/?state=open", 302)]
    assert "<html" in response.content.decode()
    assert flashes(response) == [f"Case #{flagged_case.pk}: Resolved: no action needed."]
    assert fresh(flagged_case).state == Case.State.RESOLVED
