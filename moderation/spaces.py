"""What organizers change about a discussion space, each change in one transaction.

Views and commands call these; every change appends a ``ModerationEvent`` so the
history of a space can be read alongside the moderation log.  Slow mode lives
in ``moderation.workflow.set_slow_mode`` (moderators use it too).
"""

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from threads import posting
from threads.bounds import SETTING_FIELDS
from threads.errors import Refused
from threads.importing.essay_text import blocks_as_text, blocks_digest, written_blocks
from threads.importing.loading import import_comments
from threads.importing.parsing import default_slug, parse_comment_page
from threads.importing.site_loading import SiteImport
from threads.models import DEFAULT_GUIDELINES, Comment, Essay

from .audit import record
from .models import Case
from .workflow.cases import open_system_case

# "/organize/new/" and "/organize/watched-words/" would shadow a space with this slug.
RESERVED_SLUGS = {"new", "watched-words"}
DETAIL_FIELDS = ("title", "subtitle", "author_name", "guidelines")
EDITABLE_FIELDS = DETAIL_FIELDS + SETTING_FIELDS


class SpaceError(Refused):
    """A change to a space that cannot be made; the message is meant for the organizer.

    ``field`` names the form field it is about, when it is about one.
    """

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def setting_problem(field, value):
    """What is wrong with ``value`` for the moderation setting ``field``, or "".

    The model's validators decide (their bounds are in ``threads.bounds``, which the
    database's CHECK constraints are built from too).
    """
    try:
        Essay._meta.get_field(field).run_validators(value)
    except ValidationError as exc:
        ours = [e for e in exc.error_list if e.code == "out_of_bounds"]
        return (ours or exc.error_list)[0].messages[0]
    return ""


def _check(essay):
    """Model validation (lengths, slug format) as one message naming the field."""
    try:
        essay.full_clean(validate_unique=False)
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        label = Essay._meta.get_field(field).verbose_name if field != "__all__" else "space"
        raise SpaceError(f"{label.capitalize()}: {errors[0]}") from None


def create_space(
    actor,
    *,
    title,
    subtitle="",
    blocks=(),
    slug="",
    author_name="",
    guidelines=DEFAULT_GUIDELINES,
    featured=False,
    source="",
):
    """A new, open discussion space."""
    slug = slug or default_slug(title)
    taken = f"A space with the address “{slug}” already exists; choose another slug."
    if slug in RESERVED_SLUGS:
        raise SpaceError(f"“{slug}” is reserved; choose another slug.")
    essay = Essay(
        slug=slug,
        title=title,
        subtitle=subtitle,
        author_name=author_name,
        blocks=list(blocks),
        guidelines=guidelines,
        featured=featured,
        source=source[:300],
    )
    _check(essay)
    try:
        with transaction.atomic():
            if Essay.objects.filter(slug=slug).exists():
                raise SpaceError(taken)
            essay.save()
            record(
                actor,
                "space_created",
                essay=essay,
                after={"slug": slug, "title": title, "blocks": len(essay.blocks)},
            )
    except IntegrityError:  # created by someone else since the check
        raise SpaceError(taken) from None
    return essay


def update_space(actor, essay, **changes):
    """Change the editable fields; returns (essay, names of the fields that changed)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        essay = Essay.objects.select_for_update().get(pk=essay.pk)
        before = {f: getattr(essay, f) for f, v in changes.items() if getattr(essay, f) != v}
        if not before:
            return essay, []
        for field in SETTING_FIELDS:
            if field in before and (problem := setting_problem(field, changes[field])):
                raise SpaceError(problem, field)
        for field in before:
            setattr(essay, field, changes[field])
        _check(essay)
        essay.save(update_fields=list(before))
        after = {field: changes[field] for field in before}
        record(actor, "space_updated", essay=essay, before=before, after=after)
        return essay, list(before)


def space_text_update(*, actor, essay, text, based_on=""):
    """Replace the essay's text (written form, ``essay_text``'s heading rule); returns
    (essay, changed).

    ``based_on`` is ``blocks_digest`` of the text the organizer started from: when someone
    saved another text since, the save is refused and nothing is lost (the form keeps
    what was typed).  The event keeps the text before and after, so no wording is ever
    lost; saving bumps the page version (``threads.kept``) in this transaction.
    """
    blocks = written_blocks(text)
    if not blocks:
        raise SpaceError("Write the essay's text: it cannot be empty.", "text")
    with transaction.atomic():
        essay = Essay.objects.select_for_update().get(pk=essay.pk)
        if based_on and blocks_digest(essay.blocks) != based_on:
            raise SpaceError(
                "Someone saved another version of the text since you opened it. Your text "
                "is kept below; open the page again to see theirs before saving.",
                "text",
            )
        if essay.blocks == blocks:
            return essay, False
        before = {"text": blocks_as_text(essay.blocks), "blocks": len(essay.blocks)}
        essay.blocks = blocks
        _check(essay)
        essay.save(update_fields=["blocks"])
        after = {"text": blocks_as_text(blocks), "blocks": len(blocks)}
        record(actor, "space_text_edited", essay=essay, before=before, after=after)
        return essay, True


def set_discussion(actor, essay, state):
    """Open or close the space to new comments (prompts and imports still work)."""
    if state not in Essay.Discussion.values:
        raise SpaceError("Choose whether the discussion is open or closed.")
    with transaction.atomic():
        essay = Essay.objects.select_for_update().get(pk=essay.pk)
        if essay.discussion == state:
            raise SpaceError(f"The discussion is already {state}.")
        before = {"discussion": essay.discussion}
        essay.discussion = state
        essay.save(update_fields=["discussion"])
        action = "space_opened" if state == Essay.Discussion.OPEN else "space_closed"
        record(actor, action, essay=essay, before=before, after={"discussion": state})
        return essay


def add_prompt(actor, essay, body, author_name="Organizers"):
    """Post an opening prompt into the thread, shown apart from readers' comments."""
    with transaction.atomic():
        prompt = posting.post_comment(
            essay, actor, body, kind=Comment.Kind.PROMPT, author_name=author_name
        )
        record(actor, "prompt_added", comment=prompt, essay=essay, after={"prompt": prompt.pk})
        return prompt


def import_comment_page(actor, essay, text, name="comments", replies=""):
    """Import a comment page as ``import_comments`` does; returns (created, existing, warnings).

    Raises ``ImportFailed`` (and writes nothing) when the page cannot be imported.
    """
    page = parse_comment_page(text, name, replies)
    with transaction.atomic():
        created, existing = import_comments(essay, page)
        record(
            actor,
            "comments_imported",
            essay=essay,
            after={"file": name, "created": created, "existing": existing},
        )
    return created, existing, page.warnings


def import_site(actor, path, *, progress=None, now=None):
    """Import a Disqus, WordPress or callin export; returns (SiteImport, [SpaceResult]).

    Everything is read before anything is written (``ImportFailed`` leaves the
    database untouched); then each space is written in one transaction with
    its ``site_imported`` event, and each comment its source left unapproved
    opens a system case, so it waits in the moderators' queue.
    """

    def logged(essay, result):
        record(
            actor,
            "site_imported",
            essay=essay,
            after={
                "file": str(getattr(path, "name", path))[:200],
                "format": site.kind,
                "created": result.created,
                "existing": result.existing,
            },
        )
        reason = f"imported from a {site.kind} export without its approval"
        for comment in Comment.objects.filter(pk__in=result.pending):
            open_system_case(comment, Case.Origin.IMPORTED, reason)

    site = SiteImport(path, progress=progress)
    try:
        site.read()
        results = list(site.write(now=now, reserved_slugs=RESERVED_SLUGS, on_space=logged))
    finally:
        site.close()
    return site, results


def import_site_upload(actor, upload, *, now=None):
    """``import_site`` on an uploaded file, copied to a temporary folder under its own name
    (the importer streams from disk, and its messages name the file)."""
    name = Path(upload.name).name or "upload"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        with path.open("wb") as stream:
            for chunk in upload.chunks():
                stream.write(chunk)
        return import_site(actor, path, now=now)
