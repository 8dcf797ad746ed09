"""Moderation events sent to webhooks: signed JSON, delivered by the job queue with retries.

The audit log is the source: ``audit.record`` sends ``event_recorded`` for each
event it appends, and for the events a webhook can subscribe to (``EVENT_OF``)
``event_recorded_receiver`` waits for the transaction to commit, so a rolled-back
action sends nothing.  Then one ``WebhookDelivery`` is written per subscribed
webhook and a job queued for each (django-tasks, database backend; run by
``manage.py db_worker``).  The job POSTs the body, signed with HMAC-SHA256 of
the webhook's secret in ``X-Hub-Signature-256: sha256=HEX`` (as GitHub signs
its webhooks); an answer other than 2xx, or none, is retried with exponential
backoff (``jobs.retry_later``) until ``CALLIN_JOB_ATTEMPTS`` tries, each one
recorded on the delivery (status, attempts, last error), shown in the admin.

The body names no person: the event's id, kind, time and the ids of the case,
comment and space, with the case's outcome or origin where there is one.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import jobs
from .audit import event_recorded
from .models import ModerationEvent, Webhook, WebhookDelivery

log = logging.getLogger(__name__)

# Audit action -> the webhook event it is.
EVENT_OF = {
    "case_opened": "case.opened",
    "call_in_sent": "call_in.sent",
    "author_replied": "author.answered",
    "author_revised": "author.answered",
    "author_withdrew": "author.answered",
    "case_resolved": "case.resolved",
    "comment_hidden": "comment.hidden",
    "comment_unhidden": "comment.restored",
}
SIGNATURE_HEADER = "X-Hub-Signature-256"
# What of an event's "after" goes out: states and outcomes, never text people wrote.
PUBLIC_AFTER = ("state", "origin", "outcome", "status")


def signature(secret, body):
    """The X-Hub-Signature-256 value of ``body`` (bytes) under ``secret``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def event_body(event, kind):
    after = event.after if isinstance(event.after, dict) else {}
    return json.dumps(
        {
            "id": event.pk,
            "event": kind,
            "action": event.action,
            "created": event.created.isoformat(),
            "case": event.case_id,
            "comment": event.comment_id,
            "space": event.essay_id,
            "details": {k: after[k] for k in PUBLIC_AFTER if k in after},
        },
        sort_keys=True,
    )


def event_recorded_receiver(sender, event, **kwargs):
    """Queue deliveries for ``event`` once its transaction commits (nothing on a rollback)."""
    if event.action in EVENT_OF:
        event_id = event.pk
        transaction.on_commit(lambda: deliveries_queue(event_id=event_id), robust=True)


def deliveries_queue(*, event_id):
    """One delivery per active webhook that wants the event, each queued as a job."""
    event = ModerationEvent.objects.filter(pk=event_id).first()
    if event is None:
        return []
    kind = EVENT_OF[event.action]
    hooks = [hook for hook in Webhook.objects.filter(active=True) if hook.wants(kind)]
    if not hooks:
        return []
    body = event_body(event, kind)
    created = []
    for hook in hooks:
        delivery = WebhookDelivery.objects.create(webhook=hook, event=event, kind=kind, body=body)
        jobs.enqueue(deliver_webhook, delivery.pk)
        created.append(delivery)
    return created


def delivery_attempt(*, delivery):
    """POST the delivery once; returns (HTTP status or None, error text or "")."""
    body = delivery.body.encode()
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "callin-webhooks",
            "X-Callin-Event": delivery.kind,
            "X-Callin-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: signature(delivery.webhook.secret, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.CALLIN_WEBHOOK_TIMEOUT) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code} {exc.reason}"
    except (OSError, ValueError) as exc:  # refused, timed out, unreachable, bad address
        return None, str(getattr(exc, "reason", exc))[:500] or exc.__class__.__name__


@jobs.task()
def deliver_webhook(delivery_id, attempt=1):
    """The job: one try of a delivery; on failure, queue the next try later."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return
    status, error = delivery_attempt(delivery=delivery)
    now = timezone.now()
    delivery.attempts, delivery.last_attempt_at, delivery.response_status = attempt, now, status
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            WebhookDelivery.Status.DELIVERED,
            now,
            None,
        )
        delivery.last_error = ""
    else:
        delivery.last_error = error or f"HTTP {status}"
        delivery.next_attempt_at = jobs.retry_later(deliver_webhook, delivery_id, attempt=attempt)
        if delivery.next_attempt_at is None:
            delivery.status = WebhookDelivery.Status.FAILED
            log.warning("Webhook delivery %s failed for good: %s", delivery_id, delivery.last_error)
    delivery.save()


def connect():
    """Called from the app's ready(): deliveries follow the audit log."""
    event_recorded.connect(event_recorded_receiver, dispatch_uid="moderation.webhooks")
