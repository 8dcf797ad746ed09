"""The reader's comment form; organizer forms live in ``moderation.space_forms``."""

from functools import cache

from django import forms

from .inputs import IdField, TextInput
from .models import MAX_COMMENT_LENGTH


class CommentForm(forms.Form):
    body = TextInput(
        label="Your comment",
        max_length=MAX_COMMENT_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write something before posting."},
    )


@cache
def blank_comment_fields():
    """A blank ``CommentForm``'s fields as ``as_p`` writes them: the same on every thread
    page, for every reader, so written once per process (rendering the form cost a
    signed-in thread page more than its other fields together)."""
    return CommentForm().as_p()


class RepliesPageForm(forms.Form):
    """A subthread page's query string: the replies past tree position ``after`` (the lft
    a "more replies" link carries)."""

    after = IdField(label="Replies after", what="place in the thread", required=False)
