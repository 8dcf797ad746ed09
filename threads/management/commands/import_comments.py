import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from threads.importers import ImportFailed, import_comment_file
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

    def handle(self, *args, file, essay, replies, replies_file, dry_run, **options):
        try:
            target = Essay.objects.get(slug=essay)
        except Essay.DoesNotExist:
            raise CommandError(f"No essay with slug {essay!r}.") from None
        if replies_file:
            try:
                replies = Path(replies_file).read_text(encoding="utf-8").replace("\n", ",")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Cannot read the replies file {replies_file}: {exc}") from None
        # A progress bar on a terminal only: logs and pipes get the summary line alone.  No
        # monitor thread: heat scoring forks its workers only from a single-threaded process.
        tqdm.monitor_interval = 0
        with tqdm(unit=" comments", file=sys.stderr, disable=not self.stderr.isatty()) as bar:

            def progress(done, expected):
                bar.total = expected
                bar.update(done - bar.n)

            try:
                created, existing, warnings = import_comment_file(
                    target, file, replies, dry_run=dry_run, progress=progress
                )
            except ImportFailed as exc:
                raise CommandError(str(exc)) from None
        for warning in warnings:
            self.stderr.write(f"warning: {warning}")
        prefix = "Dry run: would create" if dry_run else "Created"
        self.stdout.write(f"{prefix} {created} comments; {existing} were already there.")
