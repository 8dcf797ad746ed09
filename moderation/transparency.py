"""The public transparency table: per month, what moderation did, counted from the audit log.

Everything is read from ``ModerationEvent`` in one query (the log is the record that
cannot be rewritten unnoticed), and only counts come out: no actor, no flagger, no
author and no written reason is ever shown.  Hides are counted by the reason chosen
from the list; an event written before that code was logged counts as "Other".

What each row counts, per calendar month (site's time zone) of the event:

- flags by reason: ``flag_added``; cases opened: ``case_opened`` except appeals;
- call-ins sent: ``call_in_sent``; answered: the cases with an ``author_replied``,
  ``author_revised`` or ``author_withdrew`` that month, and revised, withdrawn: those
  with that one (a case counts once per row and month); no answer: ``call_in_expired``;
- context notes: public ``annotation_added``; de-escalations: reply pauses, folded
  subthreads, slow mode, paused visibility and bridging notes;
- cases resolved by outcome (``case_resolved``; an appeal's case counts under appeals);
  hides by reason (``comment_hidden``);
- appeals made (``author_appealed``) and decided, by result (``appeal_decided``);
- median time to first action: for the cases opened that month, from the opening to
  the first moderator's event on the case (as on the dashboard).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from statistics import median

from django.utils import timezone

from .appeal_models import Appeal
from .dashboard import NOT_MODERATOR_ACTIONS, format_duration
from .models import Annotation, Case, HideReason, ModerationEvent, Reason

MONTHS = 6
# An author's answer to a call-in: any of these; revising and withdrawing have rows too.
ANSWERS = {"author_replied", "author_revised", "author_withdrew"}
ANSWER_ROWS = {
    "answered": "Call-ins answered (a message, a revision or a withdrawal)",
    "author_revised": "Comments revised after a call-in",
    "author_withdrew": "Comments withdrawn after a call-in",
}
# The public page names the last hide reason without the moderators' "(explain)".
HIDE_LABELS = {**{r.value: r.label for r in HideReason}, HideReason.OTHER: "Another reason"}
DEESCALATIONS = {
    "replies_paused",
    "subthread_collapsed",
    "slow_mode_set",
    "visibility_paused",
    "bridging_note_added",
}
FIRST_ACTION = "Median time to first action"


@dataclass
class Row:
    section: str
    label: str
    values: list  # one per month: a count, or a timedelta (None: no case)
    duration: bool = False

    @property
    def cells(self):
        if self.duration:
            return [format_duration(v) for v in self.values]
        return self.values

    @property
    def csv_cells(self):
        """Counts as they are; a duration in whole minutes (empty when there is none)."""
        if self.duration:
            return ["" if v is None else round(v.total_seconds() / 60) for v in self.values]
        return self.values


@dataclass
class Table:
    months: list  # the first day of each month, oldest first
    rows: list = field(default_factory=list)

    @property
    def month_labels(self):
        return [f"{m:%b %Y}" for m in self.months]


def month_starts(now=None, months=MONTHS):
    """The first day of each of the last ``months`` months, oldest first, this one last."""
    today = timezone.localdate(now or timezone.now())
    year, month = today.year, today.month
    firsts = []
    for _ in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def _month(created):
    return timezone.localdate(created).replace(day=1)


class _Counter:
    """Counts per (row key, month), and cases already counted for "once per case" rows."""

    def __init__(self):
        self.counts = {}
        self.seen = set()

    def add(self, key, month, case_id=None):
        if case_id is not None:
            if (key, month, case_id) in self.seen:
                return
            self.seen.add((key, month, case_id))
        self.counts[key, month] = self.counts.get((key, month), 0) + 1

    def row(self, section, label, key, months):
        return Row(section, label, [self.counts.get((key, m), 0) for m in months])


def _is_moderator_action(action, actor_id):
    return (
        actor_id is not None
        and action not in NOT_MODERATOR_ACTIONS
        and not action.startswith("author_")
    )


def transparency_events(*, essay=None, since):
    """The log's rows the table reads (one query), oldest first."""
    events = ModerationEvent.objects.filter(created__gte=since)
    if essay is not None:
        events = events.filter(essay=essay)
    return events.order_by("created", "id").values_list(
        "action", "case_id", "actor_id", "created", "after"
    )


def transparency_table(*, essay=None, now=None, months=MONTHS):
    """The table for the site (``essay`` None) or one space, one column per month."""
    firsts = month_starts(now, months)
    since = timezone.make_aware(datetime.combine(firsts[0], time.min))
    return table_from_events(transparency_events(essay=essay, since=since), firsts)


def table_from_events(rows, firsts):
    """Count ``rows`` (action, case id, actor id, created, after) into the table."""
    count = _Counter()
    opened, first_action, appeal_cases = {}, {}, set()
    for action, case_id, actor_id, created, after in rows:
        month = _month(created)
        if action == "case_opened":
            if after.get("origin") == Case.Origin.APPEAL:
                appeal_cases.add(case_id)
                continue
            opened[case_id] = created
            count.add("opened", month)
        elif action == "flag_added":
            count.add(f"flag:{after.get('reason')}", month)
        elif action == "call_in_sent":
            count.add("call_in", month)
        elif action in ANSWERS:
            count.add("answered", month, case_id)
            count.add(action, month, case_id)
        elif action == "call_in_expired":
            count.add("no_answer", month)
        elif action == "annotation_added" and after.get("kind") == Annotation.Kind.CONTEXT:
            count.add("context_note", month)
        elif action in DEESCALATIONS:
            count.add("deescalation", month)
        elif action == "case_resolved" and case_id not in appeal_cases:
            count.add(f"outcome:{after.get('outcome')}", month)
        elif action == "comment_hidden":
            count.add(f"hide:{after.get('hide_reason') or HideReason.OTHER}", month)
        elif action == "author_appealed":
            count.add("appeal", month)
        elif action == "appeal_decided":
            count.add(f"appeal:{after.get('decision')}", month)
        if case_id in opened and case_id not in first_action:
            if _is_moderator_action(action, actor_id):
                first_action[case_id] = created - opened[case_id]
    return _table(count, opened, first_action, firsts)


def _table(count, opened, first_action, firsts):
    table = Table(firsts)
    add = table.rows.append
    for reason in Reason:
        add(count.row("Flags by reason", reason.label, f"flag:{reason.value}", firsts))
    add(count.row("Cases", "Cases opened", "opened", firsts))
    add(count.row("Call-ins", "Call-ins sent", "call_in", firsts))
    for key, label in ANSWER_ROWS.items():
        add(count.row("Call-ins", label, key, firsts))
    add(count.row("Call-ins", "Call-ins with no answer in time", "no_answer", firsts))
    add(count.row("Notes and de-escalation", "Public context notes", "context_note", firsts))
    add(count.row("Notes and de-escalation", "De-escalations", "deescalation", firsts))
    for outcome in Case.Outcome:
        add(count.row("Cases resolved", outcome.label, f"outcome:{outcome.value}", firsts))
    for reason, label in HIDE_LABELS.items():
        add(count.row("Comments hidden, by reason", label, f"hide:{reason}", firsts))
    add(count.row("Appeals", "Appeals made", "appeal", firsts))
    for outcome in Appeal.Outcome:
        label = f"Decided: {outcome.label.lower()}"
        add(count.row("Appeals", label, f"appeal:{outcome.value}", firsts))
    delays = {m: [] for m in firsts}
    for case_id, created in opened.items():
        if case_id in first_action and _month(created) in delays:
            delays[_month(created)].append(first_action[case_id])
    values = [median(delays[m]) if delays[m] else None for m in firsts]
    add(Row("Response", FIRST_ACTION, values, duration=True))
    return table


def table_csv_rows(table):
    """The same table as CSV rows: a header, then section, measure and one cell a month."""
    yield ["Section", "Measure", *(f"{m:%Y-%m}" for m in table.months)]
    for row in table.rows:
        label = f"{row.label} (minutes)" if row.duration else row.label
        yield [row.section, label, *row.csv_cells]
