"""One path for a reader's comment, new or edited: screening, the write and its cases.

In order, inside one transaction: the escalation ladder (a warning to acknowledge,
a posting pause, a suspension) may refuse it; a "block" watched word refuses it
with the reason; a "hold" word, or pre-moderation of a newcomer's new comment,
keeps it waiting for a moderator; a "flag" word or a heat above the space's
threshold opens a system case.  An edit is screened for the watched words it
brings in (the text before it was screened already), and it ends an automatic
hold.  Every refusal is a ``Refused`` whose message is meant for the author;
nothing here removes anything.
"""

from django.db import transaction

from threads import posting
from threads.errors import Refused
from threads.models import Comment

from . import heat_cases, watched
from .audit import record
from .models import Case
from .workflow.cases import OPEN_STATES, lock_comment, notify, open_system_case, save_case
from .workflow.ladder import posting_refusal

HELD_NOTICE = (
    "Thank you for your comment. It is waiting for a moderator to look at it, which "
    "usually does not take long; you will be told when it is in the discussion."
)


def comment_submit(*, user, essay, body, parent=None, comment=None):
    """Post ``user``'s new comment on ``essay`` (under ``parent``), or save their edit of
    ``comment``.  Returns the comment; raises ``Refused`` and writes nothing when refused."""
    refusal = posting_refusal(user)
    if refusal:
        raise Refused(refusal)
    with transaction.atomic():
        if comment is None:
            return _post(user, essay, body, parent)
        return _edit(user, comment, body)


def _screen(essay, body, already=""):
    """(watched words found in ``body`` but not in ``already``, the strongest action)."""
    words = list(watched.words_for(essay))  # one query for both texts
    seen = {word.pk for word, _ in watched.matches(already, words)}
    found = [(w, t) for w, t in watched.matches(body or "", words) if w.pk not in seen]
    action = watched.strongest(found)
    if action == "block":
        raise Refused(watched.block_message(found))
    return found, action


def _is_newcomer(essay, user):
    """Whether pre-moderation holds ``user``'s next comment in ``essay``."""
    return bool(essay.premoderate_first) and (
        Comment.objects.filter(essay=essay, author=user, status=Comment.Status.VISIBLE).count()
        < essay.premoderate_first
    )


def _post(user, essay, body, parent):
    found, action = _screen(essay, body)
    newcomer = _is_newcomer(essay, user)
    held = action == "hold" or newcomer
    comment = posting.post_comment(
        essay,
        user,
        body,
        parent,
        status=Comment.Status.PENDING if held else Comment.Status.VISIBLE,
    )
    heat_cases.open_case_if_heated(comment)  # a system case, never a removal
    if found:
        _open_watched_word_case(comment, found, action)
    elif newcomer:
        open_system_case(comment, Case.Origin.NEWCOMER, "a newcomer's comment waits for approval")
    if held:
        notify(user, HELD_NOTICE, comment.get_absolute_url())
    return comment


def _edit(user, comment, body):
    before = lock_comment(comment)
    found, action = _screen(before.essay, body, already=before.body)
    comment = posting.edit_comment(comment, user, body)
    if comment.body == before.body:  # saving the text unchanged is no edit
        return comment
    heat_cases.open_case_if_heated(comment)
    if found:
        case = _open_watched_word_case(comment, found, action)
        if action == "hold" and comment.status == Comment.Status.VISIBLE:
            _hold_again(user, comment, case)
            return comment
    _end_auto_hold(user, comment)
    return comment


def _open_watched_word_case(comment, found, action):
    words = [word.pattern for word, _ in found]
    case, _ = open_system_case(comment, Case.Origin.WATCHED_WORD, f"watched words: {action}", words)
    return case


def _hold_again(user, comment, case):
    """An edit that brings in a "hold" word puts the shown comment back to waiting."""
    comment.status = Comment.Status.PENDING
    comment.save(update_fields=["status"])
    record(
        None,
        "comment_held",
        case=case,
        before={"status": Comment.Status.VISIBLE},
        after={"status": Comment.Status.PENDING},
        reason="the author's edit brought in a watched word that holds comments",
    )
    notify(user, HELD_NOTICE, comment.get_absolute_url())


def _end_auto_hold(user, comment):
    """The author's edit puts an automatically held comment back in view, pending review."""
    case = (
        Case.objects.select_for_update()
        .filter(comment=comment, state__in=OPEN_STATES, auto_held=True)
        .first()
    )
    if case is None or not comment.visibility_paused:
        return
    comment.visibility_paused = False
    comment.save(update_fields=["visibility_paused"])
    save_case(case, state=Case.State.ANSWERED)
    record(
        user,
        "auto_hold_released",
        case=case,
        before={"visibility_paused": True},
        after={"visibility_paused": False, "state": Case.State.ANSWERED},
        reason="the author edited the comment; pending review",
    )
    notify(
        user,
        "Thank you for editing. Your comment is back in view while the moderators review it.",
        comment.get_absolute_url(),
    )
