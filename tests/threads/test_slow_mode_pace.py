"""Slow mode's pace (posting.check_pace): the exact boundary, and only this discussion's
comments by this author count (gaps found by `make mutate`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.helpers import make_comment, make_essay
from threads.errors import Refused
from threads.models import Comment
from threads.posting import check_pace

pytestmark = pytest.mark.django_db

PACE = 60


@pytest.fixture
def slow_space():
    return make_essay(slow_mode_seconds=PACE)


def posted(essay, author, seconds_ago, now):
    """A comment by ``author`` in ``essay`` posted ``seconds_ago`` before ``now``."""
    comment = make_comment(essay, author=author)
    Comment.objects.filter(pk=comment.pk).update(created=now - timedelta(seconds=seconds_ago))
    return comment


def test_posting_exactly_when_the_pause_ends_is_allowed(slow_space, author):
    now = timezone.now()
    posted(slow_space, author, PACE, now)

    check_pace(slow_space, author, None, now)  # no Refused


def test_posting_one_second_before_the_pause_ends_is_refused(slow_space, author):
    now = timezone.now()
    posted(slow_space, author, PACE - 1, now)

    with pytest.raises(Refused, match="You can post again in 1 minute"):
        check_pace(slow_space, author, None, now)


def test_only_the_authors_latest_comment_counts(slow_space, author):
    now = timezone.now()
    posted(slow_space, author, PACE * 5, now)
    posted(slow_space, author, 10, now)

    with pytest.raises(Refused, match="slow mode"):
        check_pace(slow_space, author, None, now)


def test_a_comment_in_another_discussion_does_not_count(slow_space, author):
    now = timezone.now()
    posted(make_essay(slow_mode_seconds=PACE), author, 1, now)

    check_pace(slow_space, author, None, now)


def test_someone_elses_comment_does_not_count(slow_space, author, reader):
    now = timezone.now()
    posted(slow_space, reader, 1, now)

    check_pace(slow_space, author, None, now)
