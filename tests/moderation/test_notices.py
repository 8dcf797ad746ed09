"""Notices stay true: once an author has seen a notice, undoing the action adds a new notice
("your comment is visible again") and leaves the first one as it was."""

import pytest
from django.utils import timezone

from moderation import workflow
from moderation.models import Case, Notice
from moderation.submissions import comment_submit
from tests.helpers import client_for, fresh, html_of

pytestmark = pytest.mark.usefixtures("no_heat")


def notices(user):
    return list(Notice.objects.filter(user=user).order_by("id"))


def read_inbox(user):
    """The author opens their inbox, which marks the notices it shows as seen."""
    return html_of(client_for(user).get("/inbox/"))


def test_unhiding_adds_a_notice_and_keeps_the_seen_one(moderator, case, author):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    assert "is hidden from the discussion" in read_inbox(author)
    [hidden] = notices(author)
    assert hidden.seen_at is not None

    workflow.reopen(moderator, case, "Not spam after all.")
    workflow.unhide(moderator, case.comment, "Not spam after all.", case)

    first, second = notices(author)
    assert (first.pk, first.body, first.seen_at) == (hidden.pk, hidden.body, hidden.seen_at)
    assert second.body.endswith("is visible in the discussion again.")
    assert second.seen_at is None
    html = read_inbox(author)
    assert html.index("is visible in the discussion again") < html.index("is hidden from")


def test_a_notice_not_yet_seen_is_not_rewritten_either(moderator, case, author):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    workflow.unhide(moderator, case.comment, "Mistake.", case)
    bodies = [notice.body for notice in notices(author)]
    assert len(bodies) == 2
    assert "is hidden from the discussion" in bodies[0]
    assert "is visible in the discussion again" in bodies[1]


def test_the_conversation_keeps_both_messages(moderator, called_in_case, author):
    workflow.resolve(moderator, called_in_case, Case.Outcome.HIDDEN, "Insults.", "harmful")
    workflow.unhide(moderator, called_in_case.comment, "Reconsidered.", called_in_case)
    bodies = list(called_in_case.messages.values_list("body", flat=True))
    assert bodies[-2].startswith("Your comment is hidden from the discussion.")
    assert bodies[-1] == "Your comment is visible in the discussion again."


def test_an_auto_hold_notice_stays_when_the_edit_releases_it(
    space, comment, flagger, second_flagger, author
):
    space.auto_hold_weight = 6
    space.save()
    workflow.flag_comment(flagger, comment, "heated")
    workflow.flag_comment(second_flagger, fresh(comment), "heated")
    read_inbox(author)
    [held] = notices(author)

    comment_submit(
        user=author, essay=comment.essay, body="Let me say it better.", comment=fresh(comment)
    )

    first, second = notices(author)
    assert (first.body, first.seen_at) == (held.body, held.seen_at) and first.seen_at
    assert second.body.startswith("Thank you for editing.") and second.seen_at is None


def test_lifting_a_warning_adds_a_notice(moderator, called_in_case, author):
    warning = workflow.sanction(moderator, called_in_case, "warning", "Insults.")
    read_inbox(author)
    workflow.lift_sanction(moderator, warning, "Apologised.")
    first, second = notices(author)
    assert "formal warning" in first.body and first.seen_at is not None
    assert second.body == "The moderators lifted your formal warning." and not second.seen_at


def test_seeing_the_inbox_marks_only_what_it_showed(moderator, case, author):
    Notice.objects.bulk_create(
        Notice(user=author, body=f"Old notice {i}.", created=timezone.now()) for i in range(25)
    )
    read_inbox(author)
    assert Notice.objects.filter(user=author, seen_at__isnull=True).count() == 5
