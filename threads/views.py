from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from moderation import ratelimits, screening, workflow

from . import posting, queries
from .forms import CommentForm
from .models import Comment, Essay


def essay_list(request):
    return render(request, "threads/essay_list.html", {"essays": queries.essays_with_counts()})


def essay_detail(request, slug):
    essay = get_object_or_404(Essay, slug=slug)
    comments, fold_tail = queries.thread(essay)
    ctx = {
        "essay": essay,
        "comments": comments,
        "fold_tail": fold_tail,
        "featured": queries.featured(essay),
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
    }
    return render(request, "threads/comment_detail.html", ctx)


def _thread_anchor(comment):
    return f"{comment.essay.get_absolute_url()}#c{comment.pk}"


@login_required
@require_http_methods(["GET", "POST"])
@ratelimits.limit_replies
def reply(request, slug, pk=None):
    essay = get_object_or_404(Essay, slug=slug)
    parent = get_object_or_404(Comment, pk=pk, essay=essay) if pk else None
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment = screening.post_reader_comment(
                essay, request.user, form.cleaned_data["body"], parent
            )
        except posting.PostingError as exc:
            form.add_error("body", str(exc))
        else:
            if comment.status == Comment.Status.PENDING:
                messages.info(request, "Thank you. Your comment is waiting for a moderator.")
            else:
                messages.success(request, "Your comment is posted.")
            return redirect(_thread_anchor(comment))
    status = 400 if request.method == "POST" else 200
    ctx = {"essay": essay, "parent": parent, "form": form}
    return render(request, "threads/reply.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug, pk):
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk, essay__slug=slug)
    if comment.author_id != request.user.pk:
        return render(
            request, "403.html", {"reason": "Only its author can edit a comment."}, status=403
        )
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            workflow.edit_own_comment(request.user, comment, form.cleaned_data["body"])
        except workflow.Refused as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, "Your comment is updated.")
            return redirect(_thread_anchor(comment))
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
        return redirect(_thread_anchor(comment))
    return render(request, "threads/withdraw.html", {"essay": comment.essay, "comment": comment})
