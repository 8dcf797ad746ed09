"""Template context for every page: the signed-in user's unread notifications."""

from functools import cache

from django.db.models import Exists, OuterRef

from .models import Message, Notice


def unread_count(user):
    """Unread moderator messages about the user's comments plus unseen notices: one query.

    Messages count only on cases the inbox shows (those with a call-in), so
    the number always leads somewhere the user can read.
    """
    called_in = Message.objects.filter(case=OuterRef("case"), kind=Message.Kind.CALL_IN)
    messages = (
        Message.objects.filter(
            case__comment__author=user, kind__in=Message.TO_AUTHOR, read_at__isnull=True
        )
        .filter(Exists(called_in))
        .order_by()
        .values("pk")
    )
    notices = Notice.objects.filter(user=user, seen_at__isnull=True).order_by().values("pk")
    return messages.union(notices, all=True).count()


def notifications(request):
    """``unread_notifications``: counted only when a template reads it, and only when signed in."""

    @cache
    def unread_notifications():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)

    return {"unread_notifications": unread_notifications}
