"""Appeals (workflow.appeals), called directly: the events an overturned or changed
decision writes name the moderator who decided, on the appeal's case, with its reason;
an appeal names who hid the comment (gaps found by `make mutate`)."""

from datetime import timedelta

import pytest

from moderation import workflow
from moderation.models import Annotation, Case, ModerationEvent
from moderation.workflow.appeals import appeal_decide, appeal_open
from tests.helpers import T0, fresh, last_event, make_comment
from threads.limits import MAX_REASON_LENGTH
from threads.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(moderator, case):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    return fresh(case.comment)


@pytest.fixture
def appeal(author, hidden):
    return appeal_open(user=author, kind="hidden", comment=hidden, body="It was not spam.")


def test_an_appeal_names_the_moderator_who_hid_the_comment(
    moderator, second_moderator, author, flagger, hidden, space
):
    workflow.annotate(second_moderator, hidden, Annotation.Kind.COMMENT_NOTE, "Seen.")
    _, other = workflow.flag_comment(flagger, make_comment(space, author=author), "spam")
    workflow.resolve(second_moderator, other, Case.Outcome.HIDDEN, hide_reason="spam")

    appeal = appeal_open(user=author, kind="hidden", comment=hidden, body="It was not spam.")

    assert appeal.acted_by == moderator
    assert appeal.acted_at == last_event("comment_hidden", comment=hidden).created


def test_an_overturned_hide_shows_the_comment_and_names_who_decided(second_moderator, appeal):
    appeal_decide(actor=second_moderator, appeal=appeal, outcome="overturned", reason="Not spam.")

    assert fresh(appeal.comment).status == Comment.Status.VISIBLE
    event = last_event("comment_unhidden")
    assert (event.actor, event.case_id, event.reason) == (
        second_moderator,
        appeal.case_id,
        "appeal overturned",
    )


def test_a_changed_hide_adds_a_context_note_by_who_decided(second_moderator, appeal):
    appeal_decide(
        actor=second_moderator, appeal=appeal, outcome="changed", reason="Shown, with context."
    )

    note = Annotation.objects.get(kind=Annotation.Kind.CONTEXT)
    assert (note.comment_id, note.case_id, note.body, note.created_by) == (
        appeal.comment_id,
        appeal.case_id,
        "Shown, with context.",
        second_moderator,
    )
    assert last_event("comment_unhidden").reason == "appeal changed"


def test_an_overturned_warning_is_lifted_by_who_decided(
    moderator, second_moderator, author, called_in_case
):
    item = workflow.sanction(moderator, called_in_case, "warning", "A pattern of attacks.")
    workflow.resolve(moderator, called_in_case, "no_action")
    appeal = appeal_open(user=author, kind="warning", sanction_item=item, body="I was quoting.")

    appeal_decide(actor=second_moderator, appeal=appeal, outcome="overturned", reason="Quoted.")

    assert fresh(item).lifted_at is not None
    event = last_event("sanction_warning_lifted")
    assert (event.actor, event.case_id, event.reason) == (
        second_moderator,
        appeal.case_id,
        "appeal overturned",
    )


def test_a_decision_says_why_within_the_reasons_limit(second_moderator, appeal):
    with pytest.raises(workflow.Refused, match="4,000"):
        appeal_decide(
            actor=second_moderator,
            appeal=appeal,
            outcome="upheld",
            reason="x" * (MAX_REASON_LENGTH + 1),
        )
    assert not ModerationEvent.objects.filter(action="appeal_decided").exists()


def test_an_appeal_is_decided_once_and_never_by_who_acted(moderator, second_moderator, appeal):
    with pytest.raises(workflow.Refused, match="You took the decision under appeal"):
        appeal_decide(actor=moderator, appeal=appeal, outcome="overturned", reason="Mine.")

    appeal_decide(actor=second_moderator, appeal=appeal, outcome="upheld", reason="It stands.")

    with pytest.raises(workflow.Refused, match="This appeal was already decided."):
        appeal_decide(actor=second_moderator, appeal=appeal, outcome="overturned", reason="No.")


def test_deciding_an_appeal_resolves_its_case_and_says_so(second_moderator, appeal):
    appeal_decide(actor=second_moderator, appeal=appeal, outcome="upheld", reason="It stands.")

    case = fresh(appeal.case)
    assert (case.state, case.resolved_by, case.resolution_reason) == (
        Case.State.RESOLVED,
        second_moderator,
        "Appeal upheld: It stands.",
    )
    assert case.resolved_at is not None
    event = last_event("case_resolved", case=case)
    assert (event.actor, event.before, event.after, event.reason) == (
        second_moderator,
        {"state": "open"},
        {"state": "resolved", "decision": "upheld"},
        "It stands.",
    )


# Opening an appeal.


def test_an_appeal_opens_a_case_by_its_author(author, appeal):
    case = appeal.case
    assert (case.origin, case.opened_by, case.weight) == (Case.Origin.APPEAL, author, 0)
    opened = last_event("case_opened", case=case)
    assert (opened.actor, opened.after) == (author, {"state": "open", "origin": "appeal"})
    appealed = last_event("author_appealed", case=case)
    assert (appealed.actor, appealed.after) == (author, {"appeal": appeal.pk, "appealed": "hidden"})


def test_a_decision_is_logged_and_the_author_is_pointed_to_the_appeal(
    second_moderator, author, appeal
):
    appeal_decide(actor=second_moderator, appeal=appeal, outcome="upheld", reason="It stands.")

    event = last_event("appeal_decided")
    assert (event.actor, event.case_id, event.after, event.reason) == (
        second_moderator,
        appeal.case_id,
        {"appeal": appeal.pk, "appealed": "hidden", "decision": "upheld"},
        "It stands.",
    )
    notice = author.notices.latest("id")
    assert notice.link == f"/inbox/appeals/{appeal.pk}/"
    assert "upheld" in notice.body and "It stands." in notice.body


def test_each_hide_is_appealed_once_and_another_hide_still_can_be(
    moderator, author, flagger, space, appeal
):
    with pytest.raises(workflow.Refused, match="You have already appealed this decision"):
        appeal_open(user=author, kind="hidden", comment=appeal.comment, body="Again.")

    _, other = workflow.flag_comment(flagger, make_comment(space, author=author), "spam")
    workflow.resolve(moderator, other, Case.Outcome.HIDDEN, hide_reason="spam")
    second = appeal_open(user=author, kind="hidden", comment=other.comment, body="Also not spam.")

    assert second.comment_id == other.comment_id


def test_an_open_case_elsewhere_does_not_hold_an_appeal_back(author, flagger, space, hidden):
    workflow.flag_comment(flagger, make_comment(space, author=author), "heated")

    assert appeal_open(user=author, kind="hidden", comment=hidden, body="Not spam.").pk


def test_an_appeal_on_the_fourteenth_day_is_taken(author, moderator, case, time_machine):
    time_machine.move_to(T0, tick=False)
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    time_machine.move_to(T0 + timedelta(days=14), tick=False)

    assert appeal_open(user=author, kind="hidden", comment=case.comment, body="Not spam.").pk


@pytest.mark.parametrize(
    ("kind", "target", "message"),
    [
        ("hidden", "none", "You can only appeal about your own comments."),
        ("hidden", "other", "You can only appeal about your own comments."),
        ("warning", "none", "There is no such decision about you to appeal."),
        ("shout", "none", "Choose what you are appealing."),
    ],
)
def test_an_appeal_about_nothing_of_ones_own_is_refused(
    author, reader, space, kind, target, message
):
    comment = make_comment(space, author=reader) if target == "other" else None

    with pytest.raises(workflow.Refused, match=message):
        appeal_open(user=author, kind=kind, comment=comment, body="Why.")


@pytest.fixture
def warning(moderator, called_in_case):
    item = workflow.sanction(moderator, called_in_case, "warning", "A pattern of attacks.")
    workflow.resolve(moderator, called_in_case, "no_action")
    return item


def test_a_sanction_is_appealed_once(author, warning):
    appeal_open(user=author, kind="warning", sanction_item=warning, body="I was quoting.")

    with pytest.raises(workflow.Refused, match="You have already appealed this decision"):
        appeal_open(user=author, kind="warning", sanction_item=warning, body="Again.")


def test_a_sanction_appealed_as_another_kind_or_lifted_is_refused(moderator, author, warning):
    with pytest.raises(workflow.Refused, match="There is no such decision about you to appeal."):
        appeal_open(user=author, kind="posting_pause", sanction_item=warning, body="Why.")

    workflow.lift_sanction(moderator, warning)
    with pytest.raises(workflow.Refused, match="That was already lifted"):
        appeal_open(user=author, kind="warning", sanction_item=warning, body="Why.")


def test_an_appeal_after_fourteen_days_is_refused(author, moderator, case, time_machine):
    time_machine.move_to(T0, tick=False)
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    time_machine.move_to(T0 + timedelta(days=14, seconds=1), tick=False)

    with pytest.raises(workflow.Refused, match="The 14 days to appeal this decision have passed."):
        appeal_open(user=author, kind="hidden", comment=case.comment, body="Not spam.")


def test_the_author_is_told_the_appeal_is_with_the_moderators_and_where_to_follow_it(
    author, appeal
):
    notice = author.notices.latest("id")
    assert "Your appeal is with the moderators." in notice.body
    assert notice.link == f"/inbox/appeals/{appeal.pk}/"


def test_a_comment_hidden_at_import_has_no_moderators_decision_to_appeal(author, space):
    comment = make_comment(space, author=author, status=Comment.Status.HIDDEN)

    with pytest.raises(workflow.Refused, match="not hidden by a moderator"):
        appeal_open(user=author, kind="hidden", comment=comment, body="Why?")


def test_a_hide_appealed_after_a_warning_on_the_same_comment_was_appealed(
    moderator, second_moderator, author, second_flagger, warning
):
    """A warning's appeal is not an appeal of the comment's later hide."""
    first = appeal_open(user=author, kind="warning", sanction_item=warning, body="I was quoting.")
    appeal_decide(actor=second_moderator, appeal=first, outcome="upheld", reason="It stands.")
    _, later = workflow.flag_comment(second_flagger, warning.case.comment, "spam")
    workflow.resolve(moderator, later, Case.Outcome.HIDDEN, hide_reason="spam")

    second = appeal_open(user=author, kind="hidden", comment=later.comment, body="Not spam.")

    assert (second.kind, second.comment_id) == ("hidden", first.comment_id)


def test_a_comment_hidden_twice_in_one_instant_names_the_later_hide(
    moderator, second_moderator, author, second_flagger, case, time_machine
):
    time_machine.move_to(T0, tick=False)
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    workflow.unhide(moderator, case.comment, "Not spam after all.")
    _, again = workflow.flag_comment(second_flagger, case.comment, "spam")
    workflow.resolve(second_moderator, again, Case.Outcome.HIDDEN, hide_reason="spam")

    appeal = appeal_open(user=author, kind="hidden", comment=case.comment, body="Not spam.")

    assert appeal.acted_by == second_moderator
