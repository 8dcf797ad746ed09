"""Cooling a heated exchange down: pausing replies, folding a subthread, slow mode.

Each has a time limit (``tick`` ends it) and an inverse a moderator can use sooner.
"""

from django.db import transaction
from django.utils import timezone

from threads.models import Comment, Essay

from ..audit import record
from .cases import Refused, ends_after, iso, lock_comment


def _change_comment(actor, comment, case, action, changes, *, before, after, only_if=None):
    """Lock ``comment``, set ``changes`` on it and log ``action``.

    ``before`` reads what the locked comment was; ``only_if`` is (test, refusal) for
    an inverse that applies only while the thing it ends is in force.
    """
    with transaction.atomic():
        comment = lock_comment(comment)
        if only_if is not None and not only_if[0](comment):
            raise Refused(only_if[1])
        logged_before = before(comment)
        for field, value in changes.items():
            setattr(comment, field, value)
        comment.save(update_fields=list(changes))
        record(actor, action, case=case, comment=comment, before=logged_before, after=after)
        return comment


def _paused_until(comment):
    return {"replies_paused_until": iso(comment.replies_paused_until)}


def pause_replies(actor, comment, duration, case=None):
    """Cool-down: no new replies under ``comment`` until the time runs out."""
    if duration is None:
        raise Refused("Choose a duration for the cool-down, up to 30 days.")
    return _pause_replies_until(actor, comment, ends_after(duration), case)


def restore_replies_pause(actor, comment, until, case=None):
    """Undo of a pause: the pause that was in force before it (until ``until``), if it
    still runs, or none."""
    if until is None or until <= timezone.now():
        return resume_replies(actor, comment, case)
    return _pause_replies_until(actor, comment, until, case)


def _pause_replies_until(actor, comment, until, case):
    return _change_comment(
        actor,
        comment,
        case,
        "replies_paused",
        {"replies_paused_until": until},
        before=_paused_until,
        after={"replies_paused_until": iso(until)},
    )


def resume_replies(actor, comment, case=None):
    return _change_comment(
        actor,
        comment,
        case,
        "replies_resumed",
        {"replies_paused_until": None},
        before=_paused_until,
        after={"replies_paused_until": None},
        only_if=(Comment.replies_paused, "Replies under this comment are not paused."),
    )


def collapse(actor, comment, duration=None, case=None):
    """Fold the replies under ``comment`` behind a calm notice readers can open."""
    until = ends_after(duration)
    return _change_comment(
        actor,
        comment,
        case,
        "subthread_collapsed",
        {"collapsed": True, "collapsed_until": until},
        before=lambda c: {"collapsed": c.is_collapsed(), "until": iso(c.collapsed_until)},
        after={"collapsed": True, "until": iso(until)},
    )


def restore_fold(actor, comment, until, case=None):
    """Undo of a fold over one already in force: the earlier fold, until ``until``
    (None: until lifted)."""
    return _change_comment(
        actor,
        comment,
        case,
        "subthread_collapsed",
        {"collapsed": True, "collapsed_until": until},
        before=lambda c: {"collapsed": c.is_collapsed(), "until": iso(c.collapsed_until)},
        after={"collapsed": True, "until": iso(until)},
    )


def expand(actor, comment, case=None):
    return _change_comment(
        actor,
        comment,
        case,
        "subthread_expanded",
        {"collapsed": False, "collapsed_until": None},
        before=lambda c: {"collapsed": True},
        after={"collapsed": False},
        only_if=(Comment.is_collapsed, "This subthread is not collapsed."),
    )


def set_slow_mode(actor, essay, seconds, duration=None, case=None):
    """At most one comment per person every ``seconds`` in the space (0 lifts it).

    Set from a case page, it is logged against that ``case`` (its undo button offers it).
    """
    if not 0 <= int(seconds) <= 24 * 3600:
        raise Refused("Slow mode takes an interval between 0 and 24 hours.")
    until = ends_after(duration) if seconds else None
    return restore_slow_mode(actor, essay, int(seconds), until, case)


def restore_slow_mode(actor, essay, seconds, until, case=None):
    """Put the space's slow mode at ``seconds`` until ``until``: set_slow_mode, and the
    undo of it, which puts back what its event's ``before`` recorded."""
    with transaction.atomic():
        essay = Essay.objects.select_for_update().get(pk=essay.pk)
        before = {
            "slow_mode_seconds": essay.slow_mode_seconds,
            "until": iso(essay.slow_mode_until),
        }
        essay.slow_mode_seconds, essay.slow_mode_until = seconds, until if seconds else None
        essay.save(update_fields=["slow_mode_seconds", "slow_mode_until"])
        record(
            actor,
            "slow_mode_set" if seconds else "slow_mode_lifted",
            case=case,
            essay=essay,
            before=before,
            after={"slow_mode_seconds": seconds, "until": iso(essay.slow_mode_until)},
        )
        return essay
