"""Moderator pages: the queue, the case page and its actions, the event log."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from threads.models import Comment, Essay

from . import queries, saved, workflow
from .callin_texts import call_in_choices, render_call_in
from .models import Annotation, Case, HideReason, NoteLabel, Reason, Sanction, SavedReply

QUEUE_PAGE_SIZE = 50
LOG_PAGE_SIZE = 100
PAUSE_CHOICES = [(30, "30 minutes"), (120, "2 hours"), (720, "12 hours"), (1440, "24 hours")]

moderator_required = permission_required("moderation.moderate_case", raise_exception=True)


@login_required
@moderator_required
@vary_on_headers("HX-Request")  # a cached part must never stand in for the whole page
def queue(request):
    filters = {
        "essay": request.GET.get("essay", ""),
        "reason": request.GET.get("reason", ""),
        "state": request.GET.get("state", ""),
        "sort": "heat" if request.GET.get("sort") == "heat" else "",
    }
    mine = request.GET.get("mine") == "1"
    cases = queries.queue(**filters, claimed_by=request.user if mine else None)
    page = queries.CappedPaginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "filters": filters,
        "mine": mine,
        "essays": Essay.objects.only("slug", "title"),
        "reasons": Reason.choices,
        "states": [s for s in Case.State.choices if s[0] != Case.State.RESOLVED],
        "outcomes": Case.Outcome.choices,
        "hide_reasons": HideReason.choices,
    }
    # An htmx request (the bulk form acting in place) gets only the part it swaps in.
    template = "moderation/_queue.html" if request.htmx else "moderation/queue.html"
    return render(request, template, ctx)


@login_required
@moderator_required
def case_detail(request, pk):
    return render_case(request, pk, "moderation/case.html")


def render_case(request, pk, page):
    """The case page, or (``moderation/_case.html``) the part of it an action changes."""
    ctx = queries.case_page(pk)
    template = request.GET.get("template", "reflect")
    ctx.update(
        call_in_text=render_call_in(template, ctx["case"], ctx["saved_replies"]),
        call_in_templates=call_in_choices(ctx["saved_replies"]),
        chosen_template=template,
        outcomes=Case.Outcome.choices,
        hide_reasons=HideReason.choices,
        note_labels=NoteLabel.choices,
        author_labels=sorted(
            {a.get_label_display() for a in ctx["annotations"] if a.label and not a.retracted_at}
        ),
        note_kinds=Annotation.Kind.choices,
        pause_choices=PAUSE_CHOICES,
    )
    return render(request, page, ctx)


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


def _reason(request):
    """The written reason, or the text of the saved reason the moderator picked."""
    saved = request.POST.get("saved_reason", "")
    if saved.isdigit():
        reply = SavedReply.objects.filter(pk=saved, kind=SavedReply.Kind.HIDE_REASON).first()
        if reply:
            return reply.body
    return request.POST.get("reason", "")


def _sanction(request, case):
    return get_object_or_404(Sanction, pk=request.POST.get("sanction"), user=case.comment.author)


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
            r.user,
            c.comment,
            r.POST.get("kind"),
            r.POST.get("body"),
            case=c,
            label=r.POST.get("label", ""),
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
            _reason(r),
            r.POST.get("hide_reason") or None,
            v,
        ),
    ),
    "approve": (
        "The comment is approved and shown.",
        lambda r, c, v: workflow.approve(r.user, c, v),
    ),
    "feature": (
        "The comment is featured at the top of the thread.",
        lambda r, c, v: workflow.feature(r.user, c.comment, True),
    ),
    "unfeature": (
        "The comment is no longer featured.",
        lambda r, c, v: workflow.feature(r.user, c.comment, False),
    ),
    "warn": (
        "The author is warned; they must acknowledge it before posting again.",
        lambda r, c, v: workflow.sanction(
            r.user,
            c,
            Sanction.Kind.WARNING,
            r.POST.get("reason"),
            skip_reason=r.POST.get("skip_reason", ""),
        ),
    ),
    "pause-posting": (
        "The author's posting is paused.",
        lambda r, c, v: workflow.sanction(
            r.user,
            c,
            Sanction.Kind.POSTING_PAUSE,
            r.POST.get("reason"),
            _optional_hours(r, "hours"),
            r.POST.get("skip_reason", ""),
        ),
    ),
    "suspend": (
        "The author is suspended from posting.",
        lambda r, c, v: workflow.sanction(
            r.user,
            c,
            Sanction.Kind.SUSPENSION,
            r.POST.get("reason"),
            skip_reason=r.POST.get("skip_reason", ""),
        ),
    ),
    "lift-sanction": (
        "Lifted.",
        lambda r, c, v: workflow.lift_sanction(r.user, _sanction(r, c), r.POST.get("reason", "")),
    ),
    "reopen": (
        "Case reopened.",
        lambda r, c, v: workflow.reopen(r.user, c, r.POST.get("reason", ""), v),
    ),
    "unhide": (
        "The comment is visible again, and its author is told.",
        lambda r, c, v: workflow.unhide(r.user, c.comment, r.POST.get("reason", ""), c),
    ),
    "undo": ("The last action is undone.", lambda r, c, v: workflow.undo_last(r.user, c, v)),
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
    else:
        try:
            with transaction.atomic():
                # Every form on the case page carries the version it was rendered with;
                # refuse a stale one for every action, not only those whose workflow checks it.
                workflow.lock_case(case, version, states=Case.State.values)
                run(request, case, version)
        except workflow.Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
    # htmx (the page acting in place) swaps in the changed part; without JavaScript the
    # form posts as usual and the browser follows the redirect.
    if request.htmx:
        return render_case(request, pk, "moderation/_case.html")
    return redirect("moderation:case", pk)


@login_required
@moderator_required
@require_POST
def bulk_action(request):
    """Resolve, claim or hide many cases at once; each follows the single-case rules."""
    versions = {}
    for pk in request.POST.getlist("case"):
        version = request.POST.get(f"v{pk}", "")
        if pk.isdigit() and version.isdigit():
            versions[int(pk)] = int(version)
    if not versions:
        messages.error(request, "Select at least one case.")
        return redirect("moderation:queue")
    done, refused = workflow.bulk(
        request.user,
        versions,
        request.POST.get("action", ""),
        request.POST.get("outcome", ""),
        request.POST.get("hide_reason") or None,
        _reason(request),
    )
    if done:
        messages.success(request, f"Done for {len(done)} case{'s' if len(done) != 1 else ''}.")
    for pk, why in refused.items():
        messages.error(request, f"Case #{pk}: {why}")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "moderation:queue"  # never off the site
    return redirect(back or "moderation:queue")


@login_required
@moderator_required
@require_http_methods(["GET", "POST"])
def saved_replies(request):
    """Reusable hide reasons and call-in messages."""
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("delete", "").isdigit():
                reply = get_object_or_404(SavedReply, pk=request.POST["delete"])
                saved.remove_reply(request.user, reply)
                messages.success(request, "Removed.")
            else:
                saved.save_reply(
                    request.user, *(request.POST.get(k, "") for k in ("kind", "title", "body"))
                )
                messages.success(request, "Saved.")
        except workflow.Refused as exc:
            error = str(exc)
        else:
            return redirect("moderation:saved_replies")
    ctx = {"replies": SavedReply.objects.all(), "kinds": SavedReply.Kind.choices, "error": error}
    return render(request, "moderation/saved_replies.html", ctx, status=400 if error else 200)


@login_required
@require_POST
def feature_comment(request, pk):
    """Moderators and organizers feature a comment at the top of its thread."""
    if not (
        request.user.has_perm("moderation.moderate_case")
        or request.user.has_perm("threads.organize_spaces")
    ):
        raise PermissionDenied
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk)
    featured = request.POST.get("featured", "1") == "1"
    try:
        workflow.feature(request.user, comment, featured)
    except workflow.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Featured." if featured else "No longer featured.")
    return redirect("threads:comment", comment.essay.slug, comment.pk)


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


@login_required
@moderator_required
def dashboard(request):
    """Charts of the last 30 days (server-side SVG), each with a table of its numbers."""
    from . import charts
    from . import dashboard as numbers

    summary = numbers.summary()
    ctx = {**summary, "charts": charts.dashboard_charts(summary)}
    return render(request, "moderation/dashboard.html", ctx)
