"""Webhooks (where moderation events are sent) and their deliveries (what was sent, how it went).

Imported by ``moderation.models``, so they are the app's models like the others.
"""

from django.core.validators import URLValidator
from django.db import models

# What a webhook can subscribe to, each from audit actions (moderation.webhooks.EVENT_OF).
EVENT_CHOICES = [
    ("case.opened", "Case opened"),
    ("call_in.sent", "Call-in sent"),
    ("author.answered", "Author answered"),
    ("case.resolved", "Case resolved"),
    ("comment.hidden", "Comment hidden"),
    ("comment.restored", "Comment restored"),
]


def events_help():
    return "Empty: every event. Otherwise a list of: " + ", ".join(k for k, _ in EVENT_CHOICES)


class Webhook(models.Model):
    """An address that receives moderation events as signed JSON POSTs."""

    name = models.CharField(max_length=100)
    url = models.URLField(
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where to POST.",
    )
    secret = models.CharField(
        max_length=200,
        help_text="Shared secret: each body is signed with HMAC-SHA256 in the "
        "X-Hub-Signature-256 header (sha256=HEX), as GitHub signs its webhooks.",
    )
    events = models.JSONField(default=list, blank=True, help_text=events_help())
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def wants(self, kind):
        return not self.events or kind in self.events


class WebhookDelivery(models.Model):
    """One event sent to one webhook: the exact body signed, and each try's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (no tries left)"

    webhook = models.ForeignKey(Webhook, on_delete=models.PROTECT, related_name="deliveries")
    event = models.ForeignKey(
        "moderation.ModerationEvent", on_delete=models.PROTECT, related_name="+", null=True
    )
    kind = models.CharField(max_length=40, choices=EVENT_CHOICES)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.get_kind_display()} to {self.webhook}"
