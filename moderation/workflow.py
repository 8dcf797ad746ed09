"""Every state change of moderation lives here; views and commands call these.

Each function runs in one transaction, locks the rows it changes, checks the
state it expects (a form posted from a stale page carries the case version it
saw) and writes one ``ModerationEvent`` per change.  Nothing here deletes a
comment: hiding changes its status, and every action has an undo that is
logged too.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from threads import posting
from threads.models import Comment, Essay

from .audit import record
from .models import REASON_WEIGHTS, Annotation, Case, Flag, Message, Reason

OPEN_STATES = (Case.State.OPEN, Case.State.WAITING, Case.State.ANSWERED)
# Reasons that allow hiding a comment before any call-in.
SEVERE_REASONS = (Reason.SPAM, Reason.HARMFUL)
MAX_PAUSE = timedelta(days=30)


class Refused(Exception):
    """An action that is not allowed now; the message is meant for the person acting."""


class Conflict(Refused):
    """The case changed since the acting person last saw it."""


def lock_case(case, version=None, states=OPEN_STATES):
    """Lock the case row and check it is still in a state the action expects."""
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("comment", "essay")
        .get(pk=case.pk)
    )
    if version is not None and locked.version != int(version):
        raise Conflict(
            "Another moderator acted on this case while you were looking at it. "
            "Here is its current state; please check before acting again."
        )
    if locked.state not in states:
        raise Conflict(
            f"This case is now “{locked.get_state_display()}”, so that action no longer applies."
        )
    return locked


def save_case(case, **changes):
    for field, value in changes.items():
        setattr(case, field, value)
    case.version += 1
    case.save()
    return case


def lock_comment(comment):
    return (
        Comment.objects.select_for_update(of=("self",)).select_related("essay").get(pk=comment.pk)
    )


def clean_text(text, what="a message", limit=10_000):
    text = (text or "").strip()
    if not text:
        raise Refused(f"Write {what} first.")
    if len(text) > limit:
        raise Refused(f"That is too long: at most {limit:,} characters.")
    return text


# --- intake -------------------------------------------------------------------


def refresh_weight(case):
    counts = dict(case.flags.values_list("reason").annotate(n=Count("id")).order_by())
    case.reasons = counts
    case.flag_count = sum(counts.values())
    case.set_weight(sum(REASON_WEIGHTS[Reason(r)] * n for r, n in counts.items()))


def open_case_for(comment, opened_by, now):
    """The open case on a locked comment, opening one if there is none."""
    case = Case.objects.select_for_update().filter(comment=comment, state__in=OPEN_STATES).first()
    if case is not None:
        return case, False
    case = Case(comment=comment, essay=comment.essay, opened_by=opened_by, opened_at=now)
    case.set_weight(0)
    case.save()
    record(opened_by, "case_opened", case=case, after={"state": case.state})
    return case, True


def flag_comment(user, comment, reason, note=""):
    """A reader flags a comment; the first flag opens a case, later ones join it."""
    if reason not in Reason.values:
        raise Refused("Choose one of the listed reasons.")
    note = (note or "").strip()
    if len(note) > 2000:
        raise Refused("The note can be at most 2,000 characters.")
    now = timezone.now()
    with transaction.atomic():
        comment = lock_comment(comment)
        if comment.author_id is not None and comment.author_id == user.pk:
            raise Refused("You cannot flag your own comment; you can edit or withdraw it instead.")
        if not comment.is_visible:
            raise Refused("This comment is no longer shown, so there is nothing to flag.")
        case, _ = open_case_for(comment, user, now)
        flag = Flag.objects.filter(comment=comment, flagger=user).first()
        before = {"reason": flag.reason, "note": flag.note} if flag else {}
        if flag is None:
            flag = Flag(comment=comment, flagger=user, created=now)
        old_case_id = flag.case_id
        flag.case, flag.reason, flag.note, flag.updated = case, reason, note, now
        flag.save()
        if old_case_id and old_case_id != case.pk:
            refresh_weight(Case.objects.get(pk=old_case_id))
        refresh_weight(case)
        save_case(case)
        record(
            user,
            "flag_updated" if before else "flag_added",
            case=case,
            before=before,
            after={"reason": reason, "note": note},
        )
        return flag, case


def open_case(actor, comment, note=""):
    """A moderator or organizer opens a case without a flag.  Returns (case, created)."""
    with transaction.atomic():
        comment = lock_comment(comment)
        case, created = open_case_for(comment, actor, timezone.now())
        if created and note.strip():
            Annotation.objects.create(
                kind=Annotation.Kind.COMMENT_NOTE,
                comment=comment,
                case=case,
                body=clean_text(note, "a note", 4000),
                created_by=actor,
                created=timezone.now(),
            )
        return case, created


def claim(actor, case, version=None):
    with transaction.atomic():
        case = lock_case(case, version)
        if case.claimed_by_id == actor.pk:
            return case
        before = {"claimed_by": case.claimed_by.get_username() if case.claimed_by else None}
        save_case(case, claimed_by=actor, claimed_at=timezone.now())
        record(
            actor,
            "case_claimed",
            case=case,
            before=before,
            after={"claimed_by": actor.get_username()},
        )
        return case


def unclaim(actor, case, version=None):
    with transaction.atomic():
        case = lock_case(case, version)
        if case.claimed_by_id is None:
            return case
        before = {"claimed_by": case.claimed_by.get_username()}
        save_case(case, claimed_by=None, claimed_at=None)
        record(actor, "case_unclaimed", case=case, before=before, after={"claimed_by": None})
        return case


# --- the call-in conversation ------------------------------------------------------


def _set_visibility_paused(actor, comment, paused, case=None, reason=""):
    if comment.visibility_paused == paused:
        return
    comment.visibility_paused = paused
    comment.save(update_fields=["visibility_paused"])
    record(
        actor,
        "visibility_paused" if paused else "visibility_restored",
        case=case,
        comment=comment,
        before={"visibility_paused": not paused},
        after={"visibility_paused": paused},
        reason=reason,
    )


def call_in(actor, case, body, pause_visibility=False, version=None):
    """Send the author a private call-in; the case then waits for them.

    Imported comments have no author account: the call-in is recorded and the
    case stays with the moderators.
    """
    body = clean_text(body, "the call-in message")
    with transaction.atomic():
        case = lock_case(case, version)
        comment = lock_comment(case.comment)
        message = Message.objects.create(
            case=case, kind=Message.Kind.CALL_IN, sender=actor, body=body, created=timezone.now()
        )
        before = {"state": case.state}
        state = Case.State.WAITING if comment.author_id else case.state
        save_case(
            case,
            state=state,
            claimed_by=case.claimed_by or actor,
            claimed_at=case.claimed_at or timezone.now(),
        )
        record(
            actor,
            "call_in_sent",
            case=case,
            before=before,
            after={"state": state},
            reason="" if comment.author_id else "the author has no account; recorded only",
        )
        if pause_visibility:
            _set_visibility_paused(actor, comment, True, case, "paused while we talk")
        return message


def message_author(actor, case, body, version=None):
    """A moderator's follow-up in the private conversation."""
    body = clean_text(body)
    with transaction.atomic():
        case = lock_case(case, version)
        if not case.messages.filter(kind=Message.Kind.CALL_IN).exists():
            raise Refused("Start the conversation with a call-in first.")
        message = Message.objects.create(
            case=case,
            kind=Message.Kind.MODERATOR,
            sender=actor,
            body=body,
            created=timezone.now(),
        )
        before = {"state": case.state}
        state = Case.State.WAITING if case.comment.author_id else case.state
        save_case(case, state=state)
        record(actor, "message_sent", case=case, before=before, after={"state": state})
        return message


def _author_case(user, case):
    case = lock_case(case, states=(Case.State.WAITING, Case.State.ANSWERED, Case.State.OPEN))
    if case.comment.author_id is None or case.comment.author_id != user.pk:
        raise Refused("This conversation is not yours.")
    if not case.messages.filter(kind=Message.Kind.CALL_IN).exists():
        raise Refused("There is no call-in to answer on this comment.")
    return case


def _author_answered(user, case, kind, action, body="", revision=None):
    message = Message.objects.create(
        case=case, kind=kind, sender=user, body=body, revision=revision, created=timezone.now()
    )
    before = {"state": case.state}
    save_case(case, state=Case.State.ANSWERED)
    record(user, action, case=case, before=before, after={"state": Case.State.ANSWERED})
    return message


def author_reply(user, case, body):
    body = clean_text(body)
    with transaction.atomic():
        case = _author_case(user, case)
        return _author_answered(user, case, Message.Kind.AUTHOR, "author_replied", body)


def author_revise(user, case, body):
    """The author revises the comment from their inbox; moderators see a diff."""
    with transaction.atomic():
        case = _author_case(user, case)
        before = case.comment.body
        try:
            comment = posting.edit_comment(case.comment, user, body)
        except posting.PostingError as exc:
            raise Refused(str(exc)) from None
        if comment.body == before:
            raise Refused("The text is unchanged; edit it before saving.")
        revision = comment.revisions.order_by("-edited_at", "-id").first()
        return _author_answered(
            user, case, Message.Kind.REVISED, "author_revised", revision=revision
        )


def author_withdraw(user, case):
    with transaction.atomic():
        case = _author_case(user, case)
        try:
            posting.withdraw_comment(case.comment, user)
        except posting.PostingError as exc:
            raise Refused(str(exc)) from None
        return _author_answered(user, case, Message.Kind.WITHDRAWN, "author_withdrew")


# --- annotations ----------------------------------------------------------------------


def annotate(actor, comment, kind, body, case=None):
    """A private note (on the comment or its author) or a public context note."""
    if kind not in Annotation.Kind.values:
        raise Refused("Choose what kind of note this is.")
    body = clean_text(body, "the note", 4000)
    with transaction.atomic():
        annotation = Annotation.objects.create(
            kind=kind,
            comment=comment,
            case=case,
            about_user=comment.author if kind == Annotation.Kind.AUTHOR_NOTE else None,
            about_name=comment.author_name if kind == Annotation.Kind.AUTHOR_NOTE else "",
            body=body,
            created_by=actor,
            created=timezone.now(),
        )
        if case is not None:
            save_case(Case.objects.select_for_update().get(pk=case.pk))
        record(
            actor,
            "annotation_added",
            case=case,
            comment=comment,
            after={"kind": kind, "annotation": annotation.pk},
        )
        return annotation


def retract_annotation(actor, annotation):
    with transaction.atomic():
        annotation = Annotation.objects.select_for_update().get(pk=annotation.pk)
        if annotation.retracted_at is not None:
            raise Refused("That note was already retracted.")
        annotation.retracted_at = timezone.now()
        annotation.save(update_fields=["retracted_at"])
        record(
            actor,
            "annotation_retracted",
            case=annotation.case,
            comment=annotation.comment,
            before={"annotation": annotation.pk, "retracted": False},
            after={"retracted": True},
        )
        return annotation


def add_bridging_note(actor, comment, body, case=None):
    """A public note from the moderators placed in the thread, under ``comment``."""
    try:
        note = posting.post_comment(
            comment.essay,
            actor,
            body,
            parent=comment,
            kind=Comment.Kind.BRIDGE,
            author_name="The moderators",
        )
    except posting.PostingError as exc:
        raise Refused(str(exc)) from None
    record(actor, "bridging_note_added", case=case, comment=comment, after={"note": note.pk})
    return note


# --- de-escalation ---------------------------------------------------------------------


def _until(duration):
    if duration is None:
        return None
    if duration <= timedelta(0) or duration > MAX_PAUSE:
        raise Refused("Choose a duration between a few minutes and 30 days.")
    return timezone.now() + duration


def pause_replies(actor, comment, duration, case=None):
    """Cool-down: no new replies under ``comment`` until the time runs out."""
    until = _until(duration)
    with transaction.atomic():
        comment = lock_comment(comment)
        before = {"replies_paused_until": _iso(comment.replies_paused_until)}
        comment.replies_paused_until = until
        comment.save(update_fields=["replies_paused_until"])
        record(
            actor,
            "replies_paused",
            case=case,
            comment=comment,
            before=before,
            after={"replies_paused_until": _iso(until)},
        )
        return comment


def resume_replies(actor, comment, case=None):
    with transaction.atomic():
        comment = lock_comment(comment)
        if not comment.replies_paused():
            raise Refused("Replies under this comment are not paused.")
        before = {"replies_paused_until": _iso(comment.replies_paused_until)}
        comment.replies_paused_until = None
        comment.save(update_fields=["replies_paused_until"])
        record(
            actor,
            "replies_resumed",
            case=case,
            comment=comment,
            before=before,
            after={"replies_paused_until": None},
        )
        return comment


def collapse(actor, comment, duration=None, case=None):
    """Fold the replies under ``comment`` behind a calm notice readers can open."""
    until = _until(duration)
    with transaction.atomic():
        comment = lock_comment(comment)
        before = {"collapsed": comment.is_collapsed(), "until": _iso(comment.collapsed_until)}
        comment.collapsed, comment.collapsed_until = True, until
        comment.save(update_fields=["collapsed", "collapsed_until"])
        record(
            actor,
            "subthread_collapsed",
            case=case,
            comment=comment,
            before=before,
            after={"collapsed": True, "until": _iso(until)},
        )
        return comment


def expand(actor, comment, case=None):
    with transaction.atomic():
        comment = lock_comment(comment)
        if not comment.is_collapsed():
            raise Refused("This subthread is not collapsed.")
        comment.collapsed, comment.collapsed_until = False, None
        comment.save(update_fields=["collapsed", "collapsed_until"])
        record(
            actor,
            "subthread_expanded",
            case=case,
            comment=comment,
            before={"collapsed": True},
            after={"collapsed": False},
        )
        return comment


def set_slow_mode(actor, essay, seconds, duration=None):
    """At most one comment per person every ``seconds`` in the space (0 lifts it)."""
    if not 0 <= int(seconds) <= 24 * 3600:
        raise Refused("Slow mode takes an interval between 0 and 24 hours.")
    until = _until(duration) if seconds else None
    with transaction.atomic():
        essay = Essay.objects.select_for_update().get(pk=essay.pk)
        before = {
            "slow_mode_seconds": essay.slow_mode_seconds,
            "until": _iso(essay.slow_mode_until),
        }
        essay.slow_mode_seconds, essay.slow_mode_until = int(seconds), until
        essay.save(update_fields=["slow_mode_seconds", "slow_mode_until"])
        record(
            actor,
            "slow_mode_set" if seconds else "slow_mode_lifted",
            essay=essay,
            before=before,
            after={"slow_mode_seconds": int(seconds), "until": _iso(until)},
        )
        return essay


def pause_visibility(actor, case, version=None):
    with transaction.atomic():
        case = lock_case(case, version)
        _set_visibility_paused(actor, lock_comment(case.comment), True, case)
        return save_case(case)


def restore_visibility(actor, comment, case=None):
    with transaction.atomic():
        comment = lock_comment(comment)
        if not comment.visibility_paused:
            raise Refused("This comment is already shown.")
        _set_visibility_paused(actor, comment, False, case)
        if case is not None:
            save_case(Case.objects.select_for_update().get(pk=case.pk))
        return comment


# --- resolution and undo ---------------------------------------------------------------


def resolve(actor, case, outcome, reason="", hide_reason=None, version=None):
    """Close the case with an outcome; hiding is the reasoned last resort.

    Hiding a comment whose author was never called in needs ``spam`` or
    ``harmful`` as ``hide_reason``, or a written ``reason`` for the exception.
    """
    if outcome not in Case.Outcome.values:
        raise Refused("Choose an outcome.")
    reason = (reason or "").strip()
    with transaction.atomic():
        case = lock_case(case, version)
        comment = lock_comment(case.comment)
        if outcome == Case.Outcome.HIDDEN:
            called_in = case.messages.filter(kind=Message.Kind.CALL_IN).exists()
            if not called_in and hide_reason not in SEVERE_REASONS and not reason:
                raise Refused(
                    "This author has not been called in yet. To hide the comment now, choose "
                    "spam or harmful as the reason, or write why this case is an exception."
                )
            if not reason and not hide_reason:
                raise Refused("Say why the comment is hidden; the author will be told privately.")
            _hide(actor, comment, case, hide_reason, reason)
        elif comment.visibility_paused:
            _set_visibility_paused(actor, comment, False, case, "case resolved")
        before = {"state": case.state}
        save_case(
            case,
            state=Case.State.RESOLVED,
            outcome=outcome,
            resolution_reason=reason or (hide_reason or ""),
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


def _hide(actor, comment, case, hide_reason, reason):
    if comment.status == Comment.Status.HIDDEN:
        return
    before = {"status": comment.status}
    comment.status, comment.visibility_paused = Comment.Status.HIDDEN, False
    comment.save(update_fields=["status", "visibility_paused"])
    why = reason or Reason(hide_reason).label
    Message.objects.create(
        case=case,
        kind=Message.Kind.NOTICE,
        sender=actor,
        created=timezone.now(),
        body=(
            "Your comment is hidden from the discussion. It is not deleted, and you can still "
            f"read it here. The moderators' reason: {why}. If you think this is a mistake, "
            "answer here."
        ),
    )
    record(
        actor,
        "comment_hidden",
        case=case,
        comment=comment,
        before=before,
        after={"status": Comment.Status.HIDDEN},
        reason=why,
    )


def reopen(actor, case, reason="", version=None):
    with transaction.atomic():
        case = lock_case(case, version, states=(Case.State.RESOLVED,))
        lock_comment(case.comment)
        if Case.objects.filter(comment=case.comment_id, state__in=OPEN_STATES).exists():
            raise Refused("Another case on this comment is open; continue there.")
        before = {"state": case.state, "outcome": case.outcome}
        save_case(case, state=Case.State.OPEN, outcome="", resolved_at=None, resolved_by=None)
        record(
            actor,
            "case_reopened",
            case=case,
            before=before,
            after={"state": Case.State.OPEN},
            reason=reason,
        )
        return case


def unhide(actor, comment, reason="", case=None):
    with transaction.atomic():
        comment = lock_comment(comment)
        if comment.status != Comment.Status.HIDDEN:
            raise Refused("This comment is not hidden.")
        comment.status = Comment.Status.VISIBLE
        comment.save(update_fields=["status"])
        if case is not None:
            Message.objects.create(
                case=case,
                kind=Message.Kind.NOTICE,
                sender=actor,
                created=timezone.now(),
                body="Your comment is visible in the discussion again.",
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


def _iso(value):
    return value.isoformat() if value else None
