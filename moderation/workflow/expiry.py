"""``tick``: ending what has run out (call-ins without answer, cool-downs, folds, slow
modes, posting pauses).  Run every minute from cron (``manage.py tick``)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from threads.models import Comment, Essay

from ..audit import record
from ..models import Case, Sanction
from .cases import Conflict, iso, lock_case, notify, save_case


@dataclass(frozen=True)
class Expiry:
    """Something with a time limit, and how ``tick`` ends it once the time has passed."""

    count: str  # its key in tick's result
    due: Callable  # now -> the rows whose time has passed
    ends: Callable  # now -> the fields that end it
    action: str  # the event written for each row
    logged: Callable  # row -> the event's subject, before and after
    reason: str = ""
    notice: str = ""  # told to the row's user when it ends


EXPIRIES = (
    Expiry(
        "cool_downs_ended",
        due=lambda now: Comment.objects.filter(replies_paused_until__lte=now),
        ends=lambda now: {"replies_paused_until": None},
        action="replies_resumed",
        logged=lambda comment: {
            "comment": comment,
            "before": {"replies_paused_until": iso(comment.replies_paused_until)},
            "after": {"replies_paused_until": None},
        },
        reason="cool-down ended",
    ),
    Expiry(
        "folds_ended",
        due=lambda now: Comment.objects.filter(collapsed=True, collapsed_until__lte=now),
        ends=lambda now: {"collapsed": False, "collapsed_until": None},
        action="subthread_expanded",
        logged=lambda comment: {
            "comment": comment,
            "before": {"collapsed": True},
            "after": {"collapsed": False},
        },
        reason="fold ended",
    ),
    Expiry(
        "slow_modes_ended",
        due=lambda now: Essay.objects.filter(slow_mode_seconds__gt=0, slow_mode_until__lte=now),
        ends=lambda now: {"slow_mode_seconds": 0, "slow_mode_until": None},
        action="slow_mode_lifted",
        logged=lambda essay: {
            "essay": essay,
            "before": {"slow_mode_seconds": essay.slow_mode_seconds},
            "after": {"slow_mode_seconds": 0},
        },
        reason="slow mode ended",
    ),
    Expiry(
        "posting_pauses_ended",
        due=lambda now: Sanction.objects.select_related("user").filter(
            kind=Sanction.Kind.POSTING_PAUSE, lifted_at__isnull=True, ends_at__lte=now
        ),
        ends=lambda now: {"lifted_at": now},
        action="posting_pause_ended",
        logged=lambda sanction: {
            "case": sanction.case,
            "after": {"sanction": sanction.pk, "user": sanction.user.get_username()},
        },
        notice="Your posting pause has ended. Welcome back.",
    ),
)


def _only(rows):
    """The rows just read and logged, and no others that became due since."""
    return rows.model.objects.filter(pk__in=[row.pk for row in rows])


def _expire_call_ins(now):
    """Return to the queue, marked "no answer", the cases whose author did not answer."""
    expired = 0
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
            expired += 1
    return expired


def tick(now=None):
    """End what has run out: call-ins without answer, cool-downs, folds, slow modes, pauses.

    Safe to run every minute from cron: each step only picks rows whose time has
    passed and that are not yet handled, so a second run changes nothing.
    Returns a count per step.
    """
    now = now or timezone.now()
    done = {"call_ins_expired": _expire_call_ins(now)}
    # Several rows per step: locked in primary-key order, so two ticks that overlap
    # (a slow run and the next minute's) wait for each other instead of deadlocking.
    with transaction.atomic():
        for expiry in EXPIRIES:
            rows = expiry.due(now).select_for_update(of=("self",)).order_by("pk")
            for row in rows:
                record(None, expiry.action, reason=expiry.reason, **expiry.logged(row))
                if expiry.notice:
                    notify(row.user, expiry.notice)
            done[expiry.count] = _only(rows).update(**expiry.ends(now))
    return done
