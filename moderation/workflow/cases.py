"""What every action shares: refusals, locking, opening and saving a case, checking text.

Each action runs in one transaction, locks the rows it changes (the comment
before its case, so two actions never deadlock), checks the state it expects
(a form posted from a stale page carries the case version it saw) and writes
one ``ModerationEvent`` per change.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from threads.errors import Refused
from threads.inputs import NUL_MESSAGE, too_long
from threads.limits import MAX_MESSAGE_LENGTH
from threads.models import Comment

from ..audit import record
from ..models import Case, Notice

OPEN_STATES = (Case.State.OPEN, Case.State.WAITING, Case.State.ANSWERED)
MAX_PAUSE = timedelta(days=30)


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


def touch_case(case):
    """A new version for a case that an action on its comment changed, so that a form
    posted from the page seen before it is refused as stale."""
    if case is not None:
        save_case(Case.objects.select_for_update().get(pk=case.pk))


def lock_comment(comment):
    return (
        Comment.objects.select_for_update(of=("self",)).select_related("essay").get(pk=comment.pk)
    )


def clean_text(text, what="a message", limit=MAX_MESSAGE_LENGTH, required=True):
    """``text`` stripped, or Refused when it is empty (unless not ``required``), longer
    than ``limit`` or holds a NUL: the forms' checks again, for every other way in."""
    text = (text or "").strip()
    if not text and required:
        raise Refused(f"Write {what} first.")
    if len(text) > limit:
        raise Refused(too_long(limit))
    if "\x00" in text:
        raise Refused(NUL_MESSAGE)
    return text


def ends_after(duration):
    """When a pause of ``duration`` ends (None: it lasts until lifted)."""
    if duration is None:
        return None
    if duration <= timedelta(0) or duration > MAX_PAUSE:
        raise Refused("Choose a duration between a few minutes and 30 days.")
    return timezone.now() + duration


def iso(value):
    return value.isoformat() if value else None


def notify(user, body, link=""):
    """A private notice to ``user`` (nobody when the comment was imported without an account)."""
    if user is not None:
        Notice.objects.create(user=user, body=body, link=link, created=timezone.now())


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
