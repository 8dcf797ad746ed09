"""With JavaScript off, a case action is a plain form POST and a redirect to the case."""

import re

from django.contrib.auth import get_user_model

from moderation import workflow
from moderation.models import Annotation
from tests.e2e.playwright_api import expect
from threads.models import Comment

NOTE = "Second time this month; keep it private and kind."


def test_add_a_note_without_javascript(demo, browsing, screenshot):
    ada = get_user_model().objects.get(username="ada")
    comment = Comment.objects.get(author__username="ben")
    _, case = workflow.flag_comment(ada, comment, "heated", "Lumps everyone together.")
    case_url = f"{browsing.base_url}/moderation/cases/{case.pk}/"

    mod = browsing.page_for("moderator", javascript=False)
    mod.goto(case_url)
    expect(mod.locator("h1")).to_contain_text(f"Case #{case.pk}")

    mod.fill("#note-body", NOTE)
    form = mod.locator("form").filter(has=mod.locator("#note-body"))
    with mod.expect_response(lambda r: r.request.method == "POST") as posted:
        form.get_by_role("button", name="Add note").click()
    response = posted.value
    # A plain POST answered by a redirect back to the case page, not an htmx fragment.
    assert response.url.endswith(f"/moderation/cases/{case.pk}/annotate/")
    assert "hx-request" not in response.request.headers
    assert response.status == 302
    assert response.headers["location"] == f"/moderation/cases/{case.pk}/"
    mod.wait_for_load_state()
    expect(mod).to_have_url(re.compile(re.escape(case_url) + "$"))
    expect(mod.locator("ul.messages")).to_have_text("Note added.")
    notes = mod.get_by_role("heading", name="Notes").locator("xpath=following-sibling::ul[1]")
    expect(notes).to_contain_text(NOTE)
    note = Annotation.objects.get(case=case, body=NOTE)
    assert note.created_by.get_username() == "moderator"

    screenshot(mod, "no-js-action")
    assert browsing.csp_violations() == []
