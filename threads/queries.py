"""Queries the public pages need, each a fixed number of queries."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

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


def thread(essay):
    """Every comment of ``essay`` in display order: one query, linear time.

    Ordering by (tree_id, lft) is a depth-first walk of each top-level tree,
    oldest tree first; templates render it as a flat list indented by level,
    so no per-node parent lookup or template recursion is needed.
    """
    comments = Comment.objects.filter(essay=essay).order_by("tree_id", "lft")
    return with_indent(list(comments))


def comment_in_context(slug, pk):
    """A comment with its essay, its ancestors and its replies (three queries)."""
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk, essay__slug=slug)
    ancestors = with_indent(list(comment.get_ancestors()))
    replies = with_indent(list(comment.get_descendants()))
    return comment, ancestors, replies
