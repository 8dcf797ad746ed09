"""The whole call-in flow in a real browser, one browser context per person.

ada (a reader) flags ben's demo reply in seed 000's thread; the moderator opens the case
from the queue and sends a call-in with the keyboard (?, j/k, Enter, c, Ctrl+Enter), done
in place without a page reload, then cools the subthread down and undoes it (p, u) and
writes a note (n); ben sees the unread count in the header and revises his comment from
his inbox; the moderator resolves the case (r) and the dashboard counts it.
"""

import re

from moderation.models import Case
from moderation.workflow import OPEN_STATES
from tests.e2e.playwright_api import expect
from threads.models import Comment

BEN_TEXT = "Honestly, anyone who still defends liberals is part of the problem."
REVISED = (
    "I get frustrated when people defend liberal policies I think failed. "
    "Could you say what you see in them?"
)
ADDED = "Would you tell us what you meant, in your own words?"
NOTE = "Called in; see how the conversation goes before anything else."


def comment_by(page, author):
    """The author's item in the thread (replies are nested inside their parent's item)."""
    return page.locator(f'li.comment:has(> article[aria-label="Comment by {author}"])')


def flag(page, item, reason, note):
    item.locator(":scope > article").get_by_role("link", name="Flag").click()
    expect(page.locator("h1")).to_have_text("Flag this comment for the moderators")
    page.locator(f"#reason-{reason}").check()
    page.fill("#note", note)
    page.get_by_role("button", name="Send flag").click()
    expect(page.locator("ul.messages")).to_contain_text("Thank you. The moderators will look")


def press_in_place(page, key):
    """Press a key whose action htmx does in place, and wait until htmx has settled the
    swapped part: its new forms are wired only then (a key pressed sooner, as no person
    is fast enough to, would send a plain POST and reload the page)."""
    page.evaluate(
        """() => {
            window.e2eSettled = false;
            document.addEventListener(
                "htmx:afterSettle", () => { window.e2eSettled = true; }, { once: true });
        }"""
    )
    page.keyboard.press(key)
    page.wait_for_function("() => window.e2eSettled === true")


def table_number(page, section_heading, row_label):
    """The number in a dashboard table row, found by its section and row header."""
    section = page.locator("section.dashboard-panel").filter(
        has=page.get_by_role("heading", name=section_heading)
    )
    row = section.locator("table.chart-table tr").filter(
        has=page.locator("th", has_text=re.compile(rf"^{re.escape(row_label)}$"))
    )
    return int(row.locator("td").first.inner_text())


# (section, row) of the dashboard numbers this flow adds to.
DASHBOARD_ROWS = [
    ("How cases ended", "Revised"),
    ("Call-in answer rate", "Answered by the author"),
    ("Flags and cases per day", "Total"),
]


def test_call_in_flow_with_the_keyboard(demo, browsing, screenshot):
    ben_comment = Comment.objects.get(author__username="ben")
    other = Comment.objects.get(essay__slug="calling-in", body__startswith="I think this is an")

    # 0. What the dashboard counts already: the demo's weeks of history (issue 16).
    mod = browsing.page_for("moderator")
    mod.goto("/moderation/dashboard/")
    counted = {label: table_number(mod, section, label) for section, label in DASHBOARD_ROWS}

    # 1. ada flags ben's reply (and another comment, so the queue has two more rows).
    ada = browsing.page_for("ada")
    ada.goto("/essays/calling-in/")
    ben_item = comment_by(ada, "ben")
    expect(ben_item).to_contain_text(BEN_TEXT)
    flag(ada, ben_item, "heated", "Lumps everyone together.")
    expect(ada).to_have_url(re.compile(rf"/essays/calling-in/#c{ben_comment.pk}$"))
    flag(ada, ada.locator(f"#c{other.pk}"), "needs_context", "Could use a source.")
    screenshot(ada, "call-in-flow-1-flagged")
    case = Case.objects.get(comment=ben_comment)
    case_path = f"/moderation/cases/{case.pk}/"

    # 2. The moderator reaches ben's case in the queue with j and opens it with Enter.
    mod.goto("/moderation/")
    mod.keyboard.press("?")  # the list of shortcuts
    help_dialog = mod.locator("#keys-help")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Open the current case")
    mod.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    rows = mod.locator("tr[data-case-url]")
    # The two flags above, beside what the demo's history left waiting (an appeal).
    waiting = Case.objects.filter(state__in=OPEN_STATES).count()
    assert waiting >= 2
    expect(rows).to_have_count(waiting)
    current = re.compile(r"\bis-current\b")
    mod.keyboard.press("j")  # the first row
    expect(rows.nth(0)).to_have_class(current)
    mod.keyboard.press("j")  # the second
    expect(rows.nth(1)).to_have_class(current)
    expect(rows.nth(0)).not_to_have_class(current)
    mod.keyboard.press("k")  # back to the first
    expect(rows.nth(0)).to_have_class(current)
    for _ in range(waiting):  # on to ben's row, wherever the queue's order put it
        if "ben" in mod.locator("tr[data-case-url].is-current").inner_text():
            break
        mod.keyboard.press("j")
    ben_row = mod.locator("tr[data-case-url].is-current")
    expect(ben_row).to_have_count(1)
    expect(ben_row).to_contain_text(BEN_TEXT[:40])
    expect(ben_row.locator("a").first).to_be_focused()
    mod.keyboard.press("Enter")
    expect(mod).to_have_url(re.compile(re.escape(case_path) + "$"))
    expect(mod.locator("h1")).to_contain_text(f"Case #{case.pk}")

    # 3. c: the call-in message, started from the template; edit it, send with Ctrl+Enter.
    #    The action is done in place: a marker set on window survives it.
    mod.keyboard.press("c")
    message = mod.locator("#call-in-message")
    expect(message).to_be_focused()
    expect(message).to_have_value(re.compile(r"^Hello ben,"))
    mod.keyboard.press("Control+End")
    mod.keyboard.type("\n\n" + ADDED)
    mod.evaluate("window.e2eNoReload = 'still here'")
    press_in_place(mod, "Control+Enter")
    conversation = mod.locator("ol.conversation")
    expect(conversation).to_contain_text(ADDED)
    expect(conversation).to_contain_text("Hello ben,")
    assert mod.evaluate("window.e2eNoReload") == "still here", "the call-in reloaded the page"
    expect(mod).to_have_url(re.compile(re.escape(case_path) + "$"))
    case.refresh_from_db()
    assert case.state == Case.State.WAITING
    assert ADDED in case.messages.get(kind="call_in").body

    #    p cools the subthread down and u undoes it, in place as well; n writes a note.
    # After the swap htmx puts the focus back in the (new) message field, where keys type
    # text: Tab leaves it (to its Send button), and the shortcuts work again.
    expect(mod.locator("#call-in-message")).to_be_focused()
    mod.keyboard.press("Tab")
    expect(mod.locator("#call-in-message")).not_to_be_focused()
    press_in_place(mod, "p")
    expect(mod.locator("#case-page ul.messages")).to_contain_text("Replies under this comment")
    expect(mod.locator("#undo-form")).to_contain_text("Undo: pausing replies")
    ben_comment.refresh_from_db()
    assert ben_comment.replies_paused()
    press_in_place(mod, "u")
    expect(mod.locator("#case-page ul.messages")).to_contain_text("The last action is undone.")
    ben_comment.refresh_from_db()
    assert not ben_comment.replies_paused()
    mod.keyboard.press("n")
    expect(mod.locator("#note-body")).to_be_focused()
    mod.keyboard.type(NOTE)
    press_in_place(mod, "Control+Enter")
    expect(mod.locator("#case-page ul.messages")).to_contain_text("Note added.")
    expect(mod.locator("#case-page")).to_contain_text(NOTE)
    assert mod.evaluate("window.e2eNoReload") == "still here", "p, u or n reloaded the page"
    screenshot(mod, "call-in-flow-2-called-in")

    # 4. ben sees the unread count in the header, opens his inbox and revises.
    ben = browsing.page_for("ben")
    unread = ben.locator("header.site .badge.unread")
    expect(unread).to_have_text(re.compile(r"^\s*1\b"))
    ben.get_by_role("link", name=re.compile(r"^Inbox")).click()
    expect(ben).to_have_url(re.compile(r"/inbox/$"))
    ben.get_by_role("link", name=re.compile("About your comment in")).click()
    expect(ben.locator("ol.conversation")).to_contain_text(ADDED)
    expect(ben.locator("body")).not_to_contain_text(re.compile(r"\bada\b"))  # flaggers stay private
    expect(ben.locator("#revise-body")).to_have_value(re.compile(re.escape(BEN_TEXT)))
    ben.fill("#revise-body", REVISED)
    ben.get_by_role("button", name="Save revision").click()
    expect(ben.locator("ul.messages")).to_contain_text("Your comment is revised")
    expect(ben.locator("header.site .badge.unread")).to_have_count(0)
    screenshot(ben, "call-in-flow-3-revised")

    # 5. The moderator sees the revision and resolves the case with r.
    mod.goto(case_path)
    expect(mod.locator("ol.conversation")).to_contain_text("The author revised the comment")
    mod.keyboard.press("r")
    outcome = mod.locator("#resolve-outcome")
    expect(outcome).to_be_focused()
    outcome.select_option("revised")
    outcome.locator("xpath=ancestor::form").get_by_role("button", name="Resolve").click()
    expect(mod.locator("h1")).to_contain_text("Resolved")
    case.refresh_from_db()
    assert (case.state, case.outcome) == (Case.State.RESOLVED, Case.Outcome.REVISED)
    screenshot(mod, "call-in-flow")

    # 6. The dashboard counts it, next to the seed space's other open case.
    mod.get_by_role("link", name="Dashboard").first.click()
    expect(mod.locator("h1")).to_have_text("Moderation dashboard")
    added = {
        label: table_number(mod, section, label) - counted[label]
        for section, label in DASHBOARD_ROWS
    }
    assert added == {"Revised": 1, "Answered by the author": 1, "Total": 2}
    spaces = mod.locator("section.dashboard-panel").filter(
        has=mod.get_by_role("heading", name="Spaces with the most open cases")
    )
    expect(spaces.locator("table")).to_contain_text(other.essay.title)
    screenshot(mod, "dashboard")

    assert browsing.csp_violations() == []
