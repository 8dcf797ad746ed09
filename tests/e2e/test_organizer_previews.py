"""The organizer's two-step texts in a browser without JavaScript (plain forms), at 1280
and 390 px: edit the essay's text, preview it, save it; upload a comment page, preview
it, choose a reply's parent by clicking, see the nesting, import."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from moderation.models import ModerationEvent
from tests.e2e.playwright_api import expect
from threads.models import Comment, Essay

SEED_000 = Path(settings.BASE_DIR, "fixtures/seeds/000_ac2c2a8ca753e8fe.txt")


def organizer_page(browsing, width):
    page = browsing.page_for(javascript=False)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/?next=/organize/")
    page.fill("#id_username", "organizer")
    page.fill("#id_password", "callin-organizer")
    page.locator("form.narrow").get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Discussion spaces")
    return page


def no_sideways_scroll(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"


@pytest.mark.parametrize("width", [1280, 390])
def test_edit_the_essay_text_with_a_preview(demo, browsing, screenshot, width):
    page = organizer_page(browsing, width)
    page.goto("/organize/leftist-empathy-gap/")
    page.get_by_role("link", name="Edit the essay's text").first.click()
    text = page.locator("textarea[name=text]")
    expect(text).to_have_value(re.compile(r"## The importance of intersectionality"))
    expect(page.get_by_role("button", name="Save the text")).to_have_count(0)
    text.fill(text.input_value() + "\n\n## A note from the organizers\n\nThanks for reading")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("section.essay-preview")
    expect(preview.locator("h2", has_text="A note from the organizers")).to_be_visible()
    expect(preview.locator("p", has_text=re.compile("^Thanks for reading$"))).to_be_visible()
    no_sideways_scroll(page, width)
    screenshot(page, f"organize-essay-text-preview-{width}")
    page.get_by_role("button", name="Save the text").click()
    expect(page.locator("ul.messages")).to_contain_text("The essay's text is saved.")
    essay = Essay.objects.get(slug="leftist-empathy-gap")
    assert essay.blocks[-2:] == [
        {"kind": "heading", "text": "A note from the organizers"},
        {"kind": "paragraph", "text": "Thanks for reading"},
    ]
    page.goto(essay.get_absolute_url())
    expect(page.locator("article.essay p").last).to_have_text("Thanks for reading")
    assert ModerationEvent.objects.filter(action="space_text_edited").count() == 1


@pytest.mark.parametrize("width", [1280, 390])
def test_import_a_comment_page_choosing_parents_by_clicking(demo, browsing, screenshot, width):
    essay = Essay.objects.create(slug="practice", title="Practice space")
    page = organizer_page(browsing, width)
    page.goto("/organize/practice/")
    page.set_input_files("input[name=comment_file]", str(SEED_000))
    page.get_by_role("button", name="Preview and arrange the replies").click()
    expect(page.locator("h1")).to_have_text("Arrange the replies before importing")
    expect(page.locator("li.import-comment")).to_have_count(12)
    page.locator("#import-9").get_by_label(re.compile(r"\bcomment 8 by")).check()
    page.locator("#import-10").get_by_label(re.compile(r"\bcomment 8 by")).check()
    page.get_by_role("button", name="Show the nesting").click()
    expect(page.locator("#import-9")).to_have_class(re.compile(r"\bdepth-1\b"))
    expect(page.locator("#import-10")).to_contain_text("replies to comment 8")
    no_sideways_scroll(page, width)
    screenshot(page, f"organize-import-preview-{width}")
    page.get_by_role("button", name="Import these comments").click()
    expect(page.locator("ul.messages")).to_contain_text("Created 12 comments")
    eighth = Comment.objects.get(essay=essay, body__startswith="I think this is an")
    assert Comment.objects.filter(essay=essay, parent=eighth).count() == 2
