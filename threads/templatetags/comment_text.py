"""Templates ask the one visibility rule before writing a comment's text:
``{% if comment|text_visible:user %}…{% else %}{{ comment|placeholder }}{% endif %}``."""

from django import template

from threads.visibility import comment_text_visible, placeholder_html

register = template.Library()


@register.filter
def text_visible(comment, user):
    """``visibility.comment_text_visible`` for a template (``user`` from the context)."""
    return comment_text_visible(comment=comment, user=user)


@register.filter
def placeholder(comment):
    """The neutral words shown instead of a text the viewer may not read."""
    return placeholder_html(comment)
