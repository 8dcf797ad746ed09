"""De-escalation: paused replies, collapsed subthreads, slow mode, paused visibility."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import workflow
from moderation.models import Case
from tests.helpers import actions, assert_event, fresh, make_comment, make_user
from threads.errors import Refused
from threads.models import Comment, Essay
from threads.posting import post_comment

pytestmark = pytest.mark.django_db

BAD_DURATIONS = [timedelta(0), timedelta(seconds=-1), timedelta(days=30, seconds=1)]


def reply(comment, user, body="A reply."):
    """A reader replies under ``comment`` the way the app does."""
    comment = fresh(comment)
    return post_comment(comment.essay, user, body, parent=comment)


# --- pause_replies / resume_replies --------------------------------------------------


def test_paused_replies_refuse_new_replies_under_the_comment(moderator, flagger, comment):
    before = timezone.now()

    workflow.pause_replies(moderator, comment, timedelta(hours=2))

    paused = fresh(comment)
    assert paused.replies_paused()
    assert before + timedelta(hours=2) <= paused.replies_paused_until
    assert paused.replies_paused_until <= timezone.now() + timedelta(hours=2)
    with pytest.raises(Refused, match="resting"):
        reply(comment, flagger)
    assert not comment.children.exists()
    assert actions(comment=comment) == ["replies_paused"]


def test_paused_replies_leave_the_rest_of_the_discussion_open(moderator, flagger, comment):
    workflow.pause_replies(moderator, comment, timedelta(hours=2))
    other = make_comment(comment.essay, author=make_user("someone"), body="Elsewhere.")
    assert reply(other, flagger).parent_id == other.pk
    assert post_comment(comment.essay, flagger, "Top level.").parent_id is None


def test_resume_replies_lets_replies_in_again(moderator, flagger, comment):
    workflow.pause_replies(moderator, comment, timedelta(hours=2))

    workflow.resume_replies(moderator, comment)

    assert fresh(comment).replies_paused_until is None
    assert reply(comment, flagger).parent_id == comment.pk
    assert actions(comment=comment) == ["replies_paused", "replies_resumed"]


def test_replies_are_accepted_once_the_pause_has_run_out(moderator, flagger, comment):
    workflow.pause_replies(moderator, comment, timedelta(hours=2))
    Comment.objects.filter(pk=comment.pk).update(
        replies_paused_until=timezone.now() - timedelta(seconds=1)
    )

    assert not fresh(comment).replies_paused()
    assert reply(comment, flagger).parent_id == comment.pk
    with pytest.raises(workflow.Refused, match="not paused"):
        workflow.resume_replies(moderator, comment)


def test_resume_replies_when_not_paused_is_refused(moderator, comment):
    with pytest.raises(workflow.Refused, match="not paused"):
        workflow.resume_replies(moderator, comment)
    assert actions() == []


def test_pause_replies_within_a_case_is_logged_on_the_case(moderator, case):
    workflow.pause_replies(moderator, case.comment, timedelta(minutes=30), case=case)
    assert actions(case)[-1] == "replies_paused"


@pytest.mark.parametrize("duration", [*BAD_DURATIONS, None])
def test_pause_replies_needs_a_duration_up_to_30_days(moderator, comment, duration):
    with pytest.raises(workflow.Refused, match="duration"):
        workflow.pause_replies(moderator, comment, duration)
    assert fresh(comment).replies_paused_until is None
    assert actions() == []


def test_pause_replies_for_exactly_30_days_is_accepted(moderator, comment):
    workflow.pause_replies(moderator, comment, timedelta(days=30))
    assert fresh(comment).replies_paused()


# --- collapse / expand ----------------------------------------------------------------


def test_collapse_folds_the_subthread_until_expanded(moderator, comment):
    workflow.collapse(moderator, comment)

    collapsed = fresh(comment)
    assert collapsed.collapsed and collapsed.collapsed_until is None
    assert collapsed.is_collapsed()

    workflow.expand(moderator, comment)

    expanded = fresh(comment)
    assert not expanded.collapsed and expanded.collapsed_until is None
    assert not expanded.is_collapsed()
    assert actions(comment=comment) == ["subthread_collapsed", "subthread_expanded"]


def test_collapse_for_a_while_ends_on_its_own(moderator, comment):
    workflow.collapse(moderator, comment, timedelta(hours=1))
    assert fresh(comment).is_collapsed()

    Comment.objects.filter(pk=comment.pk).update(
        collapsed_until=timezone.now() - timedelta(seconds=1)
    )

    assert not fresh(comment).is_collapsed()
    with pytest.raises(workflow.Refused, match="not collapsed"):
        workflow.expand(moderator, comment)


def test_collapse_does_not_stop_replies(moderator, flagger, comment):
    workflow.collapse(moderator, comment)
    assert reply(comment, flagger).parent_id == comment.pk


def test_expand_when_not_collapsed_is_refused(moderator, comment):
    with pytest.raises(workflow.Refused, match="not collapsed"):
        workflow.expand(moderator, comment)
    assert actions() == []


@pytest.mark.parametrize("duration", BAD_DURATIONS)
def test_collapse_duration_must_be_positive_and_at_most_30_days(moderator, comment, duration):
    with pytest.raises(workflow.Refused, match="duration"):
        workflow.collapse(moderator, comment, duration)
    assert not fresh(comment).collapsed
    assert actions() == []


# --- slow mode -----------------------------------------------------------------------


def test_slow_mode_refuses_a_second_comment_within_the_interval(
    moderator, flagger, second_flagger, space
):
    workflow.set_slow_mode(moderator, space, 600)
    space = fresh(space)
    assert space.slow_mode_seconds == 600 and space.slow_mode_until is None
    assert space.slow_mode_active()

    post_comment(space, flagger, "First.")
    with pytest.raises(Refused, match="slow mode"):
        post_comment(space, flagger, "Second, too soon.")
    # Another reader is not affected.
    post_comment(space, second_flagger, "Mine.")
    assert Comment.objects.filter(essay=space, author=flagger).count() == 1
    assert Comment.objects.filter(essay=space, author=second_flagger).count() == 1


def test_slow_mode_allows_the_next_comment_after_the_interval(moderator, flagger, space):
    workflow.set_slow_mode(moderator, space, 600)
    first = post_comment(fresh(space), flagger, "First.")
    Comment.objects.filter(pk=first.pk).update(created=timezone.now() - timedelta(seconds=601))

    post_comment(fresh(space), flagger, "Second, later.")


def test_slow_mode_zero_lifts_it(moderator, flagger, space):
    workflow.set_slow_mode(moderator, space, 600, duration=timedelta(hours=1))
    post_comment(fresh(space), flagger, "First.")

    workflow.set_slow_mode(moderator, space, 0)

    space = fresh(space)
    assert space.slow_mode_seconds == 0 and space.slow_mode_until is None
    assert not space.slow_mode_active()
    post_comment(space, flagger, "Second, right away.")
    assert actions(essay=space) == ["slow_mode_set", "slow_mode_lifted"]


def test_slow_mode_for_a_while_ends_on_its_own(moderator, flagger, space):
    workflow.set_slow_mode(moderator, space, 600, duration=timedelta(hours=1))
    assert fresh(space).slow_mode_until is not None
    post_comment(fresh(space), flagger, "First.")
    Essay.objects.filter(pk=space.pk).update(slow_mode_until=timezone.now() - timedelta(seconds=1))

    post_comment(fresh(space), flagger, "Second.")


@pytest.mark.parametrize("duration", BAD_DURATIONS)
def test_slow_mode_duration_must_be_positive_and_at_most_30_days(moderator, space, duration):
    with pytest.raises(workflow.Refused, match="duration"):
        workflow.set_slow_mode(moderator, space, 60, duration=duration)
    assert fresh(space).slow_mode_seconds == 0
    assert actions() == []


@pytest.mark.parametrize("seconds", [-1, 24 * 3600 + 1])
def test_slow_mode_interval_must_be_between_0_and_24_hours(moderator, space, seconds):
    with pytest.raises(workflow.Refused, match="interval"):
        workflow.set_slow_mode(moderator, space, seconds)
    assert fresh(space).slow_mode_seconds == 0


def test_slow_mode_events_name_the_essay_only(moderator, space):
    workflow.set_slow_mode(moderator, space, 120)
    assert_event(
        "slow_mode_set",
        actor=moderator,
        essay=space,
        before={"slow_mode_seconds": 0, "until": None},
        after={"slow_mode_seconds": 120, "until": None},
    )


# --- visibility pause -----------------------------------------------------------------


def test_pause_visibility_hides_the_text_but_keeps_the_comment_visible(moderator, case):
    version = fresh(case).version

    workflow.pause_visibility(moderator, case, version=version)

    comment = fresh(case.comment)
    assert comment.visibility_paused and comment.is_visible and not comment.is_shown
    assert fresh(case).version == version + 1
    assert actions(case)[-1] == "visibility_paused"


def test_pause_visibility_with_a_stale_version_is_a_conflict(moderator, case):
    stale = fresh(case).version - 1
    with pytest.raises(workflow.Conflict):
        workflow.pause_visibility(moderator, case, version=stale)
    assert not fresh(case.comment).visibility_paused


def test_restore_visibility_shows_the_comment_again(moderator, case):
    workflow.call_in(moderator, case, "Hello.", pause_visibility=True)
    version = fresh(case).version

    workflow.restore_visibility(moderator, case.comment, case=case)

    comment = fresh(case.comment)
    assert not comment.visibility_paused and comment.is_shown
    assert fresh(case).version == version + 1
    assert fresh(case).state == Case.State.WAITING
    assert actions(case)[-1] == "visibility_restored"


def test_restore_visibility_of_a_shown_comment_is_refused(moderator, comment):
    with pytest.raises(workflow.Refused, match="already shown"):
        workflow.restore_visibility(moderator, comment)
    assert actions() == []
