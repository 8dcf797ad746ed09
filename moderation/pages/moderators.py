"""Moderator pages: the queue, bulk actions, saved replies, featuring, opening a case,
the event log, the dashboard and the whole thread.  The case page is in ``cases``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from threads.inputs import first_error
from threads.models import Comment, Essay
from threads.queries import thread
from threads.thread_html import whole_thread_html

from .. import charts, effects, queries, saved, workflow
from .. import dashboard as numbers
from ..action_forms import BulkForm, LogFilterForm, OpenCaseForm, QueueFilterForm, SavedReplyForm
from ..models import Case, HideReason, Reason, SavedReply
from .cases import moderator_required

QUEUE_PAGE_SIZE = 50
LOG_PAGE_SIZE = 100


@login_required
@moderator_required
@vary_on_headers("HX-Request")  # a cached part must never stand in for the whole page
def queue(request):
    form = QueueFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else dict.fromkeys(form.fields, "")
    if form.errors:
        messages.error(request, first_error(form))
    filters = {
        "essay": data["essay"],
        "reason": data["reason"],
        "state": data["state"],
        "sort": "heat" if data["sort"] == "heat" else "",
    }
    mine = data["mine"] == "1"
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
    return render(request, template, ctx, status=400 if form.errors else 200)


@login_required
@moderator_required
@require_POST
def bulk_action(request):
    """Resolve, claim or hide many cases at once; each follows the single-case rules."""
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("moderation:queue")
    data = form.cleaned_data
    if not data["versions"]:
        messages.error(request, "Select at least one case.")
        return redirect("moderation:queue")
    done, refused = workflow.bulk(
        request.user,
        data["versions"],
        data["action"],
        data["outcome"],
        data["hide_reason"] or None,
        form.written_reason(),
    )
    if done:
        messages.success(request, f"Done for {len(done)} case{'s' if len(done) != 1 else ''}.")
    for pk, why in refused.items():
        messages.error(request, f"Case #{pk}: {why}")
    back = data["next"]
    # A path on this site only: never off the site, and never a word taken for a URL name.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, {request.get_host()}, request.is_secure()
    ):
        back = "moderation:queue"
    return redirect(back)


@login_required
@moderator_required
@require_http_methods(["GET", "POST"])
def saved_replies(request):
    """Reusable hide reasons and call-in messages."""
    error = None
    form = SavedReplyForm(request.POST if request.method == "POST" else None)
    if form.is_bound and not form.is_valid():
        error = first_error(form)
    elif form.is_bound:
        data = form.cleaned_data
        try:
            if data["delete"]:
                reply = get_object_or_404(SavedReply, pk=data["delete"])
                saved.remove_reply(request.user, reply)
                messages.success(request, "Removed.")
            else:
                saved.save_reply(request.user, data["kind"], data["title"], data["body"])
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
    comment = get_object_or_404(Comment.objects.select_related("essay"), pk=pk)
    form = OpenCaseForm(request.POST)
    try:
        if not form.is_valid():
            raise workflow.Refused(first_error(form))
        case, created = workflow.open_case(request.user, comment, form.cleaned_data["note"])
    except workflow.Refused as exc:
        messages.error(request, str(exc))
        return redirect("threads:comment", comment.essay.slug, comment.pk)
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
    form = LogFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else dict.fromkeys(form.fields, "")
    if form.errors:
        messages.error(request, first_error(form))
    events = queries.event_log(**filters)
    page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {k: "" if v is None else v for k, v in filters.items()}
    ctx = {"page": page, "filters": filters, **queries.log_filter_choices()}
    return render(request, "moderation/log.html", ctx, status=400 if form.errors else 200)


@login_required
@moderator_required
def dashboard(request):
    """Charts of the last 30 days (server-side SVG), each with a table of its numbers."""
    summary = numbers.summary()
    ctx = {**summary, "charts": charts.dashboard_charts(summary), **effects.dashboard_numbers()}
    return render(request, "moderation/dashboard.html", ctx)


@login_required
@moderator_required
def whole_thread(request, slug):
    """The whole thread on one page, for moderators: one pass, linear in its size."""
    essay = get_object_or_404(Essay, slug=slug)
    comments, _ = thread(essay)
    queries.with_context_notes(comments, essay=essay)
    ctx = {"essay": essay, "count": len(comments), "thread": whole_thread_html(essay, comments)}
    return render(request, "threads/whole_thread.html", ctx)
