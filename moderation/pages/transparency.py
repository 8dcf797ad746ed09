"""The public transparency page (``/transparency/``) and its CSV: what moderation did, per
month, site-wide or in one space (``?space=SLUG``); counts only, no person named."""

import csv

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from threads.models import Essay

from .. import transparency as numbers

SPACE = forms.SlugField(max_length=Essay._meta.get_field("slug").max_length, required=False)


def _scope(request):
    """The space of ``?space=``; a value no slug can be (a NUL, say) is no such space."""
    try:
        slug = SPACE.clean(request.GET.get("space", ""))
    except ValidationError:
        raise Http404("No such space.") from None
    return get_object_or_404(Essay, slug=slug) if slug else None


@require_GET
def transparency(request):
    essay = _scope(request)
    ctx = {
        "essay": essay,
        "table": numbers.transparency_table(essay=essay),
        "spaces": Essay.objects.order_by("title").only("slug", "title"),
        "first_action": numbers.FIRST_ACTION,
    }
    return render(request, "moderation/transparency.html", ctx)


@require_GET
def transparency_csv(request):
    essay = _scope(request)
    name = f"callin-transparency-{essay.slug}.csv" if essay else "callin-transparency.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    csv.writer(response).writerows(numbers.table_csv_rows(numbers.transparency_table(essay=essay)))
    return response
