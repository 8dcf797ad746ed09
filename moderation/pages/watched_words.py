"""The watched-words page: one space's list (/organize/SLUG/watched-words/) or the
site-wide one (/organize/watched-words/).

Who: a space's list is for organizers (``threads.organize_spaces``, which lets them
run every space) and moderators (``moderation.moderate_case``); the site-wide list
applies to every space, so it is for moderators only (and superusers).  Anyone else
gets 403.

Each view parses its form, calls one function of ``moderation.watched`` and
redirects; on an error it shows the page again with that form's errors (status
400) and nothing written.  "Test a text" writes nothing and shows its result on
the page.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from threads.models import Essay

from .. import watched
from ..forms import TestTextForm, WatchedCsvForm, WatchedWordForm
from ..models import WatchedWord

MODERATE = "moderation.moderate_case"
ORGANIZE = "threads.organize_spaces"


def may_manage(user, essay):
    """Whether ``user`` may change the watched words of ``essay`` (None: site-wide)."""
    if essay is None:
        return user.has_perm(MODERATE)
    return user.has_perm(MODERATE) or user.has_perm(ORGANIZE)


def watched_words_scope(view):
    """Resolve the space from the URL (none: site-wide) and refuse who may not manage it.

    The permission is checked before the space is looked up, so a reader learns nothing
    about which spaces exist.
    """

    @wraps(view)
    @login_required
    def wrapper(request, slug=None, **kwargs):
        if not (request.user.has_perm(MODERATE) or request.user.has_perm(ORGANIZE)):
            raise PermissionDenied
        essay = get_object_or_404(Essay, slug=slug) if slug else None
        if not may_manage(request.user, essay):
            raise PermissionDenied
        return view(request, essay, **kwargs)

    return wrapper


def page_url(essay, name="watched_words"):
    if essay is None:
        return reverse(f"organize:site_{name}")
    return reverse(f"organize:{name}", args=[essay.slug])


def _page(request, essay, status=200, result=None, **forms):
    """The page; ``forms`` replaces the blank form of the action that failed."""
    words = list(WatchedWord.objects.filter(essay=essay).select_related("created_by"))
    for word in words:
        word.remove_url = (
            reverse("organize:site_watched_remove", args=[word.pk])
            if essay is None
            else reverse("organize:watched_remove", args=[essay.slug, word.pk])
        )
    ctx = {
        "essay": essay,
        "words": words,
        # On a space's page, the site-wide words that apply there too (read only).
        "site_words": list(WatchedWord.objects.filter(essay=None)) if essay else [],
        "spaces": [] if essay else list(Essay.objects.only("slug", "title").order_by("title")),
        "may_manage_site": request.user.has_perm(MODERATE),
        "urls": {
            name: page_url(essay, name)
            for name in ("watched_words", "watched_add", "watched_test", "watched_import")
        }
        | {"export": page_url(essay, "watched_export"), "site": page_url(None)},
        "word_form": WatchedWordForm(),
        "test_form": TestTextForm(),
        "csv_form": WatchedCsvForm(),
        "result": result,
        "failed": status >= 400,
        **forms,
    }
    return render(request, "organize/watched_words.html", ctx, status=status)


@watched_words_scope
@require_GET
def watched_words(request, essay):
    return _page(request, essay)


@watched_words_scope
@require_POST
def add_word(request, essay):
    form = WatchedWordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            word = watched.add_word(request.user, essay, data["pattern"], data["action"])
        except watched.BadPattern as exc:
            form.add_error("pattern", str(exc))
        else:
            if word.change is None:
                messages.info(request, f"“{word.pattern}” was already watched that way.")
            else:
                messages.success(
                    request, f"“{word.pattern}” is watched: {word.get_action_display().lower()}."
                )
            return redirect(page_url(essay))
    return _page(request, essay, 400, word_form=form)


@watched_words_scope
@require_POST
def remove_word(request, essay, pk):
    word = get_object_or_404(WatchedWord, pk=pk, essay=essay)
    try:
        watched.remove_word(request.user, word)
    except watched.BadPattern as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{word.pattern}” is no longer watched.")
    return redirect(page_url(essay))


@watched_words_scope
@require_POST
def try_text(request, essay):
    """What a text would meet here: nothing is posted, saved or logged."""
    form = TestTextForm(request.POST)
    if not form.is_valid():
        return _page(request, essay, 400, test_form=form)
    words = watched.words_for(essay) if essay else WatchedWord.objects.filter(essay=None)
    result = watched.check_text(form.cleaned_data["text"], words)
    return _page(request, essay, result=result, test_form=form)


@watched_words_scope
@require_POST
def import_words(request, essay):
    form = WatchedCsvForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            counts = watched.import_csv(request.user, essay, form.cleaned_data["text"])
        except watched.BadPattern as exc:
            field = "csv_file" if form.cleaned_data.get("csv_file") else "csv_text"
            form.add_error(field, f"Nothing was imported. {exc}")
        else:
            messages.success(
                request,
                f"Imported: {counts['added']} new, {counts['changed']} changed, "
                f"{counts['unchanged']} already watched that way.",
            )
            return redirect(page_url(essay))
    return _page(request, essay, 400, csv_form=form)


@watched_words_scope
@require_GET
def export_words(request, essay):
    name = f"watched-words-{essay.slug if essay else 'site-wide'}.csv"
    response = HttpResponse(watched.export_csv(essay), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
