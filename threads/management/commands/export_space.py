import json
import sys

from django.core.management.base import BaseCommand, CommandError

from threads.importing.space_export import space_export
from threads.models import Essay


class Command(BaseCommand):
    help = (
        "Write a space (essay, comment tree, public outcomes) as one JSON document "
        "that import_site reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, slug, output, **options):
        essay = Essay.objects.filter(slug=slug).first()
        if essay is None:
            raise CommandError(f"No space with slug {slug!r}.")
        document = space_export(essay=essay)
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                json.dump(document, stream, ensure_ascii=False, indent=1)
                stream.write("\n")
        else:
            json.dump(document, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
