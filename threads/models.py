"""Essays (discussion spaces) and their comment trees."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from mptt.models import MPTTModel, TreeForeignKey

from .bounds import InBounds, essay_constraints
from .inputs import length_check, no_nul, text_validators
from .limits import (
    ESSAY_TITLE_LENGTH,
    MAX_COMMENT_LENGTH,
    MAX_GUIDELINES_LENGTH,
    SOURCE_DATE_LENGTH,
)

# Deepest level a comment may sit at (roots are level 0).  A reply to a comment
# at this level attaches beside it, so the tree never gets deeper than this and
# nothing that walks it can recurse without bound.
MAX_LEVEL = 31

# Essay fields written only by threads.kept (F() updates in the writer's transaction).
KEPT_FIELDS = ("version", "comment_count", "top_level_count")

DEFAULT_GUIDELINES = """Disagree with ideas, not with people's worth.
Assume good faith, and ask before you assume.
Say what you mean plainly; leave out insults, labels and sweeping claims about groups.
If you got something wrong, you can revise or withdraw your comment at any time."""


class Essay(models.Model):
    class Discussion(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=ESSAY_TITLE_LENGTH)
    subtitle = models.CharField(max_length=500, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    # Ordered list of {"kind": "paragraph" | "heading", "text": str}.
    blocks = models.JSONField(default=list, blank=True)
    featured = models.BooleanField(default=False)
    source = models.CharField(max_length=300, blank=True, help_text="Where it was imported from.")
    discussion = models.CharField(
        max_length=10, choices=Discussion.choices, default=Discussion.OPEN
    )
    guidelines = models.TextField(
        blank=True,
        default=DEFAULT_GUIDELINES,
        validators=text_validators(MAX_GUIDELINES_LENGTH),
        help_text="Discussion guidelines shown to readers.",
    )
    # Slow mode: the shortest time between two comments by one person (0 = off).
    slow_mode_seconds = models.PositiveIntegerField(
        default=0, validators=[InBounds("slow_mode_seconds")]
    )
    slow_mode_until = models.DateTimeField(null=True, blank=True)
    # Moderation settings of the space (see moderation.workflow and threads.scoring);
    # their bounds (threads.bounds) are validators here and CHECK constraints below.
    call_in_hours = models.PositiveIntegerField(
        default=72,
        validators=[InBounds("call_in_hours")],
        help_text="How long a call-in waits for its author before it comes back (1 to 720).",
    )
    auto_hold_weight = models.FloatField(
        default=0,
        validators=[InBounds("auto_hold_weight")],
        help_text="Weighted flags that pause a comment before review (0 = off, else 6 to 100).",
    )
    premoderate_first = models.PositiveIntegerField(
        default=0,
        validators=[InBounds("premoderate_first")],
        help_text="A reader's first N comments wait for approval (0 = off, at most 20).",
    )
    # The default follows settings.HEAT_THRESHOLD (0.7 unless CALLIN_HEAT_THRESHOLD is set).
    heat_threshold = models.FloatField(
        default=settings.HEAT_THRESHOLD,
        validators=[InBounds("heat_threshold")],
        help_text="Heat above which a reply gets a nudge and a case opens (0.30 to 1.00).",
    )
    created = models.DateTimeField(auto_now_add=True)
    # Kept on write by threads.kept, never by save(): the space's page version (bumped by
    # every change its pages show; page caches and ETags are keyed by it), its visible
    # comments ("Discussion (N)") and its top-level comments (the number of pages).
    version = models.PositiveBigIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    top_level_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-featured", "-created", "id"]
        permissions = [("organize_spaces", "Can create and run discussion spaces")]
        constraints = [
            *essay_constraints(),
            length_check("guidelines", MAX_GUIDELINES_LENGTH, "essay"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Save every field but the kept ones: a form's stale copy of an essay must not
        write back the counts and version that replies moved meanwhile."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in KEPT_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("threads:essay", args=[self.slug])

    @property
    def is_open(self):
        return self.discussion == self.Discussion.OPEN

    def slow_mode_active(self, now=None):
        return self.slow_mode_seconds > 0 and (
            self.slow_mode_until is None or self.slow_mode_until > (now or timezone.now())
        )


class Comment(MPTTModel):
    """One comment; each top-level comment roots its own MPTT tree.

    Moderation never deletes a comment: it changes ``status``.
    """

    class Status(models.TextChoices):
        VISIBLE = "visible", "Visible"
        WITHDRAWN = "withdrawn", "Withdrawn by its author"
        HIDDEN = "hidden", "Hidden by a moderator"
        PENDING = "pending", "Waiting for a moderator"

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        PROMPT = "prompt", "Opening prompt"
        BRIDGE = "bridge", "Bridging note"

    # No index of their own: the composite indexes below start with them.
    essay = models.ForeignKey(
        Essay, on_delete=models.PROTECT, related_name="comments", db_index=False
    )
    # Indexed by comment_parent below, replies only (see there).
    parent = TreeForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        db_index=False,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        db_index=False,
    )
    author_name = models.CharField(max_length=150)
    body = models.TextField(validators=[MaxLengthValidator(MAX_COMMENT_LENGTH), no_nul])
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    # When it was posted here, or imported: it orders the thread and paces posting either way.
    created = models.DateTimeField()
    edited = models.DateTimeField(null=True, blank=True)
    # The date as the source showed it (e.g. "Jan 23"), for imported comments.
    source_date = models.CharField(max_length=SOURCE_DATE_LENGTH, blank=True)
    # An imported comment's ``created`` is when it was imported, not when it was written:
    # pages show the day its source gave (``written_on``, see importing.parsing.written_day)
    # or, without one, the import day labelled as such (thread_html.comment_date_html).
    imported = models.BooleanField(default=False)
    written_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    # NULL (not "") for comments written here, so the unique constraint ignores them.
    import_key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001
    # De-escalation, set by moderators (see moderation.workflow); each ends on its own.
    visibility_paused = models.BooleanField(
        default=False, help_text="Readers see a neutral placeholder while a call-in runs."
    )
    replies_paused_until = models.DateTimeField(null=True, blank=True)
    collapsed = models.BooleanField(default=False)
    collapsed_until = models.DateTimeField(null=True, blank=True)
    featured_at = models.DateTimeField(null=True, blank=True)
    # Offline heat score in [0, 1] and the signals behind it (heat, set by threads.scoring).
    heat = models.FloatField(null=True, blank=True)
    heat_signals = models.JSONField(default=list, blank=True)
    # django-mptt's tree_id, without the index of its own it would get: the (tree_id, lft)
    # index it adds starts with it (one index less to update on every insert).
    tree_id = models.PositiveIntegerField(db_index=False, editable=False)

    class MPTTMeta:
        order_insertion_by = []

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["essay", "import_key"], name="unique_import_key"),
            length_check("body", MAX_COMMENT_LENGTH, "comment"),
        ]
        indexes = [
            models.Index(fields=["essay", "tree_id", "lft"], name="comment_thread_order"),
            # Top-level comments in order (a partial index: PostgreSQL neither orders by
            # tree_id after "parent_id IS NULL" nor likes a wide index for it); rght (twice
            # a tree's size, lft being 1) lets the thread's size be summed from this index
            # alone (queries.thread_counts), and parent lets SQLite read nothing else.
            models.Index(
                fields=["essay", "tree_id", "rght", "parent"],
                condition=models.Q(parent=None),
                name="comment_top_level",
            ),
            # Comments not visible (few) are counted from this index alone, and the few
            # featured comments and opening prompts shown above the thread found by it.
            models.Index(fields=["essay", "status", "featured_at"], name="comment_featured"),
            models.Index(fields=["essay", "kind", "parent"], name="comment_kind"),
            # A comment's replies.  Without the top-level comments (parent NULL): else
            # PostgreSQL, when its visibility map lags after big writes, would count an
            # essay's top-level comments by walking every top-level comment of the site.
            models.Index(
                fields=["parent"], condition=models.Q(parent__isnull=False), name="comment_parent"
            ),
            models.Index(fields=["author", "created"], name="comment_by_author"),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:60]}"

    def get_absolute_url(self):
        return reverse("threads:comment", args=[self.essay.slug, self.pk])

    @property
    def is_visible(self):
        return self.status == self.Status.VISIBLE

    @property
    def is_shown(self):
        """Whether readers see its text (visible and not paused for a call-in)."""
        return self.is_visible and not self.visibility_paused

    def replies_paused(self, now=None):
        """Whether a pause set on this comment itself is in force (see replies_rest_until)."""
        return self.replies_paused_until is not None and self.replies_paused_until > (
            now or timezone.now()
        )

    def replies_rest_until(self, now=None):
        """Until when no reply may be posted under this comment, or None.

        A pause covers its whole subthread: this is the latest pause in force on the
        comment or on any of its ancestors, found in one query by tree and position.
        """
        return Comment.objects.filter(
            essay=self.essay_id,
            tree_id=self.tree_id,
            lft__lte=self.lft,
            rght__gte=self.rght,
            replies_paused_until__gt=now or timezone.now(),
        ).aggregate(until=models.Max("replies_paused_until"))["until"]

    def is_collapsed(self, now=None):
        return self.collapsed and (
            self.collapsed_until is None or self.collapsed_until > (now or timezone.now())
        )


class CommentRevision(models.Model):
    """The text a comment had before one edit."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    edited_at = models.DateTimeField()

    class Meta:
        ordering = ["edited_at", "id"]

    def __str__(self):
        return f"Revision of comment {self.comment_id} at {self.edited_at:%Y-%m-%d %H:%M}"
