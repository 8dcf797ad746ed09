"""A space as one JSON document, which ``import_site`` reads back into the same space.

What is public only: the essay, its settings, and its comments in thread order
with their public outcome (shown, hidden, withdrawn, waiting, featured).  No
private notes, flags or messages (they live in ``moderation``, which this
layer never reads), no accounts or emails: a comment keeps its display name.
A comment's ``id`` is its import key, or ``c<pk>`` for one written here, so a
space imported from an export exports to the same document again.
"""

from django.utils import timezone

from ..models import Comment, Essay
from .site_loading import SPACE_FIELDS
from .sites import SPACE_FORMAT

VERSION = 1


def comment_ref(import_key, pk):
    return import_key or f"c{pk}"


def space_export(*, essay: Essay):
    """The export document of ``essay`` (a dict ready for ``json.dump``)."""
    space = {
        "slug": essay.slug,
        "title": essay.title,
        "author_name": essay.author_name,
        "blocks": essay.blocks,
        "source": essay.source,
        **{f: getattr(essay, f) for f in SPACE_FIELDS},
    }
    return {
        "format": SPACE_FORMAT,
        "version": VERSION,
        "space": space,
        "comments": list(_comments(essay)),
    }


def _comments(essay):
    rows = (
        Comment.objects.filter(essay=essay)
        .order_by("tree_id", "lft")
        .values_list(
            "pk",
            "import_key",
            "parent_id",
            "author_name",
            "body",
            "kind",
            "status",
            "source_date",
            "imported",
            "written_on",
            "created",
            "edited",
            "featured_at",
        )  # fmt: skip
    )
    refs = {}
    for (
        pk,
        key,
        parent,
        name,
        body,
        kind,
        status,
        source_date,
        imported,
        written_on,
        *rest,
    ) in rows.iterator(chunk_size=2000):
        created, edited, featured_at = rest
        refs[pk] = ref = comment_ref(key, pk)
        day = written_on if imported else timezone.localdate(created)
        yield {
            "id": ref,
            "parent": refs.get(parent),
            "author_name": name,
            "body": body,
            "kind": kind,
            "status": status,
            "source_date": source_date,
            "written_on": day.isoformat() if day else None,
            "edited": edited is not None,
            "featured": featured_at is not None,
        }
