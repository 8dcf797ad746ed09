"""Flags, cases, the private call-in conversation, annotations and the audit log.

State changes happen only in ``moderation.workflow``; these are the records.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import Q

from threads.inputs import length_check, text_validators
from threads.limits import FLAG_NOTE_LENGTH, MAX_MESSAGE_LENGTH, MAX_REASON_LENGTH
from threads.models import Comment, CommentRevision, Essay

from . import chain


class Reason(models.TextChoices):
    HEATED = "heated", "Heated (likely to escalate)"
    HARMFUL = "harmful", "Harmful (attacks a person or group)"
    OFF_TOPIC = "off_topic", "Off topic"
    SPAM = "spam", "Spam"
    MISINFORMATION = "misinformation", "Misinformation"
    NEEDS_CONTEXT = "needs_context", "Needs context"
    OTHER = "other", "Other"


class HideReason(models.TextChoices):
    """Why a moderator hides a comment; the first four are severe enough to skip the ladder."""

    SPAM = "spam", "Spam"
    HARMFUL = "harmful", "Attacks a person or group"
    THREAT = "threat", "Threat of violence"
    ILLEGAL = "illegal", "Illegal content"
    OTHER = "other", "Other (explain)"


# How much one flag of each reason adds to a case's weight.
REASON_WEIGHTS = {
    Reason.HARMFUL: 5,
    Reason.SPAM: 4,
    Reason.HEATED: 3,
    Reason.MISINFORMATION: 2,
    Reason.NEEDS_CONTEXT: 1,
    Reason.OFF_TOPIC: 1,
    Reason.OTHER: 1,
}

# Each point of weight moves a case up the queue as if it had waited this much longer.
URGENCY_PER_POINT = timedelta(hours=2)
# A saved hide reason or call-in opening (call-ins built from it stay within a message).
SAVED_REPLY_LENGTH = 6_000


class Case(models.Model):
    """One moderation case about one comment; at most one is open per comment."""

    class State(models.TextChoices):
        OPEN = "open", "Needs a moderator"
        WAITING = "waiting", "Waiting for the author"
        ANSWERED = "answered", "Author answered"
        RESOLVED = "resolved", "Resolved"

    class Origin(models.TextChoices):
        FLAG = "flag", "Flagged by a reader"
        MODERATOR = "moderator", "Opened by a moderator or organizer"
        WATCHED_WORD = "watched_word", "Watched word"
        HEAT = "heat", "Heat signal"
        NEWCOMER = "newcomer", "Newcomer's comment waiting for approval"
        IMPORTED = "imported", "Imported unapproved, waiting for approval"
        APPEAL = "appeal", "Appeal by the author"

    class Outcome(models.TextChoices):
        NO_ACTION = "no_action", "No action needed"
        REVISED = "revised", "Revised by its author"
        WITHDRAWN = "withdrawn", "Withdrawn by its author"
        ANNOTATED = "annotated", "Context added"
        DEESCALATED = "deescalated", "De-escalated"
        HIDDEN = "hidden", "Hidden by a moderator"
        ESCALATED = "escalated", "Escalated to admins"

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="cases")
    essay = models.ForeignKey(Essay, on_delete=models.PROTECT, related_name="cases")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    origin = models.CharField(max_length=15, choices=Origin.choices, default=Origin.FLAG)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField()
    # Sum of the flags' reason weights times their flaggers' weights; reasons with counts.
    weight = models.FloatField(default=0)
    flag_count = models.PositiveIntegerField(default=0)
    reasons = models.JSONField(default=dict, blank=True)
    # Sort key of the queue: opened_at moved earlier by weight (see URGENCY_PER_POINT).
    urgency = models.DateTimeField()
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    # When a call-in stops waiting for its author; set by call-ins, read by `tick`.
    call_in_deadline = models.DateTimeField(null=True, blank=True)
    no_answer = models.BooleanField(default=False)
    auto_held = models.BooleanField(default=False)
    # Watched words found in the comment, highlighted on the case page.
    watched_words = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    resolution_reason = models.TextField(blank=True, validators=text_validators(MAX_REASON_LENGTH))
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Bumped by every change, so a form posted from a stale page is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [
            ("moderate_case", "Can triage and act on moderation cases"),
            ("open_case", "Can open a case without a flag"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["comment"],
                condition=~Q(state="resolved"),
                name="one_open_case_per_comment",
            ),
            length_check("resolution_reason", MAX_REASON_LENGTH, "case"),
        ]
        indexes = [
            # The queue in order; with state in it, counting open cases reads only the index
            # (SQLite re-checks a partial index's condition when the value is a parameter).
            models.Index(
                fields=["urgency", "id", "state"],
                condition=~Q(state="resolved"),
                name="open_case_queue",
            ),
            models.Index(fields=["state", "urgency"], name="case_state_urgency"),
        ]

    def __str__(self):
        return f"Case {self.pk} on comment {self.comment_id}"

    @property
    def is_open(self):
        return self.state != self.State.RESOLVED

    def set_weight(self, weight):
        self.weight = weight
        self.urgency = self.opened_at - weight * URGENCY_PER_POINT


class Flag(models.Model):
    """A reader's private report on a comment; one per reader per comment."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="flags")
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="flags")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(
        blank=True, max_length=FLAG_NOTE_LENGTH, validators=text_validators(FLAG_NOTE_LENGTH)
    )
    # The flagger's track-record weight when the flag was made (see FlaggerRecord).
    weight = models.FloatField(default=1)
    # When a resolution counted this flag in its flagger's track record.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField()
    updated = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "flagger"], name="one_flag_per_reader"),
            length_check("note", FLAG_NOTE_LENGTH, "flag"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} flag on comment {self.comment_id}"


class Message(models.Model):
    """One entry of a case's private conversation between moderators and the author."""

    class Kind(models.TextChoices):
        CALL_IN = "call_in", "Call-in"
        MODERATOR = "moderator", "Message from a moderator"
        AUTHOR = "author", "Message from the author"
        REVISED = "revised", "The author revised the comment"
        WITHDRAWN = "withdrawn", "The author withdrew the comment"
        NOTICE = "notice", "Notice"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(blank=True, validators=text_validators(MAX_MESSAGE_LENGTH))
    revision = models.ForeignKey(
        CommentRevision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [length_check("body", MAX_MESSAGE_LENGTH, "message")]

    def __str__(self):
        return f"{self.get_kind_display()} on case {self.case_id}"

    TO_AUTHOR = (Kind.CALL_IN, Kind.MODERATOR, Kind.NOTICE)

    @property
    def from_author(self):
        return self.kind not in self.TO_AUTHOR


class NoteLabel(models.TextChoices):
    HELPFUL = "helpful", "Helpful contributor"
    WATCH_SPAM = "watch_spam", "Watch for spam"
    WARNED = "warned", "Warned"
    HEATED = "heated", "Often heated"
    NEW = "new", "New to the space"


class Annotation(models.Model):
    """A moderator's note: private (on a comment or its author) or a public context note."""

    class Kind(models.TextChoices):
        COMMENT_NOTE = "comment_note", "Private note on the comment"
        AUTHOR_NOTE = "author_note", "Private note on the author"
        CONTEXT = "context", "Public context note"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="annotations")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="annotations"
    )
    # For author notes: the account, or the display name of an imported author.
    about_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    about_name = models.CharField(max_length=150, blank=True)
    label = models.CharField(max_length=20, choices=NoteLabel.choices, blank=True)
    body = models.TextField(
        max_length=MAX_REASON_LENGTH, validators=text_validators(MAX_REASON_LENGTH)
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField()
    retracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [length_check("body", MAX_REASON_LENGTH, "annotation")]

    def __str__(self):
        return f"{self.get_kind_display()} on comment {self.comment_id}"

    @property
    def is_public(self):
        return self.kind == self.Kind.CONTEXT


class FlaggerRecord(models.Model):
    """How often moderators agreed with a reader's flags; sets the weight of new flags."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flagger_record"
    )
    agreed = models.PositiveIntegerField(default=0)
    disagreed = models.PositiveIntegerField(default=0)

    MIN_WEIGHT, MAX_WEIGHT, STEP = 0.25, 3.0, 0.25

    def __str__(self):
        return f"{self.user}: {self.agreed} agreed, {self.disagreed} not"

    @property
    def weight(self):
        raw = 1 + self.STEP * (self.agreed - self.disagreed)
        return max(self.MIN_WEIGHT, min(self.MAX_WEIGHT, raw))


class Sanction(models.Model):
    """A rung of the escalation ladder above the call-in, for one author."""

    class Kind(models.TextChoices):
        WARNING = "warning", "Formal warning"
        POSTING_PAUSE = "posting_pause", "Posting pause"
        SUSPENSION = "suspension", "Suspension"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="sanctions"
    )
    reason = models.TextField(validators=text_validators(MAX_REASON_LENGTH))
    # Set when the moderator went past the suggested rung (required then).
    skip_reason = models.TextField(blank=True, validators=text_validators(MAX_REASON_LENGTH))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            length_check("reason", MAX_REASON_LENGTH, "sanction"),
            length_check("skip_reason", MAX_REASON_LENGTH, "sanction"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user}"


class Notice(models.Model):
    """A private notice to one user (flag reviewed, comment shown again, held, warned…).

    Notices are never edited away: undoing an action adds a new notice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "seen_at"], name="notice_unseen")]

    def __str__(self):
        return f"Notice to {self.user}: {self.body[:40]}"


class WatchedWord(models.Model):
    """A word or simple wildcard pattern ("idiot*") watched in one space or site-wide."""

    class Action(models.TextChoices):
        FLAG = "flag", "Flag for review"
        HOLD = "hold", "Hold for a moderator"
        BLOCK = "block", "Refuse the post"

    essay = models.ForeignKey(
        Essay,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="watched_words",
        help_text="Empty: site-wide.",
    )
    pattern = models.CharField(max_length=100)
    action = models.CharField(max_length=10, choices=Action.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pattern"]
        constraints = [
            models.UniqueConstraint(fields=["essay", "pattern"], name="unique_watched_word"),
            # NULLs are distinct in the constraint above: one site-wide word per pattern too.
            models.UniqueConstraint(
                fields=["pattern"],
                condition=Q(essay__isnull=True),
                name="unique_site_wide_watched_word",
            ),
        ]

    def __str__(self):
        return f"{self.pattern} ({self.action})"


class SavedReply(models.Model):
    """Reusable texts moderators keep: hide reasons and call-in messages."""

    class Kind(models.TextChoices):
        HIDE_REASON = "hide_reason", "Hide reason"
        CALL_IN = "call_in", "Call-in message"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=120)
    body = models.TextField(
        max_length=SAVED_REPLY_LENGTH, validators=text_validators(SAVED_REPLY_LENGTH)
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title"]
        constraints = [length_check("body", SAVED_REPLY_LENGTH, "saved_reply")]

    def __str__(self):
        return self.title


class Nudge(models.Model):
    """One pre-posting nudge shown to a reader, and what they did next (moderation.nudges)."""

    class Result(models.TextChoices):
        SHOWN = "shown", "Shown, no decision yet"
        EDITED = "edited", "Edited after the nudge"
        POSTED_ANYWAY = "posted_anyway", "Posted anyway"

    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    heat = models.FloatField()
    result = models.CharField(max_length=15, choices=Result.choices, default=Result.SHOWN)
    created = models.DateTimeField()

    def __str__(self):
        return f"Nudge for {self.user} ({self.result})"


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Moderation events are append-only.")

    def delete(self):
        raise TypeError("Moderation events are append-only.")


class ModerationEvent(models.Model):
    """Append-only audit log: who did what to which target, before and after, and why.

    The ORM refuses updates and deletes; on PostgreSQL triggers refuse them and
    TRUNCATE too. Each saved event is chained to the one before (``moderation.chain``),
    so ``manage.py verify_moderation_log`` finds a change made below the app.
    ``bulk_create`` skips ``save`` and so the chain: the app never uses it.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=40, db_index=True)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    essay = models.ForeignKey(
        Essay, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    created = models.DateTimeField(db_index=True)
    # Place in the hash chain (1, 2, …), the hash of the event before, and this one's.
    sequence = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.action} by {self.actor or 'system'} at {self.created:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Moderation events are append-only.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        chained = ModerationEvent.objects.using(using).filter(sequence__isnull=False)
        with transaction.atomic(using=using, savepoint=False):
            self.sequence, self.prev_hash, self.hash = chain.append(
                connections[using],
                head_table=LogHead._meta.db_table,
                events_exist=chained.exists,
                digest=self.digest(),
            )
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Moderation events are append-only.")

    def digest(self):
        return chain.event_digest(
            actor=self.actor_id,
            action=self.action,
            case=self.case_id,
            comment=self.comment_id,
            essay=self.essay_id,
            before=self.before,
            after=self.after,
            reason=self.reason,
            created=self.created,
        )


class LogHead(models.Model):
    """The moderation log's chain head (one row): how many events, and the last hash.

    Advanced by the same transaction as each event; the verifier compares the log's
    end with it, so a cut-off tail shows. On PostgreSQL a trigger lets it only move
    forward one event at a time and refuses DELETE and TRUNCATE.
    """

    count = models.PositiveBigIntegerField(default=0)
    prev_hash = models.CharField(max_length=64, blank=True)
    last_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="one_log_head")]

    def __str__(self):
        return f"Moderation log head: {self.count} events"


# Appeals and webhooks live in their own modules (moderation.appeal_models,
# moderation.webhook_models); imported here so that they are this app's models like the
# ones above.
from .appeal_models import Appeal  # noqa: E402, F401
from .webhook_models import Webhook, WebhookDelivery  # noqa: E402, F401
