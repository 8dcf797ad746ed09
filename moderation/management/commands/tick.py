from django.core.management.base import BaseCommand

from moderation.workflow import tick


class Command(BaseCommand):
    help = (
        "End what has run out: unanswered call-ins return to the queue, cool-downs, folds, "
        "slow modes and posting pauses end. Idempotent; run it from cron every minute."
    )

    def handle(self, *args, **options):
        done = tick()
        if options["verbosity"] > 0:
            self.stdout.write(", ".join(f"{key.replace('_', ' ')}: {n}" for key, n in done.items()))
