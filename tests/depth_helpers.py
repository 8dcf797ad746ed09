"""Fixtures and helpers shared by the moderation-depth tests (issue 7).

Test modules take the fixtures with ``from tests.depth_helpers import *`` (only the
names in ``__all__``; nothing here is autouse) next to ``tests.workflow_helpers``,
and import the helper functions by name.  Helpers' asserts carry their own
messages, since pytest does not rewrite asserts in this module.
"""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.test import Client

from moderation.models import ModerationEvent, Notice
from threads.models import Comment

from .workflow_helpers import make_user

__all__ = ["no_heat", "organizer", "superuser"]

# A fixed start for the frozen clock (time_machine.travel(..., tick=False)).
T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def no_heat(settings):
    """Heat scoring off, so the reply form never comes back with a nudge and no heat case
    opens: these tests are about other rules."""
    settings.HEAT_SCORING = False


@pytest.fixture
def organizer(db):
    return make_user("org", "organizers")


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", password="pw-root")


def client_for(user=None):
    """A test client signed in as ``user`` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


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


def reply(client, essay, body, parent=None):
    """POST the reply form of ``essay`` (under ``parent`` if given)."""
    url = f"/essays/{essay.slug}/comments/{parent.pk}/reply/" if parent else None
    return client.post(url or f"/essays/{essay.slug}/reply/", {"body": body})


def case_action(client, case, action, **data):
    case.refresh_from_db()
    data.setdefault("version", case.version)
    return client.post(f"/moderation/cases/{case.pk}/{action}/", data, follow=True)


def notices_of(user):
    return list(Notice.objects.filter(user=user).order_by("id").values_list("body", flat=True))


def event_count():
    return ModerationEvent.objects.count()


def thread_ids(essay):
    return list(Comment.objects.filter(essay=essay).order_by("id").values_list("id", flat=True))
