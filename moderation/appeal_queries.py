"""What the appeal pages read: what an author may still appeal, their appeals, and an
appeal for the moderators (each a fixed number of queries)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from threads.models import Comment

from .appeal_models import APPEAL_WINDOW, Appeal
from .models import ModerationEvent, Sanction


@dataclass
class Appealable:
    """One decision about the author that they may still appeal."""

    kind: str  # Appeal.Kind
    target: int  # the comment (hidden) or the sanction
    what: str
    essay_title: str
    reason: str
    acted_at: datetime

    @property
    def until(self):
        return self.acted_at + APPEAL_WINDOW

    @property
    def kind_label(self):
        return Appeal.Kind(self.kind).label


def _hides():
    return ModerationEvent.objects.filter(action="comment_hidden", comment=OuterRef("pk")).order_by(
        "-created", "-id"
    )


def appealable(user, now=None):
    """Hides, warnings and posting pauses of the last 14 days not appealed yet (two queries)."""
    now = now or timezone.now()
    since = now - APPEAL_WINDOW
    hidden = (
        Comment.objects.filter(author=user, status=Comment.Status.HIDDEN)
        .annotate(
            hidden_at=Subquery(_hides().values("created")[:1]),
            hide_reason=Subquery(_hides().values("reason")[:1]),
            appealed=Exists(Appeal.objects.filter(comment=OuterRef("pk"), kind="hidden")),
        )
        .filter(hidden_at__gte=since, appealed=False)
        .select_related("essay")
        .order_by("-hidden_at")
    )
    sanctions = (
        Sanction.objects.filter(
            user=user,
            kind__in=(Sanction.Kind.WARNING, Sanction.Kind.POSTING_PAUSE),
            lifted_at__isnull=True,
            case__isnull=False,
            created__gte=since,
            appeal__isnull=True,
        )
        .select_related("case__essay")
        .order_by("-created")
    )
    items = [
        Appealable(
            Appeal.Kind.HIDDEN,
            c.pk,
            "Your comment was hidden",
            c.essay.title,
            c.hide_reason,
            c.hidden_at,
        )
        for c in hidden
    ]
    items += [
        Appealable(
            s.kind,
            s.pk,
            f"You received a {s.get_kind_display().lower()}",
            s.case.essay.title,
            s.reason,
            s.created,
        )
        for s in sanctions
    ]
    return sorted(items, key=lambda item: item.acted_at, reverse=True)


def appealable_one(user, kind, target, now=None):
    """The one decision ``(kind, target)`` the user may appeal, or None."""
    for item in appealable(user, now):
        if item.kind == kind and item.target == target:
            return item
    return None


def appeals_of(user):
    return list(
        Appeal.objects.filter(user=user).select_related("comment__essay").order_by("-created")
    )


def appeal_of_author(user, pk):
    """One of the user's own appeals (404 for anyone else's)."""
    return get_object_or_404(Appeal.objects.select_related("comment__essay"), pk=pk, user=user)


def appeal_of_case(case_pk):
    """The appeal a case was opened for, with what the moderators' page shows (one query)."""
    return get_object_or_404(
        Appeal.objects.select_related(
            "case", "comment__essay", "sanction", "acted_by", "decided_by"
        ),
        case_id=case_pk,
    )
