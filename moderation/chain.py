"""The hash chain that lets the moderation log prove it was not rewritten.

Each event stores ``hash = sha256("<prev_hash>:<sequence>:<digest>")``, where
``digest`` is the SHA-256 of the event's content as canonical JSON and
``prev_hash`` is the hash of the event before it (``GENESIS`` for the first).
A one-row chain head keeps the count and the last hash; ``append`` advances it
and returns the new event's place in one ``UPDATE ... RETURNING``, computing
the hash in the database from the head's previous value. The row lock (or
SQLite's write lock) serialises writers, so two events written at once never
fork the chain, and the append costs one query.

This module imports no models: ``ModerationEvent.save`` calls ``append`` and
``moderation.audit`` feeds ``first_break`` the rows it reads.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

GENESIS = "0" * 64

# The new hash is computed by the database from the head's old value, so one
# statement both locks the head and moves it on; the SET clauses read old values.
ADVANCE = {
    "postgresql": (
        "UPDATE {head} SET count = count + 1, prev_hash = last_hash, last_hash = "
        "encode(sha256(convert_to(last_hash || ':' || (count + 1)::text || ':' || %s, 'UTF8')),"
        " 'hex') WHERE id = 1 RETURNING count, prev_hash, last_hash"
    ),
    # Django registers SHA256 (hex of the UTF-8 text) on its SQLite connections.
    "sqlite": (
        "UPDATE {head} SET count = count + 1, prev_hash = last_hash, "
        "last_hash = SHA256(last_hash || ':' || (count + 1) || ':' || %s) "
        "WHERE id = 1 RETURNING count, prev_hash, last_hash"
    ),
}
START = (
    "INSERT INTO {head} (id, count, prev_hash, last_hash) VALUES (1, 0, '', %s) "
    "ON CONFLICT (id) DO NOTHING"
)


def event_digest(*, actor, action, case, comment, essay, before, after, reason, created):
    """SHA-256 hex of an event's content (ids, not objects) as canonical JSON."""
    content = {
        "actor": actor,
        "action": action,
        "case": case,
        "comment": comment,
        "essay": essay,
        "before": before,
        "after": after,
        "reason": reason,
        "created": created.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def link_hash(prev_hash, sequence, digest):
    """The hash ``ADVANCE`` computes in SQL, computed in Python."""
    return hashlib.sha256(f"{prev_hash}:{sequence}:{digest}".encode()).hexdigest()


class HeadMissing(RuntimeError):
    pass


def append(connection, *, head_table, events_exist, digest):
    """Advance the chain head by one event; its ``(sequence, prev_hash, hash)``.

    Call inside the transaction that inserts the event, so both commit or
    neither does. A missing head is created at the start only while no chained
    event exists (a fresh or flushed database); otherwise someone removed it,
    and starting over would hide that.
    """
    advance = ADVANCE[connection.vendor].format(head=connection.ops.quote_name(head_table))
    with connection.cursor() as cursor:
        cursor.execute(advance, [digest])
        row = cursor.fetchone()
        if row is None:
            # Another writer may have started the chain since (its head commits with its
            # first event), so the advance is tried again; only then is the head missing.
            if not events_exist():
                start = START.format(head=connection.ops.quote_name(head_table))
                cursor.execute(start, [GENESIS])
            cursor.execute(advance, [digest])
            row = cursor.fetchone()
            if row is None:
                raise HeadMissing(
                    "The moderation log's chain head is missing; "
                    "run `manage.py verify_moderation_log`."
                )
    return row


@dataclass(frozen=True)
class Link:
    """One event as the verifier sees it; ``intact`` says its hash matches its content."""

    id: int
    sequence: int
    prev_hash: str
    hash: str
    intact: bool


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _broken_at(before_prev, prev, current, following):
    """Why ``current`` (or ``prev``) breaks the chain, in words; None if it does not."""
    expected_hash = prev.hash if prev else GENESIS
    number = prev.sequence + 1 if prev else 1
    linked = current.prev_hash == expected_hash
    if linked and current.intact and current.sequence == number:
        return None
    if prev and not linked and current.prev_hash == prev.prev_hash:
        where = f"between event {before_prev.id} and" if before_prev else "before"
        return f"event {prev.id} was inserted {where} event {current.id}"
    if following and following.prev_hash == expected_hash:  # the chain skips current
        after = f"between event {prev.id} and" if prev else "before"
        return f"event {current.id} was inserted {after} event {following.id}"
    if not current.intact:
        return f"event {current.id} was changed after it was written"
    missing = current.sequence - number
    if missing > 0:
        events = "1 event was" if missing == 1 else f"{missing} events were"
        where = f"between event {prev.id} and" if prev else "at the start of the log, before"
        return f"{events} removed {where} event {current.id}"
    after = f"event {prev.id}" if prev else "the start of the log"
    return f"event {current.id} was changed after it was written: it no longer follows {after}"


def first_break(links, *, head_count, head_hash):
    """The first place where ``links`` (chained events in sequence order) stop
    matching what was written, in words; None when the chain and its head agree.

    ``head_count`` is None when the head row is missing.
    """
    before_prev = prev = None
    links = iter(links)
    current = next(links, None)
    while current is not None:
        following = next(links, None)
        if head_count is not None and current.sequence > head_count:
            return f"event {current.id} was inserted after the end of the log"
        problem = _broken_at(before_prev, prev, current, following)
        if problem:
            return problem
        before_prev, prev, current = prev, current, following
    count = prev.sequence if prev else 0
    if head_count is None:
        # No head and no events: a fresh or flushed database (the head comes with the first event).
        if prev is None:
            return None
        return "the log's chain head was removed, so a cut-off end cannot be ruled out"
    if count < head_count:
        missing = _plural(head_count - count, "event")
        if prev is None:
            return f"the log was emptied: all {missing} are missing"
        return f"the log was cut off after event {prev.id}: the last {missing} are missing"
    if prev and prev.hash != head_hash:
        return (
            f"event {prev.id} is not the last event the chain head recorded: the end was rewritten"
        )
    return None
