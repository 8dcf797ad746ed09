"""export_moderation_log writes the whole log, oldest first, as JSON lines or CSV."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from moderation.audit import record
from moderation.models import ModerationEvent
from tests.helpers import make_comment


@pytest.fixture
def events(essay, reader):
    comment = make_comment(essay, body="Hmm, “quoted”, and, commas.")
    old = ModerationEvent.objects.create(
        action="space_created",
        essay=essay,
        after={"slug": "essay"},
        created=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    first = record(
        reader, "space_updated", essay=essay, before={"title": "A"}, after={"title": "B"}
    )
    second = record(None, "comment_hidden", comment=comment, reason='spam, "obviously"\nline two')
    return old, first, second, comment


def export(*args):
    out = io.StringIO()
    call_command("export_moderation_log", *args, stdout=out)
    return out.getvalue()


def test_jsonl_has_every_event_oldest_first(events, essay):
    old, first, second, comment = events

    lines = export("--format", "jsonl").splitlines()

    rows = [json.loads(line) for line in lines]
    assert [r["id"] for r in rows] == [old.pk, first.pk, second.pk]
    assert rows[0] == {
        "id": old.pk,
        "created": "2024-01-02T03:04:05+00:00",
        "actor": "",
        "action": "space_created",
        "case": None,
        "comment": None,
        "essay": "essay",
        "before": {},
        "after": {"slug": "essay"},
        "reason": "",
        "sequence": old.sequence,
        "hash": old.hash,
    }
    assert rows[1]["actor"] == "reader"
    assert (rows[1]["before"], rows[1]["after"]) == ({"title": "A"}, {"title": "B"})
    assert rows[2]["comment"] == comment.pk and rows[2]["essay"] == "essay"
    assert rows[2]["reason"] == 'spam, "obviously"\nline two'
    assert datetime.fromisoformat(rows[2]["created"]) == second.created


def test_csv_has_a_header_and_round_trips(events, tmp_path):
    old, first, second, comment = events
    target = tmp_path / "log.csv"

    assert export("--format", "csv", "--output", str(target)) == ""

    with target.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "id",
        "created",
        "actor",
        "action",
        "case",
        "comment",
        "essay",
        "before",
        "after",
        "reason",
        "sequence",
        "hash",
    ]
    assert [int(r["id"]) for r in rows] == [old.pk, first.pk, second.pk]
    assert rows[0]["actor"] == "" and rows[0]["case"] == "" and rows[0]["essay"] == "essay"
    assert json.loads(rows[1]["after"]) == {"title": "B"}
    assert rows[2]["comment"] == str(comment.pk)
    assert rows[2]["reason"] == 'spam, "obviously"\nline two'


def test_csv_to_stdout(events):
    rows = list(csv.reader(io.StringIO(export("--format", "csv"))))
    assert rows[0][0] == "id" and len(rows) == 4


def test_since_leaves_out_older_events(events):
    old, first, second, _ = events
    rows = [
        json.loads(line)
        for line in export("--format", "jsonl", "--since", "2024-01-03").splitlines()
    ]
    assert [r["id"] for r in rows] == [first.pk, second.pk]


def test_empty_log_gives_just_the_header(db):
    assert (
        export("--format", "csv")
        == "id,created,actor,action,case,comment,essay,before,after,reason,sequence,hash\n"
    )
    assert export("--format", "jsonl") == ""


@pytest.mark.parametrize(
    "args, error",
    [
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--format", "csv", "--since", "last week"], "'last week' is not a date"),
    ],
)
def test_bad_arguments_are_rejected(db, args, error):
    with pytest.raises(CommandError, match=error):
        export(*args)
