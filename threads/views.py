from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from moderation import heat, ratelimits, screening, workflow

from . import posting, queries
from .forms import CommentForm
from .models import Comment, Essay
from .thread_html import whole_thread_html


def essay_list(request):
    return render(request, "threads/essay_list.html", {"essays": queries.essays_with_counts()})


def essay_detail(request, slug):
    essay = get_object_or_404(Essay, slug=slug)
    page = queries.thread_page(essay, request.GET.get("page"))
    prompts, featured = queries.pinned(essay)
    ctx = {
        "essay": essay,
        "page": page,
        "comments": page.comments,
        "fold_tail": page.fold_tail,
        "prompts": prompts,
        "featured": featured,
        "form": CommentForm(),
    }
    return render(request, "threads/essay_detail.html", ctx)


def comment_detail(request, slug, pk):
    comment, ancestors, replies = queries.comment_in_context(slug, pk)
    comment.indent = 0
    ctx = {
        "essay": comment.essay,
        "comment": comment,
        "comment_as_list": [comment],
        "ancestors": ancestors,
        "replies": replies,
        "reply_count": (comment.rght - comment.lft - 1) // 2,
    }
    return render(request, "threads/comment_detail.html", ctx)


def comment_replies(request, slug, pk):
    """A subthread on its own page: where "more replies" links lead."""
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk, essay__slug=slug)
    after = request.GET.get("after", "")
    replies = queries.subthread(comment, int(after) if after.isdigit() else None)
    queries.with_context_notes(replies)
    ctx = {"essay": comment.essay, "comment": comment, "replies": replies}
    return render(request, "threads/comment_replies.html", ctx)


def in_thread(request, slug, pk):
    """Redirect to the thread page that shows the comment (or to its own page)."""
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk, essay__slug=slug)
    return redirect(queries.thread_url(comment))


@login_required
@permission_required("moderation.moderate_case", raise_exception=True)
def whole_thread(request, slug):
    """The whole thread on one page, for moderators: one pass, linear in its size."""
    essay = get_object_or_404(Essay, slug=slug)
    comments, _ = queries.thread(essay)
    ctx = {"essay": essay, "count": len(comments), "thread": whole_thread_html(essay, comments)}
    return render(request, "threads/whole_thread.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
@ratelimits.limit_replies
def reply(request, slug, pk=None):
    essay = get_object_or_404(Essay, slug=slug)
    parent = get_object_or_404(Comment, pk=pk, essay=essay) if pk else None
    form = CommentForm(request.POST if request.method == "POST" else None)
    nudge = None
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        # A heated reply first comes back with a calm prompt (never a block).
        nudge = heat.check_reply(
            essay, request.user, body, request.POST.get("nudge"), "post_anyway" in request.POST
        )
        if nudge.show:
            form.fields["body"].widget.attrs["autofocus"] = True
            ctx = {"essay": essay, "parent": parent, "form": form, "nudge": nudge}
            return render(request, "threads/reply.html", ctx)
        try:
            comment = screening.post_reader_comment(essay, request.user, body, parent)
        except posting.PostingError as exc:
            form.add_error("body", str(exc))
        else:
            nudge.posted()
            if comment.status == Comment.Status.PENDING:
                messages.info(request, "Thank you. Your comment is waiting for a moderator.")
            else:
                messages.success(request, "Your comment is posted.")
            return redirect(queries.thread_url(comment))
    status = 400 if request.method == "POST" else 200
    ctx = {"essay": essay, "parent": parent, "form": form, "nudge": nudge}
    return render(request, "threads/reply.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug, pk):
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk, essay__slug=slug)
    if comment.author_id != request.user.pk:
        return render(
            request, "403.html", {"reason": "Only its author can edit a comment."}, status=403
        )
    form = CommentForm(
        request.POST if request.method == "POST" else None, initial={"body": comment.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.edit_own_comment(request.user, comment, form.cleaned_data["body"])
        except workflow.Refused as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, "Your comment is updated.")
            return redirect(queries.thread_url(comment))
    status = 400 if request.method == "POST" else 200
    ctx = {"essay": comment.essay, "comment": comment, "form": form}
    return render(request, "threads/edit.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, slug, pk):
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk, essay__slug=slug)
    if comment.author_id != request.user.pk:
        return render(
            request, "403.html", {"reason": "Only its author can withdraw a comment."}, status=403
        )
    if request.method == "POST":
        posting.withdraw_comment(comment, request.user)
        messages.success(request, "Your comment is withdrawn. Replies to it stay in the thread.")
        return redirect(queries.thread_url(comment))
    return render(request, "threads/withdraw.html", {"essay": comment.essay, "comment": comment})
