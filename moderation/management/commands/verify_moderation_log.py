"""Check that the moderation log is as it was written: exit 0 and a summary line
when it is, non-zero naming the first event that was changed, removed, inserted or
cut off when not. See ``moderation.audit.moderation_log_verify`` for what this
proves and what it cannot."""

from django.core.management.base import BaseCommand, CommandError

from moderation.audit import moderation_log_verify


class Command(BaseCommand):
    help = "Walk the moderation log's hash chain and compare its end with the chain head."

    def handle(self, *args, **options):
        verdict = moderation_log_verify()
        if verdict.problem:
            raise CommandError(f"The moderation log was tampered with: {verdict.problem}.")
        events = "1 event" if verdict.count == 1 else f"{verdict.count:,} events"
        self.stdout.write(
            f"The moderation log is intact: {events}, chained up to {verdict.last_hash}."
        )
