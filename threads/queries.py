"""Queries the public pages need, each a fixed number of queries."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Comment, Essay

# Indentation stops growing past this level so deep threads stay readable.
MAX_INDENT = 8


def essays_with_counts():
    visible = Q(comments__status=Comment.Status.VISIBLE)
    return Essay.objects.annotate(comment_count=Count("comments", filter=visible))


def with_indent(comments):
    for comment in comments:
        comment.indent = min(comment.level, MAX_INDENT)
    return comments


def with_context_notes(comments):
    """Attach each comment's public context notes (one query)."""
    from moderation.models import Annotation  # moderation builds on threads, not the reverse

    notes = {}
    live = Annotation.objects.filter(
        comment__in=[c.pk for c in comments],
        kind=Annotation.Kind.CONTEXT,
        retracted_at__isnull=True,
    ).order_by("created", "id")
    for note in live:
        notes.setdefault(note.comment_id, []).append(note)
    for comment in comments:
        comment.context_notes = notes.get(comment.pk, ())
    return comments


def mark_folds(comments, now):
    """Mark where collapsed subthreads start and end in a flat, ordered list.

    A collapsed comment stays in view; its descendants (the comments after it
    with the same tree_id and a smaller lft than its rght) are folded behind a
    notice.  Sets ``opens_fold`` and ``closes_folds`` (how many folds end just
    before this comment) and returns how many are still open after the last one.
    """
    open_folds = []  # (tree_id, rght) of the collapsed comments we are inside
    for comment in comments:
        closes = 0
        while open_folds and not (
            comment.tree_id == open_folds[-1][0] and comment.lft < open_folds[-1][1]
        ):
            open_folds.pop()
            closes += 1
        comment.closes_folds = range(closes)
        comment.opens_fold = comment.is_collapsed(now) and comment.rght - comment.lft > 1
        if comment.opens_fold:
            open_folds.append((comment.tree_id, comment.rght))
    return range(len(open_folds))


def thread(essay):
    """Every comment of ``essay`` in display order: two queries, linear time.

    Ordering by (tree_id, lft) is a depth-first walk of each top-level tree,
    oldest tree first; templates render it as a flat list indented by level,
    so no per-node parent lookup or template recursion is needed.
    Returns (comments, number of folds left open at the end).
    """
    comments = list(Comment.objects.filter(essay=essay).order_by("tree_id", "lft"))
    with_context_notes(with_indent(comments))
    return comments, mark_folds(comments, timezone.now())


def featured(essay):
    """Comments moderators or organizers chose to show at the top of the thread."""
    return list(
        Comment.objects.filter(
            essay=essay,
            featured_at__isnull=False,
            status=Comment.Status.VISIBLE,
            visibility_paused=False,
        ).order_by("-featured_at")
    )


def comment_in_context(slug, pk):
    """A comment with its essay, its ancestors and its replies (four queries)."""
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk, essay__slug=slug)
    ancestors = with_indent(list(comment.get_ancestors()))
    replies = with_indent(list(comment.get_descendants()))
    with_context_notes([*ancestors, comment, *replies])
    return comment, ancestors, replies
