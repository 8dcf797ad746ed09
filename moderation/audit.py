"""Writing the append-only audit log, and checking that nobody rewrote it."""

from dataclasses import dataclass

from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from . import chain
from .models import LogHead, ModerationEvent

CHUNK = 2000
# Sent with each event appended (``event=``), inside its transaction: what follows the
# log (webhooks) waits for the commit itself.
event_recorded = Signal()
# What event_digest reads, in the order values_list fetches it.
CONTENT = {
    "actor": "actor_id",
    "action": "action",
    "case": "case_id",
    "comment": "comment_id",
    "essay": "essay_id",
    "before": "before",
    "after": "after",
    "reason": "reason",
    "created": "created",
}


def record(
    actor, action, *, case=None, comment=None, essay=None, before=None, after=None, reason=""
):
    """Append one event (chained by ``ModerationEvent.save``).  The comment and
    essay default to the case's."""
    comment_id = comment.pk if comment else (case.comment_id if case else None)
    if essay is not None:
        essay_id = essay.pk
    elif case is not None:
        essay_id = case.essay_id
    else:
        essay_id = comment.essay_id if comment else None
    event = ModerationEvent.objects.create(
        actor=actor,
        action=action,
        case=case,
        comment_id=comment_id,
        essay_id=essay_id,
        before=before or {},
        after=after or {},
        reason=reason,
        created=timezone.now(),
    )
    event_recorded.send(sender=ModerationEvent, event=event)
    return event


@dataclass(frozen=True)
class LogVerdict:
    count: int
    last_hash: str
    problem: str | None


def _links(rows):
    for id, sequence, prev_hash, hash, *content in rows:
        digest = chain.event_digest(**dict(zip(CONTENT, content, strict=True)))
        yield chain.Link(
            id, sequence, prev_hash, hash, hash == chain.link_hash(prev_hash, sequence, digest)
        )


def moderation_log_verify():
    """Walk the chain oldest first and compare its end with the chain head.

    What it proves: every event still holds the content it was written with, in
    its place, none removed or slipped in between, and the log ends where the
    head (advanced in each event's own transaction) says it ends. What it does
    not: someone able to write the tables directly can recompute every hash and
    the head, leaving a consistent forgery; only a copy of an earlier head kept
    elsewhere (the summary line prints the last hash) exposes that. Read in one
    snapshot: REPEATABLE READ on PostgreSQL (when not already in a transaction);
    SQLite's write lock holds writers back meanwhile.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        head = LogHead.objects.filter(pk=1).first()
        head_count, head_hash = (head.count, head.last_hash) if head else (None, None)
        chained = ModerationEvent.objects.filter(sequence__isnull=False).order_by("sequence")
        rows = chained.values_list("id", "sequence", "prev_hash", "hash", *CONTENT.values())
        links = _links(rows.iterator(chunk_size=CHUNK))
        problem = chain.first_break(links, head_count=head_count, head_hash=head_hash)
        if problem is None:
            stray = ModerationEvent.objects.filter(sequence__isnull=True).order_by("id").first()
            if stray is not None:
                problem = f"event {stray.pk} was inserted outside the chain"
    return LogVerdict(head_count or 0, head_hash or chain.GENESIS, problem)
