import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from threads.importing.parsing import ImportFailed
from threads.importing.site_loading import site_summary

from ...spaces import import_site


class Command(BaseCommand):
    help = (
        "Import a Disqus XML export, a WordPress export (WXR) or a callin space export "
        "(export_space): one space per thread or post, matched again on a later run."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        # A progress bar on a terminal only: logs and pipes get the summary line alone.
        with tqdm(unit=" comments", file=sys.stderr, disable=not self.stderr.isatty()) as bar:

            def progress(done, expected):
                bar.total = expected
                bar.update(done - bar.n)

            try:
                site, results = import_site(None, path, progress=progress)
            except ImportFailed as exc:
                raise CommandError(str(exc)) from None
        for warning in site.warnings:
            self.stderr.write(f"warning: {warning}")
        for result in results:
            verb = "created" if result.new_space else "found"
            self.stdout.write(f"{result.slug}: {verb}, {result.created} comments added")
        self.stdout.write(site_summary(results))
