"""Webhooks and author emails on the job queue (django-tasks, database backend, db_worker),
against a live HTTP receiver on 127.0.0.1 that checks each signature."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from moderation import workflow
from moderation.models import ModerationEvent, Webhook, WebhookDelivery
from tests.helpers import client_for, html_of, make_user

SECRET = "a shared secret"
CALL_IN = "Hello, would you reread your comment?"


class Receiver(ThreadingHTTPServer):
    """Answers each POST with the next status of ``statuses`` (then 200), checking the
    signature as a receiver would; keeps what came in."""

    def __init__(self, statuses=()):
        super().__init__(("127.0.0.1", 0), Handler)
        self.statuses, self.received = list(statuses), []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/hook"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        signed = hmac.compare_digest(self.headers.get("X-Hub-Signature-256", ""), expected)
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        if not signed:
            status = 401
        self.server.received.append(
            {
                "status": status,
                "signed": signed,
                "event": self.headers["X-Callin-Event"],
                "delivery": self.headers["X-Callin-Delivery"],
                "body": json.loads(body),
            }
        )
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def queued(settings):
    """Jobs go to the database; ``run_worker()`` runs the worker until nothing is ready.
    No wait between tries (the backoff's doubling is still applied to 0 s)."""
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}
    settings.CALLIN_JOB_BACKOFF_SECONDS = 0
    settings.CALLIN_WEBHOOK_TIMEOUT = 5


def run_worker():
    call_command("db_worker", batch=True, reload=False, interval=0, startup_delay=False)


def hook(url, events=()):
    return Webhook.objects.create(name="Team chat", url=url, secret=SECRET, events=list(events))


@pytest.mark.django_db(transaction=True)
def test_a_call_in_is_delivered_signed_and_retried_after_a_failure(queued, moderator, case, author):
    with Receiver(statuses=[500]) as receiver:
        hook(receiver.url, events=["call_in.sent"])
        workflow.call_in(moderator, case, CALL_IN)
        assert receiver.received == []  # queued, not sent in the moderator's request
        run_worker()
    assert [r["status"] for r in receiver.received] == [500, 200]
    assert all(r["signed"] for r in receiver.received)
    first, second = receiver.received
    assert first["delivery"] == second["delivery"] and first["event"] == "call_in.sent"
    body = second["body"]
    assert body["event"] == "call_in.sent" and body["case"] == case.pk
    assert CALL_IN not in json.dumps(body) and author.username not in json.dumps(body)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert (delivery.attempts, delivery.response_status, delivery.last_error) == (2, 200, "")


@pytest.mark.django_db(transaction=True)
def test_deliveries_stop_after_the_last_try_and_say_why(queued, settings, moderator, case):
    settings.CALLIN_JOB_ATTEMPTS = 3
    with Receiver(statuses=[503, 503, 503, 503]) as receiver:
        hook(receiver.url)
        workflow.resolve(moderator, case, "no_action", "Fine as it is.")
        run_worker()
    resolved = WebhookDelivery.objects.get(kind="case.resolved")
    assert resolved.status == WebhookDelivery.Status.FAILED
    assert resolved.attempts == 3 and resolved.last_error.startswith("HTTP 503")
    assert [r["event"] for r in receiver.received].count("case.resolved") == 3


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_sends_nothing(queued, moderator, case):
    with Receiver() as receiver:
        hook(receiver.url)
        with pytest.raises(RuntimeError), transaction.atomic():
            workflow.call_in(moderator, case, CALL_IN)
            raise RuntimeError("the request failed after the call-in")
        run_worker()
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_events_a_webhook_did_not_choose_are_not_sent(queued, flagger, comment):
    with Receiver() as receiver:
        hook(receiver.url, events=["comment.hidden"])
        workflow.flag_comment(flagger, comment, "heated")  # case.opened
        run_worker()
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


class FailsOnce:
    """An email backend whose first send fails, as a mail server that is briefly down."""

    failed = False

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if not FailsOnce.failed:
            FailsOnce.failed = True
            raise ConnectionRefusedError("mail server down")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.mark.django_db(transaction=True)
def test_author_emails_go_through_the_queue_and_are_retried(queued, settings, moderator, case):
    settings.EMAIL_BACKEND = "tests.moderation.test_webhooks.FailsOnce"
    mail.outbox = []
    FailsOnce.failed = False
    case.comment.author.email = "author@example.org"
    case.comment.author.save(update_fields=["email"])
    workflow.call_in(moderator, case, CALL_IN)
    assert mail.outbox == []  # nothing sent inside the moderator's request
    run_worker()
    assert FailsOnce.failed and [m.to for m in mail.outbox] == [["author@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_the_admin_shows_each_delivery_and_logs_webhook_changes(queued, settings, moderator, case):
    settings.CALLIN_JOB_ATTEMPTS = 1
    client = client_for(make_user("root", is_superuser=True, is_staff=True))
    response = client.post(
        "/admin/moderation/webhook/add/",
        {"name": "Chat", "url": "http://127.0.0.1:9/hook", "secret": SECRET, "events": "[]",
         "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert ModerationEvent.objects.filter(action="webhook_saved").count() == 1
    workflow.call_in(moderator, case, CALL_IN)  # nothing listens on port 9: the try fails
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 1 and delivery.response_status is None and delivery.last_error
    page = html_of(client.get("/admin/moderation/webhookdelivery/"))
    assert "Call-in sent" in page and "Failed (no tries left)" in page
    detail = html_of(client.get(f"/admin/moderation/webhookdelivery/{delivery.pk}/change/"))
    assert delivery.last_error in detail
