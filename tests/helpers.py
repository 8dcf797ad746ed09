"""Plain helper functions the tests share; the fixtures are in ``tests/conftest.py``.

Import what you use by name (``from tests.helpers import client_for, fresh``).  Asserts
here carry their own messages: pytest rewrites asserts in test modules and conftests only.
"""

import itertools
import json
import re
import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from html import unescape
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.forms import MultiWidget
from django.templatetags.static import static
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings

from moderation.models import Case, ModerationEvent, Notice
from threads.models import Comment, Essay
from threads.posting import insert_comment

# A fixed start for the frozen clock (time_machine.travel(..., tick=False)).
T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)

# Hypothesis for the property-based tests: enough examples to find the odd input, no
# deadline (the database is slow at times), and function-scoped fixtures allowed (each
# example cleans up after itself).
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

_numbers = itertools.count(1)


# Users, spaces and comments.


def make_user(username, group=None, **extra):
    """A user with the password ``pw-<username>``, in ``group`` ("moderators" or
    "organizers", made by migration 0002) when given."""
    user = get_user_model().objects.create_user(username, password="pw-" + username, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_essay(**fields):
    """A new space with a numbered slug (``space-1``, ``space-2``, ...)."""
    n = next(_numbers)
    fields.setdefault("slug", f"space-{n}")
    fields.setdefault("title", f"Space {n}")
    return Essay.objects.create(**fields)


def make_comment(essay, *, body="A comment.", parent=None, author=None, **fields):
    """Insert a comment the way the app does (through posting.insert_comment); without
    ``author`` it stands for an imported one."""
    fields.setdefault("author_name", author.get_username() if author else "Imported Person")
    comment = Comment(essay=essay, author=author, body=body, created=timezone.now(), **fields)
    with transaction.atomic():
        return insert_comment(comment, parent)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def thread_ids(essay):
    return list(Comment.objects.filter(essay=essay).order_by("id").values_list("id", flat=True))


# Bulk inserts: many rows in one query, for the tests at scale.


def bulk_comments(essay, n, author=None, **fields):
    """Insert ``n`` top-level comments (each its own tree) in one query."""
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


def bulk_replies(parent, n, author=None):
    """Insert ``n`` direct replies under a comment that has none yet (two queries)."""
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


def bulk_cases(comments, **fields):
    """Insert one open case per comment in one query; the i-th is opened i minutes ago."""
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


def bulk_users(n, prefix="bulk"):
    """Insert ``n`` users (without usable passwords) in one query."""
    User = get_user_model()
    return User.objects.bulk_create(User(username=f"{prefix}{i}", password="!") for i in range(n))


# The moderation log.


def actions(case=None, **filters):
    """The actions logged (oldest first), for one case or by other filters."""
    events = ModerationEvent.objects.order_by("id")
    if case is not None:
        filters["case"] = case
    return list(events.filter(**filters).values_list("action", flat=True))


def last_event(action, **filters):
    return ModerationEvent.objects.filter(action=action, **filters).order_by("-id").first()


def event_count():
    return ModerationEvent.objects.count()


def assert_event(action, *, actor, case=None, comment=None, essay=None, before=None, after=None):
    """The newest ``action`` event exists and names who, what and where.

    ``before`` and ``after`` are checked key by key: the event may record more.
    """
    event = last_event(action)
    assert event is not None, f"no {action} event; logged: {actions()}"
    if comment is None and case is not None:
        comment = case.comment
    if essay is None:
        essay = case.essay if case is not None else (comment.essay if comment else None)
    expected = {
        "actor_id": actor.pk if actor else None,
        "case_id": case.pk if case else None,
        "comment_id": comment.pk if comment else None,
        "essay_id": essay.pk if essay else None,
    }
    got = {field: getattr(event, field) for field in expected}
    for side, wanted in (("before", before), ("after", after)):
        recorded = getattr(event, side)
        for key, value in (wanted or {}).items():
            expected[f"{side}[{key}]"] = value
            got[f"{side}[{key}]"] = recorded.get(key, "<missing>")
    assert got == expected, f"{action} event: expected {expected}, got {got}"
    return event


def notices_of(user):
    return list(Notice.objects.filter(user=user).order_by("id").values_list("body", flat=True))


# Requests and what the pages show.


def client_for(user=None, **kwargs):
    """A fresh test client signed in as ``user`` (anonymous for None)."""
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def reply(client, essay, body, parent=None):
    """POST the reply form of ``essay`` (under ``parent`` if given)."""
    url = f"/essays/{essay.slug}/comments/{parent.pk}/reply/" if parent else None
    return client.post(url or f"/essays/{essay.slug}/reply/", {"body": body})


def case_action(client, case, action, **data):
    """POST one action of the case page, with the case's current version."""
    case.refresh_from_db()
    data.setdefault("version", case.version)
    return client.post(f"/moderation/cases/{case.pk}/{action}/", data, follow=True)


def html_of(response):
    return response.content.decode()


def flashes(response):
    """The flash messages shown on a page reached with ``follow=True``."""
    box = re.search(r'<ul class="messages" role="status">(.*?)</ul>', html_of(response), re.S)
    items = re.findall(r"<li[^>]*>(.*?)</li>", box.group(1), re.S) if box else []
    return [unescape(item).strip() for item in items]


def form_errors(response):
    """The text of a page's form errors (Django's ``errorlist``), unescaped."""
    items = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html_of(response), re.S)
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", item) for item in items))


# What every moderation page loads (templates/moderation/_scripts.html), in order.
MODERATION_SCRIPTS = (
    "htmx.min.js",
    "moderation-keys.js",
    "moderation-queue.js",
    "call-in-templates.js",
)


def page_scripts(response):
    """Check that a moderation page loads htmx and its keyboard shortcuts as deferred static
    files, with no inline script; returns htmx's config from the page's <meta>."""
    html = html_of(response)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    sources = [re.search(r'\bsrc="([^"]+)"', attrs) for attrs, _ in scripts]
    found = [src and src.group(1) for src in sources]
    wanted = [static(f"js/{name}") for name in MODERATION_SCRIPTS]
    assert found == wanted, f"scripts {found}, expected {wanted}"
    inline = [attrs for attrs, body in scripts if " defer" not in attrs or body.strip()]
    assert not inline, f"scripts not deferred or with inline code: {inline}"
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert config, "no htmx config"
    return json.loads(config.group(1))


# Concurrency: each work in its own thread, and so its own database connection.


def start_in_threads(*works):
    """Start each work in its own thread; returns the threads and the list their
    exceptions go to."""
    errors = []

    def run(work):
        try:
            work()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    return threads, errors


def join_all(threads, timeout):
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"


def admin_post_data(page):
    """What the browser would post back from an admin change page, unchanged."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value, widget = field.value(), field.field.widget
            if isinstance(widget, MultiWidget):
                for i, part in enumerate(widget.decompress(value)):
                    data[f"{field.html_name}_{i}"] = "" if part is None else str(part)
            elif value is not None:
                data[field.html_name] = value
    return data


class Clock:
    """``timezone.now()`` under a test's control: ``clock.at(moment)`` sets it."""

    def __init__(self, now):
        self.now = now

    def at(self, moment):
        self.now = moment


@contextmanager
def clock_at(start):
    """A ``Clock`` at ``start`` for the duration of the block."""
    clock = Clock(start)
    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock.now):
        yield clock
