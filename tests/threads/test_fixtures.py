"""fixtures/seeds.json (what `make run` loads) and manage.py seed_demo."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from moderation.management.commands.seed_demo import DEMO_ACCOUNTS
from threads.models import Comment, Essay

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEEDS = FIXTURES / "seeds"
TREE_FIELDS = ("pk", "tree_id", "lft", "rght", "level")
# As in the Makefile: when seed 000 was first imported.
SEEDS_IMPORTED_AT = "2026-11-23T09:20:40Z"


def essays_snapshot():
    return {
        e.slug: (e.title, e.subtitle, e.featured, e.blocks, Path(e.source).name, e.discussion)
        for e in Essay.objects.all()
    }


def comments_snapshot():
    """Every comment in thread order, without primary keys or timestamps."""
    comments = list(Comment.objects.select_related("essay", "parent").order_by("tree_id", "lft"))
    return [
        (
            c.essay.slug,
            c.author_name,
            c.body,
            c.source_date,
            c.written_on,
            c.imported,
            c.edited is not None,
            c.import_key,
            c.status,
            c.parent.import_key if c.parent else None,
            c.tree_id,
            c.lft,
            c.rght,
            c.level,
        )
        for c in comments
    ]


def import_seeds():
    """What `make fixtures` runs to build fixtures/seeds.json."""
    out = StringIO()
    call_command(
        "import_essay",
        str(SEEDS / "004_54372fb689d24231.txt"),
        slug="leftist-empathy-gap",
        stdout=out,
    )
    call_command("import_essay", str(FIXTURES / "essay-000.txt"), slug="calling-in", stdout=out)
    call_command(
        "import_comments",
        str(SEEDS / "000_ac2c2a8ca753e8fe.txt"),
        essay="calling-in",
        replies="9>8,10>8",
        imported_at=SEEDS_IMPORTED_AT,
        stdout=out,
    )


def test_seeds_json_matches_what_the_importers_produce(db):
    with transaction.atomic():
        import_seeds()
        imported = essays_snapshot(), comments_snapshot()
        transaction.set_rollback(True)
    assert not Essay.objects.exists()

    call_command("loaddata", "seeds", verbosity=0)
    assert (essays_snapshot(), comments_snapshot()) == imported


def test_seeded_essays_and_thread(seeded):
    essays = essays_snapshot()
    assert set(essays) == {"calling-in", "leftist-empathy-gap"}
    title, _, featured, blocks, _, _ = essays["leftist-empathy-gap"]
    assert title == "The Leftist Empathy Gap and Decolonizing Leftist Spaces for Palestine"
    assert featured is True
    assert sum(b["kind"] == "heading" for b in blocks) == 5

    calling_in = Essay.objects.get(slug="calling-in")
    assert calling_in.comments.count() == 12
    assert calling_in.comments.filter(parent=None).count() == 10
    eighth = calling_in.comments.get(body__startswith="I think this is an inaccurate")
    assert (eighth.source_date, eighth.edited is not None) == ("Jan 23", True)
    assert [c.body[:18] for c in eighth.get_children()] == [
        "We didn’t diagnose",
        "Also the mere idea",
    ]
    assert calling_in.comments.order_by("tree_id", "lft").last().author_name == "Ella"


def test_rebuild_leaves_seeded_tree_positions_unchanged(seeded):
    before = list(Comment.objects.order_by("pk").values_list(*TREE_FIELDS))
    assert len(before) == 12
    Comment.objects.rebuild()
    assert list(Comment.objects.order_by("pk").values_list(*TREE_FIELDS)) == before


def test_seed_demo_is_safe_to_run_twice(db):
    first, second = StringIO(), StringIO()
    call_command("seed_demo", stdout=first)
    comments = list(Comment.objects.order_by("pk").values_list("pk", "body", "tree_id", "lft"))
    essays = list(Essay.objects.order_by("pk").values_list("pk", "slug"))
    call_command("seed_demo", stdout=second)

    assert "Loaded the seed essays" in first.getvalue()
    assert first.getvalue().count("Created demo account") == 5
    assert "Seed essays already loaded." in second.getvalue()
    assert "Created demo account" not in second.getvalue()

    assert [slug for _, slug in essays] == ["leftist-empathy-gap", "calling-in"]
    assert Comment.objects.filter(essay__slug="calling-in").exclude(import_key=None).count() >= 12
    assert list(Comment.objects.order_by("pk").values_list("pk", "body", "tree_id", "lft")) == (
        comments
    )
    assert list(Essay.objects.order_by("pk").values_list("pk", "slug")) == essays

    users = get_user_model().objects.order_by("username")
    # The history's people (issue 16) exist but cannot sign in; the demo accounts can.
    can_sign_in = [u.username for u in users if u.has_usable_password()]
    assert can_sign_in == sorted(name for name, *_ in DEMO_ACCOUNTS)
    assert list(users.filter(is_superuser=True).values_list("username", flat=True)) == ["admin"]
    for username, password, *_ in DEMO_ACCOUNTS:
        assert users.get(username=username).check_password(password)


def depth_snapshot(since):
    """Everything seed_demo sets up for moderation depth (issue 7): what it does now, not the
    weeks of history it replays with earlier dates (issue 16)."""
    from moderation.models import Annotation, ModerationEvent, SavedReply, WatchedWord

    return {
        "words": sorted(
            WatchedWord.objects.values_list("essay__slug", "pattern", "action"),
            key=lambda row: (row[0] or "", row[1]),
        ),
        "saved": list(SavedReply.objects.order_by("pk").values_list("pk", "kind", "title")),
        "notes": list(
            Annotation.objects.filter(created__gte=since).values_list(
                "pk", "kind", "label", "about_user__username"
            )
        ),
        "featured": list(
            Comment.objects.exclude(featured_at=None).values_list("essay__slug", "author_name")
        ),
        "settings": list(
            Essay.objects.order_by("slug").values_list(
                "slug", "auto_hold_weight", "premoderate_first", "call_in_hours"
            )
        ),
        "events": list(
            ModerationEvent.objects.filter(created__gte=since)
            .order_by("pk")
            .values_list("pk", "action")
        ),
    }


def test_seed_demo_shows_each_moderation_depth_feature_once(db):
    first, second = StringIO(), StringIO()
    since = timezone.now()
    call_command("seed_demo", stdout=first)
    shown = depth_snapshot(since)
    call_command("seed_demo", stdout=second)

    assert depth_snapshot(since) == shown
    assert "Featured a comment" in first.getvalue() and "Featured" not in second.getvalue()
    assert "labelled moderator note" in first.getvalue()
    assert "labelled" not in second.getvalue() and "settings" not in second.getvalue()
    assert shown["words"] == [
        (None, "idiot*", "flag"),
        (None, "kys", "block"),
        (None, "moron*", "hold"),
        ("calling-in", "brainwashed", "hold"),
        ("calling-in", "sheeple", "block"),
        ("calling-in", "snowflake*", "flag"),
    ]
    assert {kind for _, kind, _ in shown["saved"]} == {"hide_reason", "call_in"}
    [(_, kind, label, about)] = shown["notes"]
    assert (kind, label, about) == ("author_note", "heated", "ben")
    assert shown["featured"] == [("calling-in", "Reader 1")]
    assert shown["settings"] == [("calling-in", 6.0, 0, 72), ("leftist-empathy-gap", 0.0, 1, 72)]
    # Every change went through the logged functions.
    actions = [action for _, action in shown["events"]]
    assert actions.count("watched_word_set") == 6
    assert actions.count("space_updated") == 2
    assert actions.count("comment_featured") == 1 and actions.count("annotation_added") == 1


def test_the_demo_shows_the_moderation_depth_features_by_hand(db, settings):
    """What README "Moderation depth" tells a visitor to try, through the demo accounts."""
    from django.test import Client

    from moderation.models import Case

    settings.HEAT_SCORING = False  # by hand a nudge may come first; "Post anyway" then
    call_command("seed_demo", stdout=StringIO())

    def signed_in(name):
        client = Client()
        client.force_login(get_user_model().objects.get(username=name))
        return client

    moderator = signed_in("moderator")
    # The demo's queue already holds comments waiting (moderation.demo_recent).
    waiting = moderator.get("/moderation/").content.decode().count("awaiting approval")
    ada = signed_in("ada")
    for slug, body, status in [
        ("leftist-empathy-gap", "My first thought here.", "pending"),
        ("calling-in", "That is a moronic take.", "pending"),
        ("calling-in", "People are not brainwashed for disagreeing.", "pending"),
        ("calling-in", "Only sheeple believe that.", None),
    ]:
        response = ada.post(f"/essays/{slug}/reply/", {"body": body})
        assert response.status_code == (302 if status else 400), body
        comment = Comment.objects.filter(body=body).first()
        assert (comment.status if comment else None) == status, body

    ben_reply = Comment.objects.get(import_key="demo-ben-1")
    for name in ("ada", "organizer"):
        signed_in(name).post(f"/comments/{ben_reply.pk}/flag/", {"reason": "heated"})
    assert Comment.objects.get(pk=ben_reply.pk).visibility_paused  # auto-held at 6
    case = Case.objects.get(comment=ben_reply)
    assert "Often heated" in moderator.get(f"/moderation/cases/{case.pk}/").content.decode()
    queue = moderator.get("/moderation/").content.decode()
    assert queue.count("awaiting approval") == waiting + 3
    thread = Client().get("/essays/calling-in/").content.decode()
    assert "Featured comments" in thread
    page = moderator.get("/organize/watched-words/").content.decode()
    assert "<code>moron*</code>" in page and "Calling each other in" in page


def test_seed_demo_leaves_alone_what_an_organizer_changed_since(db):
    from moderation import spaces, workflow
    from moderation.models import ModerationEvent

    call_command("seed_demo", stdout=StringIO())
    organizer = get_user_model().objects.get(username="organizer")
    space = Essay.objects.get(slug="leftist-empathy-gap")
    spaces.update_space(organizer, space, premoderate_first=0)
    featured = Comment.objects.exclude(featured_at=None).get()
    workflow.feature(organizer, featured, False)
    events = ModerationEvent.objects.count()

    call_command("seed_demo", stdout=StringIO())

    assert Essay.objects.get(pk=space.pk).premoderate_first == 0
    assert not Comment.objects.exclude(featured_at=None).exists()
    assert ModerationEvent.objects.count() == events


def test_seed_demo_keeps_changed_demo_passwords(db):
    call_command("seed_demo", stdout=StringIO())
    ada = get_user_model().objects.get(username="ada")
    ada.set_password("a-new-password")
    ada.save()
    call_command("seed_demo", stdout=StringIO())
    ada.refresh_from_db()
    assert ada.check_password("a-new-password")
