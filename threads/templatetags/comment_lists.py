"""``{% comment_list comments %}``: a reader's comment list, written in Python (see
threads.thread_html.comment_list_html for why); ``{{ comment|comment_date }}``: when a
comment was written, by the same rule as the lists."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.safestring import mark_safe

from threads.models import Comment
from threads.thread_html import Dates, comment_date_html, comment_list_html

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_list(context, comments):
    """The list as ``templates/threads/_comment_list.html`` shows it: uses ``essay``,
    ``user``, ``base`` (the essay's URL) and ``fold_tail`` from the context, and the
    authors of ``ancestors`` and ``comment`` (a comment page's) for whom its replies answer.
    A thread page may give the list already made for its reader: ``kept_list``
    (see thread_html.SignedInReader)."""
    if kept := context.get("kept_list"):
        return kept
    known = [*(context.get("ancestors") or ()), context.get("comment")]
    return comment_list_html(
        comments,
        context["essay"],
        context.get("user") or AnonymousUser(),
        base=context.get("base"),
        fold_tail=context.get("fold_tail") or (),
        known=[c for c in known if isinstance(c, Comment)],
    )


@register.filter
def comment_date(comment):
    """``thread_html.comment_date_html`` for a template."""
    return mark_safe(comment_date_html(comment, Dates()))  # dates and fixed words only
