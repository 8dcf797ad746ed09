"""The moderators' notes: private ones on a comment or its author, public context
notes, and bridging notes placed in the thread."""

from django.db import transaction
from django.utils import timezone

from threads import posting
from threads.limits import MAX_REASON_LENGTH
from threads.models import Comment

from ..audit import record
from ..models import Annotation, NoteLabel
from .cases import Refused, clean_text, lock_comment, touch_case


def annotate(actor, comment, kind, body, case=None, label=""):
    """A private note (on the comment or its author, which may carry a label) or a public
    context note."""
    if kind not in Annotation.Kind.values:
        raise Refused("Choose what kind of note this is.")
    if label and (label not in NoteLabel.values or kind != Annotation.Kind.AUTHOR_NOTE):
        raise Refused("Labels go on notes about the author, from the listed ones.")
    body = clean_text(body, "the note", MAX_REASON_LENGTH)
    with transaction.atomic():
        # The comment before the case, as everywhere (see lock_case).
        comment = lock_comment(comment)
        annotation = Annotation.objects.create(
            kind=kind,
            comment=comment,
            case=case,
            about_user=comment.author if kind == Annotation.Kind.AUTHOR_NOTE else None,
            about_name=comment.author_name if kind == Annotation.Kind.AUTHOR_NOTE else "",
            label=label,
            body=body,
            created_by=actor,
            created=timezone.now(),
        )
        touch_case(case)
        record(
            actor,
            "annotation_added",
            case=case,
            comment=comment,
            after={
                "kind": kind,
                "annotation": annotation.pk,
                **({"label": label} if label else {}),
            },
        )
        return annotation


def retract_annotation(actor, annotation, case=None):
    """Retract a note; from a case page it is logged against that ``case`` (else the
    case it was written on)."""
    with transaction.atomic():
        annotation = Annotation.objects.select_for_update().get(pk=annotation.pk)
        if annotation.retracted_at is not None:
            raise Refused("That note was already retracted.")
        annotation.retracted_at = timezone.now()
        annotation.save(update_fields=["retracted_at"])
        record(
            actor,
            "annotation_retracted",
            case=case or annotation.case,
            comment=annotation.comment,
            before={"annotation": annotation.pk, "retracted": False},
            after={"retracted": True},
        )
        return annotation


def add_bridging_note(actor, comment, body, case=None):
    """A public note from the moderators placed in the thread, under ``comment``."""
    note = posting.post_comment(
        comment.essay,
        actor,
        body,
        parent=comment,
        kind=Comment.Kind.BRIDGE,
        author_name="The moderators",
    )
    record(actor, "bridging_note_added", case=case, comment=comment, after={"note": note.pk})
    return note
