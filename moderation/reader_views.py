"""What readers and comment authors do: flag a comment, read and answer call-ins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from threads.models import Comment

from . import queries, ratelimits, workflow
from .models import Message, Reason, Sanction


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
        except workflow.Refused as exc:
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


INBOX_ACTIONS = {
    "reply": (
        "Your answer is sent to the moderators.",
        lambda r, c: workflow.author_reply(r.user, c, r.POST.get("body")),
    ),
    "revise": (
        "Your comment is revised; the moderators are told.",
        lambda r, c: workflow.author_revise(r.user, c, r.POST.get("body")),
    ),
    "withdraw": (
        "Your comment is withdrawn; the moderators are told.",
        lambda r, c: workflow.author_withdraw(r.user, c),
    ),
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
    except workflow.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("moderation:inbox_case", pk)
