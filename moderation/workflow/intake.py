"""How a comment reaches the moderators: flags, automatic holds and claims.  System
cases open in ``cases``; the author's edit that ends an automatic hold is in
``moderation.submissions``; a moderator's approval of a comment that waited closes its
case (``resolution.approve``)."""

from django.db import transaction
from django.utils import timezone

from threads.limits import FLAG_NOTE_LENGTH, MAX_REASON_LENGTH

from ..audit import record
from ..models import REASON_WEIGHTS, Annotation, Case, Flag, FlaggerRecord, Reason
from .cases import (
    Refused,
    clean_text,
    lock_case,
    lock_comment,
    notify,
    open_case_for,
    save_case,
)


def flagger_weight(user):
    track_record = FlaggerRecord.objects.filter(user=user).first()
    return track_record.weight if track_record else 1.0


def refresh_weight(case):
    """Weight = sum over flags of the reason's weight times the flagger's weight."""
    counts, weight = {}, 0.0
    for reason, flag_weight in case.flags.values_list("reason", "weight"):
        counts[reason] = counts.get(reason, 0) + 1
        weight += REASON_WEIGHTS[Reason(reason)] * flag_weight
    case.reasons = counts
    case.flag_count = sum(counts.values())
    case.set_weight(round(weight, 2))


def flag_comment(user, comment, reason, note=""):
    """A reader flags a comment; the first flag opens a case, later ones join it."""
    if reason not in Reason.values:
        raise Refused("Choose one of the listed reasons.")
    note = clean_text(note, limit=FLAG_NOTE_LENGTH, required=False)
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


def open_case(actor, comment, note=""):
    """A moderator or organizer opens a case without a flag.  Returns (case, created)."""
    note = clean_text(note, "a note", MAX_REASON_LENGTH, required=False)
    with transaction.atomic():
        comment = lock_comment(comment)
        case, created = open_case_for(comment, actor, timezone.now())
        if created and note:
            Annotation.objects.create(
                kind=Annotation.Kind.COMMENT_NOTE,
                comment=comment,
                case=case,
                body=note,
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
