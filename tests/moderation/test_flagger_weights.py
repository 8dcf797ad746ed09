"""Flagger track records: weights from agreement, weighted cases, and general-terms notices."""

from datetime import timedelta

import pytest

from moderation import queries, workflow
from moderation.models import Case, Flag, FlaggerRecord, Notice
from tests.helpers import fresh, make_comment, make_user

AGREEING = ["hidden", "revised", "withdrawn", "annotated"]


def record_of(user):
    record = FlaggerRecord.objects.filter(user=user).first()
    return (record.agreed, record.disagreed) if record else (0, 0)


def resolve(moderator, case, outcome):
    # Hiding before a call-in needs a severe reason; the others need nothing.
    hide_reason = "spam" if outcome == "hidden" else None
    return workflow.resolve(moderator, case, outcome, "", hide_reason)


@pytest.fixture
def zeb(db):
    """An author with a name that no general-terms notice would contain by chance."""
    return make_user("zebulon")


@pytest.fixture
def marmalade(space, zeb):
    return make_comment(space, author=zeb, body="Marmalade is a crime against oranges.")


# --- the arithmetic --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "agreed, disagreed, weight",
    [
        (0, 0, 1.0),
        (1, 0, 1.25),
        (4, 0, 2.0),
        (8, 0, 3.0),
        (9, 0, 3.0),
        (50, 0, 3.0),
        (0, 1, 0.75),
        (0, 3, 0.25),
        (0, 4, 0.25),
        (0, 40, 0.25),
        (5, 2, 1.75),
        (10, 10, 1.0),
        (12, 5, 2.75),
    ],
)
def test_weight_is_one_plus_a_quarter_per_net_agreement_clamped(agreed, disagreed, weight):
    assert FlaggerRecord(agreed=agreed, disagreed=disagreed).weight == weight


def test_a_reader_without_a_record_weighs_one(flagger):
    assert workflow.flagger_weight(flagger) == 1.0
    FlaggerRecord.objects.create(user=flagger, agreed=2)
    assert workflow.flagger_weight(flagger) == 1.5


def test_case_weight_is_reason_weight_times_flagger_weight(
    moderator, space, author, flagger, second_flagger
):
    FlaggerRecord.objects.create(user=flagger, agreed=4)  # weight 2.0
    FlaggerRecord.objects.create(user=second_flagger, disagreed=2)  # weight 0.5
    comment = make_comment(space, author=author, body="Something.")
    flag, case = workflow.flag_comment(flagger, comment, "heated")
    assert flag.weight == 2.0
    assert fresh(case).weight == 6.0  # heated 3 x 2.0
    flag, case = workflow.flag_comment(second_flagger, comment, "harmful")
    assert flag.weight == 0.5
    case = fresh(case)
    assert case.weight == 8.5  # + harmful 5 x 0.5
    assert case.reasons == {"heated": 1, "harmful": 1} and case.flag_count == 2
    assert case.urgency == case.opened_at - 8.5 * timedelta(hours=2)


def test_a_trusted_flaggers_flag_weighs_more_than_a_new_ones(
    space, author, flagger, second_flagger
):
    FlaggerRecord.objects.create(user=flagger, agreed=3)  # weight 1.75
    trusted_comment = make_comment(space, author=author, body="One.")
    new_comment = make_comment(space, author=author, body="Two.")
    _, new_case = workflow.flag_comment(second_flagger, new_comment, "heated")
    _, trusted_case = workflow.flag_comment(flagger, trusted_comment, "heated")
    assert fresh(trusted_case).weight == 5.25 and fresh(new_case).weight == 3.0
    # Opened later, yet first in the queue.
    assert [c.pk for c in queries.queue()] == [trusted_case.pk, new_case.pk]


def test_a_changed_flag_takes_the_flaggers_weight_now(space, author, flagger):
    comment = make_comment(space, author=author, body="Something.")
    _, case = workflow.flag_comment(flagger, comment, "off_topic")
    assert fresh(case).weight == 1.0
    FlaggerRecord.objects.create(user=flagger, disagreed=1)
    workflow.flag_comment(flagger, comment, "harmful")
    assert fresh(case).weight == 3.75  # harmful 5 x 0.75
    assert fresh(case).flag_count == 1


# --- agreement, once -----------------------------------------------------------------------


@pytest.mark.parametrize("outcome", AGREEING)
def test_agreeing_outcomes_count_for_each_flagger(
    moderator, case, second_flagger, flagger, outcome
):
    workflow.flag_comment(second_flagger, case.comment, "off_topic")
    resolve(moderator, case, outcome)
    assert record_of(flagger) == (1, 0)
    assert record_of(second_flagger) == (1, 0)
    assert workflow.flagger_weight(flagger) == 1.25
    assert Flag.objects.filter(case=case, reviewed_at__isnull=True).count() == 0


def test_no_action_counts_against_each_flagger(moderator, case, second_flagger, flagger):
    workflow.flag_comment(second_flagger, case.comment, "off_topic")
    resolve(moderator, case, "no_action")
    assert record_of(flagger) == (0, 1)
    assert record_of(second_flagger) == (0, 1)
    assert workflow.flagger_weight(flagger) == 0.75


@pytest.mark.parametrize("outcome", ["deescalated", "escalated"])
def test_deescalated_and_escalated_count_neither_way(moderator, case, flagger, outcome):
    resolve(moderator, case, outcome)
    assert record_of(flagger) == (0, 0)
    assert workflow.flagger_weight(flagger) == 1.0


def test_resolving_again_after_a_reopen_does_not_count_twice(moderator, case, flagger):
    resolve(moderator, case, "annotated")
    workflow.reopen(moderator, case, "Second look.")
    resolve(moderator, case, "annotated")
    workflow.reopen(moderator, case, "Third look.")
    resolve(moderator, case, "no_action")
    assert record_of(flagger) == (1, 0)
    assert Notice.objects.filter(user=flagger).count() == 1


def test_an_escalated_case_counts_when_it_is_finally_decided(moderator, case, flagger):
    resolve(moderator, case, "escalated")
    assert not Notice.objects.filter(user=flagger).exists()
    workflow.reopen(moderator, case, "The admins sent it back.")
    resolve(moderator, case, "hidden")
    assert record_of(flagger) == (1, 0)
    assert Notice.objects.filter(user=flagger).count() == 1


def test_a_new_flag_after_a_resolution_counts_on_its_own_case(moderator, case, flagger):
    resolve(moderator, case, "no_action")
    _, second = workflow.flag_comment(flagger, case.comment, "harmful")
    assert second.pk != case.pk
    assert Flag.objects.get(flagger=flagger).reviewed_at is None
    resolve(moderator, second, "annotated")
    assert record_of(flagger) == (1, 1)


def test_agreement_builds_up_to_the_cap(moderator, space, author, flagger):
    for n in range(10):
        _, case = workflow.flag_comment(
            flagger, make_comment(space, author=author, body=f"C{n}."), "heated"
        )
        resolve(moderator, case, "annotated")
    assert record_of(flagger) == (10, 0)
    assert workflow.flagger_weight(flagger) == 3.0
    _, case = workflow.flag_comment(
        flagger, make_comment(space, author=author, body="Last."), "heated"
    )
    assert fresh(case).weight == 9.0


def test_approving_a_held_comment_reviews_no_flags(moderator, space, author):
    from threads.models import Comment

    comment = make_comment(space, author=author, body="Waiting.", status=Comment.Status.PENDING)
    case, _ = workflow.open_system_case(comment, Case.Origin.NEWCOMER, "newcomer")
    workflow.approve(moderator, case)
    assert not FlaggerRecord.objects.exists()


# --- what flaggers are told ------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["hidden", "no_action", "annotated", "deescalated"])
def test_flaggers_are_told_in_general_terms(
    moderator, marmalade, zeb, flagger, second_flagger, outcome
):
    workflow.flag_comment(flagger, marmalade, "heated", "Zebulon always does this.")
    _, case = workflow.flag_comment(second_flagger, marmalade, "off_topic")
    resolve(moderator, case, outcome)

    for user in (flagger, second_flagger):
        [notice] = Notice.objects.filter(user=user)
        assert "reviewed" in notice.body and marmalade.essay.title in notice.body
        assert "zebulon" not in notice.body.lower()
        assert "marmalade" not in notice.body.lower()
        assert "oranges" not in notice.body.lower()
        assert notice.link == marmalade.essay.get_absolute_url()
        assert "zebulon" not in notice.link.lower()
    # The notice is for flaggers only.
    assert not Notice.objects.filter(user=zeb).exclude(body__contains="hidden").exists()


def test_flaggers_see_the_notice_in_their_inbox(client, moderator, case, flagger):
    resolve(moderator, case, "no_action")
    client.force_login(flagger)
    html = client.get("/inbox/").content.decode()
    assert "The moderators have reviewed the comment you flagged" in html
    assert "no idea what you are talking about" not in html
