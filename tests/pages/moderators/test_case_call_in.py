"""The call-in part of the case page (issue 14, point 2): no call-in for an author without
an account, and every template's text on the page so switching needs no reload."""

from moderation import workflow
from moderation.callin_texts import CALL_IN_TEXTS
from tests.helpers import client_for


def test_no_call_in_for_an_author_without_an_account(moderator, flagger, imported_comment):
    _, case = workflow.flag_comment(flagger, imported_comment, "heated")
    html = client_for(moderator).get(f"/moderation/cases/{case.pk}/").content.decode()
    assert 'id="no-call-in"' in html
    assert "has no account here" in html
    assert 'href="#note-body"' in html  # a context note instead
    assert "Send call-in" not in html


def test_every_template_text_is_on_the_page(moderator, case):
    html = client_for(moderator).get(f"/moderation/cases/{case.pk}/").content.decode()
    assert "Send call-in" in html
    assert html.count("data-text=") == len(CALL_IN_TEXTS)
    assert 'data-current="reflect"' in html
    assert "js/call-in-templates.js" in html
