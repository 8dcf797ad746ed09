from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from threads.models import Essay

SEED_SLUGS = ["calling-in", "leftist-empathy-gap"]

# Demo-only accounts (listed in the README); never use these passwords anywhere real.
DEMO_ACCOUNTS = [
    # username, password, is_superuser
    ("admin", "callin-admin", True),
    ("moderator", "callin-moderator", False),
    ("organizer", "callin-organizer", False),
    ("ada", "callin-reader", False),
    ("ben", "callin-reader", False),
]


class Command(BaseCommand):
    help = "Load the seed essays and threads and the demo accounts; safe to run again."

    def handle(self, *args, **options):
        if Essay.objects.filter(slug__in=SEED_SLUGS).exists():
            self.stdout.write("Seed essays already loaded.")
        else:
            call_command("loaddata", "seeds", verbosity=0)
            self.stdout.write("Loaded the seed essays and comment threads.")
        User = get_user_model()
        for username, password, is_superuser in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(password)
                user.is_staff = user.is_superuser = is_superuser
                user.save()
                self.stdout.write(f"Created demo account {username!r}.")
