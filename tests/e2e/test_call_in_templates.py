"""Switching call-in templates on the case page keeps what was typed, without a reload
(issue 14, point 2)."""

import re

from django.contrib.auth import get_user_model

from moderation import workflow
from tests.e2e.playwright_api import expect
from threads.models import Comment


def test_switching_templates_keeps_what_was_typed(demo, browsing, screenshot):
    ben_reply = Comment.objects.filter(author__username="ben").first()
    ada = get_user_model().objects.get(username="ada")
    _, case = workflow.flag_comment(ada, ben_reply, "heated")
    mod = browsing.page_for("moderator")
    mod.goto(f"/moderation/cases/{case.pk}/")
    box = mod.locator("#call-in-message")
    # With JavaScript the reload button is gone: choosing a text is enough.
    expect(mod.locator("#call-in-template-form button")).to_have_count(0)
    box.fill("My own words for ben.")
    mod.evaluate("window.sameDocument = true")
    mod.select_option("#template", "clarify")
    expect(box).to_have_value(re.compile("unsure what you meant"))
    mod.select_option("#template", "reflect")
    expect(box).to_have_value("My own words for ben.")
    assert mod.evaluate("window.sameDocument") is True  # the page was not reloaded
    screenshot(mod, "case-call-in-templates-1280")
    assert not browsing.csp_violations()
