"""The escalation ladder: where an author stands, the sanctions that move them up, and
what stops them from posting meanwhile."""

from django.db import transaction
from django.utils import timezone

from threads.limits import MAX_REASON_LENGTH

from ..audit import record
from ..models import Case, Message, Sanction
from .cases import Refused, clean_text, ends_after, iso, lock_case, notify

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
    reason = clean_text(reason, "the reason", MAX_REASON_LENGTH)
    skip_reason = clean_text(skip_reason, limit=MAX_REASON_LENGTH, required=False)
    if kind == Sanction.Kind.SUSPENSION and not actor.is_superuser:
        raise Refused("Only admins can suspend an account.")
    until = None
    if kind == Sanction.Kind.POSTING_PAUSE:
        if duration is None:
            raise Refused("Choose how long the posting pause lasts.")
        until = ends_after(duration)
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
                "ends_at": iso(until),
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


def lift_sanction(actor, item, reason="", case=None):
    """Lift a sanction; from a case page it is logged against that ``case`` (else the
    case it was given on)."""
    reason = clean_text(reason, limit=MAX_REASON_LENGTH, required=False)
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
            case=case or item.case,
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
