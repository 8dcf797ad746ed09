"""Every page on a phone and on a laptop (issue 14, points 4 and 6), each as the person
who uses it (tests/e2e/every_page.py lists them).

At 390×844 no page scrolls sideways, the queue and the log are cards, and every control
(buttons, inputs, the links of the header, of a comment and of the pages) is at least 44 px
high.  At 1280×800 and at 390×844 axe-core (the dev extra's axe-playwright-python, which
ships axe.min.js) finds no serious or critical violation on any page, its experimental rules
included (the watched-words page had three serious label-content-name-mismatch); the table
of what it finds is written to var/screenshots/axe.txt and printed.  The text of the
dashboard's charts has a contrast of at least 4.5:1.  Every page is saved as
<name>-390.png and <name>-1280.png (a page that refuses, as it looks: 404 and 403).
"""

import pytest

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.every_page import every_page

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:
    Axe = None

NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}
TOUCH = 44
# Every rule axe has: WCAG 2.0-2.2 A and AA, best practices and the experimental ones.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22aa",
            "best-practice",
            "experimental",
        ],
    },
    "resultTypes": ["violations"],
}
IMPACTS = ("critical", "serious", "moderate", "minor")

# What sticks out past the viewport, and which controls are under 44 px high (a checkbox or
# a radio button counts with its label, the whole of which can be tapped).
MEASURE = """(touch) => {
  const width = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " "
    + JSON.stringify((el.innerText || el.value || el.name || "").trim().slice(0, 30));
  const outside = [...document.querySelectorAll("body *")]
    .filter((el) => { const box = el.getBoundingClientRect();
                      return box.width && box.right > width + 0.5; })
    .map((el) => name(el));
  const controls = "button, input:not([type=hidden]), select, textarea, summary, a.button, "
    + "header.site a, .actions a, .pagination a, [role=button], table.queue td:last-child a";
  const small = [];
  for (const el of document.querySelectorAll(controls)) {
    let box = el.getBoundingClientRect();
    if (box.width <= 1 || !box.height || getComputedStyle(el).visibility === "hidden") continue;
    if (el.type === "checkbox" || el.type === "radio") {
      const label = el.closest("label")
        || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) box = label.getBoundingClientRect();
    }
    if (box.height < touch) small.push(`${name(el)}: ${Math.round(box.height)} px`);
  }
  const row = document.querySelector("table.queue tbody tr, table.log tbody tr");
  return {
    scrollWidth: document.documentElement.scrollWidth, width, outside, small,
    rowDisplay: row && getComputedStyle(row).display,
  };
}"""

# WCAG's contrast ratio of each chart text with what is behind it: the shape under its
# middle, else the first HTML box with a background, else white.
CHART_CONTRAST = """() => {
  const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const channel = (c) => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const ratio = (a, b) => { const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
                            return (hi + 0.05) / (lo + 0.05); };
  const behind = (text) => {
    const box = text.getBoundingClientRect();
    for (const el of document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)) {
      if (el === text || el.tagName === "line" || el.tagName === "svg") continue;
      if (el instanceof SVGElement) {
        const fill = getComputedStyle(el).fill;
        if (fill && fill !== "none") return rgb(fill).slice(0, 3);
        continue;
      }
      const background = rgb(getComputedStyle(el).backgroundColor);
      if (background.length === 3 || background[3] > 0) return background.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll("svg.chart text")].map((text) => {
    text.scrollIntoView({block: "center"});
    return {text: text.textContent.trim(),
            ratio: ratio(rgb(getComputedStyle(text).fill).slice(0, 3), behind(text))};
  });
}"""


@pytest.fixture
def pages(demo):
    return every_page()


def visiting(browsing, pages, viewport):
    """(name, path, page) of each page opened at ``viewport``: one context per person."""
    opened = {}
    for name, username, path, status in pages:
        if username not in opened:
            opened[username] = browsing.page_for(username)
            opened[username].set_viewport_size(viewport)
        page = opened[username]
        response = page.goto(path)
        assert response.status == status, (name, path, response.status)
        yield name, path, page


def test_no_page_scrolls_sideways_and_controls_are_touch_targets(pages, browsing, screenshot):
    problems = {}
    for name, _, page in visiting(browsing, pages, NARROW):
        screenshot(page, f"{name}-390")
        found = page.evaluate(MEASURE, TOUCH)
        assert found["width"] == NARROW["width"]
        if found["scrollWidth"] > found["width"]:
            problems[name] = f"{found['scrollWidth']} px wide: {found['outside'][:5]}"
        elif found["small"]:
            problems[name] = f"controls under {TOUCH} px: {found['small'][:8]}"
        if name in ("queue", "log"):  # one card per row
            assert found["rowDisplay"] == "block", (name, found["rowDisplay"])
    assert not problems, problems
    assert browsing.csp_violations() == []


def axe_table(rows):
    """One line per page and width: how many elements violate a rule, by impact."""
    header = (
        f"{'page':<20} {'width':>5} {'path':<40} "
        + " ".join(f"{i:>8}" for i in IMPACTS)
        + "  rules"
    )
    lines = [header, "-" * len(header)]
    for name, width, path, counts, rules in rows:
        numbers = " ".join(f"{counts[i]:>8}" for i in IMPACTS)
        lines.append(f"{name:<20} {width:>5} {path:<40} {numbers}  {', '.join(rules) or '-'}")
    return "\n".join(lines) + "\n"


def test_axe_finds_no_serious_or_critical_violation(pages, browsing, screenshot):
    assert Axe is not None, "axe-playwright-python is missing: pip install -e '.[dev]'"
    axe, rows, serious = Axe(), [], {}
    for name, path, page in visiting(browsing, pages, WIDE):
        screenshot(page, f"{name}-1280")
        for viewport in (WIDE, NARROW):  # the narrow layout without a reload
            page.set_viewport_size(viewport)
            violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
            counts = {impact: 0 for impact in IMPACTS}
            for violation in violations:
                counts[violation["impact"]] += len(violation["nodes"])
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    serious.setdefault(name, []).append((violation["id"], targets))
            rules = sorted({v["id"] for v in violations})
            rows.append((name, viewport["width"], path, counts, rules))
        page.set_viewport_size(WIDE)
    table = axe_table(rows)
    (SCREENSHOTS / "axe.txt").write_text(table)
    print(table)
    assert len(rows) == 2 * len(pages)
    assert not serious, serious


def test_chart_text_has_contrast(pages, browsing):
    page = browsing.page_for("moderator")
    page.goto("/moderation/dashboard/")
    texts = page.evaluate(CHART_CONTRAST)
    assert len(texts) > 10, "the demo's dashboard draws charts with labels"
    low = [(t["text"], round(t["ratio"], 2)) for t in texts if t["ratio"] < 4.5]
    assert not low, low
