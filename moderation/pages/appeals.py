"""Appeal pages: the author appeals from the inbox and reads the decision; a moderator
other than the one who acted reads the appeal and decides it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from threads.errors import Refused
from threads.models import Comment

from .. import appeal_queries
from ..appeal_models import APPEAL_DAYS, Appeal
from ..models import Sanction
from ..workflow import appeals
from .cases import moderator_required


def _target(user, kind, target):
    """The comment or sanction named in the URL, only when it is the user's own."""
    if kind == Appeal.Kind.HIDDEN:
        return {"comment": get_object_or_404(Comment, pk=target, author=user)}
    if kind in appeals.SANCTION_KINDS:
        return {"sanction_item": get_object_or_404(Sanction, pk=target, user=user)}
    raise Http404("No such kind of decision.")


@login_required
@require_http_methods(["GET", "POST"])
def appeal_new(request, kind, target):
    """The appeal form: what was decided and why, and the author's own words."""
    found = _target(request.user, kind, target)
    item = appeal_queries.appealable_one(request.user, kind, target)
    error, body = "", ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            appeal = appeals.appeal_open(user=request.user, kind=kind, body=body, **found)
        except Refused as exc:
            error = str(exc)
        else:
            messages.success(request, "Your appeal is sent. You will be told the decision here.")
            return redirect("moderation:appeal", appeal.pk)
    ctx = {"item": item, "error": error, "body": body, "days": APPEAL_DAYS}
    return render(request, "inbox/appeal_new.html", ctx, status=400 if error else 200)


@login_required
def appeal_detail(request, pk):
    """The author's appeal: their words, and the decision with its reason once made."""
    appeal = appeal_queries.appeal_of_author(request.user, pk)
    return render(request, "inbox/appeal.html", {"appeal": appeal})


@login_required
@moderator_required
@require_http_methods(["GET", "POST"])
def appeal_case(request, case_pk):
    """An appeal for the moderators, and the decision form (not for the one who acted)."""
    appeal = appeal_queries.appeal_of_case(case_pk)
    error = ""
    if request.method == "POST":
        try:
            appeals.appeal_decide(
                actor=request.user,
                appeal=appeal,
                outcome=request.POST.get("outcome", ""),
                reason=request.POST.get("reason", ""),
            )
        except Refused as exc:
            error = str(exc)
        else:
            messages.success(request, "The appeal is decided; its author is told why.")
            return redirect("moderation:appeal_case", case_pk)
    ctx = {
        "appeal": appeal,
        "error": error,
        "acted_here": request.user.pk == appeal.acted_by_id,
        "outcomes": [
            (value, label)
            for value, label in Appeal.Outcome.choices
            if value != Appeal.Outcome.CHANGED or appeal.kind in appeals.CHANGED_TEXT
        ],
        "chosen": request.POST.get("outcome", ""),
        "reason": request.POST.get("reason", ""),
    }
    return render(request, "moderation/appeal.html", ctx, status=400 if error else 200)
