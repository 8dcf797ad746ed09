"""The reader's comment form; organizer forms live in ``moderation.space_forms``."""

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


class RepliesPageForm(forms.Form):
    """A subthread page's query string: the replies past tree position ``after`` (the lft
    a "more replies" link carries)."""

    after = IdField(label="Replies after", what="place in the thread", required=False)
