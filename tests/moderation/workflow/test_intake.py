"""Intake: flags open and join cases, moderators open cases, claim and unclaim."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation import workflow
from moderation.models import REASON_WEIGHTS, URGENCY_PER_POINT, Annotation, Case, Flag, Reason
from tests.helpers import actions, fresh, last_event, make_comment, make_user
from threads.models import Comment

pytestmark = pytest.mark.django_db


# --- flag_comment ---------------------------------------------------------------------


def test_first_flag_opens_a_case_weighted_by_its_reason(flagger, comment):
    flag, case = workflow.flag_comment(flagger, comment, "heated", note="  Getting personal.  ")

    case = fresh(case)
    assert case.comment == comment and case.essay == comment.essay
    assert case.state == Case.State.OPEN
    assert case.opened_by == flagger
    assert case.weight == REASON_WEIGHTS[Reason.HEATED] == 3
    assert case.flag_count == 1
    assert case.reasons == {"heated": 1}
    assert case.urgency == case.opened_at - 3 * URGENCY_PER_POINT
    assert case.claimed_by is None and case.outcome == ""

    flag = fresh(flag)
    assert (flag.case, flag.flagger, flag.comment) == (case, flagger, comment)
    assert flag.reason == "heated" and flag.note == "Getting personal."
    assert actions(case) == ["case_opened", "flag_added"]


def test_second_flagger_joins_the_same_case(flagger, second_flagger, comment):
    _, first = workflow.flag_comment(flagger, comment, "heated")
    _, second = workflow.flag_comment(second_flagger, comment, "harmful")

    assert second.pk == first.pk
    assert Case.objects.filter(comment=comment).count() == 1
    case = fresh(first)
    assert case.flag_count == 2
    assert case.reasons == {"heated": 1, "harmful": 1}
    assert case.weight == 3 + 5
    assert case.urgency == case.opened_at - 8 * URGENCY_PER_POINT
    assert case.opened_by == flagger
    assert actions(case) == ["case_opened", "flag_added", "flag_added"]


def test_flags_with_the_same_reason_are_counted_each(flagger, second_flagger, comment):
    workflow.flag_comment(flagger, comment, "heated")
    _, case = workflow.flag_comment(second_flagger, comment, "heated")

    case = fresh(case)
    assert (case.reasons, case.flag_count, case.weight) == ({"heated": 2}, 2, 6)


def test_a_flag_and_its_change_are_logged_by_the_flagger_in_full(flagger, comment):
    flag, case = workflow.flag_comment(flagger, comment, "heated")

    assert fresh(flag).note == ""
    added = last_event("flag_added")
    assert (added.actor, added.case_id, added.before) == (flagger, case.pk, {})
    assert added.after == {"reason": "heated", "note": "", "weight": 1.0}

    workflow.flag_comment(flagger, comment, "harmful", note="Names a neighbour.")

    updated = last_event("flag_updated")
    assert (updated.actor, updated.case_id) == (flagger, case.pk)
    assert updated.before == {"reason": "heated", "note": ""}
    assert updated.after == {"reason": "harmful", "note": "Names a neighbour.", "weight": 1.0}


def test_same_reader_flagging_again_updates_their_flag(flagger, comment):
    _, case = workflow.flag_comment(flagger, comment, "heated", note="first")
    version = fresh(case).version

    flag, again = workflow.flag_comment(flagger, comment, "harmful", note="second")

    assert again.pk == case.pk
    assert Flag.objects.filter(comment=comment).count() == 1
    flag = fresh(flag)
    assert (flag.reason, flag.note) == ("harmful", "second")
    assert flag.updated >= flag.created
    case = fresh(case)
    assert case.flag_count == 1
    assert case.reasons == {"harmful": 1}
    assert case.weight == 5
    assert case.version > version
    assert actions(case) == ["case_opened", "flag_added", "flag_updated"]


def test_flagging_own_comment_is_refused(author, comment):
    with pytest.raises(workflow.Refused, match="your own comment"):
        workflow.flag_comment(author, comment, "heated")
    assert not Case.objects.exists() and not Flag.objects.exists()
    assert actions() == []


@pytest.mark.parametrize("status", [Comment.Status.WITHDRAWN, Comment.Status.HIDDEN])
def test_flagging_a_comment_that_is_not_shown_is_refused(flagger, comment, status):
    Comment.objects.filter(pk=comment.pk).update(status=status)

    with pytest.raises(workflow.Refused, match="no longer shown"):
        workflow.flag_comment(flagger, comment, "heated")
    assert not Case.objects.exists() and not Flag.objects.exists()


@pytest.mark.parametrize("reason", ["rude", "", None, "HEATED"])
def test_unknown_reason_is_refused(flagger, comment, reason):
    with pytest.raises(workflow.Refused, match="listed reasons"):
        workflow.flag_comment(flagger, comment, reason)
    assert not Case.objects.exists()


def test_overlong_flag_note_is_refused(flagger, comment):
    with pytest.raises(workflow.Refused, match="2,000"):
        workflow.flag_comment(flagger, comment, "other", note="x" * 2001)
    assert not Flag.objects.exists()


def test_imported_comment_without_author_can_be_flagged(flagger, imported_comment):
    _, case = workflow.flag_comment(flagger, imported_comment, "spam")
    assert fresh(case).weight == 4


def test_flag_after_resolution_opens_a_new_case(moderator, flagger, second_flagger, comment):
    _, old = workflow.flag_comment(flagger, comment, "heated")
    workflow.resolve(moderator, old, Case.Outcome.NO_ACTION)

    _, new = workflow.flag_comment(second_flagger, comment, "off_topic")

    assert new.pk != old.pk
    assert fresh(old).state == Case.State.RESOLVED
    new = fresh(new)
    assert new.state == Case.State.OPEN
    assert new.opened_by == second_flagger
    assert new.flag_count == 1 and new.reasons == {"off_topic": 1} and new.weight == 1
    assert actions(new) == ["case_opened", "flag_added"]


def test_same_reader_flagging_after_resolution_moves_their_flag_to_the_new_case(
    moderator, flagger, comment
):
    flag, old = workflow.flag_comment(flagger, comment, "heated")
    workflow.resolve(moderator, old, Case.Outcome.NO_ACTION)

    flag, new = workflow.flag_comment(flagger, comment, "harmful")

    assert new.pk != old.pk
    assert Flag.objects.filter(comment=comment).count() == 1
    assert fresh(flag).case_id == new.pk
    new = fresh(new)
    assert new.state == Case.State.OPEN
    # "no action" lowered the flagger's track record by one step: 5 x 0.75.
    assert (new.flag_count, new.reasons, new.weight) == (1, {"harmful": 1}, 3.75)
    assert (fresh(old).flag_count, fresh(old).weight) == (0, 0)
    assert actions(new) == ["case_opened", "flag_updated"]


@pytest.mark.parametrize("severe", ["harmful", "spam"])
def test_severe_reasons_sort_before_an_older_heated_case(monkeypatch, flagger, space, severe):
    start = timezone.now()
    older = make_comment(space, author=make_user("a1"), body="Older and heated.")
    newer = make_comment(space, author=make_user("a2"), body="Newer.")

    monkeypatch.setattr(timezone, "now", lambda: start)
    _, heated = workflow.flag_comment(flagger, older, "heated")
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=1))
    _, urgent = workflow.flag_comment(flagger, newer, severe)

    heated, urgent = fresh(heated), fresh(urgent)
    assert heated.opened_at < urgent.opened_at
    assert urgent.urgency < heated.urgency
    queue = Case.objects.exclude(state=Case.State.RESOLVED).order_by("urgency", "id")
    assert list(queue) == [urgent, heated]


def test_equal_reasons_keep_first_come_first_served(monkeypatch, flagger, space):
    start = timezone.now()
    first = make_comment(space, author=make_user("a1"))
    second = make_comment(space, author=make_user("a2"))
    monkeypatch.setattr(timezone, "now", lambda: start)
    _, a = workflow.flag_comment(flagger, first, "heated")
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(minutes=5))
    _, b = workflow.flag_comment(flagger, second, "heated")

    assert list(Case.objects.order_by("urgency", "id")) == [a, b]


# --- open_case ------------------------------------------------------------------------


def test_moderator_opens_a_case_without_a_flag(moderator, comment):
    case, created = workflow.open_case(moderator, comment, note="Watch this subthread.")

    assert created is True
    case = fresh(case)
    assert case.state == Case.State.OPEN
    assert case.opened_by == moderator
    assert (case.weight, case.flag_count, case.reasons) == (0, 0, {})
    assert case.urgency == case.opened_at
    assert not Flag.objects.exists()
    note = Annotation.objects.get(case=case)
    assert note.kind == Annotation.Kind.COMMENT_NOTE
    assert note.body == "Watch this subthread." and note.created_by == moderator
    assert actions(case) == ["case_opened"]


def test_open_case_again_returns_the_existing_open_case(moderator, second_moderator, comment):
    case, _ = workflow.open_case(moderator, comment)

    again, created = workflow.open_case(second_moderator, comment, note="Another note.")

    assert created is False
    assert again.pk == case.pk
    assert Case.objects.filter(comment=comment).count() == 1
    assert not Annotation.objects.exists()
    assert actions() == ["case_opened"]


def test_open_case_joins_a_case_opened_by_a_flag(moderator, case):
    again, created = workflow.open_case(moderator, case.comment)
    assert (again.pk, created) == (case.pk, False)


def test_open_case_after_resolution_opens_a_new_one(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION)
    new, created = workflow.open_case(moderator, case.comment)
    assert created is True and new.pk != case.pk


def test_flag_joins_a_case_a_moderator_opened(moderator, flagger, comment):
    case, _ = workflow.open_case(moderator, comment)
    _, joined = workflow.flag_comment(flagger, comment, "needs_context")
    assert joined.pk == case.pk
    case = fresh(case)
    assert (case.weight, case.flag_count, case.opened_by) == (1, 1, moderator)
    assert case.urgency == case.opened_at - URGENCY_PER_POINT


# --- claim / unclaim ------------------------------------------------------------------


def test_claim_assigns_the_case_and_bumps_its_version(moderator, case):
    version = fresh(case).version

    workflow.claim(moderator, case, version=version)

    case = fresh(case)
    assert case.claimed_by == moderator and case.claimed_at is not None
    assert case.version == version + 1
    assert actions(case)[-1] == "case_claimed"


def test_claiming_ones_own_case_again_changes_nothing(moderator, case):
    workflow.claim(moderator, case)
    version = fresh(case).version

    workflow.claim(moderator, case, version=version)

    assert fresh(case).version == version
    assert actions(case).count("case_claimed") == 1


def test_claim_takes_over_from_another_moderator(moderator, second_moderator, case):
    workflow.claim(moderator, case)
    workflow.claim(second_moderator, case)
    assert fresh(case).claimed_by == second_moderator
    assert actions(case).count("case_claimed") == 2


def test_unclaim_releases_the_case(moderator, case):
    workflow.claim(moderator, case)
    version = fresh(case).version

    workflow.unclaim(moderator, case, version=version)

    case = fresh(case)
    assert case.claimed_by is None and case.claimed_at is None
    assert case.version == version + 1
    assert actions(case)[-1] == "case_unclaimed"


def test_unclaim_of_an_unclaimed_case_changes_nothing(moderator, case):
    version = fresh(case).version
    workflow.unclaim(moderator, case)
    assert fresh(case).version == version
    assert "case_unclaimed" not in actions(case)


@pytest.mark.parametrize("action", [workflow.claim, workflow.unclaim])
def test_claim_or_unclaim_with_a_stale_version_is_a_conflict(
    moderator, second_moderator, case, action
):
    workflow.claim(second_moderator, case)
    case = fresh(case)
    stale = case.version - 1
    logged = actions()

    with pytest.raises(workflow.Conflict, match="Another moderator"):
        action(moderator, case, version=stale)

    after = fresh(case)
    assert after.version == case.version
    assert after.claimed_by == second_moderator
    assert actions() == logged


def test_claiming_a_resolved_case_is_a_conflict(moderator, second_moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION)
    version = fresh(case).version
    with pytest.raises(workflow.Conflict, match="Resolved"):
        workflow.claim(second_moderator, case, version=version)
    assert fresh(case).claimed_by is None
