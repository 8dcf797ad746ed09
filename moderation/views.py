"""Moderator pages: the queue, the case page and its actions, the event log."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from threads.models import Comment, Essay

from . import queries, workflow
from .callin_texts import CALL_IN_TEXTS, render_call_in
from .models import Annotation, Case, Reason

QUEUE_PAGE_SIZE = 50
LOG_PAGE_SIZE = 100
PAUSE_CHOICES = [(30, "30 minutes"), (120, "2 hours"), (720, "12 hours"), (1440, "24 hours")]

moderator_required = permission_required("moderation.moderate_case", raise_exception=True)


@login_required
@moderator_required
def queue(request):
    filters = {
        "essay": request.GET.get("essay", ""),
        "reason": request.GET.get("reason", ""),
        "state": request.GET.get("state", ""),
    }
    mine = request.GET.get("mine") == "1"
    cases = queries.queue(**filters, claimed_by=request.user if mine else None)
    page = Paginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "filters": filters,
        "mine": mine,
        "essays": Essay.objects.only("slug", "title"),
        "reasons": Reason.choices,
        "states": [s for s in Case.State.choices if s[0] != Case.State.RESOLVED],
    }
    return render(request, "moderation/queue.html", ctx)


@login_required
@moderator_required
def case_detail(request, pk):
    ctx = queries.case_page(pk)
    template = request.GET.get("template", "reflect")
    ctx.update(
        call_in_text=render_call_in(template, ctx["case"]),
        call_in_templates=[(key, label) for key, (label, _) in CALL_IN_TEXTS.items()],
        chosen_template=template,
        outcomes=Case.Outcome.choices,
        hide_reasons=Reason.choices,
        note_kinds=Annotation.Kind.choices,
        pause_choices=PAUSE_CHOICES,
    )
    return render(request, "moderation/case.html", ctx)


def _minutes(request, name):
    try:
        return timedelta(minutes=int(request.POST[name]))
    except (KeyError, ValueError):
        raise workflow.Refused("Choose how long.") from None


def _optional_hours(request, name):
    value = request.POST.get(name, "").strip()
    if not value:
        return None
    try:
        return timedelta(hours=float(value))
    except ValueError:
        raise workflow.Refused("Give the duration in hours, or leave it empty.") from None


def _annotation(request, case):
    return get_object_or_404(Annotation, pk=request.POST.get("annotation"), comment=case.comment)


# action name in the URL -> (message on success, call into the workflow)
CASE_ACTIONS = {
    "claim": ("You are on this case.", lambda r, c, v: workflow.claim(r.user, c, v)),
    "unclaim": ("You left this case.", lambda r, c, v: workflow.unclaim(r.user, c, v)),
    "call-in": (
        "The call-in is sent privately to the author.",
        lambda r, c, v: workflow.call_in(
            r.user, c, r.POST.get("body"), r.POST.get("pause_visibility") == "on", v
        ),
    ),
    "message": (
        "Your message is sent.",
        lambda r, c, v: workflow.message_author(r.user, c, r.POST.get("body"), v),
    ),
    "annotate": (
        "Note added.",
        lambda r, c, v: workflow.annotate(
            r.user, c.comment, r.POST.get("kind"), r.POST.get("body"), case=c
        ),
    ),
    "retract-note": (
        "Note retracted.",
        lambda r, c, v: workflow.retract_annotation(r.user, _annotation(r, c)),
    ),
    "bridge": (
        "Your bridging note is in the thread.",
        lambda r, c, v: workflow.add_bridging_note(r.user, c.comment, r.POST.get("body"), c),
    ),
    "pause-replies": (
        "Replies under this comment are paused.",
        lambda r, c, v: workflow.pause_replies(r.user, c.comment, _minutes(r, "minutes"), c),
    ),
    "resume-replies": (
        "Replies are open again.",
        lambda r, c, v: workflow.resume_replies(r.user, c.comment, c),
    ),
    "collapse": (
        "The replies are folded behind a calm notice.",
        lambda r, c, v: workflow.collapse(r.user, c.comment, _optional_hours(r, "hours"), c),
    ),
    "expand": ("The replies are unfolded.", lambda r, c, v: workflow.expand(r.user, c.comment, c)),
    "slow-mode": (
        "Slow mode updated.",
        lambda r, c, v: workflow.set_slow_mode(
            r.user,
            c.essay,
            int(_minutes(r, "minutes").total_seconds()),
            _optional_hours(r, "hours"),
        ),
    ),
    "pause-visibility": (
        "Readers now see a neutral placeholder.",
        lambda r, c, v: workflow.pause_visibility(r.user, c, v),
    ),
    "restore-visibility": (
        "The comment is shown again.",
        lambda r, c, v: workflow.restore_visibility(r.user, c.comment, c),
    ),
    "resolve": (
        "Case resolved.",
        lambda r, c, v: workflow.resolve(
            r.user,
            c,
            r.POST.get("outcome"),
            r.POST.get("reason", ""),
            r.POST.get("hide_reason") or None,
            v,
        ),
    ),
    "reopen": (
        "Case reopened.",
        lambda r, c, v: workflow.reopen(r.user, c, r.POST.get("reason", ""), v),
    ),
    "unhide": (
        "The comment is visible again, and its author is told.",
        lambda r, c, v: workflow.unhide(r.user, c.comment, r.POST.get("reason", ""), c),
    ),
}


@login_required
@moderator_required
@require_POST
def case_action(request, pk, action):
    if action not in CASE_ACTIONS:
        raise Http404("No such action.")
    case = get_object_or_404(Case, pk=pk)
    done, run = CASE_ACTIONS[action]
    try:
        version = int(request.POST["version"])
    except (KeyError, ValueError):
        messages.error(request, "That form is incomplete; please use the buttons on this page.")
        return redirect("moderation:case", pk)
    try:
        run(request, case, version)
    except workflow.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("moderation:case", pk)


@login_required
@permission_required("moderation.open_case", raise_exception=True)
@require_POST
def open_case(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    case, created = workflow.open_case(request.user, comment, request.POST.get("note", ""))
    if created:
        messages.success(request, "A case is open on this comment.")
    else:
        messages.info(request, "This comment already has an open case.")
    if request.user.has_perm("moderation.moderate_case"):
        return redirect("moderation:case", case.pk)
    return redirect("threads:comment", comment.essay.slug, comment.pk)


@login_required
@permission_required("moderation.view_moderationevent", raise_exception=True)
def event_log(request):
    filters = {k: request.GET.get(k, "") for k in ("action", "actor", "essay", "case")}
    if filters["case"] and not filters["case"].isdigit():
        filters["case"] = ""
    events = queries.event_log(**filters)
    page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page, "filters": filters})
