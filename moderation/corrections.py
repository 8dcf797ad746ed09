"""Corrections an admin makes to a comment's text, under the same rules as the pages.

The author's edit (``submissions.comment_submit``) is the usual way a text changes; an
admin correcting one (a name that must go, a broken link) keeps the previous text as
a revision, like an edit, and the change is logged with before and after.
"""

from django.db import transaction

from threads import posting

from .audit import record


def comment_correct(*, actor, comment, body, reason="corrected in the admin"):
    """Put ``body`` in place of the comment's text; returns the comment.

    Raises ``threads.errors.Refused`` (nothing changed) for an empty or too long text.
    """
    with transaction.atomic():
        comment, before = posting.comment_text_correct(comment=comment, body=body, editor=actor)
        if comment.body != before:
            record(
                actor,
                "admin_comment_changed",
                comment=comment,
                before={"body": before},
                after={"body": comment.body},
                reason=reason,
            )
        return comment
