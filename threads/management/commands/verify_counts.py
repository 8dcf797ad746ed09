from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from threads.kept import space_counts_refresh
from threads.models import Essay
from threads.queries import thread_counts


def count_differences():
    """(essay, [(what, kept, actual), ...]) for each space whose kept counts are off."""
    for essay in Essay.objects.order_by("pk"):
        actual = thread_counts(essay)
        wrong = [
            (what, kept, found)
            for what, kept, found in (
                ("visible comments", essay.comment_count, actual["total"]),
                ("top-level comments", essay.top_level_count, actual["top_level"]),
            )
            if kept != found
        ]
        if wrong:
            yield essay, wrong


class Command(BaseCommand):
    help = (
        "Recount every space's comments and report where the counts kept on write differ "
        "(exit status 1); --fix writes the recounted values."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Write the recounted values.")

    def handle(self, *args, fix, **options):
        differ = 0
        for essay, wrong in count_differences():
            differ += 1
            for what, kept, found in wrong:
                self.stdout.write(
                    f'"{essay.title}" ({essay.slug}): {what} kept {kept}, counted {found}'
                )
            if fix:
                with transaction.atomic():
                    space_counts_refresh(essay_id=essay.pk)
        if not differ:
            self.stdout.write("Every space's counts match its comments.")
        elif fix:
            self.stdout.write(f"Fixed the counts of {differ} space(s).")
        else:
            raise CommandError(f"The counts of {differ} space(s) differ; run with --fix to repair.")
