"""Appeals: an author asks once, within 14 days and in their own words, that a hide, a
formal warning or a posting pause be looked at again; a moderator other than the one
who acted decides, says why, and the author is told.

An appeal opens a case of origin "appeal" on the comment (so it waits in the queue
like any case) and is closed by the decision, with no case outcome of its own: the
appeal's outcome is on the ``Appeal``.  The author's event is ``author_appealed`` so
that, like every ``author_`` event, it never counts as a moderator's action.
"""

from django.db import transaction
from django.utils import timezone

from threads.limits import MAX_MESSAGE_LENGTH, MAX_REASON_LENGTH
from threads.models import Comment

from ..appeal_models import APPEAL_WINDOW, Appeal
from ..audit import record
from ..models import Annotation, Case, ModerationEvent, Sanction
from .cases import OPEN_STATES, Refused, clean_text, lock_case, lock_comment, notify, save_case
from .ladder import lift_sanction, sanction
from .notes import annotate
from .resolution import unhide

SANCTION_KINDS = {
    Appeal.Kind.WARNING: Sanction.Kind.WARNING,
    Appeal.Kind.POSTING_PAUSE: Sanction.Kind.POSTING_PAUSE,
}
# What the author reads about each outcome.
OUTCOME_TEXT = {
    Appeal.Outcome.UPHELD: "upheld: the decision stands",
    Appeal.Outcome.OVERTURNED: "overturned: the decision is taken back",
    Appeal.Outcome.CHANGED: "changed",
}
CHANGED_TEXT = {
    Appeal.Kind.HIDDEN: "your comment is shown again, with a context note from the moderators",
    Appeal.Kind.POSTING_PAUSE: "the posting pause is lifted and a formal warning stands instead",
}


def last_hide(comment):
    """The event that hid ``comment`` most recently (None when the log has none)."""
    return (
        ModerationEvent.objects.filter(action="comment_hidden", comment=comment)
        .order_by("-created", "-id")
        .first()
    )


def _target(user, kind, comment, sanction_item):
    """(comment, sanction, who acted, when) of what ``user`` appeals, or Refused."""
    if kind == Appeal.Kind.HIDDEN:
        if comment is None or comment.author_id != user.pk:
            raise Refused("You can only appeal about your own comments.")
        comment = lock_comment(comment)  # its status now, not as the caller read it
        if comment.status != Comment.Status.HIDDEN:
            raise Refused("This comment is not hidden, so there is nothing to appeal.")
        event = last_hide(comment)
        if event is None:
            raise Refused("This comment was not hidden by a moderator.")
        return comment, None, event.actor, event.created
    if kind not in SANCTION_KINDS:
        raise Refused("Choose what you are appealing.")
    if sanction_item is None or sanction_item.user_id != user.pk:
        raise Refused("There is no such decision about you to appeal.")
    if sanction_item.kind != SANCTION_KINDS[kind] or sanction_item.case_id is None:
        raise Refused("There is no such decision about you to appeal.")
    if sanction_item.lifted_at is not None:
        raise Refused("That was already lifted, so there is nothing to appeal.")
    comment = Comment.objects.get(pk=sanction_item.case.comment_id)
    return comment, sanction_item, sanction_item.created_by, sanction_item.created


def appeal_open(*, user, kind, body, comment=None, sanction_item=None):
    """The author appeals a hide (``comment``) or a sanction (``sanction_item``) once,
    within ``APPEAL_DAYS``; a case of origin "appeal" opens for the moderators."""
    body = clean_text(body, "why you appeal, in your own words", MAX_MESSAGE_LENGTH)
    now = timezone.now()
    with transaction.atomic():
        if sanction_item is not None:
            sanction_item = Sanction.objects.select_for_update().get(pk=sanction_item.pk)
        comment, sanction_item, acted_by, acted_at = _target(user, kind, comment, sanction_item)
        comment = lock_comment(comment)
        done = Appeal.objects.filter(sanction=sanction_item) if sanction_item else None
        if done is None:
            done = Appeal.objects.filter(comment=comment, kind=Appeal.Kind.HIDDEN)
        if done.exists():
            raise Refused("You have already appealed this decision; each one is appealed once.")
        if now - acted_at > APPEAL_WINDOW:
            raise Refused("The 14 days to appeal this decision have passed.")
        if Case.objects.filter(comment=comment, state__in=OPEN_STATES).exists():
            raise Refused(
                "The moderators are still looking at this comment. Answer them in your "
                "inbox; you can appeal once that case is closed."
            )
        case = Case(
            comment=comment,
            essay=comment.essay,
            opened_by=user,
            opened_at=now,
            origin=Case.Origin.APPEAL,
        )
        case.set_weight(0)
        case.save()
        record(user, "case_opened", case=case, after={"state": case.state, "origin": "appeal"})
        appeal = Appeal.objects.create(
            kind=kind,
            user=user,
            comment=comment,
            sanction=sanction_item,
            acted_by=acted_by,
            acted_at=acted_at,
            case=case,
            body=body,
            created=now,
        )
        record(user, "author_appealed", case=case, after={"appeal": appeal.pk, "appealed": kind})
        notify(
            user,
            "Your appeal is with the moderators. A moderator other than the one who acted "
            "will decide it, and you will be told the decision and why.",
            f"/inbox/appeals/{appeal.pk}/",
        )
        return appeal


def appeal_decide(*, actor, appeal, outcome, reason):
    """Decide an appeal (never by the moderator who acted), apply it, tell the author why."""
    if outcome not in Appeal.Outcome.values:
        raise Refused("Choose a decision: upheld, overturned or changed.")
    reason = clean_text(reason, "why you decided so (the author reads it)", MAX_REASON_LENGTH)
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("comment").get(pk=appeal.pk)
        if appeal.is_decided:
            raise Refused("This appeal was already decided.")
        if actor.pk in (appeal.acted_by_id, appeal.user_id):
            raise Refused(
                "You took the decision under appeal, so another moderator decides the appeal."
            )
        if outcome == Appeal.Outcome.CHANGED and appeal.kind not in CHANGED_TEXT:
            raise Refused("A formal warning is the lowest step: uphold or overturn it.")
        case = lock_case(appeal.case, states=Case.State.values)
        _apply(actor, appeal, outcome, reason, case)
        if case.is_open:
            before = {"state": case.state}
            save_case(
                case,
                state=Case.State.RESOLVED,
                resolution_reason=f"Appeal {Appeal.Outcome(outcome).label.lower()}: {reason}",
                resolved_at=timezone.now(),
                resolved_by=actor,
            )
            record(
                actor,
                "case_resolved",
                case=case,
                before=before,
                after={"state": Case.State.RESOLVED, "decision": outcome},
                reason=reason,
            )
        appeal.outcome, appeal.decision_reason = outcome, reason
        appeal.decided_by, appeal.decided_at = actor, timezone.now()
        appeal.save(update_fields=["outcome", "decision_reason", "decided_by", "decided_at"])
        record(
            actor,
            "appeal_decided",
            case=case,
            after={"appeal": appeal.pk, "appealed": appeal.kind, "decision": outcome},
            reason=reason,
        )
        told = OUTCOME_TEXT[outcome]
        if outcome == Appeal.Outcome.CHANGED:
            told = f"changed: {CHANGED_TEXT[appeal.kind]}"
        notify(
            appeal.user,
            f"Your appeal ({appeal.get_kind_display().lower()}) was {told}. "
            f"The moderator's reason: {reason}",
            f"/inbox/appeals/{appeal.pk}/",
        )
        return appeal


def _apply(actor, appeal, outcome, reason, case):
    """What an overturned or changed decision changes (nothing when upheld)."""
    if outcome == Appeal.Outcome.UPHELD:
        return
    if appeal.kind == Appeal.Kind.HIDDEN:
        if appeal.comment.status == Comment.Status.HIDDEN:
            unhide(actor, appeal.comment, reason=f"appeal {outcome}", case=case)
        if outcome == Appeal.Outcome.CHANGED:
            annotate(actor, appeal.comment, Annotation.Kind.CONTEXT, reason, case=case)
        return
    item = appeal.sanction
    if item.lifted_at is None:
        lift_sanction(actor, item, reason=f"appeal {outcome}", case=case)
    if outcome == Appeal.Outcome.CHANGED:
        sanction(actor, case, Sanction.Kind.WARNING, reason)
