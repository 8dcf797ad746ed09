"""Moderator pages: the queue with its rows' actions, bulk actions, saved replies,
featuring, opening a case, the event log, the dashboard and the whole thread.  The case
page is in ``cases``; what the pages poll to stay live is in ``live``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from threads.inputs import first_error
from threads.models import Comment, Essay
from threads.queries import thread
from threads.thread_html import whole_thread_html

from .. import charts, effects, queries, saved, workflow
from .. import dashboard as numbers
from ..action_forms import (
    BulkForm,
    CaseActionForm,
    LogFilterForm,
    OpenCaseForm,
    QueueFilterForm,
    SavedReplyForm,
)
from ..callin_texts import DEFAULT_CALL_IN, render_call_in
from ..models import Case, HideReason, Reason, SavedReply
from . import live
from .cases import moderator_required

QUEUE_PAGE_SIZE = 50
LOG_PAGE_SIZE = 100


def queue_context(request, headers=None):
    """The queue's rows for the request's filters, and the form's error if any."""
    form = QueueFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else dict.fromkeys(form.fields, "")
    filters = {
        "essay": data["essay"],
        "reason": data["reason"],
        "state": data["state"],
        "sort": "heat" if data["sort"] == "heat" else "",
    }
    mine = data["mine"] == "1"
    # The ETag's clock is read before the rows: a change in between shows at the next poll.
    headers = headers or live.queue_headers(request)
    cases = queries.queue(**filters, claimed_by=request.user if mine else None)
    page = queries.CappedPaginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page:
        case.offers = row_offers(case, request.user)
    query = headers["live_query"]
    back = reverse("moderation:queue") + (f"?{query}" if query else "")
    ctx = {"page": page, "filters": filters, "mine": mine, "back": back, **headers}
    return ctx, first_error(form) if form.errors else None


@login_required
@moderator_required
@vary_on_headers("HX-Request")  # a cached part must never stand in for the whole page
def queue(request):
    ctx, error = queue_context(request)
    if error:
        messages.error(request, error)
    ctx.update(
        essays=Essay.objects.only("slug", "title"),
        reasons=Reason.choices,
        states=[s for s in Case.State.choices if s[0] != Case.State.RESOLVED],
        outcomes=Case.Outcome.choices,
        hide_reasons=HideReason.choices,
    )
    # An htmx request (the bulk form acting in place) gets only the part it swaps in.
    template = "moderation/_queue.html" if request.htmx else "moderation/queue.html"
    return render(request, template, ctx, status=400 if error else 200)


@login_required
@moderator_required
def queue_rows(request):
    """The queue's rows, polled every few seconds: 304 while nothing changed."""
    headers = live.queue_headers(request)
    if live.unchanged(request, headers["live_etag"]):
        return live.not_modified(headers["live_etag"])
    ctx, _ = queue_context(request, headers)
    return live.respond(render(request, "moderation/_queue_live.html", ctx), ctx["live_etag"])


# The actions a queue row may offer (see row_offers): action -> (done, button, key).
HIDE_WORDS = {HideReason.SPAM: "spam", HideReason.HARMFUL: "an attack"}
QUEUE_ACTIONS = {
    "call-in": ("The call-in is sent privately to the author.", "Call in…", "c"),
    "no-action": ("Resolved: no action needed.", "No action", "n"),
    "approve": ("Approved: the comment is shown.", "Approve", "a"),
    "resolve-revised": ("Resolved: revised by its author.", "Resolve: revised", "r"),
    "resolve-withdrawn": ("Resolved: withdrawn by its author.", "Resolve: withdrawn", "r"),
    **{
        f"hide-{reason}": ("Hidden; the author is told why, privately.", f"Hide as {words}", "h")
        for reason, words in HIDE_WORDS.items()
    },
}


def row_offers(case, user):
    """The two or three likely actions for a queue row, as (action, button, key).

    None for an appeal (decided on its own page) or a case another moderator is on.
    """
    if case.origin == Case.Origin.APPEAL or case.claimed_by_id not in (None, user.pk):
        return []
    comment, offers = case.comment, []
    pending = comment.status == Comment.Status.PENDING
    if pending:
        offers.append("approve")
    if case.state == Case.State.OPEN and comment.author_id and not case.called_in:
        offers.append("call-in")
    if case.state == Case.State.ANSWERED and case.answer in ("revised", "withdrawn"):
        offers.append(f"resolve-{case.answer}")
    elif case.state == Case.State.OPEN and not pending:
        offers.append("no-action")
    severe = [r for r in HIDE_WORDS if case.reasons.get(r)]
    if severe:
        offers.append(f"hide-{max(severe, key=case.reasons.get)}")
    return [(action, *QUEUE_ACTIONS[action][1:]) for action in offers]


def _queue_action(request, case, action, form):
    """Run one row action through the workflow, under the case page's rules."""
    if not form.is_valid():
        raise workflow.Refused(first_error(form))
    user, version = request.user, form.seen_version
    if action == "call-in":
        workflow.call_in(user, case, form.cleaned_data["body"], False, version)
    elif action == "approve":
        workflow.approve(user, case, version)
    elif action.startswith("hide-"):
        reason = action.removeprefix("hide-")
        workflow.resolve(user, case, Case.Outcome.HIDDEN, "", reason, version)
    else:
        outcome = Case.Outcome.NO_ACTION if action == "no-action" else action[len("resolve-") :]
        workflow.resolve(user, case, outcome, "", None, version)


@login_required
@moderator_required
@require_http_methods(["GET", "POST"])
def queue_action(request, pk, action):
    """A queue row's action, done in place; GET (htmx) opens the row's call-in to edit."""
    if action not in QUEUE_ACTIONS:
        raise Http404("No such action.")
    case = get_object_or_404(Case.objects.select_related("comment", "essay"), pk=pk)
    if request.method == "GET":
        if action != "call-in" or not request.htmx:
            return redirect(reverse("moderation:case", args=[pk]) + "#call-in-message")
        return render_call_in_row(request, case)
    form = CaseActionForm(request.POST)
    try:
        _queue_action(request, case, action, form)
    except workflow.Refused as exc:
        if action == "call-in" and request.htmx:
            # What was typed stays: the row's call-in comes back with the refusal.
            body = request.POST.get("body", "")
            response = render_call_in_row(request, case, error=str(exc), body=body)
            response["HX-Retarget"], response["HX-Reswap"] = f"#callin-{pk}", "outerHTML"
            return response
        messages.error(request, f"Case #{pk}: {exc}")
    else:
        messages.success(request, f"Case #{pk}: {QUEUE_ACTIONS[action][0]}")
    return redirect(_back(request, request.POST.get("next", "")))


def render_call_in_row(request, case, error=None, body=None):
    """The queue row's call-in: the default text, to read and edit before sending."""
    case.refresh_from_db(fields=["version", "state"])
    saved = list(SavedReply.objects.filter(kind=SavedReply.Kind.CALL_IN))
    ctx = {
        "case": case,
        "text": render_call_in(DEFAULT_CALL_IN, case, saved) if body is None else body,
        "error": error,
        "back": request.GET.get("next") or request.POST.get("next", ""),
    }
    return render(request, "moderation/_queue_call_in.html", ctx)


def _back(request, back):
    """``back`` when it is a path on this site, else the queue: never off the site, and
    never a word taken for a URL name."""
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, {request.get_host()}, request.is_secure()
    ):
        return "moderation:queue"
    return back


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
    return redirect(_back(request, data["next"]))


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
