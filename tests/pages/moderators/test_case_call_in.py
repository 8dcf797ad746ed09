"""The case page built around the call-in (issue 14, point 2): the flagged comment first,
the actions in workflow order with few forms open, no call-in for an author without an
account (refused by the server too), every template's text on the page so switching
needs no reload; and its links to the previous and next case (point 1, j and k)."""

import re

from moderation import workflow
from moderation.callin_texts import CALL_IN_TEXTS
from moderation.models import Case, Message
from tests.helpers import client_for, flashes, fresh, make_comment


def test_no_call_in_for_an_author_without_an_account(moderator, flagger, imported_comment):
    _, case = workflow.flag_comment(flagger, imported_comment, "heated")
    html = client_for(moderator).get(f"/moderation/cases/{case.pk}/").content.decode()
    assert 'id="no-call-in"' in html
    assert "has no account here" in html
    assert 'href="#note-body"' in html  # a context note instead
    assert '<option value="context" selected>Public context note</option>' in html
    assert "Send call-in" not in html


def test_every_template_text_is_on_the_page(moderator, case):
    html = client_for(moderator).get(f"/moderation/cases/{case.pk}/").content.decode()
    assert "Send call-in" in html
    assert html.count("data-text=") == len(CALL_IN_TEXTS)
    assert 'data-current="reflect"' in html
    assert "js/call-in-templates.js" in html


def open_forms(html):
    """Forms that post and ask for something (a text, a choice), outside a disclosure."""
    outside = re.sub(r"<details\b.*?</details>", "", html, flags=re.S)
    forms = re.findall(r'<form method="post".*?</form>', outside, re.S)
    return [f for f in forms if "<textarea" in f or "<select" in f or 'type="text"' in f]


def test_the_flagged_comment_comes_first_and_few_forms_are_open(moderator, case):
    html = client_for(moderator).get(f"/moderation/cases/{case.pk}/").content.decode()
    flagged = html.index("data-flagged")
    assert flagged < html.index("<h2>The author</h2>") < html.index("<h2>Flags</h2>")
    # The actions in workflow order: call in, note, de-escalate, resolve.
    order = [html.index(s) for s in ("Send call-in", "<h2>Note</h2>", "<h2>De-escalate</h2>")]
    assert order == sorted(order) and order[-1] < html.index("<h2>Resolve</h2>")
    forms = open_forms(html)
    assert len(forms) == 3, [f[:80] for f in forms]
    assert html.count("Pause visibility while we talk") == 1  # only with the call-in


def test_a_top_level_comment_shows_no_unrelated_earlier_comments(moderator, flagger, space):
    earlier = make_comment(space, body="An unrelated earlier comment.")
    flagged = make_comment(space, body="The flagged one.")
    _, case = workflow.flag_comment(flagger, flagged, "heated")
    html = client_for(moderator).get(f"/moderation/cases/{case.pk}/").content.decode()
    assert f'id="ctx{earlier.pk}"' not in html
    assert f'id="ctx{flagged.pk}" data-flagged' in html


def test_posting_a_call_in_for_an_author_without_an_account_is_refused(
    moderator, flagger, imported_comment
):
    """Refused by the server too, not only left out of the page: a form from another tab
    or a hand-made request reaches the same rule."""
    _, case = workflow.flag_comment(flagger, imported_comment, "heated")
    response = client_for(moderator).post(
        f"/moderation/cases/{case.pk}/call-in/",
        {"version": case.version, "body": "Hello?"},
        follow=True,
    )
    [message] = flashes(response)
    assert "has no account here" in message and "context note" in message
    assert not Message.objects.exists()
    assert fresh(case).state == Case.State.OPEN
    html = response.content.decode()
    assert 'id="no-call-in"' in html and 'href="#note-body"' in html


def test_the_case_page_links_the_previous_and_next_case_in_the_queue(
    moderator, flagger, essay, writer
):
    cases = []
    for reason in ("harmful", "heated", "off_topic"):  # most urgent first
        comment = make_comment(essay, body=f"A {reason} comment.", author=writer)
        cases.append(workflow.flag_comment(flagger, comment, reason)[1])
    first, middle, last = cases
    client = client_for(moderator)
    html = client.get(f"/moderation/cases/{middle.pk}/").content.decode()
    assert f'href="/moderation/cases/{first.pk}/" id="prev-case" rel="prev"' in html
    assert f'href="/moderation/cases/{last.pk}/" id="next-case" rel="next"' in html
    html = client.get(f"/moderation/cases/{first.pk}/").content.decode()
    assert 'id="prev-case"' not in html and f"/moderation/cases/{middle.pk}/" in html
    # A resolved case leaves the queue: its neighbours link past it.
    workflow.resolve(moderator, middle, Case.Outcome.NO_ACTION)
    html = client.get(f"/moderation/cases/{first.pk}/").content.decode()
    assert f'href="/moderation/cases/{last.pk}/" id="next-case"' in html
