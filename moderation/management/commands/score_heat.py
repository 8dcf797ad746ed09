"""Score (or score again) stored comments' heat in batches.

For after an import run with ``CALLIN_HEAT_SCORING=0``, or after the rules in
``heat`` change.  Batches are scored ahead in worker processes while this
one writes, as imports do (``threads.scoring.score_batches``).  Scores and signals
only: no case is opened, as for imports.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from threads.models import Comment, Essay
from threads.scoring import score_batches

BATCH = 2000


class Command(BaseCommand):
    help = "Score stored comments' heat (all, one space's, or only those without a score)."

    def add_arguments(self, parser):
        parser.add_argument("--essay", help="only this space (slug)")
        parser.add_argument("--missing", action="store_true", help="only comments with no score")

    def handle(self, *args, essay=None, missing=False, **options):
        comments = Comment.objects.order_by("pk")
        if essay:
            if not Essay.objects.filter(slug=essay).exists():
                raise CommandError(f"No space with the slug {essay!r}.")
            comments = comments.filter(essay__slug=essay)
        if missing:
            comments = comments.filter(heat__isnull=True)
        done = 0
        for batch, scores in score_batches(batches(comments.only("pk", "body"))):
            for comment, (value, signals) in zip(batch, scores, strict=True):
                comment.heat, comment.heat_signals = value, signals
            with transaction.atomic():
                Comment.objects.bulk_update(batch, ["heat", "heat_signals"])
            done += len(batch)
        self.stdout.write(f"Scored {done} comment{'s' if done != 1 else ''}.")


def batches(comments):
    """``comments`` (ordered by pk) a batch at a time, each read after the one before."""
    last = 0
    while batch := list(comments.filter(pk__gt=last)[:BATCH]):
        yield batch
        last = batch[-1].pk
