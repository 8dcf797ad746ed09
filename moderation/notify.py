"""Emails to comment authors when moderators write to them.

An author with an email address gets a short note that a call-in or a
moderator's message waits in their inbox, with a link to it.  The email says
which space the comment is in and nothing else: no text of the message (the
conversation stays on the site, behind the author's sign-in), and never
anything from the flaggers (who flagged, their reasons or notes).

``workflow.call_in`` and ``workflow.message_author`` call ``schedule``, which
queues the email as a job (``moderation.jobs``) through ``transaction.on_commit``:
nothing is sent for a change that was rolled back, the moderator's page never
waits for a mail server, and one that is down is tried again later with the
same backoff as webhooks.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from . import jobs
from .models import Message

log = logging.getLogger(__name__)

NOTIFIED_KINDS = (Message.Kind.CALL_IN, Message.Kind.MODERATOR)


def schedule(message):
    """Queue the email to the author about ``message`` once the transaction commits."""
    message_id = message.pk
    transaction.on_commit(lambda: jobs.enqueue(email_author, message_id), robust=True)


@jobs.task()
def email_author(message_id, attempt=1):
    """The job: email the author; when the mail server fails, try again later."""
    try:
        return author_messaged(message_id, raise_errors=True)
    except Exception:  # any failure of the mail server: logged, then retried
        log.exception("Could not email the author about message %s (try %s)", message_id, attempt)
        jobs.retry_later(email_author, message_id, attempt=attempt)
        return False


def inbox_url(case):
    base = settings.CALLIN_BASE_URL.rstrip("/")
    return base + reverse("moderation:inbox_case", args=[case.pk])


def author_messaged(message_id, raise_errors=False):
    """Email the author of the case's comment about message ``message_id``.

    Returns True when an email went out; False when there is nobody to write to
    (an imported author without an account, or an account without an address).
    """
    message = (
        Message.objects.select_related("case__comment__author", "case__essay")
        .filter(pk=message_id, kind__in=NOTIFIED_KINDS)
        .first()
    )
    if message is None:
        return False
    author = message.case.comment.author
    if author is None or not author.is_active or not author.email:
        return False
    context = {
        "name": author.get_short_name() or author.get_username(),
        "essay_title": message.case.essay.title,
        "call_in": message.kind == Message.Kind.CALL_IN,
        "url": inbox_url(message.case),
    }
    subject = render_to_string("emails/author_message_subject.txt", context)
    email = EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("emails/author_message.txt", context),
        to=[author.email],
    )
    try:
        email.send()
    except Exception:  # the action is done; a mail server problem must not undo it
        if raise_errors:
            raise
        log.exception("Could not email the author about message %s", message_id)
        return False
    return True
