"""What organizers change about a discussion space, each change in one transaction.

Views and commands call these; every change appends a ``ModerationEvent`` so the
history of a space can be read alongside the moderation log.  Slow mode lives
in ``moderation.workflow.set_slow_mode`` (moderators use it too).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from moderation.audit import record

from . import posting
from .importers import default_slug, import_comments, parse_comment_page
from .models import DEFAULT_GUIDELINES, Comment, Essay

# "/organize/new/" and "/organize/watched-words/" would shadow a space with this slug.
RESERVED_SLUGS = {"new", "watched-words"}
DETAIL_FIELDS = ("title", "subtitle", "author_name", "guidelines")
# The space's moderation settings (see threads.models.Essay and SETTING_BOUNDS).
SETTING_FIELDS = ("call_in_hours", "auto_hold_weight", "premoderate_first", "heat_threshold")
EDITABLE_FIELDS = DETAIL_FIELDS + SETTING_FIELDS
HEADING_PREFIX = "## "

# field: (smallest, largest, what the organizer reads when a value is outside them).
# auto_hold_weight may also be 0 (off): one new reader's flag weighs at most 5 (a
# "harmful" flag), so from 6 up no single new reader can pause a comment alone.
SETTING_BOUNDS = {
    "call_in_hours": (
        1,
        720,
        "A call-in waits between 1 and 720 hours (30 days) for its author.",
    ),
    "auto_hold_weight": (
        6,
        100,
        "Use 0 to turn auto-hold off, or a weight from 6 to 100. One new reader's flag "
        "weighs at most 5, so from 6 up no single new reader pauses a comment.",
    ),
    "premoderate_first": (
        0,
        20,
        "Hold from 0 to 20 of a newcomer's first comments (0 turns pre-moderation off).",
    ),
    "heat_threshold": (
        0.3,
        1.0,
        "The heat threshold is between 0.30 and 1.00 (1.00: no nudges and no heat cases).",
    ),
}


class SpaceError(Exception):
    """A change that cannot be made; the message is meant for the organizer.

    ``field`` names the form field it is about, when it is about one.
    """

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def setting_problem(field, value):
    """What is wrong with ``value`` for the moderation setting ``field``, or ""."""
    low, high, message = SETTING_BOUNDS[field]
    if field == "auto_hold_weight" and value == 0:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        return message
    return ""


def blocks_from_text(text):
    """Written body to blocks: blank lines separate paragraphs, "## " starts a heading."""
    blocks, lines = [], []

    def flush():
        if lines:
            blocks.append({"kind": "paragraph", "text": " ".join(lines)})
            lines.clear()

    for line in (text or "").splitlines():
        line = line.strip()
        if line.startswith(HEADING_PREFIX):
            flush()
            blocks.append({"kind": "heading", "text": line[len(HEADING_PREFIX) :].strip()})
        elif line:
            lines.append(line)
        else:
            flush()
    flush()
    return blocks


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
        try:
            prompt = posting.post_comment(
                essay, actor, body, kind=Comment.Kind.PROMPT, author_name=author_name
            )
        except posting.PostingError as exc:
            raise SpaceError(str(exc)) from None
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
