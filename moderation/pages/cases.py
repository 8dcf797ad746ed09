"""Moderator pages: one case, and the actions posted from it.

Each action on the case page posts to ``case/<pk>/<action>/``; ``CASE_ACTIONS``
maps the action to its message on success and to a small function that reads
the form and calls one ``moderation.workflow`` function.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from threads.inputs import first_error

from .. import queries, workflow
from ..action_forms import CaseActionForm
from ..callin_texts import DEFAULT_CALL_IN, call_in_choices, render_call_in
from ..models import Annotation, Case, HideReason, NoteLabel, Sanction
from . import live

PAUSE_CHOICES = [(30, "30 minutes"), (120, "2 hours"), (720, "12 hours"), (1440, "24 hours")]

moderator_required = permission_required("moderation.moderate_case", raise_exception=True)


@login_required
@moderator_required
def case_detail(request, pk):
    return render_case(request, pk, "moderation/case.html")


@login_required
@moderator_required
def case_live(request, pk):
    """The case page's live part (who is on it, what changed since it was drawn, new
    cases), polled every few seconds: 304 while nothing changed."""
    raw = request.GET.get("since", "")
    since = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else 0
    headers = live.case_headers(request, pk, since)
    if live.unchanged(request, headers["live_etag"]):
        return live.not_modified(headers["live_etag"])
    case = get_object_or_404(Case.objects.select_related("claimed_by"), pk=pk)
    ctx = {"case": case, **headers, **queries.case_changes(case, since)}
    return live.respond(render(request, "moderation/_case_live.html", ctx), headers["live_etag"])


def render_case(request, pk, page):
    """The case page, or (``moderation/_case.html``) the part of it an action changes."""
    # The live part's clock is read first: a change while the page is drawn shows next poll.
    live_headers = live.case_headers(request, pk)
    ctx = queries.case_page(pk)
    template = request.GET.get("template", DEFAULT_CALL_IN)
    ctx.update(
        call_in_text=render_call_in(template, ctx["case"], ctx["saved_replies"]),
        # Each text filled in, so switching templates on the page needs no reload.
        call_in_templates=[
            (key, label, render_call_in(key, ctx["case"], ctx["saved_replies"]))
            for key, label in call_in_choices(ctx["saved_replies"])
        ],
        chosen_template=template,
        outcomes=Case.Outcome.choices,
        hide_reasons=HideReason.choices,
        note_labels=NoteLabel.choices,
        author_labels=sorted(
            {a.get_label_display() for a in ctx["annotations"] if a.label and not a.retracted_at}
        ),
        note_kinds=Annotation.Kind.choices,
        pause_choices=PAUSE_CHOICES,
        **queries.neighbours(ctx["case"]),
        **live_headers,
    )
    return render(request, page, ctx)


def _sanction(form, case):
    pk = form.cleaned_data["sanction"]
    item = Sanction.objects.filter(pk=pk, user=case.comment.author).first() if pk else None
    if item is None:
        raise workflow.Refused("No such sanction.")
    return item


def _annotation(form, case):
    pk = form.cleaned_data["annotation"]
    note = Annotation.objects.filter(pk=pk, comment=case.comment).first() if pk else None
    if note is None:
        raise workflow.Refused("No such note.")
    return note


# --- the actions: each takes (request, case, form) and calls the workflow once ---


def claim(request, case, form):
    workflow.claim(request.user, case, form.seen_version)


def unclaim(request, case, form):
    workflow.unclaim(request.user, case, form.seen_version)


def call_in(request, case, form):
    pause = form.cleaned_data["pause_visibility"]
    workflow.call_in(request.user, case, form.cleaned_data["body"], pause, form.seen_version)


def message_author(request, case, form):
    workflow.message_author(request.user, case, form.cleaned_data["body"], form.seen_version)


def annotate(request, case, form):
    workflow.annotate(
        request.user,
        case.comment,
        form.cleaned_data["kind"],
        form.cleaned_data["body"],
        case=case,
        label=form.cleaned_data["label"],
    )


def retract_note(request, case, form):
    note = _annotation(form, case)
    workflow.retract_annotation(request.user, note, case)


def bridge(request, case, form):
    workflow.add_bridging_note(request.user, case.comment, form.cleaned_data["body"], case)


def pause_replies(request, case, form):
    workflow.pause_replies(request.user, case.comment, form.duration(), case)


def resume_replies(request, case, form):
    workflow.resume_replies(request.user, case.comment, case)


def collapse(request, case, form):
    workflow.collapse(request.user, case.comment, form.optional_hours(), case)


def expand(request, case, form):
    workflow.expand(request.user, case.comment, case)


def slow_mode(request, case, form):
    seconds = int(form.duration().total_seconds())
    hours = form.optional_hours()
    workflow.set_slow_mode(request.user, case.essay, seconds, hours, case)


def pause_visibility(request, case, form):
    workflow.pause_visibility(request.user, case, form.seen_version)


def restore_visibility(request, case, form):
    workflow.restore_visibility(request.user, case.comment, case)


def resolve(request, case, form):
    workflow.resolve(
        request.user,
        case,
        form.cleaned_data["outcome"],
        form.written_reason(),
        form.cleaned_data["hide_reason"] or None,
        form.seen_version,
    )


def approve(request, case, form):
    workflow.approve(request.user, case, form.seen_version)


def feature(request, case, form):
    workflow.feature(request.user, case.comment, True, case)


def unfeature(request, case, form):
    workflow.feature(request.user, case.comment, False, case)


def sanction_by(kind):
    """The action that gives the case's author a sanction of ``kind`` (a rung of the ladder).

    Only a posting pause takes a duration; a warning and a suspension last until lifted.
    """

    def give_sanction(request, case, form):
        hours = form.optional_hours() if kind == Sanction.Kind.POSTING_PAUSE else None
        workflow.sanction(
            request.user,
            case,
            kind,
            form.cleaned_data["reason"],
            hours,
            form.cleaned_data["skip_reason"],
        )

    return give_sanction


def lift_sanction(request, case, form):
    item = _sanction(form, case)
    workflow.lift_sanction(request.user, item, form.cleaned_data["reason"], case)


def reopen(request, case, form):
    workflow.reopen(request.user, case, form.cleaned_data["reason"], form.seen_version)


def unhide(request, case, form):
    workflow.unhide(request.user, case.comment, form.cleaned_data["reason"], case)


def undo(request, case, form):
    workflow.undo_last(request.user, case, form.seen_version)


# action name in the URL -> (message on success, the action)
CASE_ACTIONS = {
    "claim": ("You are on this case.", claim),
    "unclaim": ("You left this case.", unclaim),
    "call-in": ("The call-in is sent privately to the author.", call_in),
    "message": ("Your message is sent.", message_author),
    "annotate": ("Note added.", annotate),
    "retract-note": ("Note retracted.", retract_note),
    "bridge": ("Your bridging note is in the thread.", bridge),
    "pause-replies": ("Replies under this comment are paused.", pause_replies),
    "resume-replies": ("Replies are open again.", resume_replies),
    "collapse": ("The replies are folded behind a calm notice.", collapse),
    "expand": ("The replies are unfolded.", expand),
    "slow-mode": ("Slow mode updated.", slow_mode),
    "pause-visibility": ("Readers now see a neutral placeholder.", pause_visibility),
    "restore-visibility": ("The comment is shown again.", restore_visibility),
    "resolve": ("Case resolved.", resolve),
    "approve": ("The comment is approved and shown.", approve),
    "feature": ("The comment is featured at the top of the thread.", feature),
    "unfeature": ("The comment is no longer featured.", unfeature),
    "warn": (
        "The author is warned; they must acknowledge it before posting again.",
        sanction_by(Sanction.Kind.WARNING),
    ),
    "pause-posting": ("The author's posting is paused.", sanction_by(Sanction.Kind.POSTING_PAUSE)),
    "suspend": ("The author is suspended from posting.", sanction_by(Sanction.Kind.SUSPENSION)),
    "lift-sanction": ("Lifted.", lift_sanction),
    "reopen": ("Case reopened.", reopen),
    "unhide": ("The comment is visible again, and its author is told.", unhide),
    "undo": ("The last action is undone.", undo),
}


@login_required
@moderator_required
@require_POST
def case_action(request, pk, action):
    if action not in CASE_ACTIONS:
        raise Http404("No such action.")
    case = get_object_or_404(Case, pk=pk)
    done, run = CASE_ACTIONS[action]
    form = CaseActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        try:
            with transaction.atomic():
                # Every form on the case page carries the version it was rendered with;
                # refuse a stale one for every action, not only those whose workflow checks it.
                workflow.lock_case(case, form.seen_version, states=Case.State.values)
                run(request, case, form)
        except workflow.Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
    # htmx (the page acting in place) swaps in the changed part; without JavaScript the
    # form posts as usual and the browser follows the redirect.
    if request.htmx:
        return render_case(request, pk, "moderation/_case.html")
    return redirect("moderation:case", pk)
