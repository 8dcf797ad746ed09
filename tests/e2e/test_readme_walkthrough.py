"""README's walkthrough, step by step as written, in one browser window on the lived-in demo.

"To try the call-in flow: sign in as `ada`, open "Calling each other in…", flag ben's reply
("Honestly, anyone who still defends liberals…"); sign in as `moderator`, open the case
from **Moderation**, send a call-in; sign in as `ben` (the header shows an unread count next
to **Inbox**; an email with a link is printed in the server's console), answer or revise it
from **Inbox**; back as `moderator`, see the diff and resolve the case; **Moderation → Event
log** shows every step and **Dashboard** the last 30 days in charts."

One window, as a person trying the demo would: each "sign in as" signs the last person
out through the header and in through the sign-in form, so switching accounts meets the
sign-in rate limit if anything does.  The demo starts lived-in (``seed_demo``: weeks of
history and a queue of open cases); the walkthrough must still work as written.
"""

import re
from pathlib import Path

from django.conf import settings

from moderation.models import Case, ModerationEvent
from tests.e2e.conftest import PASSWORDS
from tests.e2e.playwright_api import expect
from threads.models import Comment

README = Path(settings.BASE_DIR, "README.md")
WALKTHROUGH = [  # the README's sentences this test follows, so the two cannot drift apart
    'To try the call-in flow: sign in as `ada`, open "Calling each other in…",',
    'flag ben\'s reply ("Honestly, anyone who still defends liberals…"); sign in as',
    "`moderator`, open the case from **Moderation**, send a call-in; sign in as",
    "`ben` (the header shows an unread count next to **Inbox**; an email with a link",
    "is printed in the server's console), answer or revise it from **Inbox**; back as",
    "`moderator`, see the diff and resolve the case; **Moderation → Event log** shows",
    "every step and **Dashboard** the last 30 days in charts.",
]
REVISED = (
    "I get frustrated when people defend liberal policies I think failed. What do you see in them?"
)


def sign_in_as(page, username):
    """Sign out whoever is signed in (header), then sign in through the form."""
    header = page.locator("header.site")
    if header.get_by_role("button", name="Sign out").count():
        header.get_by_role("button", name="Sign out").click()
    header.get_by_role("link", name="Sign in").click()
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.locator("form.narrow").get_by_role("button", name="Sign in").click()
    expect(header).to_contain_text(f"Signed in as {username}")


def test_the_readme_walkthrough_works_as_written(
    demo, browsing, screenshot, mailoutbox, live_server
):
    readme = " ".join(README.read_text().split())
    for line in WALKTHROUGH:
        assert " ".join(line.split()) in readme, f"README changed: {line}"
    open_before = Case.objects.exclude(state=Case.State.RESOLVED).count()
    assert open_before >= 8, "the demo's queue starts with open cases"
    ben_reply = Comment.objects.get(author__username="ben", body__startswith="Honestly")
    page = browsing.page_for()
    page.goto("/")

    # Sign in as ada, open "Calling each other in…", flag ben's reply.
    sign_in_as(page, "ada")
    page.get_by_role("link", name=re.compile(r"^Calling each other in")).first.click()
    expect(page.locator("h1")).to_contain_text("Calling each other in")
    reply = page.locator(f"#c{ben_reply.pk}")  # ben's reply, in the thread
    expect(reply.locator('article[aria-label="Comment by ben"]')).to_contain_text(
        "Honestly, anyone who still defends liberals"
    )
    reply.locator('article[aria-label="Comment by ben"]').get_by_role("link", name="Flag").click()
    page.locator("#reason-heated").check()
    page.get_by_role("button", name="Send flag").click()
    expect(page.locator("ul.messages")).to_contain_text("Thank you.")
    case = Case.objects.get(comment=ben_reply)
    case_link = f'a[href="/moderation/cases/{case.pk}/"]'

    # Sign in as moderator, open the case from Moderation, send a call-in.
    sign_in_as(page, "moderator")
    page.locator("header.site").get_by_role("link", name="Moderation").click()
    expect(page.locator("h1")).to_contain_text("Moderation")
    expect(page.locator("#queue-count")).to_contain_text(f"{open_before + 1} open cases")
    page.locator(case_link).first.click()
    expect(page.locator("h1")).to_contain_text(f"Case #{case.pk}")
    expect(page.locator("#call-in-message")).to_have_value(re.compile(r"^Hello ben,"))
    page.get_by_role("button", name="Send call-in").click()
    expect(page.locator("ol.conversation")).to_contain_text("Hello ben,")
    screenshot(page, "readme-walkthrough-1-called-in")

    # Sign in as ben: an unread count beside Inbox, and an email with a link.
    sign_in_as(page, "ben")
    inbox = page.locator("header.site").get_by_role("link", name=re.compile(r"^Inbox"))
    expect(inbox.locator(".badge.unread")).to_have_text(re.compile(r"^\s*1\b"))
    [email] = [m for m in mailoutbox if "ben@example.com" in m.to]
    assert re.search(
        rf"{re.escape(live_server.url)}/inbox/{case.pk}/|/inbox/{case.pk}/", email.body
    )
    # Answer or revise it from Inbox: ben revises.
    inbox.click()
    page.get_by_role("link", name=re.compile("About your comment in")).first.click()
    page.fill("#revise-body", REVISED)
    page.get_by_role("button", name="Save revision").click()
    expect(page.locator("ul.messages")).to_contain_text("Your comment is revised")
    screenshot(page, "readme-walkthrough-2-revised")

    # Back as moderator: see the diff and resolve the case.
    sign_in_as(page, "moderator")
    page.locator("header.site").get_by_role("link", name="Moderation").click()
    page.locator(case_link).first.click()
    diff = page.locator(".diff").first
    expect(diff.locator("ins").first).to_be_visible()
    expect(diff.locator("del").first).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("@@")
    page.locator("#resolve-outcome").select_option("revised")
    page.locator("#resolve-outcome").locator("xpath=ancestor::form").get_by_role(
        "button", name="Resolve"
    ).click()
    expect(page.locator("h1")).to_contain_text("Resolved")
    screenshot(page, "readme-walkthrough-3-resolved")

    # Moderation → Event log shows every step.
    page.locator("header.site").get_by_role("link", name="Moderation").click()
    page.get_by_role("link", name="Event log").first.click()
    log = page.locator("main")
    for words in (
        "flagged the comment",
        "sent the author a call-in",
        "revised the comment",
        "resolved the case",
    ):
        expect(log).to_contain_text(words)
    steps = ModerationEvent.objects.filter(case=case).values_list("action", flat=True)
    assert {"flag_added", "call_in_sent", "author_revised", "case_resolved"} <= set(steps)
    screenshot(page, "readme-walkthrough-4-log")

    # Dashboard: the last 30 days in charts.
    page.locator("header.site").get_by_role("link", name="Dashboard").click()
    expect(page.locator("h1")).to_have_text("Moderation dashboard")
    expect(page.locator("main svg").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("last 30 days")
    screenshot(page, "readme-walkthrough-5-dashboard")
    assert browsing.csp_violations() == []
