"""The case page in a browser (issue 14, point 2): the flagged comment with its parent and
replies on the first screen at 1280×800; switching call-in templates keeps what was typed,
without a reload."""

import re

import pytest
from django.contrib.auth import get_user_model

from moderation import workflow
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.playwright_api import expect
from threads.models import Comment


@pytest.fixture
def ben_case(demo):
    """ada's flag on ben's heated demo reply (README)."""
    ben_reply = Comment.objects.get(author__username="ben")
    ada = get_user_model().objects.get(username="ada")
    _, case = workflow.flag_comment(ada, ben_reply, "heated")
    return case


def test_the_flagged_comment_is_on_the_first_screen(ben_case, browsing, screenshot):
    mod = browsing.page_for("moderator")
    mod.set_viewport_size({"width": 1280, "height": 800})
    mod.goto(f"/moderation/cases/{ben_case.pk}/")
    flagged = mod.locator("[data-flagged]")
    expect(flagged).to_contain_text("Honestly, anyone who still defends liberals")
    box = flagged.bounding_box()
    assert box["y"] + box["height"] <= 800, box
    parent = mod.locator(f"#ctx{ben_case.comment.parent_id}")
    assert parent.bounding_box()["y"] < box["y"]
    assert mod.locator("#call-in-message").bounding_box()["y"] < 800
    mod.screenshot(path=str(SCREENSHOTS / "case-page-1280x800-first-screen.png"))
    screenshot(mod, "case-page-1280")
    mod.set_viewport_size({"width": 390, "height": 844})
    screenshot(mod, "case-page-390")


def test_switching_templates_keeps_what_was_typed(ben_case, browsing, screenshot):
    mod = browsing.page_for("moderator")
    mod.goto(f"/moderation/cases/{ben_case.pk}/")
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
