import importlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from threads.models import Comment, Essay


@pytest.fixture
def seeded(db):
    """Both seeds, loaded from fixtures/seeds.json as `make run` does."""
    call_command("loaddata", "seeds", verbosity=0)


@pytest.fixture
def essay(db):
    return Essay.objects.create(slug="essay", title="An essay", subtitle="About things")


@pytest.fixture
def make_user(db):
    def make(username, **extra):
        return get_user_model().objects.create_user(username, password="pw-" + username, **extra)

    return make


@pytest.fixture
def reader(make_user):
    return make_user("reader")


@pytest.fixture
def other_reader(make_user):
    return make_user("other")


@pytest.fixture
def seed_comment(seeded):
    """Seed 000's comment "I think this is an inaccurate understanding of hatred…"."""
    return Comment.objects.get(body__startswith="I think this is an inaccurate")


@pytest.fixture
def add_comment(db):
    """Insert a comment the way the app does (through posting.insert_comment)."""
    from django.db import transaction
    from django.utils import timezone

    from threads.posting import insert_comment

    def add(essay, body="A comment.", parent=None, author=None, **fields):
        fields.setdefault("author_name", author.get_username() if author else "Someone")
        comment = Comment(essay=essay, author=author, body=body, created=timezone.now(), **fields)
        with transaction.atomic():
            return insert_comment(comment, parent)

    return add


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


@pytest.fixture(autouse=True)
def roles(request):
    """Every test with a database sees the groups its migration made (see ensure_roles)."""
    if request.node.get_closest_marker("django_db") or "_django_db_helper" in request.fixturenames:
        request.getfixturevalue("_django_db_helper")  # the database as the test asked for it
        if not Group.objects.exists():
            ensure_roles()
