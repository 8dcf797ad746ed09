"""Organizer pages that take a text in two steps: the essay's text (edit, preview, save)
and a comment page (upload, preview, choose each reply's parent, import).

Nothing typed is lost on an error: the page comes back with what was entered, and the
comment page's text rides along in a hidden field (``CommentPageForm.keep``), so the file
is never asked for again.  Without JavaScript every step is a plain form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from threads.importing.essay_text import blocks_as_text, blocks_digest, written_blocks
from threads.importing.parsing import ImportFailed, parse_comment_page
from threads.importing.site_loading import site_summary
from threads.models import Essay

from .. import spaces
from ..space_forms import (
    MAX_KEPT_CHARS,
    MAX_PREVIEW_COMMENTS,
    ArrangeRepliesForm,
    CommentPageForm,
    EssayTextForm,
    kept_text,
    replies_spec,
)
from .organizers import PERM, space_page

# How much of a comment the preview shows, and of a candidate parent beside its radio.
EXCERPT_CHARS = 400
CANDIDATE_CHARS = 48
# The nearest earlier comments are offered at once; the others behind "Earlier comments".
NEAREST = 5
EXPORT_NOT_PREVIEWED = (
    "An export (XML or JSON) is imported as its source arranged it, with nothing to "
    "arrange: choose “Import now”."
)


def _text_page(request, essay, form, *, blocks=None, note="", status=200):
    ctx = {"essay": essay, "form": form, "blocks": blocks, "note": note}
    return render(request, "organize/essay_text.html", ctx, status=status)


@login_required
@permission_required(PERM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def essay_text(request, slug):
    """Edit the essay's text; "Preview" shows it as readers will, "Save" keeps what was
    previewed (a text changed after its preview is shown again first)."""
    essay = get_object_or_404(Essay, slug=slug)
    if request.method == "GET":
        digest = blocks_digest(essay.blocks)
        initial = {"text": blocks_as_text(essay.blocks), "based_on": digest}
        return _text_page(request, essay, EssayTextForm(initial=initial))
    form = EssayTextForm(request.POST)
    if not form.is_valid():
        return _text_page(request, essay, form, status=400)
    data = form.cleaned_data
    blocks = written_blocks(data["text"])
    digest = blocks_digest(blocks)
    saving = "save" in request.POST
    if saving and data["previewed"] == digest:
        try:
            essay, changed = spaces.space_text_update(
                actor=request.user, essay=essay, text=data["text"], based_on=data["based_on"]
            )
        except spaces.SpaceError as exc:
            form.add_error("text", str(exc))
            return _text_page(request, essay, form, blocks=blocks, status=400)
        messages.success(request, "The essay's text is saved." if changed else "Nothing changed.")
        return redirect("organize:edit", essay.slug)
    form.data = form.data.copy()
    form.data["previewed"] = digest
    note = "The text changed since its preview: check it below, then save." if saving else ""
    return _text_page(request, essay, form, blocks=blocks, note=note)


@login_required
@permission_required(PERM, raise_exception=True)
@require_POST
def import_comments(request, slug):
    """A comment page imported at once (with the typed replies), or previewed first
    ("preview"); an XML or JSON export goes to ``import_site``."""
    essay = get_object_or_404(Essay, slug=slug)
    form = CommentPageForm(request.POST, request.FILES)
    if not form.is_valid():
        return space_page(request, essay, 400, upload_form=form)
    data = form.cleaned_data
    if data["site_export"] and "preview" in request.POST:  # "Preview" never writes
        form.add_error("comment_file", EXPORT_NOT_PREVIEWED)
        return space_page(request, essay, 400, upload_form=form)
    if data["site_export"]:
        try:
            _, results = spaces.import_site_upload(request.user, data["comment_file"])
        except ImportFailed as exc:
            form.add_error("comment_file", str(exc))
            return space_page(request, essay, 400, upload_form=form)
        messages.success(request, site_summary(results))
        return redirect("organize:spaces")
    if "preview" in request.POST:
        try:
            page = parse_comment_page(data["text"], data["name"], data["replies"])
            _check_arrangeable(page, data)
        except ImportFailed as exc:
            form.add_error("comment_file", str(exc))
            return space_page(request, essay, 400, upload_form=form)
        parents = {c.position: c.parent_position for c in page.comments}
        arrange = ArrangeRepliesForm(initial={"page_text": data["text"], "page_name": data["name"]})
        return _preview(request, essay, arrange, page, parents)
    try:
        created, existing, warnings = spaces.import_comment_page(
            request.user, essay, data["text"], data["name"], data["replies"]
        )
    except ImportFailed as exc:
        form.add_error("comment_file", str(exc))
        return space_page(request, essay, 400, upload_form=form)
    return _imported(request, essay, created, existing, warnings)


def _check_arrangeable(page, data):
    count = len(page.comments)
    if count > MAX_PREVIEW_COMMENTS or len(data["text"]) > MAX_KEPT_CHARS:
        raise ImportFailed(
            f"{data['name']}: {count} comments are too many to arrange one by one here "
            f"(at most {MAX_PREVIEW_COMMENTS}); give the replies by position and choose "
            "“Import now”."
        )


@login_required
@permission_required(PERM, raise_exception=True)
@require_POST
def import_arrange(request, slug):
    """The preview's form: "arrange" draws it again with the nesting chosen, "import"
    imports the page with those parents."""
    essay = get_object_or_404(Essay, slug=slug)
    form = ArrangeRepliesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The previewed page was not sent back; choose the file again.")
        return space_page(request, essay, 400, upload_form=CommentPageForm())
    text = kept_text(form.cleaned_data["page_text"])
    name = form.cleaned_data["page_name"] or "comments"
    try:
        page = parse_comment_page(text, name)
    except ImportFailed as exc:
        messages.error(request, str(exc))
        return space_page(request, essay, 400, upload_form=CommentPageForm())
    parents = form.parents(len(page.comments))
    if form.errors or "import" not in request.POST:
        return _preview(request, essay, form, page, parents, status=400 if form.errors else 200)
    try:
        created, existing, warnings = spaces.import_comment_page(
            request.user, essay, text, name, replies_spec(parents)
        )
    except ImportFailed as exc:
        form.add_error(None, str(exc))
        return _preview(request, essay, form, page, parents, status=400)
    return _imported(request, essay, created, existing, warnings)


def _imported(request, essay, created, existing, warnings):
    messages.success(request, f"Created {created} comments; {existing} were already there.")
    for warning in warnings:
        messages.warning(request, warning)
    return redirect("organize:edit", essay.slug)


def _excerpt(text, most):
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _preview(request, essay, form, page, parents, status=200):
    """The parsed comments in file order, each reply indented under the parent chosen
    for it, with one radio per comment it could answer: the nearest first, the rest
    behind a disclosure (open when one of them is chosen)."""
    depth, rows = {}, []
    for comment in page.comments:
        parent = parents.get(comment.position)
        depth[comment.position] = depth[parent] + 1 if parent in depth else 0
        candidates = [
            {
                "position": earlier.position,
                "author": earlier.author_name,
                "start": _excerpt(earlier.body, CANDIDATE_CHARS),
            }
            for earlier in reversed(page.comments[: comment.position - 1])
        ]
        far = candidates[NEAREST:]
        rows.append(
            {
                "comment": comment,
                "excerpt": _excerpt(comment.body, EXCERPT_CHARS),
                "parent": parent,
                "depth": min(depth[comment.position], 5),
                "near": candidates[:NEAREST],
                "far": far,
                "far_chosen": any(c["position"] == parent for c in far),
            }
        )
    ctx = {"essay": essay, "form": form, "rows": rows, "warnings": page.warnings}
    return render(request, "organize/import_preview.html", ctx, status=status)
