"""Cached pages are never stale: each kind of change made in this process shows on the very
next anonymous request served by another process (gunicorn on the same database), whose
page cache is its own memory or a shared Redis.

On SQLite the test database (in memory) is copied to a file for this module and this
process writes to the file; on PostgreSQL both use the test database.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection, connections

from moderation import spaces, workflow
from moderation.models import Case
from moderation.submissions import comment_submit
from tests.helpers import make_comment, make_essay, make_user
from tests.moderation.test_rate_limits import redis_running
from threads import posting

# Each test's writes are committed (and flushed after it) for the other process to see.
pytestmark = pytest.mark.django_db(transaction=True)

READY_TRIES = 600  # of 0.1 s: a loaded machine starts gunicorn slowly


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def shared_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """The DATABASE_URL another process reads this process's writes from."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            parts = urlsplit(os.environ["DATABASE_URL"])
            yield urlunsplit(parts._replace(path=f"/{connection.settings_dict['NAME']}"))
            return
        memory = connections["default"]
        memory.ensure_connection()
        path = tmp_path_factory.mktemp("shared") / "callin.sqlite3"
        with sqlite3.connect(path) as target:
            memory.connection.backup(target)
        target.close()
        on_file = type(memory)({**memory.settings_dict, "NAME": str(path)}, "default")
        connections["default"] = on_file
        try:
            yield f"sqlite:///{path}"
        finally:
            on_file.close()
            connections["default"] = memory


@pytest.fixture(scope="module", params=["memory", "redis"])
def reader_process(request, shared_database):
    """(Base URL of gunicorn (one worker) serving the app on the shared database, the
    CACHES this process writes with): the page cache in the server's own memory, or in
    Redis (database 15, a key prefix of its own) shared with this process, as every
    process of a site shares it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(DATABASE_URL=shared_database, DJANGO_SETTINGS_MODULE="config.settings")
    caches = None
    if request.param == "redis":
        assert redis_running(), "Redis is needed on 127.0.0.1:6379 (see the preamble)"
        env.update(REDIS_URL="redis://127.0.0.1:6379/15", CALLIN_CACHE_PREFIX=uuid.uuid4().hex)
        caches = {
            "default": {
                "BACKEND": "config.redis_cache.RedisCache",
                "LOCATION": env["REDIS_URL"],
                "KEY_PREFIX": env["CALLIN_CACHE_PREFIX"],
            }
        }
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(READY_TRIES):
            assert server.poll() is None, "gunicorn exited"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", caches
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def shared(reader_process, settings):
    base, caches = reader_process
    if caches:
        settings.CACHES = caches
    return base


def read(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as response:
        assert response.headers["Cache-Control"].startswith("public")
        return response.read().decode()


class Space:
    """An essay with a comment (and a reply under it), its author, a moderator, an organizer."""

    def __init__(self):
        n = uuid.uuid4().hex[:8]
        self.essay = make_essay(title=f"Space {n}")
        self.author = make_user(f"author{n}")
        self.moderator = make_user(f"mod{n}", "moderators")
        self.organizer = make_user(f"org{n}", "organizers")
        self.comment = make_comment(self.essay, body="The first words.", author=self.author)
        self.reply = make_comment(self.essay, body="A reply under it.", parent=self.comment)
        self.url = self.essay.get_absolute_url()

    def hide(self):
        case, _ = workflow.open_case(self.moderator, self.comment)
        workflow.resolve(self.moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")


def nothing(space):
    pass


# kind -> (before the page is first read, the change, text that shows after, text gone after)
CHANGES = {
    "reply": (
        nothing,
        lambda s: comment_submit(
            user=s.author, essay=s.essay, body="A fresh reply.", parent=s.comment
        ),
        "A fresh reply.",
        None,
    ),
    "edit": (
        nothing,
        lambda s: comment_submit(
            user=s.author, essay=s.essay, body="Better words.", comment=s.comment
        ),
        "Better words.",
        "The first words.",
    ),
    "withdrawal": (
        nothing,
        lambda s: posting.withdraw_comment(s.comment, s.author),
        None,
        "The first words.",
    ),
    "hide": (nothing, Space.hide, None, "The first words."),
    "unhide": (
        Space.hide,
        lambda s: workflow.unhide(s.moderator, s.comment, "a second look"),
        "The first words.",
        None,
    ),
    "context note": (
        nothing,
        lambda s: workflow.annotate(s.moderator, s.comment, "context", "Some context."),
        "Some context.",
        None,
    ),
    "bridging note": (
        nothing,
        lambda s: workflow.add_bridging_note(s.moderator, s.comment, "Let us slow down."),
        "Let us slow down.",
        None,
    ),
    "fold": (
        nothing,
        lambda s: workflow.collapse(s.moderator, s.comment),
        "This part of the conversation is resting",
        None,
    ),
    "pause": (
        nothing,
        lambda s: workflow.pause_replies(s.moderator, s.comment, timedelta(hours=1)),
        "Replies here are resting until",
        None,
    ),
    "featured comment": (
        nothing,
        lambda s: workflow.feature(s.moderator, s.comment),
        "Featured comments",
        None,
    ),
    "setting": (
        nothing,
        lambda s: spaces.set_discussion(s.organizer, s.essay, "closed"),
        "This discussion is closed to new comments.",
        None,
    ),
    "organizer's edit": (
        nothing,
        lambda s: spaces.update_space(s.organizer, s.essay, guidelines="Be kind, be brief."),
        "Be kind, be brief.",
        None,
    ),
}


@pytest.mark.parametrize("kind", CHANGES)
def test_the_next_anonymous_thread_page_shows_the_change(shared, kind):
    before, change, shows, gone = CHANGES[kind]
    space = Space()
    before(space)
    first = read(shared, space.url)
    assert read(shared, space.url) == first  # served again, from the other process's cache
    if shows:
        assert shows not in first
    if gone:
        assert gone in first
    change(space)
    after = read(shared, space.url)
    if shows:
        assert shows in after
    if gone:
        assert gone not in after


def listed(page, title):
    """The home page's entry for the space titled ``title``."""
    return page.split(f">{title}</a>")[1].split("</li>")[0]


def test_the_next_anonymous_home_page_shows_a_new_count(shared):
    space = Space()
    assert "2 comments" in listed(read(shared, "/"), space.essay.title)
    make_comment(space.essay, body="A third one.")
    assert "3 comments" in listed(read(shared, "/"), space.essay.title)


def test_the_next_anonymous_home_page_shows_an_organizers_edit(shared):
    space = Space()
    assert "A new title" not in read(shared, "/")
    spaces.update_space(space.organizer, space.essay, title="A new title")
    assert "2 comments" in listed(read(shared, "/"), "A new title")


def test_the_next_anonymous_home_page_lists_a_new_space(shared):
    read(shared, "/")
    space = Space()
    assert space.essay.title in read(shared, "/")
