"""What happens to a reader's new comment before and after it is written.

Order: the escalation ladder (a warning to acknowledge, a posting pause, a
suspension) may refuse it; a "block" watched word refuses it with the reason; a
"hold" word or pre-moderation of newcomers keeps it waiting for a moderator; a
"flag" word opens a system case.  None of this removes anything.
"""

from django.db import transaction

from threads import posting
from threads.models import Comment

from . import watched, workflow
from .models import Case


def post_reader_comment(essay, user, body, parent=None):
    """Post a reader's comment through the moderation checks.  Returns the comment."""
    refusal = workflow.posting_refusal(user)
    if refusal:
        raise posting.PostingError(refusal)
    found = watched.matches(body or "", watched.words_for(essay))
    action = watched.strongest(found)
    if action == "block":
        raise posting.PostingError(watched.block_message(found))
    newcomer = essay.premoderate_first and (
        Comment.objects.filter(essay=essay, author=user, status=Comment.Status.VISIBLE).count()
        < essay.premoderate_first
    )
    held = action == "hold" or newcomer
    with transaction.atomic():
        comment = posting.post_comment(
            essay,
            user,
            body,
            parent,
            status=Comment.Status.PENDING if held else Comment.Status.VISIBLE,
        )
        if found:
            origin, why = Case.Origin.WATCHED_WORD, f"watched words: {action}"
        elif newcomer:
            origin, why = Case.Origin.NEWCOMER, "a newcomer's comment waits for approval"
        else:
            return comment
        workflow.open_system_case(comment, origin, why, [w.pattern for w, _ in found])
        if held:
            workflow.notify(
                user,
                "Thank you for your comment. It is waiting for a moderator to look at it, "
                "which usually does not take long; you will be told when it is in the "
                "discussion.",
                comment.get_absolute_url(),
            )
        return comment
