"""Does calling in work?  Authors grouped by how their first case ended, and how often
each group is flagged again within 30 days; the nudge funnel; appeals for the dashboard.

An author enters a group through the first case ever opened on one of their comments
(appeals aside), once it is resolved.  They are *followed* once 30 days have passed
since that resolution; only followed authors count in the share flagged again, so a
recent case never reads as "not flagged again".  Flagged again: a reader's flag on any
of their comments within 30 days after that resolution.  Group sizes travel with every
share, so that a small group reads as small.  This describes, it does not prove: the
groups differ in more than how they were moderated.
"""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from threads.models import Comment

from . import charts
from .appeal_models import Appeal
from .dashboard import format_duration, window
from .models import Case, Flag, Message, Nudge

FOLLOW = timedelta(days=30)
# How long after a nudge the reader's comment counts as the one it was about (the
# nudge's form token lives a day: moderation.nudges).
NUDGE_TO_POST = timedelta(days=1)

GROUPS = (
    ("revised_or_withdrew", "Called in, then revised or withdrew"),
    ("no_answer", "Called in, no answer"),
    ("annotated", "Context note added"),
    ("hidden", "Hidden without a call-in"),
)


@dataclass
class Group:
    key: str
    label: str
    authors: int = 0  # whose first case ended this way
    followed: int = 0  # ... and whose 30 days have passed
    flagged_again: int = 0  # ... flagged again within them
    delays: list = None  # resolution to the next flag, for those flagged again

    @property
    def share(self):
        return self.flagged_again / self.followed if self.followed else None

    @property
    def percent(self):
        return None if self.share is None else round(100 * self.share)

    @property
    def median(self):
        return median(self.delays) if self.delays else None

    @property
    def median_display(self):
        return format_duration(self.median)


def group_of(*, called_in, outcome, no_answer):
    """The group of a resolved first case, or None when it fits none of them."""
    if called_in and outcome in (Case.Outcome.REVISED, Case.Outcome.WITHDRAWN):
        return "revised_or_withdrew"
    if called_in and no_answer:
        return "no_answer"
    if outcome == Case.Outcome.ANNOTATED:
        return "annotated"
    if outcome == Case.Outcome.HIDDEN and not called_in:
        return "hidden"
    return None


def first_case_groups(*, now=None):
    """The groups with their sizes, shares and medians (two queries)."""
    now = now or timezone.now()
    called_in = Message.objects.filter(case=OuterRef("pk"), kind=Message.Kind.CALL_IN)
    cases = (
        Case.objects.filter(comment__author__isnull=False)
        .exclude(origin=Case.Origin.APPEAL)
        .annotate(called_in=Exists(called_in))
        .order_by("opened_at", "id")
        .values_list(
            "comment__author_id", "state", "outcome", "no_answer", "called_in", "resolved_at"
        )
    )
    first = {}  # author -> (group key, resolved at), from their first case only
    for author, state, outcome, no_answer, was_called_in, resolved_at in cases:
        if author in first:
            continue
        key = None
        if state == Case.State.RESOLVED:
            key = group_of(called_in=was_called_in, outcome=outcome, no_answer=no_answer)
        first[author] = (key, resolved_at)
    groups = {key: Group(key, label, delays=[]) for key, label in GROUPS}
    flags = {}
    rows = Flag.objects.filter(comment__author__isnull=False).order_by("created")
    for author, created in rows.values_list("comment__author_id", "created"):
        flags.setdefault(author, []).append(created)
    for author, (key, resolved_at) in first.items():
        if key is None:
            continue
        group = groups[key]
        group.authors += 1
        if resolved_at + FOLLOW > now:
            continue
        group.followed += 1
        later = [f for f in flags.get(author, ()) if resolved_at < f <= resolved_at + FOLLOW]
        if later:
            group.flagged_again += 1
            group.delays.append(later[0] - resolved_at)
    return list(groups.values())


@dataclass
class NudgeFunnel:
    shown: int
    edited: int
    posted_anyway: int
    flagged_after_edit: int  # the comment posted after editing was flagged later
    flagged_after_anyway: int

    @property
    def later_flagged(self):
        return self.flagged_after_edit + self.flagged_after_anyway


def nudge_funnel(*, since=None):
    """Shown → edited → posted anyway → later flagged (two queries).

    A nudge's comment is the reader's first comment in that space posted within a day
    after it (a nudge does not name its comment); "later flagged" means a reader
    flagged that comment at any time since.
    """
    nudges = Nudge.objects.all()
    if since is not None:
        nudges = nudges.filter(created__gte=since)
    posted_nudges = nudges.exclude(result=Nudge.Result.SHOWN)
    rows = list(
        nudges.order_by("created", "id").values_list("user_id", "essay_id", "created", "result")
    )
    posted = [n for n in rows if n[3] != Nudge.Result.SHOWN]
    candidates = Comment.objects.filter(author__in=posted_nudges.values("user"))
    if since is not None:
        candidates = candidates.filter(created__gte=since)
    comments = {}
    flagged = candidates.annotate(flagged=Exists(Flag.objects.filter(comment=OuterRef("pk"))))
    for author, essay, created, was_flagged in flagged.order_by("created", "id").values_list(
        "author_id", "essay_id", "created", "flagged"
    ):
        comments.setdefault((author, essay), []).append((created, was_flagged))
    flagged_after = {Nudge.Result.EDITED: 0, Nudge.Result.POSTED_ANYWAY: 0}
    for user, essay, created, result in posted:
        after = [
            was_flagged
            for at, was_flagged in comments.get((user, essay), ())
            if created <= at <= created + NUDGE_TO_POST
        ]
        if after and after[0]:
            flagged_after[result] += 1
    return NudgeFunnel(
        shown=len(rows),
        edited=sum(1 for n in posted if n[3] == Nudge.Result.EDITED),
        posted_anyway=sum(1 for n in posted if n[3] == Nudge.Result.POSTED_ANYWAY),
        flagged_after_edit=flagged_after[Nudge.Result.EDITED],
        flagged_after_anyway=flagged_after[Nudge.Result.POSTED_ANYWAY],
    )


@dataclass
class AppealCounts:
    made: int
    waiting: int
    upheld: int
    overturned: int
    changed: int


def appeal_counts(*, since):
    """Appeals made since ``since`` and how they ended so far (one query)."""
    totals = Appeal.objects.filter(created__gte=since).aggregate(
        made=Count("pk"),
        waiting=Count("pk", filter=Q(outcome="")),
        **{o: Count("pk", filter=Q(outcome=o)) for o in Appeal.Outcome.values},
    )
    return AppealCounts(**{k: v or 0 for k, v in totals.items()})


def dashboard_numbers(now=None):
    """The dashboard's accountability panels: effects, nudge funnel, appeals (see QUERIES)."""
    _, start, _ = window(now)
    groups = first_case_groups(now=now)
    funnel = nudge_funnel(since=start)
    appeals = appeal_counts(since=start)
    effects_chart = charts.bars(
        [
            (
                g.label,
                g.percent or 0,
                "—" if g.percent is None else f"{g.percent}% of {g.followed}",
                "bar-effect",
            )
            for g in groups
        ],
        label_width=280,
    )
    funnel_chart = charts.bars(
        [
            ("Nudge shown", funnel.shown, str(funnel.shown), "bar-nudge"),
            ("Edited", funnel.edited, str(funnel.edited), "bar-nudge"),
            ("Posted anyway", funnel.posted_anyway, str(funnel.posted_anyway), "bar-nudge"),
            ("Later flagged", funnel.later_flagged, str(funnel.later_flagged), "bar-nudge"),
        ]
    )
    return {
        "effects": groups,
        "funnel": funnel,
        "appeal_counts": appeals,
        "effects_charts": {"effects": effects_chart, "funnel": funnel_chart},
    }


# Queries dashboard_numbers() makes: two for the groups, two for the funnel, one for appeals.
QUERIES = 5
