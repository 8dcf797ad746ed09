"""Writing comments: posting, editing and withdrawing.

MPTT computes ``tree_id`` and shifts ``lft``/``rght`` in Python, so two writers
inserting into the same tree at once could corrupt it.  Every insert runs in a
transaction that first takes a lock: on PostgreSQL an advisory lock per tree (a
reply touches only its own top-level tree) or one for "new trees"; on SQLite the
transaction itself takes the database write lock when it begins (see
``transaction_mode`` in settings).
"""

from django.db import connection, transaction
from django.utils import timezone

import heat

from . import scoring
from .durations import wait_words
from .errors import Refused
from .models import MAX_COMMENT_LENGTH, MAX_LEVEL, Comment, CommentRevision

# First key of the two-key advisory locks callin takes (an arbitrary constant).
TREE_LOCK_NAMESPACE = 7_340_001
NEW_TREE_LOCK = 0


def lock_tree(tree_id=NEW_TREE_LOCK):
    """Hold the lock for one comment tree until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [TREE_LOCK_NAMESPACE, tree_id])


def clean_body(body):
    body = (body or "").strip()
    if not body:
        raise Refused("Write something before posting.")
    if len(body) > MAX_COMMENT_LENGTH:
        raise Refused(
            f"A comment can be at most {MAX_COMMENT_LENGTH:,} characters "
            f"(this one has {len(body):,})."
        )
    if "\x00" in body:  # PostgreSQL cannot store it; no keyboard types it
        raise Refused("Your comment contains a NUL character; please remove it.")
    return body


def insert_comment(comment, parent=None):
    """Insert an unsaved comment under ``parent`` (or as a new tree) under the lock.

    Must run inside ``transaction.atomic``.  Returns the saved comment.
    """
    if parent is None:
        lock_tree(NEW_TREE_LOCK)
    else:
        lock_tree(parent.tree_id)
        # Positions read before the lock may be stale: read them again.
        parent = Comment.objects.get(pk=parent.pk)
        if parent.level >= MAX_LEVEL:
            parent = Comment.objects.get(pk=parent.parent_id)
    comment.parent = parent
    comment.save()
    return comment


def check_pace(essay, author, parent, now):
    """Refuse a reader's comment during a cool-down or faster than slow mode allows."""
    if not essay.is_open:
        raise Refused("This discussion is closed to new comments.")
    resting = parent.replies_rest_until(now) if parent is not None else None
    if resting:  # a pause on the parent or on any comment above it
        until = timezone.localtime(resting)
        raise Refused(
            f"Replies here are resting until {until:%b %-d, %H:%M} to give everyone a moment. "
            "You can still reply elsewhere in the discussion."
        )
    if essay.slow_mode_active(now):
        last = (
            Comment.objects.filter(essay=essay, author=author)
            .order_by("-created")
            .values_list("created", flat=True)
            .first()
        )
        if last is not None:
            wait = essay.slow_mode_seconds - int((now - last).total_seconds())
            if wait > 0:
                raise Refused(
                    "This discussion is in slow mode, so there is a pause between one person's "
                    f"comments. You can post again in {wait_words(wait)}."
                )


def post_comment(
    essay,
    author,
    body,
    parent=None,
    kind=Comment.Kind.COMMENT,
    author_name="",
    status=Comment.Status.VISIBLE,
):
    """Post a comment (or a reply to ``parent``) by a signed-in user.

    Prompts and bridging notes (posted by organizers and moderators) skip the
    checks on pace and on closed discussions.  Its heat is scored here; what a
    heated comment leads to (a nudge, a case) is the moderation layer's business.
    """
    body = clean_body(body)
    now = timezone.now()
    if parent is not None:
        if parent.essay_id != essay.pk:
            raise Refused("That comment belongs to another discussion.")
        if not parent.is_visible:
            raise Refused("That comment is no longer shown, so it takes no new replies.")
    if kind == Comment.Kind.COMMENT:
        check_pace(essay, author, parent, now)
    comment = Comment(
        essay=essay,
        author=author,
        author_name=author_name or author.get_full_name() or author.get_username(),
        body=body,
        kind=kind,
        status=status,
        created=now,
    )
    scoring.comment_heat_set(comment)  # heat and its signals, scored before the lock is taken
    with transaction.atomic():
        return insert_comment(comment, parent)


def edit_comment(comment, user, body):
    """Change a comment's text, keeping the previous text as a revision."""
    body = clean_body(body)
    scored = heat.score_text(body) if scoring.heat_scoring_on() else None
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.author_id != user.pk:
            raise Refused("Only its author can edit a comment.")
        if comment.status == Comment.Status.WITHDRAWN:
            raise Refused("A withdrawn comment cannot be edited.")
        if body != comment.body:
            _replace_text(comment, body, user, scored)
        return comment


def comment_text_correct(*, comment, body, editor):
    """Someone other than the author (an admin) corrects a comment's text, withdrawn or
    not; the previous text is kept as a revision.  Returns (comment, previous text)."""
    body = clean_body(body)
    scored = heat.score_text(body) if scoring.heat_scoring_on() else None
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        before = comment.body
        if body != before:
            _replace_text(comment, body, editor, scored)
        return comment, before


def _replace_text(comment, body, editor, scored):
    """Keep the current text as a revision and put ``body`` in its place (comment locked)."""
    now = timezone.now()
    CommentRevision.objects.create(
        comment=comment, body=comment.body, edited_by=editor, edited_at=now
    )
    comment.body = body
    comment.edited = now
    if scored is not None:
        comment.heat, comment.heat_signals = scored
    comment.save(update_fields=["body", "edited", "heat", "heat_signals"])


def withdraw_comment(comment, user):
    """Withdraw one's own comment: its text is no longer shown, its replies stay."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.author_id != user.pk:
            raise Refused("Only its author can withdraw a comment.")
        if comment.status == Comment.Status.WITHDRAWN:
            return comment
        comment.status = Comment.Status.WITHDRAWN
        comment.save(update_fields=["status"])
        return comment
