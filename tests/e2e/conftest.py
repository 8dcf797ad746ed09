"""Browser tests: Playwright for Python driving Debian's chromium against the live server.

The browser is /usr/bin/chromium (`apt-get install chromium`); Playwright's own browser
download is never used.  Without that binary every test here is skipped, and the run
ends with a line saying so.  Each scenario saves a full-page screenshot under
var/screenshots/.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.e2e.playwright_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
HERE = Path(__file__).resolve().parent
SKIP_REASON = f"Browser tests SKIPPED: {CHROMIUM} not found (apt-get install chromium)"

if sync_playwright is None:
    SKIP_REASON = "Browser tests SKIPPED: playwright not installed (pip install -e '.[dev]')"

BROWSER_MISSING = sync_playwright is None or not CHROMIUM.exists()


def _is_e2e(item):
    return HERE in Path(item.path).resolve().parents


def pytest_collection_modifyitems(config, items):
    if BROWSER_MISSING:
        for item in items:
            if _is_e2e(item):
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One plain line about the browser tests that ran, after pytest's short summary."""
    yield
    prefix = HERE.relative_to(config.rootpath).as_posix() + "/"
    outcomes = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
    reports = (r for outcome in outcomes for r in terminalreporter.stats.get(outcome, ()))
    count = len({r.nodeid for r in reports if r.nodeid.startswith(prefix)})
    if not count:
        return
    tests = f"{count} test{'s' if count != 1 else ''}"
    if BROWSER_MISSING:
        terminalreporter.write_line(f"{SKIP_REASON} ({tests})", yellow=True, bold=True)
    else:
        terminalreporter.write_line(
            f"Browser tests ran in {CHROMIUM} ({tests}); screenshots in {SCREENSHOTS}/"
        )


@pytest.fixture(scope="package")
def browser():
    """Headless chromium, for the tests of this package (closed after the last one)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # While Playwright's sync API is on, an event loop runs in this thread, which
    # Django's async-safety check would take for async code: it would refuse the tests'
    # own ORM calls.  Allowed only as long as the browser lives.
    unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                # As root (CI and the dev machines) chromium's sandbox cannot start.
                args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
            )
            yield chromium
            chromium.close()
    finally:
        if unsafe is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = unsafe


@pytest.fixture
def demo(live_server):
    """The seeds and the demo accounts (README), as `make run` loads them."""
    call_command("seed_demo", verbosity=0)


PASSWORDS = {
    "moderator": "callin-moderator",
    "ada": "callin-reader",
    "ben": "callin-reader",
    "organizer": "callin-organizer",
    "admin": "callin-admin",
}


class Browsing:
    """Browser contexts (one per person) against the live server, with a watch on the
    console for Content-Security-Policy violations on every page they open."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.contexts = []
        self.console = []

    def page_for(self, username=None, javascript=True):
        context = self.browser.new_context(
            base_url=self.base_url,
            java_script_enabled=javascript,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: self.console.append(f"{page.url}: {msg.text}"))
        if username:
            self.sign_in(page, username)
        return page

    def sign_in(self, page, username):
        page.goto("/accounts/login/?next=/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORDS[username])
        page.click("form.narrow button[type=submit]")
        page.wait_for_url(self.base_url + "/")
        assert page.get_by_text(f"Signed in as {username}").is_visible()

    def csp_violations(self):
        return [line for line in self.console if "Content Security Policy" in line]

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(browser, live_server):
    session = Browsing(browser, live_server.url)
    yield session
    session.close()


@pytest.fixture
def screenshot():
    """screenshot(page, name): a full-page PNG at var/screenshots/<name>.png."""

    def shoot(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot
