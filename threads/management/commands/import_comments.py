import sys
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from threads.importing.loading import import_comment_file
from threads.importing.parsing import ImportFailed
from threads.models import Essay


class Command(BaseCommand):
    help = "Import a comment page (comments separated by 'Expand full comment') into an essay."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--essay", required=True, help="Slug of the essay.")
        replies = parser.add_mutually_exclusive_group()
        replies.add_argument(
            "--replies",
            default="",
            help='Reply structure by 1-based position, e.g. "9>8,10>8".',
        )
        replies.add_argument(
            "--replies-file",
            help="The same items read from a file, separated by commas or line breaks "
            "(a large thread's map is longer than a command line may be).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Parse and count only.")
        parser.add_argument(
            "--imported-at",
            help="When the page was copied, e.g. 2026-11-23T09:20:40Z (default: now): the "
            "comments' import time, and the day a date without a year is read from.",
        )

    def handle(self, *args, file, essay, replies, replies_file, dry_run, imported_at, **options):
        now = imported_time(imported_at) if imported_at else None
        try:
            target = Essay.objects.get(slug=essay)
        except Essay.DoesNotExist:
            raise CommandError(f"No essay with slug {essay!r}.") from None
        if replies_file:
            try:
                replies = Path(replies_file).read_text(encoding="utf-8").replace("\n", ",")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Cannot read the replies file {replies_file}: {exc}") from None
        # A progress bar on a terminal only: logs and pipes get the summary line alone.
        with tqdm(unit=" comments", file=sys.stderr, disable=not self.stderr.isatty()) as bar:

            def progress(done, expected):
                bar.total = expected
                bar.update(done - bar.n)

            try:
                created, existing, warnings = import_comment_file(
                    target, file, replies, dry_run=dry_run, progress=progress, now=now
                )
            except ImportFailed as exc:
                raise CommandError(str(exc)) from None
        for warning in warnings:
            self.stderr.write(f"warning: {warning}")
        prefix = "Dry run: would create" if dry_run else "Created"
        self.stdout.write(f"{prefix} {created} comments; {existing} were already there.")


def imported_time(text):
    """--imported-at as an aware datetime: ISO 8601, no later than now (naive: local time)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--imported-at {text!r} is not a date and time like 2026-11-23T09:20:40Z."
        ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now():
        raise CommandError(f"--imported-at {text!r} is in the future.")
    return value
