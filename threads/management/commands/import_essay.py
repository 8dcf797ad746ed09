from django.core.management.base import BaseCommand, CommandError

from threads.importers import ImportFailed, import_essay, read_file


class Command(BaseCommand):
    help = "Import an essay from a text file in the seed format; prints its slug."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", help="Slug to use (default: from the title).")

    def handle(self, *args, file, slug, **options):
        try:
            essay, created = import_essay(read_file(file), file, slug=slug, source=file)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        if not created:
            self.stderr.write(f"An essay with slug {essay.slug!r} already exists; left as it is.")
        self.stdout.write(essay.slug)
