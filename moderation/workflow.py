"""Every state change of moderation lives here; views and commands call these.

Each function runs in one transaction, locks the rows it changes, checks the
state it expects (a form posted from a stale page carries the case version it
saw) and writes one ``ModerationEvent`` per change.  Nothing here deletes a
comment: hiding changes its status, and every action has an undo that is
logged too.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from threads import posting
from threads.models import Comment, Essay

from .audit import record
from .models import (
    REASON_WEIGHTS,
    Annotation,
    Case,
    Flag,
    FlaggerRecord,
    HideReason,
    Message,
    NoteLabel,
    Notice,
    Reason,
    Sanction,
)
from .notify import schedule as email_author

OPEN_STATES = (Case.State.OPEN, Case.State.WAITING, Case.State.ANSWERED)
# Reasons that allow hiding a comment before any call-in.
SEVERE_REASONS = (HideReason.SPAM, HideReason.HARMFUL, HideReason.THREAT, HideReason.ILLEGAL)
# Outcomes that agree with the flaggers, and the one that does not (see FlaggerRecord).
AGREEING_OUTCOMES = (
    Case.Outcome.HIDDEN,
    Case.Outcome.REVISED,
    Case.Outcome.WITHDRAWN,
    Case.Outcome.ANNOTATED,
)
MAX_PAUSE = timedelta(days=30)


class Refused(Exception):
    """An action that is not allowed now; the message is meant for the person acting."""


class Conflict(Refused):
    """The case changed since the acting person last saw it."""


def lock_case(case, version=None, states=OPEN_STATES):
    """Lock the case row and check it is still in a state the action expects.

    The case's comment is locked first: every action that locks both takes the
    comment first (as ``flag_comment`` does), so two of them never deadlock.
    """
    list(Comment.objects.select_for_update().filter(pk=case.comment_id).values_list("pk"))
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
    if "\x00" in text:  # PostgreSQL cannot store it; no keyboard types it
        raise Refused("That text contains a NUL character; please remove it.")
    return text


# --- intake -------------------------------------------------------------------


def flagger_weight(user):
    record_ = FlaggerRecord.objects.filter(user=user).first()
    return record_.weight if record_ else 1.0


def refresh_weight(case):
    """Weight = sum over flags of the reason's weight times the flagger's weight."""
    counts, weight = {}, 0.0
    for reason, flag_weight in case.flags.values_list("reason", "weight"):
        counts[reason] = counts.get(reason, 0) + 1
        weight += REASON_WEIGHTS[Reason(reason)] * flag_weight
    case.reasons = counts
    case.flag_count = sum(counts.values())
    case.set_weight(round(weight, 2))


def open_case_for(comment, opened_by, now, origin=Case.Origin.FLAG, reason=""):
    """The open case on a locked comment, opening one if there is none."""
    case = Case.objects.select_for_update().filter(comment=comment, state__in=OPEN_STATES).first()
    if case is not None:
        return case, False
    case = Case(
        comment=comment, essay=comment.essay, opened_by=opened_by, opened_at=now, origin=origin
    )
    case.set_weight(0)
    case.save()
    record(
        opened_by,
        "case_opened",
        case=case,
        after={"state": case.state, "origin": origin},
        reason=reason,
    )
    return case, True


def open_system_case(comment, origin, reason, watched_words=()):
    """A case opened by callin itself (watched word, heat, newcomer): never a removal."""
    with transaction.atomic():
        comment = lock_comment(comment)
        case, created = open_case_for(comment, None, timezone.now(), origin, reason)
        if watched_words:
            words = sorted(set(case.watched_words) | set(watched_words))
            save_case(case, watched_words=words)
        return case, created


def flag_comment(user, comment, reason, note=""):
    """A reader flags a comment; the first flag opens a case, later ones join it."""
    if reason not in Reason.values:
        raise Refused("Choose one of the listed reasons.")
    note = (note or "").strip()
    if len(note) > 2000:
        raise Refused("The note can be at most 2,000 characters.")
    if "\x00" in note:
        raise Refused("The note contains a NUL character; please remove it.")
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
        flag.weight, flag.reviewed_at = flagger_weight(user), None
        flag.save()
        if old_case_id and old_case_id != case.pk:
            old_case = Case.objects.get(pk=old_case_id)
            refresh_weight(old_case)
            save_case(old_case)
        refresh_weight(case)
        save_case(case)
        record(
            user,
            "flag_updated" if before else "flag_added",
            case=case,
            before=before,
            after={"reason": reason, "note": note, "weight": flag.weight},
        )
        auto_hold(case, comment)
        return flag, case


def auto_hold(case, comment):
    """Pause a comment whose weighted flags pass the space's threshold before anyone looks."""
    threshold = comment.essay.auto_hold_weight
    if (
        not threshold
        or case.weight < threshold
        or case.auto_held
        or comment.visibility_paused
        or case.claimed_by_id
        or case.messages.exists()
    ):
        return
    comment.visibility_paused = True
    comment.save(update_fields=["visibility_paused"])
    save_case(case, auto_held=True)
    record(
        None,
        "auto_held",
        case=case,
        before={"visibility_paused": False},
        after={"visibility_paused": True, "weight": case.weight},
        reason=f"weighted flags {case.weight} reached the space's threshold {threshold}",
    )
    notify(
        comment.author,
        f"A few readers asked the moderators to look at your comment in “{comment.essay.title}”. "
        "While they do, readers see a short placeholder instead of it. Nothing is removed. "
        "If you would like to, you can edit it: an edit puts it back in view while the "
        "moderators review it.",
        comment.get_absolute_url(),
    )


def notify(user, body, link=""):
    """A private notice to ``user`` (nobody when the comment was imported without an account)."""
    if user is not None:
        Notice.objects.create(user=user, body=body, link=link, created=timezone.now())


def edit_own_comment(user, comment, body):
    """An author's edit; it ends an automatic hold, pending review by the moderators."""
    with transaction.atomic():
        before = lock_comment(comment).body
        try:
            comment = posting.edit_comment(comment, user, body)
        except posting.PostingError as exc:
            raise Refused(str(exc)) from None
        case = (
            Case.objects.select_for_update()
            .filter(comment=comment, state__in=OPEN_STATES, auto_held=True)
            .first()
        )
        # Saving the text unchanged is no edit: the hold stays.
        if case is not None and comment.visibility_paused and comment.body != before:
            comment.visibility_paused = False
            comment.save(update_fields=["visibility_paused"])
            save_case(case, state=Case.State.ANSWERED)
            record(
                user,
                "auto_hold_released",
                case=case,
                before={"visibility_paused": True},
                after={"visibility_paused": False, "state": Case.State.ANSWERED},
                reason="the author edited the comment; pending review",
            )
            notify(
                user,
                "Thank you for editing. Your comment is back in view while the "
                "moderators review it.",
                comment.get_absolute_url(),
            )
        return comment


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
        email_author(message)  # after the commit (moderation.notify)
        before = {"state": case.state}
        state = Case.State.WAITING if comment.author_id else case.state
        save_case(
            case,
            state=state,
            claimed_by=case.claimed_by or actor,
            claimed_at=case.claimed_at or timezone.now(),
            no_answer=False,
            call_in_deadline=deadline(case) if comment.author_id else None,
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
        email_author(message)  # after the commit (moderation.notify)
        before = {"state": case.state}
        state = Case.State.WAITING if case.comment.author_id else case.state
        save_case(
            case,
            state=state,
            no_answer=False,
            call_in_deadline=deadline(case) if case.comment.author_id else None,
        )
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
    save_case(case, state=Case.State.ANSWERED, call_in_deadline=None, no_answer=False)
    record(user, action, case=case, before=before, after={"state": Case.State.ANSWERED})
    return message


def deadline(case):
    return timezone.now() + timedelta(hours=case.essay.call_in_hours)


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
        if case.messages.filter(kind=Message.Kind.WITHDRAWN).exists():
            # A second click (or a second tab) must not tell the moderators twice.
            raise Refused("You have already withdrawn this comment; the moderators were told.")
        try:
            posting.withdraw_comment(case.comment, user)
        except posting.PostingError as exc:
            raise Refused(str(exc)) from None
        return _author_answered(user, case, Message.Kind.WITHDRAWN, "author_withdrew")


# --- annotations ----------------------------------------------------------------------


def annotate(actor, comment, kind, body, case=None, label=""):
    """A private note (on the comment or its author, which may carry a label) or a public
    context note."""
    if kind not in Annotation.Kind.values:
        raise Refused("Choose what kind of note this is.")
    if label and (label not in NoteLabel.values or kind != Annotation.Kind.AUTHOR_NOTE):
        raise Refused("Labels go on notes about the author, from the listed ones.")
    body = clean_text(body, "the note", 4000)
    with transaction.atomic():
        # The comment before the case, as everywhere (see lock_case).
        comment = lock_comment(comment)
        annotation = Annotation.objects.create(
            kind=kind,
            comment=comment,
            case=case,
            about_user=comment.author if kind == Annotation.Kind.AUTHOR_NOTE else None,
            about_name=comment.author_name if kind == Annotation.Kind.AUTHOR_NOTE else "",
            label=label,
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
            after={
                "kind": kind,
                "annotation": annotation.pk,
                **({"label": label} if label else {}),
            },
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
    if duration is None:
        raise Refused("Choose a duration for the cool-down, up to 30 days.")
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
    if hide_reason and hide_reason not in HideReason.values:
        raise Refused("Choose one of the listed reasons for hiding.")
    reason = (reason or "").strip()
    with transaction.atomic():
        case = lock_case(case, version)
        comment = lock_comment(case.comment)
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
        review_flags(case, outcome)
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


def _hide(actor, comment, case, hide_reason, reason):
    if comment.status == Comment.Status.HIDDEN:
        return
    before = {"status": comment.status}
    comment.status, comment.visibility_paused = Comment.Status.HIDDEN, False
    comment.save(update_fields=["status", "visibility_paused"])
    why = reason or HideReason(hide_reason).label
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
    # Also a notice in the author's inbox: a case without a call-in is not listed there.
    notify(
        comment.author,
        f"Your comment in “{comment.essay.title}” is hidden from the discussion. It is not "
        f"deleted. The moderators' reason: {why}.",
        comment.get_absolute_url(),
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
        before = {
            "state": case.state,
            "outcome": case.outcome,
            "resolution_reason": case.resolution_reason,
        }
        # The previous resolution is in the log; a reopened case carries none of it.
        save_case(
            case,
            state=Case.State.OPEN,
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
        # A new notice: the one saying it was hidden stays, true for its time.
        notify(
            comment.author,
            f"Your comment in “{comment.essay.title}” is visible in the discussion again.",
            comment.get_absolute_url(),
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


# --- featured comments ---------------------------------------------------------------


def feature(actor, comment, featured=True):
    """Show (or stop showing) a comment in the thread's featured section."""
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
            comment=comment,
            before={"featured": not featured},
            after={"featured": featured},
        )
        return comment


# --- approval of held comments --------------------------------------------------------


def approve(actor, case, version=None):
    """Show a comment that waited for a moderator (watched word or newcomer)."""
    with transaction.atomic():
        case = lock_case(case, version)
        comment = lock_comment(case.comment)
        if comment.status != Comment.Status.PENDING:
            raise Refused("This comment is not waiting for approval.")
        comment.status = Comment.Status.VISIBLE
        comment.save(update_fields=["status"])
        record(
            actor,
            "comment_approved",
            case=case,
            before={"status": "pending"},
            after={"status": "visible"},
        )
        notify(
            comment.author,
            "Your comment has been approved and is now in the discussion.",
            comment.get_absolute_url(),
        )
        save_case(
            case,
            state=Case.State.RESOLVED,
            outcome=Case.Outcome.NO_ACTION,
            resolved_at=timezone.now(),
            resolved_by=actor,
        )
        record(
            actor,
            "case_resolved",
            case=case,
            before={"state": case.state},
            after={"state": Case.State.RESOLVED, "outcome": Case.Outcome.NO_ACTION},
            reason="approved",
        )
        return case


# --- periodic work ---------------------------------------------------------------------


def _only(rows):
    """The rows just read and logged, and no others that became due since."""
    return rows.model.objects.filter(pk__in=[row.pk for row in rows])


def tick(now=None):
    """End what has run out: call-ins without answer, cool-downs, folds, slow modes, pauses.

    Safe to run every minute from cron: each step only picks rows whose time has
    passed and that are not yet handled, so a second run changes nothing.
    Returns a count per step.
    """
    now = now or timezone.now()
    done = {"call_ins_expired": 0}
    # One case at a time, locked through lock_case (its comment first, then the case, as
    # every other action does), so tick never deadlocks with a moderator on PostgreSQL.
    due = Case.objects.filter(state=Case.State.WAITING, call_in_deadline__lte=now)
    for pk, comment_id in due.order_by("pk").values_list("pk", "comment_id"):
        with transaction.atomic():
            try:
                case = lock_case(Case(pk=pk, comment_id=comment_id), states=(Case.State.WAITING,))
            except Conflict:
                continue  # answered or resolved since the list was read
            if case.call_in_deadline is None or case.call_in_deadline > now:
                continue  # a new message started a new wait meanwhile
            save_case(case, state=Case.State.OPEN, no_answer=True, call_in_deadline=None)
            record(
                None,
                "call_in_expired",
                case=case,
                before={"state": Case.State.WAITING},
                after={"state": Case.State.OPEN, "no_answer": True},
                reason="the author did not answer in time",
            )
            done["call_ins_expired"] += 1

    # Several rows per step: locked in primary-key order, so two ticks that overlap
    # (a slow run and the next minute's) wait for each other instead of deadlocking.
    with transaction.atomic():
        cooled = (
            Comment.objects.select_for_update().filter(replies_paused_until__lte=now).order_by("pk")
        )
        for comment in cooled:
            record(
                None,
                "replies_resumed",
                comment=comment,
                before={"replies_paused_until": _iso(comment.replies_paused_until)},
                after={"replies_paused_until": None},
                reason="cool-down ended",
            )
        done["cool_downs_ended"] = _only(cooled).update(replies_paused_until=None)

        unfolded = (
            Comment.objects.select_for_update()
            .filter(collapsed=True, collapsed_until__lte=now)
            .order_by("pk")
        )
        for comment in unfolded:
            record(
                None,
                "subthread_expanded",
                comment=comment,
                before={"collapsed": True},
                after={"collapsed": False},
                reason="fold ended",
            )
        done["folds_ended"] = _only(unfolded).update(collapsed=False, collapsed_until=None)

        slowed = (
            Essay.objects.select_for_update()
            .filter(slow_mode_seconds__gt=0, slow_mode_until__lte=now)
            .order_by("pk")
        )
        for essay in slowed:
            record(
                None,
                "slow_mode_lifted",
                essay=essay,
                before={"slow_mode_seconds": essay.slow_mode_seconds},
                after={"slow_mode_seconds": 0},
                reason="slow mode ended",
            )
        done["slow_modes_ended"] = _only(slowed).update(slow_mode_seconds=0, slow_mode_until=None)

        ended = (
            Sanction.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(kind=Sanction.Kind.POSTING_PAUSE, lifted_at__isnull=True, ends_at__lte=now)
            .order_by("pk")
        )
        for sanction in ended:
            record(
                None,
                "posting_pause_ended",
                case=sanction.case,
                after={"sanction": sanction.pk, "user": sanction.user.get_username()},
            )
            notify(sanction.user, "Your posting pause has ended. Welcome back.")
        done["posting_pauses_ended"] = _only(ended).update(lifted_at=now)
    return done


# --- the escalation ladder -------------------------------------------------------------

# call-in (1) -> warning (2) -> posting pause (3) -> suspension (4, admins only)
RUNGS = {Sanction.Kind.WARNING: 2, Sanction.Kind.POSTING_PAUSE: 3, Sanction.Kind.SUSPENSION: 4}
RUNG_NAMES = {0: "nothing yet", 1: "called in", 2: "warned", 3: "posting paused", 4: "suspended"}
NEXT_STEP = {0: "a call-in", 1: "a formal warning", 2: "a posting pause", 3: "a suspension"}


def standing(user):
    """The highest rung an author has reached (0 when nothing has happened yet)."""
    if user is None:
        return 0
    kinds = set(Sanction.objects.filter(user=user).values_list("kind", flat=True))
    for kind in (Sanction.Kind.SUSPENSION, Sanction.Kind.POSTING_PAUSE, Sanction.Kind.WARNING):
        if kind in kinds:
            return RUNGS[kind]
    called_in = Message.objects.filter(kind=Message.Kind.CALL_IN, case__comment__author=user)
    return 1 if called_in.exists() else 0


SANCTION_TEXT = {
    Sanction.Kind.WARNING: (
        "The moderators of “{essay}” are giving you a formal warning: {reason}\n"
        "Please read it and acknowledge it in your inbox before you post again."
    ),
    Sanction.Kind.POSTING_PAUSE: (
        "The moderators of “{essay}” have paused your posting until {until}: {reason}"
    ),
    Sanction.Kind.SUSPENSION: ("An admin has suspended your account from posting: {reason}"),
}


def sanction(actor, case, kind, reason, duration=None, skip_reason=""):
    """Move the author of the case's comment one rung up the ladder.

    Going past the next rung needs a written ``skip_reason`` (logged); only
    admins suspend.
    """
    if kind not in RUNGS:
        raise Refused("Choose a step of the ladder.")
    reason = clean_text(reason, "the reason", 4000)
    skip_reason = (skip_reason or "").strip()
    if kind == Sanction.Kind.SUSPENSION and not actor.is_superuser:
        raise Refused("Only admins can suspend an account.")
    until = None
    if kind == Sanction.Kind.POSTING_PAUSE:
        if duration is None:
            raise Refused("Choose how long the posting pause lasts.")
        until = _until(duration)
    with transaction.atomic():
        case = lock_case(case, states=Case.State.values)
        user = case.comment.author
        if user is None:
            raise Refused("This comment was imported without an account: there is nobody to warn.")
        current = standing(user)
        if RUNGS[kind] > current + 1 and not skip_reason:
            raise Refused(
                f"This author stands at “{RUNG_NAMES[current]}”; the next step is "
                f"{NEXT_STEP[current]}. To go further, write why."
            )
        item = Sanction.objects.create(
            user=user,
            kind=kind,
            case=case,
            reason=reason,
            skip_reason=skip_reason,
            created_by=actor,
            created=timezone.now(),
            ends_at=until,
        )
        record(
            actor,
            f"sanction_{kind}",
            case=case,
            before={"standing": current},
            after={
                "standing": max(current, RUNGS[kind]),
                "sanction": item.pk,
                "ends_at": _iso(until),
            },
            reason=f"{reason} (skipped a step: {skip_reason})" if skip_reason else reason,
        )
        text = SANCTION_TEXT[kind].format(
            essay=case.essay.title,
            reason=reason,
            until=timezone.localtime(until).strftime("%b %-d, %H:%M") if until else "",
        )
        notify(user, text, "/inbox/")
        return item


def acknowledge_warning(user, item):
    with transaction.atomic():
        item = Sanction.objects.select_for_update().get(pk=item.pk)
        if item.user_id != user.pk or item.kind != Sanction.Kind.WARNING:
            raise Refused("There is no such warning for you.")
        if item.acknowledged_at:
            return item
        item.acknowledged_at = timezone.now()
        item.save(update_fields=["acknowledged_at"])
        record(user, "warning_acknowledged", case=item.case, after={"sanction": item.pk})
        return item


def lift_sanction(actor, item, reason=""):
    with transaction.atomic():
        item = Sanction.objects.select_for_update().get(pk=item.pk)
        if item.lifted_at:
            raise Refused("That was already lifted.")
        if item.kind == Sanction.Kind.SUSPENSION and not actor.is_superuser:
            raise Refused("Only admins can lift a suspension.")
        item.lifted_at = timezone.now()
        item.save(update_fields=["lifted_at"])
        record(
            actor,
            f"sanction_{item.kind}_lifted",
            case=item.case,
            after={"sanction": item.pk},
            reason=reason,
        )
        notify(item.user, f"The moderators lifted your {item.get_kind_display().lower()}.")
        return item


def posting_refusal(user, now=None):
    """Why the ladder stops ``user`` from posting now, or "" when nothing does."""
    now = now or timezone.now()
    active = list(Sanction.objects.filter(user=user, lifted_at__isnull=True))
    # The most severe reason first: a suspended author is not sent to acknowledge a
    # warning only to be told afterwards that they cannot post anyway.
    if any(item.kind == Sanction.Kind.SUSPENSION for item in active):
        return "Your account is suspended from posting."
    pauses = [
        item.ends_at
        for item in active
        if item.kind == Sanction.Kind.POSTING_PAUSE and item.ends_at and item.ends_at > now
    ]
    if pauses:
        until = timezone.localtime(max(pauses))
        return f"Your posting is paused until {until:%b %-d, %H:%M}."
    if any(item.kind == Sanction.Kind.WARNING and not item.acknowledged_at for item in active):
        return (
            "The moderators sent you a formal warning. Please read and acknowledge it in "
            "your inbox before posting again."
        )
    return ""


# --- bulk actions on the queue -----------------------------------------------------------


def bulk(actor, versions, action, outcome="", hide_reason=None, reason=""):
    """Apply one action to many cases, each in its own transaction and with its own events.

    ``versions`` maps case id to the version the moderator saw.  The rules of
    the single actions hold (a stale case, or hiding without a call-in and
    without a severe reason, is refused).  Returns (done ids, {id: refusal}).
    """
    done, refused = [], {}
    cases = Case.objects.in_bulk(list(versions))
    for pk, version in versions.items():
        case = cases.get(pk)
        try:
            if case is None:
                raise Refused("No such case.")
            if action == "claim":
                claim(actor, case, version)
            elif action == "resolve":
                resolve(actor, case, outcome, reason, None, version)
            elif action == "hide":
                resolve(actor, case, Case.Outcome.HIDDEN, reason, hide_reason, version)
            else:
                raise Refused("Choose an action.")
        except Refused as exc:
            refused[pk] = str(exc)
        else:
            done.append(pk)
    return done, refused


# --- undo the last action ------------------------------------------------------------------

UNDONE = "action_undone"


class NothingToUndo(Refused):
    """No moderator has acted on the case yet."""


# Events people other than the moderators record on a case (flags, the author's answers, a
# reader opening it): they are not the moderators' last action, so undo looks past them.
NOT_MODERATORS = {
    "case_opened",
    "flag_added",
    "flag_updated",
    "author_replied",
    "author_revised",
    "author_withdrew",
    "auto_hold_released",
    "warning_acknowledged",
}
UNSENDABLE = {
    "call_in_sent": "The last action was a call-in, and a call-in cannot be unsent: the author "
    "may have read it already. If something in it needs correcting, write to them again.",
    "message_sent": "The last action was a message to the author, and a message cannot be "
    "unsent: they may have read it already. Write to them again if needed.",
}


def _undo_resolve(actor, case, event):
    reopen(actor, case, "undo")
    if event.after.get("outcome") == Case.Outcome.HIDDEN:
        unhide(actor, case.comment, "undo", case)


# The moderators' actions that can be taken back: what the undo button calls them, and
# the existing inverse that takes them back (actor, case, event).
UNDO = {
    "case_claimed": ("claiming the case", lambda a, c, e: unclaim(a, c)),
    "annotation_added": (
        "adding a note",
        lambda a, c, e: retract_annotation(a, Annotation(pk=e.after["annotation"])),
    ),
    "replies_paused": ("pausing replies", lambda a, c, e: resume_replies(a, c.comment, c)),
    "subthread_collapsed": ("folding the replies", lambda a, c, e: expand(a, c.comment, c)),
    "visibility_paused": (
        "pausing visibility",
        lambda a, c, e: restore_visibility(a, c.comment, c),
    ),
    "case_resolved": ("resolving the case", _undo_resolve),
}


def undo_target(events):
    """The moderators' latest action among a case's ``events`` (newest first) and what
    undoing it takes back.  Raises Refused, saying why, when it cannot be undone.

    Only the very latest action counts: undo never reaches past one that cannot be
    undone, nor past an earlier undo, so ``u`` pressed twice takes back one action.
    """
    acts = [e for e in events if e.actor_id and e.action not in NOT_MODERATORS][:2]
    if not acts:
        raise NothingToUndo("There is nothing to undo on this case yet.")
    last = acts[0]
    if last.action == UNDONE:
        raise Refused("The last action was already undone; there is nothing more to undo.")
    if last.action in UNSENDABLE:
        raise Refused(UNSENDABLE[last.action])
    if last.action == "case_resolved" and acts[1:] and acts[1].action == "comment_approved":
        raise Refused(
            "The last action approved the comment, and readers may have seen it since: "
            "it cannot be undone. Resolve the case again to hide it if needed."
        )
    if last.action not in UNDO:
        raise Refused(f"The last action ({last.action.replace('_', ' ')}) cannot be undone.")
    what = UNDO[last.action][0]
    if last.action == "case_resolved" and last.after.get("outcome") == Case.Outcome.HIDDEN:
        what = "hiding the comment and resolving the case"
    return last, what


def undo_last(actor, case, version=None):
    """Take back the moderators' latest action on the case with its inverse.

    The log is append-only, so an undo adds events: the inverse's own, then
    ``action_undone`` naming the event taken back.  Returns that event.
    """
    with transaction.atomic():
        case = lock_case(case, version, states=Case.State.values)
        recent = (
            case.events.exclude(actor=None)
            .exclude(action__in=NOT_MODERATORS)
            .order_by("-created", "-id")[:2]
        )
        event, what = undo_target(recent)
        UNDO[event.action][1](actor, case, event)
        record(
            actor,
            UNDONE,
            case=case,
            before={"event": event.pk, "action": event.action},
            reason=f"undid {what}",
        )
        save_case(Case.objects.select_for_update().get(pk=case.pk))
        return event
