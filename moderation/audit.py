"""Writing the append-only audit log."""

from django.utils import timezone

from .models import ModerationEvent


def record(
    actor, action, *, case=None, comment=None, essay=None, before=None, after=None, reason=""
):
    """Append one event.  The comment and essay default to the case's."""
    comment_id = comment.pk if comment else (case.comment_id if case else None)
    if essay is not None:
        essay_id = essay.pk
    elif case is not None:
        essay_id = case.essay_id
    else:
        essay_id = comment.essay_id if comment else None
    return ModerationEvent.objects.create(
        actor=actor,
        action=action,
        case=case,
        comment_id=comment_id,
        essay_id=essay_id,
        before=before or {},
        after=after or {},
        reason=reason,
        created=timezone.now(),
    )
