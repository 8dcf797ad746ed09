"""Write the whole moderation log, oldest first, for audits and archives.

Each row carries its place in the hash chain and its hash (see ``moderation.chain``),
so an archived export can later be compared with the live log."""

import argparse
import csv
import json
from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from moderation.models import ModerationEvent

COLUMNS = [
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
# Fetched as plain values through one query; "actor" and "essay" come from joins.
VALUES = [
    "id",
    "created",
    "actor__username",
    "action",
    "case_id",
    "comment_id",
    "essay__slug",
    "before",
    "after",
    "reason",
    "sequence",
    "hash",
]
CHUNK = 2000


def since_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date of the form YYYY-MM-DD"
        ) from None


def rows(since=None):
    """Each event as a dict, streamed in chunks so a large log never sits in memory."""
    events = ModerationEvent.objects.order_by("created", "id")
    if since is not None:
        events = events.filter(created__gte=timezone.make_aware(datetime.combine(since, time())))
    for values in events.values_list(*VALUES).iterator(chunk_size=CHUNK):
        row = dict(zip(COLUMNS, values, strict=True))
        row["created"] = row["created"].isoformat()
        row["actor"] = row["actor"] or ""
        row["essay"] = row["essay"] or ""
        yield row


def write_jsonl(rows, out):
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(rows, out):
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        row["before"] = json.dumps(row["before"], ensure_ascii=False)
        row["after"] = json.dumps(row["after"], ensure_ascii=False)
        writer.writerow(row[column] for column in COLUMNS)


WRITERS = {"jsonl": write_jsonl, "csv": write_csv}


class Command(BaseCommand):
    help = "Export every moderation event, oldest first, as JSON lines or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(WRITERS))
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--since",
            type=since_date,
            help="Only events from this day on (YYYY-MM-DD).",
        )

    def handle(self, *args, format, output, since, **options):
        write = WRITERS[format]
        if output is None:
            self.stdout.ending = ""  # the writers end their own lines
            write(rows(since), self.stdout)
            return
        try:
            with open(output, "w", encoding="utf-8", newline="") as out:
                write(rows(since), out)
        except OSError as exc:
            raise CommandError(f"{output}: cannot be written ({exc.strerror})") from None
