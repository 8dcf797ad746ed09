"""The fixtures every test may take: spaces, people, comments, cases; and the test setup
(fast hashing, a fresh cache, the roles groups, the log's triggers past the flush)."""

import importlib
from unittest.mock import patch

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection

from moderation import workflow
from moderation.models import Case, Message
from tests.helpers import client_for, fresh, make_comment, make_essay, make_user
from threads.models import Comment, Essay

HEATED_REMARK = "You clearly have no idea what you are talking about."


# Spaces.


@pytest.fixture
def seeded(db):
    """Both seeds, loaded from fixtures/seeds.json as `make run` does."""
    call_command("loaddata", "seeds", verbosity=0)


@pytest.fixture
def essay(db):
    """The space the page tests address by URL: /essays/essay/."""
    return Essay.objects.create(slug="essay", title="An essay", subtitle="About things")


@pytest.fixture
def space(db):
    """A space with a numbered slug, for tests that never type its URL."""
    return make_essay()


# People: each fixture's username is its password's suffix (pw-<username>).


@pytest.fixture
def reader(db):
    return make_user("reader")


@pytest.fixture
def other_reader(db):
    return make_user("other")


@pytest.fixture
def author(db):
    """The author of ``comment``, with an account."""
    return make_user("author")


@pytest.fixture
def writer(db):
    """The author of ``writer_comment`` (on ``essay``), with an account."""
    return make_user("writer")


@pytest.fixture
def flagger(db):
    return make_user("flagger")


@pytest.fixture
def second_flagger(db):
    return make_user("flagger2")


@pytest.fixture
def moderator(db):
    return make_user("mod", "moderators")


@pytest.fixture
def second_moderator(db):
    return make_user("mod2", "moderators")


@pytest.fixture
def organizer(db):
    return make_user("org", "organizers")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="pw-root")


@pytest.fixture
def signed_in(client, reader):
    """The test client, signed in as ``reader``."""
    client.force_login(reader)
    return client


@pytest.fixture
def moderator_client(moderator):
    return client_for(moderator)


@pytest.fixture
def organizer_client(organizer):
    return client_for(organizer)


# Comments and cases.


@pytest.fixture
def seed_comment(seeded):
    """Seed 000's comment "I think this is an inaccurate understanding of hatred…"."""
    return Comment.objects.get(body__startswith="I think this is an inaccurate")


@pytest.fixture
def comment(space, author):
    """A heated comment by ``author`` in ``space``."""
    return make_comment(space, body=HEATED_REMARK, author=author)


@pytest.fixture
def writer_comment(essay, writer):
    """The same heated remark by ``writer``, in ``essay`` (the one with a URL)."""
    return make_comment(essay, body=HEATED_REMARK, author=writer)


@pytest.fixture
def imported_comment(space):
    return make_comment(space, body="An imported comment.", import_key="src-1")


@pytest.fixture
def case(flagger, comment):
    """An open case on ``comment``: one heated flag by ``flagger``, without a note."""
    _, case = workflow.flag_comment(flagger, comment, "heated")
    return case


@pytest.fixture
def flagged_case(reader, writer_comment):
    """An open case on ``writer_comment``: one heated flag with a note, by ``reader``."""
    _, case = workflow.flag_comment(reader, writer_comment, "heated", "Feels like a pile-on.")
    return case


@pytest.fixture
def called_in_case(moderator, case):
    """``case`` after a call-in to its (account-holding) author: waiting."""
    workflow.call_in(moderator, case, "Hello, would you reread your comment?")
    case = fresh(case)
    assert case.state == Case.State.WAITING
    assert case.messages.filter(kind=Message.Kind.CALL_IN).count() == 1
    return case


# Settings.


@pytest.fixture
def no_heat(settings):
    """Heat scoring off, so the reply form never comes back with a nudge and no heat case
    opens: for tests about other rules."""
    settings.HEAT_SCORING = False


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings):
    """Jobs (author emails, webhooks) run in the process that queues them, after the commit;
    tests of the queue itself (tests/moderation/test_webhooks.py) switch to the database."""
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 at full strength costs ~0.3 s a password; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts with an empty local-memory cache (rate-limit counters live there),
    even when REDIS_URL is set: a test never clears a real Redis."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    cache.clear()


def ensure_roles():
    """The moderators and organizers groups with their permissions, as migration 0002
    makes them: the flush after each transactional test (live server, concurrency)
    empties the groups table for the tests that follow (permissions come back by themselves)."""
    roles = importlib.import_module("moderation.migrations.0002_roles_and_append_only_log").ROLES
    for name, perms in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *(
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in perms
            )
        )


@pytest.fixture(scope="session", autouse=True)
def flush_past_the_log_triggers():
    """The flush after a transactional test TRUNCATEs every table, and on PostgreSQL the
    moderation log's triggers refuse TRUNCATE (migration 0007). The test flush runs as a
    replica session, where ordinary triggers do not fire (a superuser setting: the tests
    connect as one); nothing else gets past them."""
    if connection.vendor != "postgresql":
        yield
        return
    original = type(connection.ops).sql_flush

    def sql_flush(ops, style, tables, **options):
        statements = original(ops, style, tables, **options)
        return ["SET LOCAL session_replication_role = replica", *statements] if statements else []

    with patch.object(type(connection.ops), "sql_flush", sql_flush):
        yield


@pytest.fixture(autouse=True)
def roles(request):
    """Every test with a database sees the groups its migration made (see ensure_roles)."""
    if request.node.get_closest_marker("django_db") or "_django_db_helper" in request.fixturenames:
        request.getfixturevalue("_django_db_helper")  # the database as the test asked for it
        if not Group.objects.exists():
            ensure_roles()
