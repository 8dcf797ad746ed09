"""Fixtures and helpers shared by the moderation workflow tests.

Test modules take the fixtures with ``from tests.workflow_helpers import *`` (only the
names in ``__all__``) and import the helper functions by name.  Nothing here depends
on ``tests/conftest.py``; helpers' asserts carry their own messages, since pytest does
not rewrite asserts in this module.
"""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from moderation import workflow
from moderation.models import Case, Message, ModerationEvent
from threads.models import Comment, Essay
from threads.posting import insert_comment

# The fixtures, for the star import (pytest finds fixtures among a module's names).
__all__ = [
    "author",
    "called_in_case",
    "case",
    "comment",
    "flagger",
    "imported_comment",
    "moderator",
    "second_flagger",
    "second_moderator",
    "space",
]

_numbers = itertools.count(1)


def make_user(username, group=None):
    user = get_user_model().objects.create_user(username, password="pw-" + username)
    if group:
        # Groups come from migration 0002; a transactional test's flush removes them.
        found = Group.objects.filter(name=group).first()
        if found is not None:
            user.groups.add(found)
    return user


def make_essay(**fields):
    n = next(_numbers)
    fields.setdefault("slug", f"space-{n}")
    fields.setdefault("title", f"Space {n}")
    return Essay.objects.create(**fields)


def make_comment(essay, author=None, body="A comment.", parent=None, **fields):
    """Insert a comment the way the app does (through posting.insert_comment)."""
    fields.setdefault("author_name", author.get_username() if author else "Imported Person")
    comment = Comment(essay=essay, author=author, body=body, created=timezone.now(), **fields)
    with transaction.atomic():
        return insert_comment(comment, parent)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def actions(case=None, **filters):
    """The actions logged (oldest first), for one case or by other filters."""
    events = ModerationEvent.objects.order_by("id")
    if case is not None:
        filters["case"] = case
    return list(events.filter(**filters).values_list("action", flat=True))


def last_event(action, **filters):
    return ModerationEvent.objects.filter(action=action, **filters).order_by("-id").first()


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


@pytest.fixture
def space(db):
    return make_essay()


@pytest.fixture
def moderator(db):
    return make_user("mod", "moderators")


@pytest.fixture
def second_moderator(db):
    return make_user("mod2", "moderators")


@pytest.fixture
def author(db):
    return make_user("author")


@pytest.fixture
def flagger(db):
    return make_user("flagger")


@pytest.fixture
def second_flagger(db):
    return make_user("flagger2")


@pytest.fixture
def comment(space, author):
    return make_comment(space, author, "You clearly have no idea what you are talking about.")


@pytest.fixture
def imported_comment(space):
    return make_comment(space, None, "An imported comment.", import_key="src-1")


@pytest.fixture
def case(flagger, comment):
    """An open case opened by one heated flag."""
    _, case = workflow.flag_comment(flagger, comment, "heated")
    return case


@pytest.fixture
def called_in_case(moderator, case):
    """The case after a call-in to its (account-holding) author: waiting."""
    workflow.call_in(moderator, case, "Hello, would you reread your comment?")
    case = fresh(case)
    assert case.state == Case.State.WAITING
    assert case.messages.filter(kind=Message.Kind.CALL_IN).count() == 1
    return case
