"""The numbers behind the moderators' dashboard: plain functions, a fixed number of queries.

Every function takes ``now`` (so tests can pin time) and returns plain numbers,
dates and timedeltas; ``moderation.charts`` turns them into SVG geometry and
``templates/moderation/dashboard.html`` draws them, each chart followed by a
table with the same numbers.

The window is the last ``DAYS`` calendar days (today included, in the site's
time zone).  ``summary()`` costs one query per function below, whatever the
number of rows (see ``QUERIES``).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from statistics import median

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from threads.models import Essay

from . import nudges
from .models import Case, Flag, Message, ModerationEvent

DAYS = 30
TOP_SPACES = 8

# Events that are not a moderator acting on a case: what readers, authors and
# callin itself record.  (Author actions all start with "author_" as well.)
NOT_MODERATOR_ACTIONS = (
    "case_opened",
    "flag_added",
    "flag_updated",
    "flag_withdrawn",
    "warning_acknowledged",
    "call_in_expired",
    "auto_held",
    "auto_hold_released",
    "comment_held",
)

# The outcome mix shows these first, then every other outcome.  "no_answer" is
# not an outcome but Case.no_answer: a resolved case whose author never
# answered the call-in counts there, whatever the moderators did next.
NO_ANSWER = "no_answer"
OUTCOME_ORDER = (
    Case.Outcome.REVISED,
    Case.Outcome.WITHDRAWN,
    NO_ANSWER,
    Case.Outcome.ANNOTATED,
    Case.Outcome.DEESCALATED,
    Case.Outcome.HIDDEN,
)
OUTCOME_LABELS = {
    Case.Outcome.REVISED: "Revised",
    Case.Outcome.WITHDRAWN: "Withdrawn",
    NO_ANSWER: "No answer",
    Case.Outcome.ANNOTATED: "Context added",
    Case.Outcome.DEESCALATED: "De-escalated",
    Case.Outcome.HIDDEN: "Hidden",
    Case.Outcome.NO_ACTION: "No action needed",
    Case.Outcome.ESCALATED: "Escalated",
}


def window(now=None, days=DAYS):
    """(first day shown, the moment it starts, today), in the current time zone."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    return first, start, today


# --- activity ----------------------------------------------------------------------


@dataclass
class Day:
    day: object  # datetime.date
    flags: int
    cases: int


def _per_day(queryset, field, start):
    rows = (
        queryset.filter(**{f"{field}__gte": start})
        .annotate(day=TruncDate(field))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["day"]: row["n"] for row in rows}


def daily_activity(now=None, days=DAYS):
    """Flags made and cases opened on each of the last ``days`` days (two queries)."""
    first, start, _ = window(now, days)
    flags = _per_day(Flag.objects.all(), "created", start)
    cases = _per_day(Case.objects.all(), "opened_at", start)
    dates = [first + timedelta(days=i) for i in range(days)]
    return [Day(d, flags.get(d, 0), cases.get(d, 0)) for d in dates]


# --- outcomes ------------------------------------------------------------------------


@dataclass
class Share:
    key: str
    label: str
    count: int


def outcome_mix(now=None, days=DAYS):
    """How the cases resolved in the window ended (one query), in OUTCOME_ORDER first."""
    _, start, _ = window(now, days)
    keys = [*OUTCOME_ORDER, *(o for o in Case.Outcome.values if o not in OUTCOME_ORDER)]
    counts = {  # aliased "n_…": an alias may not shadow a field (no_answer)
        f"n_{key}": Count("pk", filter=Q(no_answer=True))
        if key == NO_ANSWER
        else Count("pk", filter=Q(no_answer=False, outcome=key))
        for key in keys
    }
    totals = Case.objects.filter(state=Case.State.RESOLVED, resolved_at__gte=start).aggregate(
        **counts
    )
    return [
        Share(str(key), OUTCOME_LABELS.get(key) or Case.Outcome(key).label, totals[f"n_{key}"] or 0)
        for key in keys
    ]


# --- response times ------------------------------------------------------------------


@dataclass
class Timing:
    label: str
    median: timedelta | None
    cases: int  # how many cases the median is over

    @property
    def display(self):
        return format_duration(self.median)


def first_moderator_action():
    """When a moderator first acted on the case (OuterRef'd), after it opened."""
    return (
        ModerationEvent.objects.filter(
            case=OuterRef("pk"), created__gte=OuterRef("opened_at"), actor__isnull=False
        )
        .exclude(action__in=NOT_MODERATOR_ACTIONS)
        .exclude(action__startswith="author_")
        .order_by("created", "id")
        .values("created")[:1]
    )


def response_times(now=None, days=DAYS):
    """Median time from opening to the first moderator action and to resolution (one query).

    Over the cases opened in the window; a case counts for a median once it has
    that first action, or once it is resolved.
    """
    _, start, _ = window(now, days)
    rows = (
        Case.objects.filter(opened_at__gte=start)
        .annotate(first_action=Subquery(first_moderator_action()))
        .values_list("opened_at", "first_action", "state", "resolved_at")
    )
    to_action, to_resolution = [], []
    for opened, first_action, state, resolved in rows:
        if first_action is not None:
            to_action.append(first_action - opened)
        if state == Case.State.RESOLVED and resolved is not None:
            to_resolution.append(resolved - opened)
    return [
        Timing("To the first action", median(to_action) if to_action else None, len(to_action)),
        Timing(
            "To resolution",
            median(to_resolution) if to_resolution else None,
            len(to_resolution),
        ),
    ]


# --- call-ins ------------------------------------------------------------------------


@dataclass
class AnswerRate:
    called_in: int  # cases with a call-in to an author who has an account
    answered: int  # ... whose author answered (replied, revised or withdrew)

    @property
    def rate(self):
        return self.answered / self.called_in if self.called_in else None

    @property
    def percent(self):
        return None if self.rate is None else round(100 * self.rate)

    @property
    def unanswered(self):
        return self.called_in - self.answered


def answer_rate(now=None, days=DAYS):
    """Of the cases opened in the window with a call-in to an account, how many got an answer."""
    _, start, _ = window(now, days)
    called_in = Message.objects.filter(case=OuterRef("pk"), kind=Message.Kind.CALL_IN)
    answered = Message.objects.filter(case=OuterRef("pk")).exclude(kind__in=Message.TO_AUTHOR)
    totals = (
        Case.objects.filter(opened_at__gte=start, comment__author__isnull=False)
        .filter(Exists(called_in))
        .aggregate(called_in=Count("pk"), answered=Count("pk", filter=Q(Exists(answered))))
    )
    return AnswerRate(totals["called_in"] or 0, totals["answered"] or 0)


# --- spaces --------------------------------------------------------------------------


@dataclass
class Space:
    slug: str
    title: str
    open_cases: int


def busiest_spaces(limit=TOP_SPACES):
    """The spaces with the most open cases now (one query)."""
    rows = (
        Essay.objects.annotate(
            open_cases=Count("cases", filter=~Q(cases__state=Case.State.RESOLVED))
        )
        .filter(open_cases__gt=0)
        .order_by("-open_cases", "title", "pk")
        .values_list("slug", "title", "open_cases")[:limit]
    )
    return [Space(*row) for row in rows]


# --- nudges (moderation.nudges) ----------------------------------------------------------

NUDGE_RESULTS = (
    ("edited", "Edited after the nudge"),
    ("posted_anyway", "Posted anyway"),
    ("no_decision", "No decision yet"),
)


@dataclass
class NudgeResult:
    key: str
    label: str
    count: int
    rate: float | None

    @property
    def percent(self):
        return None if self.rate is None else round(100 * self.rate)


def nudge_rates(now=None, days=DAYS):
    """What readers did after a pre-posting nudge in the window (one query)."""
    _, start, _ = window(now, days)
    rates = nudges.nudge_rates(since=start)
    return [
        NudgeResult(key, label, rates.get(key, 0), rates.get(f"{key}_rate"))
        for key, label in NUDGE_RESULTS
    ]


def summary(now=None, days=DAYS):
    """Everything the dashboard shows."""
    now = now or timezone.now()
    first, _, today = window(now, days)
    activity = daily_activity(now, days)
    return {
        "first_day": first,
        "today": today,
        "days": days,
        "time_zone": timezone.get_current_timezone_name(),
        "activity": activity,
        "activity_totals": {
            "flags": sum(d.flags for d in activity),
            "cases": sum(d.cases for d in activity),
        },
        "outcomes": outcome_mix(now, days),
        "timings": response_times(now, days),
        "answers": answer_rate(now, days),
        "spaces": busiest_spaces(),
        "nudges": nudge_rates(now, days),
    }


# Queries ``summary()`` makes: two for the daily activity, one each for
# outcomes, timings, answers, spaces and nudges.
QUERIES = 7


def format_duration(value):
    """A timedelta as "3 d 4 h", "2 h 05 min", "12 min" or "40 s"; "—" for None."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min"
    return f"{seconds} s"
