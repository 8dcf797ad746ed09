"""Moderator pages: one case, and the actions posted from it.

Each action on the case page posts to ``case/<pk>/<action>/``; ``CASE_ACTIONS``
maps the action to its message on success and to a small function that reads
the form and calls one ``moderation.workflow`` function.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import queries, workflow
from ..callin_texts import call_in_choices, render_call_in
from ..models import Annotation, Case, HideReason, NoteLabel, Sanction, SavedReply

PAUSE_CHOICES = [(30, "30 minutes"), (120, "2 hours"), (720, "12 hours"), (1440, "24 hours")]

moderator_required = permission_required("moderation.moderate_case", raise_exception=True)


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


def chosen_reason(request):
    """The written reason, or the text of the saved reason the moderator picked."""
    saved = request.POST.get("saved_reason", "")
    if saved.isdigit():
        reply = SavedReply.objects.filter(pk=saved, kind=SavedReply.Kind.HIDE_REASON).first()
        if reply:
            return reply.body
    return request.POST.get("reason", "")


# --- the actions: each takes (request, case, version) and calls the workflow once ---------


def claim(request, case, version):
    workflow.claim(request.user, case, version)


def unclaim(request, case, version):
    workflow.unclaim(request.user, case, version)


def call_in(request, case, version):
    pause = request.POST.get("pause_visibility") == "on"
    workflow.call_in(request.user, case, request.POST.get("body"), pause, version)


def message_author(request, case, version):
    workflow.message_author(request.user, case, request.POST.get("body"), version)


def annotate(request, case, version):
    workflow.annotate(
        request.user,
        case.comment,
        request.POST.get("kind"),
        request.POST.get("body"),
        case=case,
        label=request.POST.get("label", ""),
    )


def retract_note(request, case, version):
    note = get_object_or_404(Annotation, pk=request.POST.get("annotation"), comment=case.comment)
    workflow.retract_annotation(request.user, note, case)


def bridge(request, case, version):
    workflow.add_bridging_note(request.user, case.comment, request.POST.get("body"), case)


def pause_replies(request, case, version):
    workflow.pause_replies(request.user, case.comment, _minutes(request, "minutes"), case)


def resume_replies(request, case, version):
    workflow.resume_replies(request.user, case.comment, case)


def collapse(request, case, version):
    workflow.collapse(request.user, case.comment, _optional_hours(request, "hours"), case)


def expand(request, case, version):
    workflow.expand(request.user, case.comment, case)


def slow_mode(request, case, version):
    seconds = int(_minutes(request, "minutes").total_seconds())
    hours = _optional_hours(request, "hours")
    workflow.set_slow_mode(request.user, case.essay, seconds, hours, case)


def pause_visibility(request, case, version):
    workflow.pause_visibility(request.user, case, version)


def restore_visibility(request, case, version):
    workflow.restore_visibility(request.user, case.comment, case)


def resolve(request, case, version):
    workflow.resolve(
        request.user,
        case,
        request.POST.get("outcome"),
        chosen_reason(request),
        request.POST.get("hide_reason") or None,
        version,
    )


def approve(request, case, version):
    workflow.approve(request.user, case, version)


def feature(request, case, version):
    workflow.feature(request.user, case.comment, True, case)


def unfeature(request, case, version):
    workflow.feature(request.user, case.comment, False, case)


def sanction_by(kind):
    """The action that gives the case's author a sanction of ``kind`` (a rung of the ladder).

    Only a posting pause takes a duration; a warning and a suspension last until lifted.
    """

    def give_sanction(request, case, version):
        hours = _optional_hours(request, "hours") if kind == Sanction.Kind.POSTING_PAUSE else None
        workflow.sanction(
            request.user,
            case,
            kind,
            request.POST.get("reason"),
            hours,
            request.POST.get("skip_reason", ""),
        )

    return give_sanction


def lift_sanction(request, case, version):
    item = get_object_or_404(Sanction, pk=request.POST.get("sanction"), user=case.comment.author)
    workflow.lift_sanction(request.user, item, request.POST.get("reason", ""))


def reopen(request, case, version):
    workflow.reopen(request.user, case, request.POST.get("reason", ""), version)


def unhide(request, case, version):
    workflow.unhide(request.user, case.comment, request.POST.get("reason", ""), case)


def undo(request, case, version):
    workflow.undo_last(request.user, case, version)


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
