import pytest
from django.contrib.auth import get_user_model
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
