from django.core.management.base import BaseCommand, CommandError

from threads.importers import ImportFailed, import_comments, parse_comment_page, read_file
from threads.models import Essay


class Command(BaseCommand):
    help = "Import a comment page (comments separated by 'Expand full comment') into an essay."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--essay", required=True, help="Slug of the essay.")
        parser.add_argument(
            "--replies",
            default="",
            help='Reply structure by 1-based position, e.g. "9>8,10>8".',
        )
        parser.add_argument("--dry-run", action="store_true", help="Parse and count only.")

    def handle(self, *args, file, essay, replies, dry_run, **options):
        try:
            target = Essay.objects.get(slug=essay)
        except Essay.DoesNotExist:
            raise CommandError(f"No essay with slug {essay!r}.") from None
        try:
            page = parse_comment_page(read_file(file), file, replies)
            created, existing = import_comments(target, page, dry_run=dry_run)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        for warning in page.warnings:
            self.stderr.write(f"warning: {warning}")
        prefix = "Dry run: would create" if dry_run else "Created"
        self.stdout.write(f"{prefix} {created} comments; {existing} were already there.")
