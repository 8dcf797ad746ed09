"""The private conversation with a comment's author: the call-in, the moderators'
follow-ups, the author's answers, and pausing the comment's visibility meanwhile."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from threads import posting

from .. import submissions
from ..audit import record
from ..models import Case, Message
from ..notify import schedule as email_author
from .cases import Refused, clean_text, lock_case, lock_comment, save_case, touch_case


def set_visibility_paused(actor, comment, paused, case=None, reason=""):
    """Pause (or restore) a locked comment's visibility; nothing happens when it already is."""
    if comment.visibility_paused == paused:
        return
    comment.visibility_paused = paused
    comment.save(update_fields=["visibility_paused"])
    record(
        actor,
        "visibility_paused" if paused else "visibility_restored",
        case=case,
        comment=comment,
        before={"visibility_paused": not paused},
        after={"visibility_paused": paused},
        reason=reason,
    )


def deadline(case):
    return timezone.now() + timedelta(hours=case.essay.call_in_hours)


def _write_to_author(actor, case, kind, body, action, **changes):
    """A moderator's message on a locked case; the case then waits for the author.

    A call-in recorded on an imported comment before those were refused has no
    author to wait for: a follow-up there is recorded and the case stays with the
    moderators.
    """
    message = Message.objects.create(
        case=case, kind=kind, sender=actor, body=body, created=timezone.now()
    )
    email_author(message)  # after the commit (moderation.notify)
    before = {"state": case.state}
    has_author = bool(case.comment.author_id)
    state = Case.State.WAITING if has_author else case.state
    save_case(
        case,
        state=state,
        no_answer=False,
        call_in_deadline=deadline(case) if has_author else None,
        **changes,
    )
    record(actor, action, case=case, before=before, after={"state": state})
    return message


NO_ACCOUNT = (
    "This comment's author has no account here (it was imported), so a call-in could not "
    "reach them. Add a public context note under the comment instead."
)


def call_in(actor, case, body, pause_visibility=False, version=None):
    """Send the author a private call-in; the case then waits for them.

    Refused for an imported comment: its author has no account, so nobody would read it.
    """
    body = clean_text(body, "the call-in message")
    with transaction.atomic():
        case = lock_case(case, version)
        comment = lock_comment(case.comment)
        if not comment.author_id:
            raise Refused(NO_ACCOUNT)
        message = _write_to_author(
            actor,
            case,
            Message.Kind.CALL_IN,
            body,
            "call_in_sent",
            claimed_by=case.claimed_by or actor,
            claimed_at=case.claimed_at or timezone.now(),
        )
        if pause_visibility:
            set_visibility_paused(actor, comment, True, case, "paused while we talk")
        return message


def message_author(actor, case, body, version=None):
    """A moderator's follow-up in the private conversation."""
    body = clean_text(body)
    with transaction.atomic():
        case = lock_case(case, version)
        if not case.messages.filter(kind=Message.Kind.CALL_IN).exists():
            raise Refused("Start the conversation with a call-in first.")
        return _write_to_author(actor, case, Message.Kind.MODERATOR, body, "message_sent")


def _author_case(user, case):
    case = lock_case(case, states=(Case.State.WAITING, Case.State.ANSWERED, Case.State.OPEN))
    if case.comment.author_id is None or case.comment.author_id != user.pk:
        raise Refused("This conversation is not yours.")
    if not case.messages.filter(kind=Message.Kind.CALL_IN).exists():
        raise Refused("There is no call-in to answer on this comment.")
    return case


def _author_answered(user, case, kind, action, body="", revision=None):
    message = Message.objects.create(
        case=case, kind=kind, sender=user, body=body, revision=revision, created=timezone.now()
    )
    before = {"state": case.state}
    save_case(case, state=Case.State.ANSWERED, call_in_deadline=None, no_answer=False)
    record(user, action, case=case, before=before, after={"state": Case.State.ANSWERED})
    return message


def author_reply(user, case, body):
    body = clean_text(body)
    with transaction.atomic():
        case = _author_case(user, case)
        return _author_answered(user, case, Message.Kind.AUTHOR, "author_replied", body)


def author_revise(user, case, body):
    """The author revises the comment from their inbox; moderators see a diff.

    The revision takes the path of every edit (``submissions.comment_submit``):
    the ladder, watched words and the heat case apply to it too.
    """
    with transaction.atomic():
        case = _author_case(user, case)
        before = case.comment.body
        comment = submissions.comment_submit(
            user=user, essay=case.essay, body=body, comment=case.comment
        )
        if comment.body == before:
            raise Refused("The text is unchanged; edit it before saving.")
        revision = comment.revisions.order_by("-edited_at", "-id").first()
        return _author_answered(
            user, case, Message.Kind.REVISED, "author_revised", revision=revision
        )


def author_withdraw(user, case):
    with transaction.atomic():
        case = _author_case(user, case)
        if case.messages.filter(kind=Message.Kind.WITHDRAWN).exists():
            # A second click (or a second tab) must not tell the moderators twice.
            raise Refused("You have already withdrawn this comment; the moderators were told.")
        posting.withdraw_comment(case.comment, user)
        return _author_answered(user, case, Message.Kind.WITHDRAWN, "author_withdrew")


def pause_visibility(actor, case, version=None):
    with transaction.atomic():
        case = lock_case(case, version)
        set_visibility_paused(actor, lock_comment(case.comment), True, case)
        return save_case(case)


def restore_visibility(actor, comment, case=None):
    with transaction.atomic():
        comment = lock_comment(comment)
        if not comment.visibility_paused:
            raise Refused("This comment is already shown.")
        set_visibility_paused(actor, comment, False, case)
        touch_case(case)
        return comment
