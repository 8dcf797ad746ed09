"""Queries the public pages need, each a fixed number of queries."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Count,
    Max,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Comment, Essay

# Indentation stops growing past this level so deep threads stay readable.
MAX_INDENT = 8

# The essay page shows this many top-level comments with their replies, and at
# most PAGE_BUDGET comments in all, so its cost does not depend on the thread's
# size; a subthread cut short ends in "more replies" links.
TOP_LEVEL_PER_PAGE = 20
PAGE_BUDGET = 500


def essays_with_counts():
    """Essays with ``comment_count``, their visible comments (kept on write: threads.kept)."""
    return Essay.objects.all()


def space_version(slug):
    """(pk, version) of the space at ``slug``, or None: one query on the slug's index."""
    return Essay.objects.filter(slug=slug).values_list("pk", "version").first()


def site_version():
    """A value that changes whenever any space's pages or the list of spaces change."""
    found = Essay.objects.aggregate(
        versions=Coalesce(Sum("version"), 0), spaces=Count("*"), last=Coalesce(Max("pk"), 0)
    )
    return f"{found['versions']}.{found['spaces']}.{found['last']}"


def page_changes_at(essay, comments, now):
    """When the page of ``comments`` changes by itself (a fold, a reply pause or the slow
    mode ending), or None: a cached copy must not outlive it."""
    times = [essay.slow_mode_until] if essay.slow_mode_active(now) else []
    for comment in comments:
        times += [comment.replies_paused_until, getattr(comment, "rest_until", None)]
        if comment.collapsed:
            times.append(comment.collapsed_until)
    return min((t for t in times if t and t > now), default=None)


def with_indent(comments):
    for comment in comments:
        comment.indent = min(comment.level, MAX_INDENT)
    return comments


def mark_folds(comments, now):
    """Mark where the folds of collapsed subthreads open and close in a flat, ordered list.

    A collapsed comment stays in view; its descendants (the comments after it with the
    same tree_id and a smaller lft than its rght) are folded behind a notice, except the
    moderators' bridging notes: the folds around one close before it and open again
    after it, so the note meant to calm the exchange is never folded away.  Sets
    ``closes_folds`` and ``opens_folds`` (how many folds end, then open, just before
    each comment) and returns how many are still open after the last one.
    """
    folds = []  # [tree_id, rght, open now] of the collapsed comments we are inside
    for comment in comments:
        closes = 0
        while folds and not (comment.tree_id == folds[-1][0] and comment.lft < folds[-1][1]):
            closes += folds.pop()[2]
        # Open folds are always the outer ones, so closing or opening them all nests.
        bridge = comment.kind == Comment.Kind.BRIDGE
        changing = [fold for fold in folds if fold[2] == bridge]
        for fold in changing:
            fold[2] = not bridge
        comment.closes_folds = range(closes + (len(changing) if bridge else 0))
        comment.opens_folds = range(0 if bridge else len(changing))
        if comment.is_collapsed(now) and comment.rght - comment.lft > 1:
            folds.append([comment.tree_id, comment.rght, False])
    return range(sum(fold[2] for fold in folds))


def mark_reply_rests(comments, now, above=()):
    """Set ``rest_until`` on each of ``comments``: until when replies under it rest (the
    latest pause in force on it or on an ancestor; a pause covers its whole subthread),
    or None.  No query.

    ``comments`` is a depth-first run of one or more trees, so each one's ancestors come
    before it, except those above the run's start: pass the paused ones as ``above``
    (``paused_above``), in thread order.
    """
    chain = []  # (tree_id, rght, rest_until) of the comments we are inside
    for comment in [*above, *comments]:
        while chain and not (comment.tree_id == chain[-1][0] and comment.lft < chain[-1][1]):
            chain.pop()
        rests = [chain[-1][2]] if chain else []
        if comment.replies_paused(now):
            rests.append(comment.replies_paused_until)
        comment.rest_until = max((r for r in rests if r), default=None)
        chain.append((comment.tree_id, comment.rght, comment.rest_until))
    return comments


def paused_above(first, now):
    """The comments above ``first`` (its ancestors) whose reply pause is in force: one query."""
    return Comment.objects.filter(
        essay=first.essay_id,
        tree_id=first.tree_id,
        lft__lt=first.lft,
        rght__gt=first.rght,
        replies_paused_until__gt=now,
    ).order_by("lft")


def thread(essay):
    """Every comment of ``essay`` in display order: one query, linear time.

    Ordering by (tree_id, lft) is a depth-first walk of each top-level tree,
    oldest tree first; pages write it in one pass as nested lists
    (``threads.nested_lists``), so no per-node parent lookup or template recursion
    is needed.  The essay
    page shows it a page at a time (``thread_page``); moderators can read it
    whole.  Returns (comments, number of folds left open at the end).
    """
    comments = list(Comment.objects.filter(essay=essay).order_by("tree_id", "lft"))
    with_indent(comments)
    now = timezone.now()
    return mark_reply_rests(comments, now), mark_folds(comments, now)


@dataclass
class MoreReplies:
    """Replies under ``comment`` that a page left out: those after lft ``after``."""

    comment: Comment
    after: int | None  # None: all of its replies
    count: int

    @property
    def indent(self):
        return min(self.comment.level + 1, MAX_INDENT)


def mark_more_replies(top, shown):
    """Set ``more_replies`` on the last of ``shown``, a depth-first run of ``top``'s subthread.

    Only the last comment shown and its ancestors can have replies left out
    after it: each gets a link to its replies past the part shown (their
    counts add up to what is missing), deepest first.
    """
    for comment in shown:
        comment.more_replies = ()
    last = shown[-1] if shown else top
    chain = [c for c in shown if c.lft <= last.lft and c.rght >= last.rght]
    if not shown or shown[0].pk != top.pk:  # top's own page lists only its replies
        chain.insert(0, top)
    more, after = [], last.lft
    for comment in reversed(chain):
        count = (comment.rght - after - 1) // 2
        if count:
            more.append(MoreReplies(comment, None if after == comment.lft else after, count))
        after = comment.rght
    last.more_replies = more
    return shown


def share_budget(sizes, budget=PAGE_BUDGET):
    """How many comments of each tree a page shows (max-min fair, at least the root).

    Small trees show whole; what is left is shared evenly among the larger ones.
    """
    shares = [0] * len(sizes)
    left = budget
    for done, index in enumerate(sorted(range(len(sizes)), key=sizes.__getitem__)):
        shares[index] = max(1, min(sizes[index], left // (len(sizes) - done)))
        left -= shares[index]
    return shares


def first_replies(limits):
    """The first ``limit`` replies of each tree in thread order, in one query.

    One ``UNION ALL`` of index range scans on (tree_id, lft), each bounded by
    its LIMIT, so the cost depends on the page, not on the trees' sizes.  The
    part is written once (the ORM would compile a queryset per tree).
    """
    if not limits:
        return []
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in Comment._meta.concrete_fields)
    part = (
        f"SELECT * FROM (SELECT {columns} FROM {quote(Comment._meta.db_table)}"
        f" WHERE {quote('tree_id')} = %s AND {quote('lft')} > 1"
        f" ORDER BY {quote('lft')} LIMIT %s) AS part"
    )
    sql = " UNION ALL ".join(f"{part}{index}" for index in range(len(limits)))
    params = [value for tree_id, limit in limits for value in (tree_id, limit)]
    return list(Comment.objects.raw(f"{sql} ORDER BY {quote('tree_id')}, {quote('lft')}", params))


@dataclass
class ThreadPage:
    """One page of an essay's thread: its top-level comments with their replies."""

    number: int
    num_pages: int
    total: int  # visible comments in the whole thread (what "Discussion (N)" says)
    comments: list
    fold_tail: range

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.num_pages

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1


def page_number(value, num_pages):
    """A page number from the query string; out of range or not a number gives 1 or the last."""
    try:
        return min(max(1, int(value)), num_pages)
    except (TypeError, ValueError):
        return 1


def top_level_page(essay, number):
    """The page's top-level comments and their shares, in one query.

    The offset is walked in the top-level index alone (comment_top_level: tree ids),
    and only the page's rows are read, so a late page costs little more than the first.
    """
    start = (number - 1) * TOP_LEVEL_PER_PAGE
    trees = (
        Comment.objects.filter(essay=essay, parent=None)
        .order_by("tree_id")
        .values("tree_id")[start : start + TOP_LEVEL_PER_PAGE]
    )
    roots = list(Comment.objects.filter(tree_id__in=Subquery(trees), lft=1).order_by("tree_id"))
    return roots, share_budget([(r.rght - r.lft + 1) // 2 for r in roots])


NOT_VISIBLE = [s for s in Comment.Status.values if s != Comment.Status.VISIBLE]


def count_expressions(essay):
    """Scalar subqueries over ``essay``'s comments (a pk):
    top-level comments, the sum of their rght, and comments not visible."""

    def scalar(rows, aggregate):
        column = rows.order_by().values("essay").annotate(value=aggregate).values("value")
        return Coalesce(Subquery(column), 0)

    roots = Comment.objects.filter(essay=essay, parent=None)
    unseen = Comment.objects.filter(essay=essay, status__in=NOT_VISIBLE)
    return {
        "top_level": scalar(roots, Count("*")),  # (not the id: it is in no index)
        "size": scalar(roots, Sum("rght")),
        "unseen": scalar(unseen, Count("*")),
    }


def thread_counts(essay):
    """{"total": visible comments, "top_level": top-level comments} of the thread, in one
    query that reads index entries of the top-level and the not-visible comments only.

    A top-level comment roots its own tree with lft 1, so its rght is twice the tree's
    size and the thread's size is the sum of their rght over two; from it go the comments
    withdrawn, hidden or waiting (index comment_featured).  Pages read the counts kept
    on the essay instead (threads.kept); this recounts them (``verify_counts``).
    """
    counts = Essay.objects.filter(pk=essay.pk).values(**count_expressions(essay.pk)).get()
    return {"total": counts["size"] // 2 - counts["unseen"], "top_level": counts["top_level"]}


def thread_page(essay, number=None):
    """Page ``number`` of the essay's thread in display order: two queries, bounded time
    (the counts are the essay's own, kept on write).

    The moderators' context notes are attached by the page (``moderation.queries``).
    """
    num_pages = max(1, -(-essay.top_level_count // TOP_LEVEL_PER_PAGE))
    number = page_number(number, num_pages)
    roots, shares = top_level_page(essay, number)
    replies = first_replies(
        [(r.tree_id, share - 1) for r, share in zip(roots, shares, strict=True) if share > 1]
    )
    comments, at = [], 0
    for root in roots:
        tree = [root]
        while at < len(replies) and replies[at].tree_id == root.tree_id:
            tree.append(replies[at])
            at += 1
        comments.extend(mark_more_replies(root, tree))
    now = timezone.now()
    mark_reply_rests(with_indent(comments), now)  # each tree's part is a depth-first prefix
    fold_tail = mark_folds(comments, now)
    return ThreadPage(number, num_pages, essay.comment_count, comments, fold_tail)


def place_in_thread(comment):
    """(page number, whether shown there) of a comment on its essay's thread pages.

    Two queries.  A comment's rank in its tree's depth-first order is
    (lft - 1 + level) / 2, so whether the page's budget reaches it needs no count.
    """
    earlier = Comment.objects.filter(
        essay=comment.essay_id, parent=None, tree_id__lt=comment.tree_id
    ).count()
    number = earlier // TOP_LEVEL_PER_PAGE + 1
    roots, shares = top_level_page(comment.essay_id, number)
    share = next(s for r, s in zip(roots, shares, strict=True) if r.tree_id == comment.tree_id)
    return number, (comment.lft - 1 + comment.level) // 2 < share


def thread_url(comment):
    """Where a reader sees ``comment``: its thread page, else its own page (the permalink)."""
    number, shown = place_in_thread(comment)
    if not shown:
        return f"{comment.get_absolute_url()}#c{comment.pk}"
    query = f"?page={number}" if number > 1 else ""
    return f"{comment.essay.get_absolute_url()}{query}#c{comment.pk}"


def subthread(top, after=None, chain=None):
    """Replies under ``top`` in thread order past lft ``after``, PAGE_BUDGET at most, with
    their reply pauses: two queries, or one when the caller passes ``chain`` (top's
    ancestors and top, in order; only with ``after`` None)."""
    start = top.lft if after is None else min(max(after, top.lft), top.rght)
    replies = list(
        Comment.objects.filter(tree_id=top.tree_id, lft__gt=start, lft__lt=top.rght).order_by(
            "lft"
        )[:PAGE_BUDGET]
    )
    now = timezone.now()
    if chain is None:
        chain = paused_above(replies[0], now) if replies else ()
    mark_reply_rests(replies, now, above=chain)
    return mark_more_replies(top, with_indent(replies))


def pinned(essay):
    """(opening prompts, featured comments): shown above the thread, in one query.

    Prompts are posted after the thread exists, so in thread order they would come last.
    Two index range scans joined by UNION ALL (indexes comment_featured and comment_kind):
    one OR over the essay's comments would read the whole thread.
    """
    shown = Comment.objects.filter(
        essay=essay, status=Comment.Status.VISIBLE, visibility_paused=False
    ).order_by()
    chosen = shown.filter(featured_at__isnull=False)
    prompts_only = shown.filter(kind=Comment.Kind.PROMPT, parent=None, featured_at__isnull=True)
    rows = chosen.union(prompts_only, all=True).order_by("-featured_at", "created")
    prompts, featured = [], []
    for comment in rows:
        (prompts if comment.kind == Comment.Kind.PROMPT else featured).append(comment)
    return prompts, featured


def comment_in_context(slug, pk):
    """A comment with its essay, its ancestors and its first replies (three queries)."""
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk, essay__slug=slug)
    ancestors = with_indent(list(comment.get_ancestors()))
    mark_reply_rests([*ancestors, comment], timezone.now())
    replies = subthread(comment, chain=[*ancestors, comment])
    return comment, ancestors, replies
