"""Organizer pages: create and run discussion spaces.

Each view parses its form, calls one function of ``moderation.spaces`` (or
``moderation.workflow.set_slow_mode``) and renders or redirects.  The actions
on a space post to their own URLs; on an error they show the space's page
again with that form's errors (status 400) and nothing written.  The two-step
texts (the essay's text, a comment page to import) are in ``organizer_texts``.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from threads.errors import Refused
from threads.models import Essay
from threads.queries import essays_with_counts

from .. import spaces
from ..space_forms import (
    CommentPageForm,
    DiscussionForm,
    NewSpaceForm,
    PromptForm,
    SlowModeForm,
    SpaceForm,
    SpaceSettingsForm,
)
from ..workflow import set_slow_mode

PERM = "threads.organize_spaces"


@login_required
@permission_required(PERM, raise_exception=True)
def space_list(request):
    return render(request, "organize/space_list.html", {"essays": essays_with_counts()})


@login_required
@permission_required(PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def new_space(request):
    post = request.method == "POST"
    form = NewSpaceForm(request.POST if post else None, request.FILES if post else None)
    if post and form.is_valid():
        try:
            essay = spaces.create_space(request.user, **form.space_fields())
        except spaces.SpaceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Created “{essay.title}”. Its discussion is open.")
            return redirect("organize:edit", essay.slug)
    return render(request, "organize/new.html", {"form": form}, status=400 if post else 200)


def space_page(request, essay, status=200, **forms):
    """The space's page; ``forms`` replaces the blank form of the action that failed."""
    details = {f: getattr(essay, f) for f in spaces.DETAIL_FIELDS}
    # "0", "7.5" and "0.7" rather than "0.0", "7.50" or "0.70000001".
    settings = {
        f: f"{v:g}" if isinstance(v := getattr(essay, f), float) else v
        for f in spaces.SETTING_FIELDS
    }
    minutes = -(-essay.slow_mode_seconds // 60) if essay.slow_mode_active() else None
    ctx = {
        "essay": essay,
        "details_form": SpaceForm(initial=details),
        "settings_form": SpaceSettingsForm(initial=settings),
        "discussion_form": DiscussionForm(),
        "slow_mode_form": SlowModeForm(initial={"interval_minutes": minutes}),
        "prompt_form": PromptForm(user=request.user),
        "upload_form": CommentPageForm(),
        "failed": status >= 400,
        **forms,
    }
    return render(request, "organize/space.html", ctx, status=status)


@login_required
@permission_required(PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def edit_space(request, slug):
    essay = get_object_or_404(Essay, slug=slug)
    if request.method == "GET":
        return space_page(request, essay)
    return _update_space(request, essay, SpaceForm(request.POST), "details_form", "Saved.")


@login_required
@permission_required(PERM, raise_exception=True)
@require_POST
def moderation_settings(request, slug):
    """Call-in wait, auto-hold, pre-moderation and heat threshold, logged like the details."""
    essay = get_object_or_404(Essay, slug=slug)
    form = SpaceSettingsForm(request.POST)
    return _update_space(request, essay, form, "settings_form", "Settings saved.")


def _update_space(request, essay, form, form_name, saved):
    """Save one of the space page's forms through ``spaces.update_space``, or show it again."""
    if form.is_valid():
        try:
            _, changed = spaces.update_space(request.user, essay, **form.cleaned_data)
        except spaces.SpaceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, saved if changed else "Nothing changed.")
            return redirect("organize:edit", essay.slug)
    return space_page(request, essay, 400, **{form_name: form})


@login_required
@permission_required(PERM, raise_exception=True)
@require_POST
def discussion(request, slug):
    essay = get_object_or_404(Essay, slug=slug)
    form = DiscussionForm(request.POST)
    if form.is_valid():
        try:
            essay = spaces.set_discussion(request.user, essay, form.cleaned_data["state"])
        except spaces.SpaceError as exc:
            form.add_error(None, str(exc))
        else:
            state = "open to new comments" if essay.is_open else "closed to new comments"
            messages.success(request, f"The discussion is {state}.")
            return redirect("organize:edit", essay.slug)
    return space_page(request, essay, 400, discussion_form=form)


@login_required
@permission_required(PERM, raise_exception=True)
@require_POST
def slow_mode(request, slug):
    essay = get_object_or_404(Essay, slug=slug)
    lift = "lift" in request.POST
    form = SlowModeForm(request.POST)
    if lift or form.is_valid():
        seconds = 0 if lift else form.cleaned_data["interval_minutes"] * 60
        hours = None if lift else form.cleaned_data["duration_hours"]
        try:
            set_slow_mode(request.user, essay, seconds, hours and timedelta(hours=hours))
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Slow mode is lifted." if lift else "Slow mode is on.")
            return redirect("organize:edit", essay.slug)
    return space_page(request, essay, 400, slow_mode_form=form)


@login_required
@permission_required(PERM, raise_exception=True)
@require_POST
def prompt(request, slug):
    essay = get_object_or_404(Essay, slug=slug)
    form = PromptForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            spaces.add_prompt(request.user, essay, form.cleaned_data["prompt"], form.author_name())
        except Refused as exc:
            form.add_error("prompt", str(exc))
        else:
            messages.success(request, "The opening prompt is posted.")
            return redirect("organize:edit", essay.slug)
    return space_page(request, essay, 400, prompt_form=form)
