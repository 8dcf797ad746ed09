"""``{% comment_list comments %}``: a reader's comment list, written in Python (see
threads.thread_html.comment_list_html for why)."""

from django import template
from django.contrib.auth.models import AnonymousUser

from threads.thread_html import comment_list_html

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_list(context, comments):
    """The list as ``templates/threads/_comment_list.html`` shows it: uses ``essay``,
    ``user``, ``base`` (the essay's URL) and ``fold_tail`` from the context."""
    return comment_list_html(
        comments,
        context["essay"],
        context.get("user") or AnonymousUser(),
        base=context.get("base"),
        fold_tail=context.get("fold_tail") or (),
    )
