"""Undo: the moderators' latest action on a case, taken back with its existing inverse.

The button names the latest action logged against the case (every action taken from
a case page is), and its undo puts back the state that action's event recorded as
``before``.  The log is append-only, so an undo adds events rather than removing any.
"""

from django.db import transaction
from django.utils.dateparse import parse_datetime

from ..audit import record
from ..models import Annotation, Case
from .callin import restore_visibility, set_visibility_paused
from .cases import OPEN_STATES, Refused, lock_case, lock_comment, touch_case
from .deescalation import expand, restore_fold, restore_replies_pause, restore_slow_mode
from .intake import unclaim
from .notes import retract_annotation
from .resolution import feature, reopen, unhide

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


def _when(value):
    """A time an event recorded (ISO text, or None)."""
    return parse_datetime(value) if value else None


def _undo_resolve(actor, case, event):
    """Reopen the case in the state it was resolved from, and put back what resolving
    changed on the comment (hidden, or shown again after a pause)."""
    state = event.before.get("state")
    reopen(actor, case, "undo", state=state if state in OPEN_STATES else Case.State.OPEN)
    if event.after.get("outcome") == Case.Outcome.HIDDEN:
        unhide(actor, case.comment, "undo", case)
    if event.before.get("visibility_paused"):
        set_visibility_paused(actor, lock_comment(case.comment), True, case, "undo")


def _undo_pause(actor, case, event):
    until = _when(event.before.get("replies_paused_until"))
    restore_replies_pause(actor, case.comment, until, case)


def _undo_fold(actor, case, event):
    if event.before.get("collapsed"):
        restore_fold(actor, case.comment, _when(event.before.get("until")), case)
    else:
        expand(actor, case.comment, case)


def _undo_slow_mode(actor, case, event):
    before = event.before
    restore_slow_mode(
        actor, case.essay, before.get("slow_mode_seconds", 0), _when(before.get("until")), case
    )


# The moderators' actions that can be taken back: what the undo button calls them, and
# the existing inverse that takes them back (actor, case, event), putting back what the
# event's ``before`` recorded.
UNDO = {
    "case_claimed": ("claiming the case", lambda a, c, e: unclaim(a, c)),
    "annotation_added": (
        "adding a note",
        lambda a, c, e: retract_annotation(a, Annotation(pk=e.after["annotation"]), c),
    ),
    "replies_paused": ("pausing replies", _undo_pause),
    "subthread_collapsed": ("folding the replies", _undo_fold),
    "slow_mode_set": ("setting slow mode", _undo_slow_mode),
    "slow_mode_lifted": ("lifting slow mode", _undo_slow_mode),
    "comment_featured": (
        "featuring the comment",
        lambda a, c, e: feature(a, c.comment, False, c),
    ),
    "comment_unfeatured": (
        "no longer featuring the comment",
        lambda a, c, e: feature(a, c.comment, True, c),
    ),
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

    The inverse writes its own events, then ``action_undone`` names the event
    taken back.  Returns that event.
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
        touch_case(case)
        return event
