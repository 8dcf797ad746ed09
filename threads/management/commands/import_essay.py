from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug

from threads.importing.loading import import_essay
from threads.importing.parsing import ImportFailed, read_file
from threads.models import Essay


class Command(BaseCommand):
    help = "Import an essay from a text file in the seed format; prints its slug."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", help="Slug to use (default: from the title).")

    def handle(self, *args, file, slug, **options):
        if slug is not None:
            # The essay's URLs only match slugs (letters, digits, "-" and "_").
            max_length = Essay._meta.get_field("slug").max_length
            try:
                validate_slug(slug)
            except ValidationError:
                raise CommandError(
                    f"--slug {slug!r} is not a slug: use letters, digits, '-' and '_'."
                ) from None
            if len(slug) > max_length:
                raise CommandError(f"--slug is longer than {max_length} characters.")
        try:
            essay, created = import_essay(read_file(file), file, slug=slug, source=file)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        if not created:
            self.stderr.write(f"An essay with slug {essay.slug!r} already exists; left as it is.")
        self.stdout.write(essay.slug)
