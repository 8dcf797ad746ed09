"""The helpers every workflow action shares (workflow.cases), called directly: a case callin
opens itself gathers the watched words of every screening (gaps found by `make mutate`)."""

import pytest

from moderation.models import Case
from moderation.workflow.cases import open_system_case
from tests.helpers import fresh

pytestmark = pytest.mark.django_db


def test_a_system_case_gathers_the_watched_words_of_each_screening(comment):
    case, created = open_system_case(comment, Case.Origin.WATCHED_WORD, "watched", ["plum"])
    assert created and fresh(case).watched_words == ["plum"]

    again, created = open_system_case(comment, Case.Origin.WATCHED_WORD, "watched", ["fig", "plum"])

    assert (again.pk, created) == (case.pk, False)
    assert fresh(case).watched_words == ["fig", "plum"]


def test_a_system_case_without_words_keeps_the_ones_it_has(comment):
    case, _ = open_system_case(comment, Case.Origin.WATCHED_WORD, "watched", ["plum"])

    open_system_case(comment, Case.Origin.HEAT, "heated")

    assert fresh(case).watched_words == ["plum"]
