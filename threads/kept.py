"""A space's counts and page version, kept on write in the writer's own transaction.

Every write of a comment or an essay goes through ``Model.save`` (posting, the
moderation workflow, the organizers' pages and the admin alike), so a ``post_save``
receiver here is the one place the threads layer needs: a new comment adds to the
counts with ``F()`` (no read, no race), a change of status recounts from index
entries only (``queries.thread_counts``), and any change bumps ``Essay.version``,
which keys the cached pages and their ETags.  Bulk inserts (importing) call
``space_counts_refresh`` once at the end.  The moderation layer bumps the version for
what it writes itself (context notes: ``moderation.page_cache``).  Once the writer's
transaction commits, ``space_changed`` tells the page cache, which keeps a copy of the
versions in Redis so that a cached page is served without asking the database.

The tick's ``QuerySet.update`` calls that end cool-downs, folds and slow modes need no
bump: pages already treat an ended one as ended, and a cached page lives no longer
than the first such end it shows (``queries.page_changes_at``).
"""

from functools import partial

from django.db import transaction
from django.db.models import ExpressionWrapper, F, IntegerField
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from .models import Comment, Essay
from .queries import count_expressions

# Sent (with ``essay_id``) after the transaction that changed a space's pages or the list
# of spaces has committed.
space_changed = Signal()


def space_changed_on_commit(essay_id):
    transaction.on_commit(partial(space_changed.send, sender=Essay, essay_id=essay_id))


def space_touch(*, essay_id, **changes):
    """Bump the space's page version (and apply ``changes``, F() expressions)."""
    Essay.objects.filter(pk=essay_id).update(version=F("version") + 1, **changes)
    space_changed_on_commit(essay_id)


def space_counts_refresh(*, essay_id):
    """Recount the space's comments in one UPDATE (index entries only) and bump its version."""
    counts = count_expressions(essay_id)
    visible = ExpressionWrapper(counts["size"] / 2 - counts["unseen"], IntegerField())
    space_touch(essay_id=essay_id, comment_count=visible, top_level_count=counts["top_level"])


def comment_saved(sender, instance, created, raw, update_fields, **kwargs):
    if raw or (not created and (update_fields is None or "status" in update_fields)):
        space_counts_refresh(essay_id=instance.essay_id)
    elif created:
        space_touch(
            essay_id=instance.essay_id,
            comment_count=F("comment_count") + int(instance.status == Comment.Status.VISIBLE),
            top_level_count=F("top_level_count") + int(instance.parent_id is None),
        )
    else:
        space_touch(essay_id=instance.essay_id)


def essay_saved(sender, instance, created, raw, **kwargs):
    if raw:  # loaddata writes every field, the kept ones too
        space_counts_refresh(essay_id=instance.pk)
    elif not created:
        space_touch(essay_id=instance.pk)
    else:  # a new space on the list
        space_changed_on_commit(instance.pk)


def essay_deleted(sender, instance, **kwargs):
    space_changed_on_commit(instance.pk)


def connect():
    post_save.connect(comment_saved, sender=Comment, dispatch_uid="threads.kept.comment")
    post_save.connect(essay_saved, sender=Essay, dispatch_uid="threads.kept.essay")
    post_delete.connect(essay_deleted, sender=Essay, dispatch_uid="threads.kept.essay_deleted")
