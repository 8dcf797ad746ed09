"""Fixtures shared by the tests of the moderation pages (through the test client).

Test modules load this with ``pytest_plugins = ["tests.view_helpers"]`` and do
not import it, so its fixtures are the only interface.  The names are chosen so
they do not collide with ``tests/conftest.py`` or ``tests/workflow_helpers.py``.
Helpers are factory fixtures (like ``make_user`` in conftest).
"""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.templatetags.static import static
from django.test import Client
from django.utils import timezone

from moderation import workflow
from moderation.models import Case
from threads.models import Comment


@pytest.fixture
def make_member(make_user):
    """A user in the group ``group`` ("moderators" or "organizers")."""

    def make(username, group):
        user = make_user(username)
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def moderator_user(make_member):
    return make_member("modu", "moderators")


@pytest.fixture
def organizer_user(make_member):
    return make_member("orgu", "organizers")


@pytest.fixture
def writer(make_user):
    """The author of the comment the cases are about."""
    return make_user("writer")


@pytest.fixture
def client_as():
    """A fresh test client signed in as ``user`` (anonymous for None)."""

    def make(user=None, **kwargs):
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def writer_comment(essay, writer, add_comment):
    return add_comment(essay, "You clearly have no idea what you are talking about.", author=writer)


@pytest.fixture
def flagged_case(reader, writer_comment):
    """An open case on the writer's comment: one heated flag with a note, by ``reader``."""
    _, case = workflow.flag_comment(reader, writer_comment, "heated", "Feels like a pile-on.")
    return case


@pytest.fixture
def flashes():
    """The flash messages shown on a page (reached with ``follow=True``), as text."""

    def read(response):
        html = response.content.decode()
        box = re.search(r'<ul class="messages" role="status">(.*?)</ul>', html, re.S)
        items = re.findall(r"<li[^>]*>(.*?)</li>", box.group(1), re.S) if box else []
        return [unescape(item) for item in items]

    return read


@pytest.fixture
def form_value():
    """The value of a form field on a page: an input's value or a textarea's text."""

    def read(response, name, occurrence=0):
        html = response.content.decode()
        inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
        areas = re.findall(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
        found = inputs or areas
        assert found, f"no field {name!r} on the page"
        return unescape(found[occurrence])

    return read


@pytest.fixture
def bulk_comments():
    """Insert ``n`` top-level comments (each its own tree) in one query."""

    def make(essay, n, author=None, **fields):
        last = Comment.objects.order_by("-tree_id").values_list("tree_id", flat=True).first() or 0
        now = timezone.now()
        return Comment.objects.bulk_create(
            Comment(
                essay=essay,
                author=author,
                author_name=author.get_username() if author else f"Reader {i}",
                body=f"Bulk comment {i}.",
                created=now,
                tree_id=last + 1 + i,
                lft=1,
                rght=2,
                level=0,
                **fields,
            )
            for i in range(n)
        )

    return make


@pytest.fixture
def bulk_replies():
    """Insert ``n`` direct replies under a comment that has none yet (two queries)."""

    def make(parent, n, author=None):
        assert parent.rght == parent.lft + 1, "the parent must have no replies yet"
        now = timezone.now()
        replies = Comment.objects.bulk_create(
            Comment(
                essay_id=parent.essay_id,
                parent=parent,
                author=author,
                author_name=author.get_username() if author else f"Replier {i}",
                body=f"Bulk reply {i}.",
                created=now,
                tree_id=parent.tree_id,
                lft=parent.lft + 1 + 2 * i,
                rght=parent.lft + 2 + 2 * i,
                level=parent.level + 1,
            )
            for i in range(n)
        )
        Comment.objects.filter(pk=parent.pk).update(rght=parent.lft + 2 * n + 1)
        parent.refresh_from_db()
        return replies

    return make


@pytest.fixture
def bulk_cases():
    """Insert one open case per comment in one query; the i-th is opened i minutes ago."""

    def make(comments, **fields):
        now = timezone.now()
        cases = []
        for i, comment in enumerate(comments):
            case = Case(
                comment=comment,
                essay_id=comment.essay_id,
                opened_at=now - timedelta(minutes=i),
                flag_count=1,
                reasons={"heated": 1},
                **fields,
            )
            case.set_weight(3)
            cases.append(case)
        return Case.objects.bulk_create(cases)

    return make


@pytest.fixture
def bulk_users():
    """Insert ``n`` users (without usable passwords) in one query."""

    def make(n, prefix="bulk"):
        User = get_user_model()
        return User.objects.bulk_create(
            User(username=f"{prefix}{i}", password="!") for i in range(n)
        )

    return make


@pytest.fixture
def page_scripts():
    """Check that a moderation page loads htmx and its keyboard shortcuts as deferred static
    files, with no inline script; returns htmx's config from the page's <meta>."""

    def read(response):
        html = response.content.decode()
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        sources = [re.search(r'\bsrc="([^"]+)"', attrs) for attrs, _ in scripts]
        assert [src and src.group(1) for src in sources] == [
            static("js/htmx.min.js"),
            static("js/moderation-keys.js"),
        ]
        assert all(" defer" in attrs and not body.strip() for attrs, body in scripts)
        config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
        assert config, "no htmx config"
        return json.loads(config.group(1))

    return read
