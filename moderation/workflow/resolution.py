"""Closing a case and what can be taken back afterwards: resolving (hiding as the
reasoned last resort), the flaggers' track records, reopening, unhiding, featuring."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from threads.limits import MAX_REASON_LENGTH
from threads.models import Comment

from ..audit import record
from ..models import Case, Flag, FlaggerRecord, HideReason, Message
from .callin import set_visibility_paused
from .cases import OPEN_STATES, Refused, clean_text, lock_case, lock_comment, notify, save_case

# Reasons that allow hiding a comment before any call-in.
SEVERE_REASONS = (HideReason.SPAM, HideReason.HARMFUL, HideReason.THREAT, HideReason.ILLEGAL)
# Outcomes that agree with the flaggers, and the one that does not (see FlaggerRecord).
AGREEING_OUTCOMES = (
    Case.Outcome.HIDDEN,
    Case.Outcome.REVISED,
    Case.Outcome.WITHDRAWN,
    Case.Outcome.ANNOTATED,
)


def resolve(actor, case, outcome, reason="", hide_reason=None, version=None):
    """Close the case with an outcome; hiding is the reasoned last resort.

    Hiding a comment whose author was never called in needs ``spam`` or
    ``harmful`` as ``hide_reason``, or a written ``reason`` for the exception.
    """
    if outcome not in Case.Outcome.values:
        raise Refused("Choose an outcome.")
    if hide_reason and hide_reason not in HideReason.values:
        raise Refused("Choose one of the listed reasons for hiding.")
    reason = clean_text(reason, limit=MAX_REASON_LENGTH, required=False)
    with transaction.atomic():
        case = lock_case(case, version)
        _refuse_appeal(case)
        comment = lock_comment(case.comment)
        # What the resolution changes and its undo puts back (see undo.py).
        before = {"state": case.state}
        if comment.visibility_paused:
            before["visibility_paused"] = True
        if outcome == Case.Outcome.HIDDEN:
            called_in = case.messages.filter(kind=Message.Kind.CALL_IN).exists()
            if not called_in and hide_reason not in SEVERE_REASONS and not reason:
                raise Refused(
                    "This author has not been called in yet. To hide the comment now, choose "
                    "a severe reason (spam, an attack, a threat, illegal content), or write "
                    "why this case is an exception."
                )
            # "Other (explain)" is no reason by itself: the author would read just "Other".
            if not reason and hide_reason in (None, "", HideReason.OTHER):
                raise Refused("Say why the comment is hidden; the author will be told privately.")
            _hide(actor, comment, case, hide_reason, reason)
        elif comment.visibility_paused:
            set_visibility_paused(actor, comment, False, case, "case resolved")
        _close(actor, case, outcome, before, reason, reason or (hide_reason or ""))
        review_flags(case, outcome)
        return case


def approve(actor, case, version=None):
    """Show a comment that waited for a moderator (watched word or newcomer)."""
    with transaction.atomic():
        case = lock_case(case, version)
        _refuse_appeal(case)
        comment = lock_comment(case.comment)
        if comment.status != Comment.Status.PENDING:
            raise Refused("This comment is not waiting for approval.")
        before = {"state": case.state}
        comment.status = Comment.Status.VISIBLE
        comment.save(update_fields=["status"])
        record(
            actor,
            "comment_approved",
            case=case,
            before={"status": Comment.Status.PENDING},
            after={"status": Comment.Status.VISIBLE},
        )
        notify(
            comment.author,
            "Your comment has been approved and is now in the discussion.",
            comment.get_absolute_url(),
        )
        return _close(actor, case, Case.Outcome.NO_ACTION, before, "approved")


def _refuse_appeal(case):
    """Closing an appeal's case here would leave the appeal undecided and the author never
    told (a warning appealed on a comment still waiting for approval, say)."""
    if case.origin == Case.Origin.APPEAL:
        raise Refused("An appeal is decided on its own page, where the author is told why.")


def _close(actor, case, outcome, before, reason, resolution_reason=""):
    """Resolve a locked case with ``outcome``; ``before`` is what the event records as
    the state it leaves (read before anything changed)."""
    save_case(
        case,
        state=Case.State.RESOLVED,
        outcome=outcome,
        resolution_reason=resolution_reason,
        resolved_at=timezone.now(),
        resolved_by=actor,
    )
    record(
        actor,
        "case_resolved",
        case=case,
        before=before,
        after={"state": Case.State.RESOLVED, "outcome": outcome},
        reason=reason,
    )
    return case


def review_flags(case, outcome):
    """Count a resolution in each flagger's track record, once per flag, and thank them.

    ``hidden``, ``revised``, ``withdrawn`` and ``annotated`` agree with the flaggers,
    ``no_action`` does not, ``deescalated`` counts neither way; an escalated case is
    not decided yet, so its flags wait for a later resolution.  A flag counts once
    (``Flag.reviewed_at``): resolving a reopened case again changes no record.  The
    notice speaks in general terms: never the author, never the comment's text.
    """
    if outcome == Case.Outcome.ESCALATED:
        return
    field = (
        "agreed"
        if outcome in AGREEING_OUTCOMES
        else "disagreed"
        if outcome == Case.Outcome.NO_ACTION
        else None
    )
    flags = list(
        Flag.objects.select_for_update()
        .filter(case=case, reviewed_at__isnull=True)
        .select_related("flagger")
    )
    for flag in flags:
        if field:
            FlaggerRecord.objects.get_or_create(user=flag.flagger)
            FlaggerRecord.objects.filter(user=flag.flagger).update(**{field: F(field) + 1})
        notify(
            flag.flagger,
            f"Thank you for your flag in “{case.essay.title}”. The moderators have reviewed "
            "the comment you flagged and acted where they saw fit.",
            case.essay.get_absolute_url(),
        )
    Flag.objects.filter(pk__in=[flag.pk for flag in flags]).update(reviewed_at=timezone.now())


def _tell_author(actor, comment, case, in_case, in_inbox):
    """Tell the author in the case's conversation (when there is a case) and in their
    inbox, where a case without a call-in is not listed."""
    if case is not None:
        Message.objects.create(
            case=case, kind=Message.Kind.NOTICE, sender=actor, created=timezone.now(), body=in_case
        )
    notify(comment.author, in_inbox, comment.get_absolute_url())


def _hide(actor, comment, case, hide_reason, reason):
    if comment.status == Comment.Status.HIDDEN:
        return
    before = {"status": comment.status}
    comment.status, comment.visibility_paused = Comment.Status.HIDDEN, False
    comment.save(update_fields=["status", "visibility_paused"])
    why = reason or HideReason(hide_reason).label
    _tell_author(
        actor,
        comment,
        case,
        "Your comment is hidden from the discussion. It is not deleted, and you can still "
        f"read it here. The moderators' reason: {why}. If you think this is a mistake, "
        "answer here.",
        f"Your comment in “{comment.essay.title}” is hidden from the discussion. It is not "
        f"deleted. The moderators' reason: {why}.",
    )
    record(
        actor,
        "comment_hidden",
        case=case,
        comment=comment,
        before=before,
        # The chosen reason's code too: the transparency page counts hides by reason
        # without reading anyone's words.
        after={"status": Comment.Status.HIDDEN, "hide_reason": hide_reason or HideReason.OTHER},
        reason=why,
    )


def reopen(actor, case, reason="", version=None, state=Case.State.OPEN):
    """Open a resolved case again, in ``state`` (undoing a resolution: the state it left)."""
    if state not in OPEN_STATES:
        raise Refused("A case reopens as open, waiting for its author or answered.")
    reason = clean_text(reason, limit=MAX_REASON_LENGTH, required=False)
    with transaction.atomic():
        case = lock_case(case, version, states=(Case.State.RESOLVED,))
        lock_comment(case.comment)
        if Case.objects.filter(comment=case.comment_id, state__in=OPEN_STATES).exists():
            raise Refused("Another case on this comment is open; continue there.")
        before = {
            "state": case.state,
            "outcome": case.outcome,
            "resolution_reason": case.resolution_reason,
        }
        # The previous resolution is in the log; a reopened case carries none of it.
        save_case(
            case,
            state=state,
            outcome="",
            resolution_reason="",
            resolved_at=None,
            resolved_by=None,
        )
        record(
            actor,
            "case_reopened",
            case=case,
            before=before,
            after={"state": state},
            reason=reason,
        )
        return case


def unhide(actor, comment, reason="", case=None):
    reason = clean_text(reason, limit=MAX_REASON_LENGTH, required=False)
    with transaction.atomic():
        comment = lock_comment(comment)
        if comment.status != Comment.Status.HIDDEN:
            raise Refused("This comment is not hidden.")
        comment.status = Comment.Status.VISIBLE
        comment.save(update_fields=["status"])
        # A new notice: the one saying it was hidden stays, true for its time.
        _tell_author(
            actor,
            comment,
            case,
            "Your comment is visible in the discussion again.",
            f"Your comment in “{comment.essay.title}” is visible in the discussion again.",
        )
        record(
            actor,
            "comment_unhidden",
            case=case,
            comment=comment,
            before={"status": Comment.Status.HIDDEN},
            after={"status": Comment.Status.VISIBLE},
            reason=reason,
        )
        return comment


def feature(actor, comment, featured=True, case=None):
    """Show (or stop showing) a comment in the thread's featured section (from a case
    page, logged against that ``case``)."""
    with transaction.atomic():
        comment = lock_comment(comment)
        if featured and not comment.is_shown:
            raise Refused("Only a comment that readers can see can be featured.")
        if bool(comment.featured_at) == featured:
            return comment
        comment.featured_at = timezone.now() if featured else None
        comment.save(update_fields=["featured_at"])
        record(
            actor,
            "comment_featured" if featured else "comment_unfeatured",
            case=case,
            comment=comment,
            before={"featured": not featured},
            after={"featured": featured},
        )
        return comment
