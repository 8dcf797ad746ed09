"""The moderation log's hash chain: verify_moderation_log passes an untouched log and
names the first event changed, removed, inserted or cut off below the app."""

import os
import shutil
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from moderation import chain
from moderation.audit import record
from moderation.models import LogHead, ModerationEvent
from tests.helpers import join_all, make_comment, start_in_threads

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The triggers exist on PostgreSQL only; SQLite relies on the ORM guard.",
)
EVENTS = "moderation_moderationevent"
APP_ROLE_SQL = Path(__file__).resolve().parents[2] / "deploy" / "app-role.sql"
TIMEOUT = 20


def verify():
    """The command's outcome: (True, summary line) or (False, its error message)."""
    out = []
    try:
        call_command("verify_moderation_log", stdout=_Lines(out))
    except CommandError as error:
        return False, str(error)
    return True, "".join(out).strip()


class _Lines:
    def __init__(self, into):
        self.into = into

    def write(self, text):
        self.into.append(text)


@pytest.fixture
def log(reader, essay):
    """Five events as the app writes them, in chain order."""
    comment = make_comment(essay, body="A reply.", author=reader)
    record(reader, "space_updated", essay=essay, before={"title": "A"}, after={"title": "B"})
    record(None, "comment_hidden", comment=comment, reason="Spam, “obviously”.")
    record(reader, "space_updated", essay=essay, after={"hours": 72, "threshold": 0.35})
    record(reader, "comment_featured", comment=comment, after={"note": "Zoë's ♥ reply"})
    record(None, "comment_shown", comment=comment, before={"hidden": True})
    return list(ModerationEvent.objects.order_by("sequence"))


@contextmanager
def below_the_app():
    """A cursor for raw SQL as a superuser would run it: on PostgreSQL with the triggers
    off (a replica session) and deferred key checks done first, so nothing refuses it."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def forge(*, sequence, prev_hash, hash=None, action="comment_shown"):
    """An event slipped in past ``save``, by default with a hash that matches it."""
    created = timezone.now()
    digest = chain.event_digest(
        actor=None,
        action=action,
        case=None,
        comment=None,
        essay=None,
        before={},
        after={},
        reason="",
        created=created,
    )
    forged = ModerationEvent(
        action=action,
        created=created,
        sequence=sequence,
        prev_hash=prev_hash,
        hash=hash or chain.link_hash(prev_hash, sequence, digest),
    )
    return ModerationEvent.objects.bulk_create([forged])[0]


def shift_numbers_from(sequence):
    """Move events ``sequence`` and later one place on (in two steps: numbers are unique)."""
    with below_the_app() as cursor:
        cursor.execute(
            f"UPDATE {EVENTS} SET sequence = sequence + 1000000 WHERE sequence >= %s", [sequence]
        )
        cursor.execute(
            f"UPDATE {EVENTS} SET sequence = sequence - 999999 WHERE sequence >= 1000000"
        )


# --- an untouched log ---------------------------------------------------------------------


def test_an_untouched_log_passes_with_its_count_and_last_hash(log):
    ok, summary = verify()

    assert ok, summary
    assert summary == f"The moderation log is intact: 5 events, chained up to {log[-1].hash}."
    assert [e.sequence for e in log] == [1, 2, 3, 4, 5]
    assert [e.prev_hash for e in log] == [chain.GENESIS] + [e.hash for e in log[:-1]]
    head = LogHead.objects.get()
    assert (head.count, head.last_hash, head.prev_hash) == (5, log[-1].hash, log[-2].hash)


def test_an_empty_log_passes(db):
    assert verify() == (
        True,
        f"The moderation log is intact: 0 events, chained up to {chain.GENESIS}.",
    )


def test_the_hash_the_database_computes_is_the_one_the_verifier_computes(log):
    for event in log:
        assert event.hash == chain.link_hash(event.prev_hash, event.sequence, event.digest())


def test_appending_costs_one_query_besides_the_insert(
    log, reader, essay, django_assert_num_queries
):
    with django_assert_num_queries(2):
        record(reader, "space_updated", essay=essay, after={"title": "C"})
    assert verify()[0]


def test_the_export_carries_each_events_place_and_hash(log):
    out = _Lines([])
    call_command("export_moderation_log", "--format", "csv", stdout=out)
    lines = "".join(out.into).splitlines()
    assert lines[0].endswith(",sequence,hash")
    assert lines[-1].endswith(f",5,{log[-1].hash}")


# --- changes below the app ----------------------------------------------------------------


@pytest.mark.parametrize(
    "column, value",
    [("reason", "Nothing to see."), ("action", "comment_featured"), ("created", "2020-01-01")],
)
def test_a_changed_event_is_named(log, column, value):
    with below_the_app() as cursor:
        cursor.execute(f"UPDATE {EVENTS} SET {column} = %s WHERE id = %s", [value, log[2].pk])

    message = f"event {log[2].pk} was changed after it was written."
    assert verify() == (False, f"The moderation log was tampered with: {message}")


def test_a_changed_json_value_is_named(log):
    after = '{"hours": 720, "threshold": 0.35}'
    with below_the_app() as cursor:
        cursor.execute(f"UPDATE {EVENTS} SET after = %s WHERE id = %s", [after, log[2].pk])

    assert verify()[1].endswith(f"event {log[2].pk} was changed after it was written.")


def test_a_removed_event_is_named_by_its_neighbours(log):
    with below_the_app() as cursor:
        cursor.execute(f"DELETE FROM {EVENTS} WHERE id = %s", [log[2].pk])

    ok, message = verify()
    assert not ok
    assert message.endswith(f"1 event was removed between event {log[1].pk} and event {log[3].pk}.")


def test_removed_first_events_are_named(log):
    with below_the_app() as cursor:
        cursor.execute(f"DELETE FROM {EVENTS} WHERE id IN (%s, %s)", [log[0].pk, log[1].pk])

    assert verify()[1].endswith(
        f"2 events were removed at the start of the log, before event {log[2].pk}."
    )


def test_an_event_inserted_in_the_middle_is_named(log):
    shift_numbers_from(3)
    forged = forge(sequence=3, prev_hash=log[1].hash)

    ok, message = verify()
    assert not ok
    assert message.endswith(
        f"event {forged.pk} was inserted between event {log[1].pk} and event {log[2].pk}."
    )


@pytest.mark.parametrize("mistake", ["hash", "prev_hash"])
def test_an_inserted_event_with_a_wrong_hash_or_link_is_named(log, mistake):
    shift_numbers_from(3)
    fields = {"prev_hash": log[1].hash, mistake: "f" * 64}
    forged = forge(sequence=3, **fields)

    assert verify()[1].endswith(
        f"event {forged.pk} was inserted between event {log[1].pk} and event {log[2].pk}."
    )


def test_an_event_inserted_without_a_place_in_the_chain_is_named(log):
    stray = ModerationEvent.objects.bulk_create(
        [ModerationEvent(action="comment_shown", created=timezone.now())]
    )[0]

    assert verify()[1].endswith(f"event {stray.pk} was inserted outside the chain.")


def test_an_event_added_after_the_end_is_named(log):
    forged = forge(sequence=6, prev_hash=log[-1].hash)

    assert verify()[1].endswith(f"event {forged.pk} was inserted after the end of the log.")


def test_a_cut_off_tail_is_detected(log):
    with below_the_app() as cursor:
        cursor.execute(f"DELETE FROM {EVENTS} WHERE sequence > 3")

    assert verify() == (
        False,
        "The moderation log was tampered with: the log was cut off after event "
        f"{log[2].pk}: the last 2 events are missing.",
    )


def test_a_rewritten_end_is_detected(log):
    with below_the_app() as cursor:
        cursor.execute(f"DELETE FROM {EVENTS} WHERE id = %s", [log[-1].pk])
    forged = forge(sequence=5, prev_hash=log[-2].hash)

    assert verify()[1].endswith(
        f"event {forged.pk} is not the last event the chain head recorded: the end was rewritten."
    )


@postgres_only
def test_a_truncated_log_is_detected(log):
    with below_the_app() as cursor:
        # CASCADE: webhook deliveries point at events, and would stop a plain TRUNCATE.
        cursor.execute(f"TRUNCATE {EVENTS} CASCADE")

    assert verify()[1].endswith("the log was emptied: all 5 events are missing.")


# --- what the database refuses on PostgreSQL ----------------------------------------------


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        f"TRUNCATE {EVENTS} CASCADE",
        "TRUNCATE moderation_loghead",
        "DELETE FROM moderation_loghead",
        "UPDATE moderation_loghead SET count = 3",
        "UPDATE moderation_loghead SET count = count + 1, last_hash = 'x'",
    ],
)
def test_the_database_refuses_to_empty_the_log_or_move_its_head_back(log, sql):
    with pytest.raises(DatabaseError, match="append-only|only moves forward"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # else pending key checks refuse it
            cursor.execute(sql)
    assert ModerationEvent.objects.count() == 5 and LogHead.objects.get().count == 5
    assert verify()[0]


def test_a_missing_head_stops_new_events_rather_than_restarting_the_chain(log, reader, essay):
    with below_the_app() as cursor:
        cursor.execute("DELETE FROM moderation_loghead")

    with pytest.raises(chain.HeadMissing, match="chain head is missing"):
        with transaction.atomic():
            record(reader, "space_updated", essay=essay)
    assert verify()[1].endswith(
        "the log's chain head was removed, so a cut-off end cannot be ruled out."
    )


def test_a_fresh_database_starts_the_chain_at_its_first_event(db, reader, essay):
    # A flushed database has neither events nor head: the first event starts the chain.
    with below_the_app() as cursor:
        cursor.execute("DELETE FROM moderation_moderationevent")
        cursor.execute("DELETE FROM moderation_loghead")

    with transaction.atomic():
        first = record(reader, "space_updated", essay=essay)
    first.refresh_from_db()
    assert (first.sequence, first.prev_hash) == (1, chain.GENESIS)
    head = LogHead.objects.get()
    assert (head.count, head.last_hash, head.prev_hash) == (1, first.hash, chain.GENESIS)
    assert verify() == (
        True,
        f"The moderation log is intact: 1 event, chained up to {first.hash}.",
    )


# --- events written before the chain ----------------------------------------------------

BEFORE_THE_CHAIN = ("moderation", "0006_unique_site_wide_watched_word")


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_events_already_written_in_their_order(essay):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE_THE_CHAIN])
    try:
        old = executor.loader.project_state([BEFORE_THE_CHAIN]).apps
        Event = old.get_model("moderation", "ModerationEvent")
        ids = [
            Event.objects.create(
                action="space_updated", essay_id=essay.pk, after={"n": n}, created=timezone.now()
            ).pk
            for n in range(3)
        ]
    finally:
        MigrationExecutor(connection).migrate(latest)

    events = list(ModerationEvent.objects.order_by("sequence"))
    assert [(e.pk, e.sequence) for e in events] == list(zip(ids, [1, 2, 3], strict=True))
    assert verify() == (
        True,
        f"The moderation log is intact: 3 events, chained up to {events[-1].hash}.",
    )
    record(None, "space_updated", essay=essay)
    assert ModerationEvent.objects.get(sequence=4).prev_hash == events[-1].hash
    assert verify()[0]


# --- two writers at once (PostgreSQL row locks; SQLite serialises every writer) ----------


def concurrent(test):
    """PostgreSQL with real transactions: each thread commits on its own connection."""
    only_postgres = pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks and roles exist on PostgreSQL only; SQLite serialises every writer.",
    )
    for mark in (only_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)):
        test = mark(test)
    return test


@concurrent
def test_two_writers_at_once_do_not_fork_the_chain(essay):
    barrier = threading.Barrier(2)

    def writer(name):
        def write():
            barrier.wait(timeout=TIMEOUT)
            for i in range(25):
                with transaction.atomic():
                    record(None, "space_updated", essay=essay, reason=f"{name} {i}")

        return write

    threads, errors = start_in_threads(writer("a"), writer("b"))
    join_all(threads, TIMEOUT)

    assert errors == []
    events = list(ModerationEvent.objects.order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, 51))
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert verify() == (
        True,
        f"The moderation log is intact: 50 events, chained up to {events[-1].hash}.",
    )


@concurrent
def test_a_writer_waits_for_the_one_holding_the_head_and_chains_after_it(essay):
    appended, go, written = threading.Event(), threading.Event(), {}

    def first():
        with transaction.atomic():
            written["first"] = record(None, "space_updated", essay=essay, reason="first")
            appended.set()
            assert go.wait(timeout=TIMEOUT)

    def second():
        written["second"] = record(None, "space_updated", essay=essay, reason="second")

    threads, errors = start_in_threads(first)
    assert appended.wait(timeout=TIMEOUT)
    more, more_errors = start_in_threads(second)
    time.sleep(0.3)  # time to reach the head's lock; it must still be waiting there
    assert "second" not in written
    go.set()
    join_all(threads + more, TIMEOUT)

    assert errors == more_errors == []
    first, second = written["first"], written["second"]
    assert (second.sequence, second.prev_hash) == (first.sequence + 1, first.hash)
    assert verify()[0]


# --- the app as a role that owns no tables (deploy/app-role.sql) -------------------------


def psql(*args):
    db = connection.settings_dict
    command = ["psql", "-X", "-q", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
    command += ["-U", db["USER"], "-d", db["NAME"], *args]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    return subprocess.run(command, capture_output=True, text=True, env=env, check=True)


APP_ROLE_REFUSALS = [
    (f"TRUNCATE {EVENTS}", "permission denied"),
    (f"ALTER TABLE {EVENTS} DISABLE TRIGGER moderation_event_append_only", "must be owner"),
    (f"ALTER TABLE {EVENTS} DISABLE TRIGGER ALL", "must be owner"),
    (f"UPDATE {EVENTS} SET reason = 'rewritten'", "permission denied"),
    (f"DELETE FROM {EVENTS}", "permission denied"),
    ("TRUNCATE moderation_loghead", "permission denied"),
    ("DELETE FROM moderation_loghead", "permission denied"),
    ("UPDATE moderation_loghead SET count = 0", "only moves forward"),
    ("SET session_replication_role = replica", "permission denied"),
    (f"DROP TABLE {EVENTS}", "must be owner"),
]


@concurrent
@pytest.mark.skipif(shutil.which("psql") is None, reason="deploy/app-role.sql is a psql script")
def test_the_app_role_appends_to_the_log_but_cannot_rewrite_or_empty_it(essay, reader):
    role = f"callin_test_app_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    try:
        psql("-v", f"app={role}", "-f", str(APP_ROLE_SQL))
        refused = []
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'SET LOCAL ROLE "{role}"')
            record(reader, "space_updated", essay=essay, after={"title": "By the app role"})
            cursor.execute("UPDATE threads_essay SET title = 'Renamed' WHERE id = %s", [essay.pk])
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql, refusal in APP_ROLE_REFUSALS:
                with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
                    cursor.execute(sql)
                refused.append(sql)
        assert len(refused) == len(APP_ROLE_REFUSALS)
        assert ModerationEvent.objects.get().after == {"title": "By the app role"}
        last_hash = LogHead.objects.get().last_hash
        assert verify() == (
            True,
            f"The moderation log is intact: 1 event, chained up to {last_hash}.",
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


@concurrent
def test_verifying_reads_one_snapshot_while_a_moderator_acts(essay, monkeypatch):
    """An event committed between reading the head and reading the events is in neither:
    without one snapshot the check would see one event past the head and call the log
    cut off (or lengthened) while nothing is wrong."""
    for i in range(3):
        record(None, "space_updated", essay=essay, reason=f"before {i}")
    walk = chain.first_break

    def act_meanwhile(links, **head):
        threads, errors = start_in_threads(
            lambda: record(None, "space_updated", essay=essay, reason="meanwhile")
        )
        join_all(threads, TIMEOUT)
        assert errors == []
        return walk(links, **head)

    monkeypatch.setattr(chain, "first_break", act_meanwhile)
    ok, line = verify()
    monkeypatch.undo()

    assert ok, line
    assert "3 events" in line
    assert ModerationEvent.objects.count() == 4
    assert verify()[1].startswith("The moderation log is intact: 4 events")
