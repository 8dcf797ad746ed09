"""Appeals: an author asks a different moderator to look again at a hide, a warning or a
posting pause (``moderation.workflow.appeals`` changes them).

Imported by ``moderation.models``, so it is the app's model like the others.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from threads.inputs import length_check, text_validators
from threads.limits import MAX_MESSAGE_LENGTH, MAX_REASON_LENGTH

# How long after the action its author may appeal.
APPEAL_DAYS = 14
APPEAL_WINDOW = timedelta(days=APPEAL_DAYS)


class Appeal(models.Model):
    """One appeal against one action; each action can be appealed once."""

    class Kind(models.TextChoices):
        HIDDEN = "hidden", "Comment hidden"
        WARNING = "warning", "Formal warning"
        POSTING_PAUSE = "posting_pause", "Posting pause"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        OVERTURNED = "overturned", "Overturned"
        CHANGED = "changed", "Changed"

    kind = models.CharField(max_length=15, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals"
    )
    comment = models.ForeignKey("threads.Comment", on_delete=models.PROTECT, related_name="appeals")
    # The warning or posting pause appealed (empty for a hidden comment).
    sanction = models.OneToOneField(
        "moderation.Sanction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeal",
    )
    # The moderator who acted: never the one who decides.
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    acted_at = models.DateTimeField()
    # The case the appeal opened (origin "appeal"), in the moderators' queue.
    case = models.OneToOneField("moderation.Case", on_delete=models.PROTECT, related_name="appeal")
    body = models.TextField(validators=text_validators(MAX_MESSAGE_LENGTH))
    created = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField(blank=True, validators=text_validators(MAX_REASON_LENGTH))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            # Once per action: per hidden comment, and per sanction (OneToOne above).
            models.UniqueConstraint(
                fields=["comment"], condition=Q(kind="hidden"), name="one_appeal_per_hide"
            ),
            length_check("body", MAX_MESSAGE_LENGTH, "appeal"),
            length_check("decision_reason", MAX_REASON_LENGTH, "appeal"),
        ]

    def __str__(self):
        return f"Appeal {self.pk} ({self.get_kind_display()})"

    @property
    def is_decided(self):
        return bool(self.outcome)
