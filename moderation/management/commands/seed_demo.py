from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from moderation import demo_history, demo_recent, spaces, watched, workflow
from moderation.models import Annotation, ModerationEvent, NoteLabel, SavedReply, WatchedWord
from threads.models import Comment, Essay
from threads.posting import insert_comment
from threads.scoring import comment_heat_set

SEED_SLUGS = ["calling-in", "leftist-empathy-gap"]

# Demo-only accounts (listed in the README); never use these passwords anywhere real.
DEMO_ACCOUNTS = [
    # username, password, group (None: superuser for "admin", a plain reader otherwise)
    ("admin", "callin-admin", None),
    ("moderator", "callin-moderator", "moderators"),
    ("organizer", "callin-organizer", "organizers"),
    ("ada", "callin-reader", None),
    ("ben", "callin-reader", None),
]


def demo_email(username):
    """A demo account's address: example.com never delivers (RFC 2606); with the console
    backend of ``make run`` the call-in email to ben is printed in the terminal."""
    return f"{username}@example.com"


# A reply by the demo reader "ben", so the call-in flow can be tried end to end.
DEMO_REPLY = {
    "import_key": "demo-ben-1",
    "parent_key_prefix": "Never trust liberals",
    "body": (
        "Honestly, anyone who still defends liberals is part of the problem. "
        "You people never listen and never will."
    ),
}


# (space slug or None for site-wide, pattern, action), set through moderation.watched (logged).
DEMO_WATCHED_WORDS = [
    (None, "idiot*", "flag"),
    (None, "moron*", "hold"),
    (None, "kys", "block"),
    ("calling-in", "snowflake*", "flag"),
    ("calling-in", "brainwashed", "hold"),
    ("calling-in", "sheeple", "block"),
]
# Moderation settings per space, applied (and logged) once, on a space nobody has edited:
# "calling-in" pauses a comment at weighted flags of 6 (two heated flags from new readers),
# "leftist-empathy-gap" holds a reader's first comment for approval.
DEMO_SPACE_SETTINGS = {
    "calling-in": {"auto_hold_weight": 6.0},
    "leftist-empathy-gap": {"premoderate_first": 1},
}
# A comment of seed 000 shown in the thread's "Featured comments" section.
DEMO_FEATURED_PREFIX = "Thank you for this piece."
# A labelled moderator note about ben, shown beside his name on case pages.
DEMO_AUTHOR_NOTE = (
    NoteLabel.HEATED,
    "Writes in bursts when a thread gets political; a short, warm call-in usually works.",
)
DEMO_SAVED_REPLIES = [
    (
        "hide_reason",
        "Personal attack after a call-in",
        "The comment attacks a person rather than their argument, and its author chose not to "
        "revise it after we asked privately.",
    ),
    (
        "call_in",
        "Short and warm",
        "Hello {author},\n\nA quick, private note from the moderators of “{essay}”: your "
        "comment was flagged as {reasons}. Would you reread it with our guidelines in mind?\n"
        "{guidelines}\n\nYou can answer, revise or withdraw it. Thank you.",
    ),
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
        for username, password, group in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(username=username)
            if not user.email:  # also for a database made before demo accounts had one
                user.email = demo_email(username)
                user.save(update_fields=["email"])
            if created:
                user.set_password(password)
                user.is_superuser = username == "admin"
                user.is_staff = user.is_superuser or group == "moderators"
                user.save()
                if group:
                    user.groups.add(Group.objects.get(name=group))
                self.stdout.write(f"Created demo account {username!r}.")
        # Issue 16's weeks of past moderation (moderation.demo_history), before the
        # examples below so that its flaggers' weights never meet an auto-hold.
        demo_history.history_add(
            moderator=User.objects.get(username="moderator"), stdout=self.stdout
        )
        self.add_demo_reply(User.objects.get(username="ben"))
        self.add_moderation_examples(User.objects.get(username="moderator"))
        self.add_depth_examples(
            User.objects.get(username="moderator"),
            User.objects.get(username="organizer"),
            User.objects.get(username="ben"),
        )
        # The last weeks and a queue with a case in every state, once the watched words
        # and settings above are there (its present comments meet them).
        demo_recent.recent_add(moderator=User.objects.get(username="moderator"), stdout=self.stdout)

    def add_demo_reply(self, ben):
        essay = Essay.objects.get(slug="calling-in")
        if Comment.objects.filter(essay=essay, import_key=DEMO_REPLY["import_key"]).exists():
            return
        parent = Comment.objects.get(essay=essay, body__contains=DEMO_REPLY["parent_key_prefix"])
        comment = Comment(
            essay=essay,
            author=ben,
            author_name=ben.get_username(),
            body=DEMO_REPLY["body"],
            created=timezone.now(),
            import_key=DEMO_REPLY["import_key"],
        )
        comment_heat_set(comment)  # scored like imported comments (no case: ada's flag opens it)
        with transaction.atomic():
            insert_comment(comment, parent)
        self.stdout.write("Added a demo reply by 'ben' to flag and call in.")

    def add_moderation_examples(self, moderator):
        """A few watched words and saved texts, so those pages are not empty in the demo."""
        for slug, pattern, action in DEMO_WATCHED_WORDS:
            essay = Essay.objects.get(slug=slug) if slug else None
            if not WatchedWord.objects.filter(essay=essay, pattern=pattern).exists():
                watched.add_word(moderator, essay, pattern, action)
        for kind, title, body in DEMO_SAVED_REPLIES:
            SavedReply.objects.get_or_create(
                kind=kind, title=title, defaults={"body": body, "created_by": moderator}
            )

    def add_depth_examples(self, moderator, organizer, ben):
        """Space settings, a featured comment and a labelled note, each once and logged.

        Each is skipped when the log shows it was done (or undone) before, so running
        the command again neither duplicates it nor overrides what someone changed.
        """
        for slug, changes in DEMO_SPACE_SETTINGS.items():
            essay = Essay.objects.get(slug=slug)
            if not ModerationEvent.objects.filter(action="space_updated", essay=essay).exists():
                spaces.update_space(organizer, essay, **changes)
                self.stdout.write(f"Set the demo's moderation settings of {slug!r}.")
        essay = Essay.objects.get(slug="calling-in")
        featuring = ModerationEvent.objects.filter(
            action__in=["comment_featured", "comment_unfeatured"], essay=essay
        )
        if not featuring.exists():
            comment = Comment.objects.get(essay=essay, body__startswith=DEMO_FEATURED_PREFIX)
            workflow.feature(moderator, comment)
            self.stdout.write("Featured a comment in 'calling-in'.")
        if not Annotation.objects.filter(kind=Annotation.Kind.AUTHOR_NOTE, about_user=ben).exists():
            label, body = DEMO_AUTHOR_NOTE
            reply = Comment.objects.get(essay=essay, import_key=DEMO_REPLY["import_key"])
            workflow.annotate(moderator, reply, Annotation.Kind.AUTHOR_NOTE, body, label=label)
            self.stdout.write("Added a labelled moderator note about 'ben'.")
