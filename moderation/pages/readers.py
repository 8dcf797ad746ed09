"""Reader pages: the essays, a thread with its context notes, placeholders and cool-down
notices, a comment's page, replying, editing and withdrawing, flagging, and the inbox
where an author reads and answers call-ins.

A reader's new or edited comment goes through one function,
``moderation.submissions.comment_submit``; whatever refuses it raises ``Refused``,
which the page shows on the form.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from threads import posting
from threads import queries as thread_queries
from threads.errors import Refused
from threads.forms import CommentForm, RepliesPageForm, blank_comment_fields
from threads.inputs import first_error
from threads.models import Comment, Essay
from threads.thread_html import SignedInReader, comment_list_html, shown_alike

from .. import appeal_queries, nudges, page_cache, queries, ratelimits, workflow
from ..models import Message, Reason, Sanction
from ..submissions import comment_submit


def space_version(slug):
    found = thread_queries.space_version(slug)
    if found is None:
        raise Http404("No such discussion.")
    return found


@page_cache.anonymous_page(lambda: (page_cache.SITE, thread_queries.site_version()))
def essay_list(request):
    return render(
        request, "threads/essay_list.html", {"essays": thread_queries.essays_with_counts()}
    )


def thread_data(slug, number):
    """What a thread page shows whoever reads it, and when it changes by itself."""
    essay = get_object_or_404(Essay, slug=slug)
    page = thread_queries.thread_page(essay, number)
    queries.with_context_notes(page.comments)
    prompts, featured = thread_queries.pinned(essay)
    changes_at = thread_queries.page_changes_at(essay, page.comments, timezone.now())
    # The list as most signed-in readers see it, made once per version (thread_html.SignedInReader).
    kept_list = comment_list_html(page.comments, essay, SignedInReader(), fold_tail=page.fold_tail)
    return (essay, page, prompts, featured, changes_at, kept_list), changes_at


@page_cache.anonymous_page(space_version)
def essay_detail(request, slug):
    # Kept under the space's version: a signed-in reader's page skips the thread's queries.
    essay, page, prompts, featured, changes_at, kept_list = page_cache.kept_data(
        request, lambda: space_version(slug), lambda: thread_data(slug, request.GET.get("page"))
    )
    user = request.user
    if not (user.is_authenticated and shown_alike(page.comments, user)):
        kept_list = ""  # made for this reader (thread_html.SignedInReader)
    ctx = {
        "kept_list": kept_list,
        "essay": essay,
        "page": page,
        "comments": page.comments,
        "fold_tail": page.fold_tail,
        "prompts": prompts,
        "featured": featured,
        "comment_fields": blank_comment_fields(),
    }
    response = render(request, "threads/essay_detail.html", ctx)
    response.changes_at = changes_at
    return response


def comment_detail(request, slug, pk):
    comment, ancestors, replies = thread_queries.comment_in_context(slug, pk)
    queries.with_context_notes([*ancestors, comment, *replies])
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
    form = RepliesPageForm(request.GET)
    after = form.cleaned_data["after"] if form.is_valid() else None
    if form.errors:
        messages.error(request, first_error(form))
    replies = thread_queries.subthread(comment, after)
    queries.with_context_notes(replies)
    ctx = {"essay": comment.essay, "comment": comment, "replies": replies}
    return render(request, "threads/comment_replies.html", ctx, status=400 if form.errors else 200)


def in_thread(request, slug, pk):
    """Redirect to the thread page that shows the comment (or to its own page)."""
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk, essay__slug=slug)
    return redirect(thread_queries.thread_url(comment))


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
        nudge = nudges.check_reply(
            essay, request.user, body, request.POST.get("nudge"), "post_anyway" in request.POST
        )
        if nudge.show:
            form.fields["body"].widget.attrs["autofocus"] = True
            return render(request, "threads/reply.html", reply_context(essay, parent, form, nudge))
        try:
            comment = comment_submit(user=request.user, essay=essay, body=body, parent=parent)
        except Refused as exc:
            form.add_error("body", str(exc))
        else:
            nudge.posted()
            if comment.status == Comment.Status.PENDING:
                messages.info(request, "Thank you. Your comment is waiting for a moderator.")
            else:
                messages.success(request, "Your comment is posted.")
            return redirect(thread_queries.thread_url(comment))
    status = 400 if request.method == "POST" else 200
    ctx = reply_context(essay, parent, form, nudge)
    return render(request, "threads/reply.html", ctx, status=status)


def reply_context(essay, parent, form, nudge):
    # "resting": until when a pause on the parent or above it keeps this subthread quiet.
    resting = parent.replies_rest_until() if parent else None
    return {"essay": essay, "parent": parent, "form": form, "nudge": nudge, "resting": resting}


def authors_only(verb):
    """Give the view the comment of the URL; anyone but its author gets a 403 page saying
    only its author can ``verb`` it."""

    def decorate(view):
        @wraps(view)
        def for_the_author(request, slug, pk):
            comment = get_object_or_404(
                Comment.objects.select_related("essay"), pk=pk, essay__slug=slug
            )
            if comment.author_id != request.user.pk:
                reason = f"Only its author can {verb} a comment."
                return render(request, "403.html", {"reason": reason}, status=403)
            return view(request, comment)

        return for_the_author

    return decorate


@login_required
@require_http_methods(["GET", "POST"])
@authors_only("edit")
def edit(request, comment):
    form = CommentForm(
        request.POST if request.method == "POST" else None, initial={"body": comment.body}
    )
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        try:
            comment = comment_submit(
                user=request.user, essay=comment.essay, body=body, comment=comment
            )
        except Refused as exc:
            form.add_error("body", str(exc))
        else:
            if comment.status == Comment.Status.PENDING:
                messages.info(request, "Your comment is updated and waits for a moderator.")
            else:
                messages.success(request, "Your comment is updated.")
            return redirect(thread_queries.thread_url(comment))
    status = 400 if request.method == "POST" else 200
    ctx = {"essay": comment.essay, "comment": comment, "form": form}
    return render(request, "threads/edit.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@authors_only("withdraw")
def withdraw(request, comment):
    if request.method == "POST":
        posting.withdraw_comment(comment, request.user)
        messages.success(request, "Your comment is withdrawn. Replies to it stay in the thread.")
        return redirect(thread_queries.thread_url(comment))
    return render(request, "threads/withdraw.html", {"essay": comment.essay, "comment": comment})


@login_required
@require_http_methods(["GET", "POST"])
@ratelimits.limit_flags
def flag(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk)
    error = None
    if request.method == "POST":
        try:
            workflow.flag_comment(
                request.user, comment, request.POST.get("reason", ""), request.POST.get("note")
            )
        except Refused as exc:
            error = str(exc)
        else:
            messages.success(
                request, "Thank you. The moderators will look at it; your flag stays private."
            )
            return redirect(f"{comment.essay.get_absolute_url()}#c{comment.pk}")
    ctx = {
        "comment": comment,
        "essay": comment.essay,
        "reasons": Reason.choices,
        "error": error,
        "chosen": request.POST.get("reason", ""),
        "note": request.POST.get("note", ""),
    }
    return render(request, "moderation/flag.html", ctx, status=400 if error else 200)


@login_required
def inbox(request):
    notices = queries.notices(request.user)
    ctx = {
        "cases": queries.inbox(request.user),
        "warnings": queries.warnings_to_acknowledge(request.user),
        "notices": notices,
        "appealable": appeal_queries.appealable(request.user),
        "appeals": appeal_queries.appeals_of(request.user),
    }
    response = render(request, "inbox/list.html", ctx)
    request.user.notices.filter(pk__in=[n.pk for n in notices], seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
    return response


@login_required
@require_POST
def acknowledge_warning(request, pk):
    warning = get_object_or_404(Sanction, pk=pk, user=request.user, kind=Sanction.Kind.WARNING)
    workflow.acknowledge_warning(request.user, warning)
    messages.success(request, "Thank you for reading it. You can post again.")
    return redirect("moderation:inbox")


@login_required
def inbox_case(request, pk):
    case, conversation = queries.inbox_case(request.user, pk)
    Message.objects.filter(case=case, kind__in=Message.TO_AUTHOR, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    ctx = {"case": case, "comment": case.comment, "conversation": conversation}
    return render(request, "inbox/case.html", ctx)


def answer(request, case):
    workflow.author_reply(request.user, case, request.POST.get("body"))


def revise(request, case):
    workflow.author_revise(request.user, case, request.POST.get("body"))


def withdraw_from_inbox(request, case):
    workflow.author_withdraw(request.user, case)


# action name in the URL -> (message on success, the author's action)
INBOX_ACTIONS = {
    "reply": ("Your answer is sent to the moderators.", answer),
    "revise": ("Your comment is revised; the moderators are told.", revise),
    "withdraw": ("Your comment is withdrawn; the moderators are told.", withdraw_from_inbox),
}


@login_required
@require_POST
def inbox_action(request, pk, action):
    if action not in INBOX_ACTIONS:
        raise Http404("No such action.")
    case, _ = queries.inbox_case(request.user, pk)
    done, run = INBOX_ACTIONS[action]
    try:
        run(request, case)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("moderation:inbox_case", pk)
