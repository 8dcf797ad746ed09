"""Saved replies: the hide reasons and call-in openings moderators reuse.

Adding and removing one is logged (``saved_reply_added``, ``saved_reply_removed``)
like every other change; removing one leaves the cases that used its text as they
were (they hold a copy).
"""

from django.db import transaction

from .audit import record
from .models import SavedReply
from .workflow import Refused, clean_text

TITLE_MAX = SavedReply._meta.get_field("title").max_length
BODY_MAX = SavedReply._meta.get_field("body").max_length


def save_reply(actor, kind, title, body):
    if kind not in SavedReply.Kind.values:
        raise Refused("Choose whether it is a hide reason or a call-in message.")
    title = clean_text(title, "a title", TITLE_MAX)
    body = clean_text(body, "the text", BODY_MAX)
    with transaction.atomic():
        reply = SavedReply.objects.create(kind=kind, title=title, body=body, created_by=actor)
        record(
            actor,
            "saved_reply_added",
            after={"saved_reply": reply.pk, "kind": kind, "title": title},
        )
        return reply


def remove_reply(actor, reply):
    with transaction.atomic():
        reply = SavedReply.objects.select_for_update().filter(pk=reply.pk).first()
        if reply is None:
            raise Refused("That saved text was already removed.")
        record(
            actor,
            "saved_reply_removed",
            before={"saved_reply": reply.pk, "kind": reply.kind, "title": reply.title},
        )
        reply.delete()
