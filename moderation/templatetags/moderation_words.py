"""Codes the moderation pages hold, as words: ``{{ event.action|action_words }}``,
``{% for what, was, now in event|event_changes %}``, ``{{ reason|reason_label }}``;
and ``{% with part=case|flagged_part %}``, the words of a queue row."""

from django import template

from moderation import log_words, snippets
from moderation.models import Reason

register = template.Library()
REASONS = dict(Reason.choices)


@register.filter
def action_words(action):
    return log_words.action_words(action)


@register.filter
def event_changes(event):
    return log_words.event_changes(event)


@register.filter
def reason_label(reason):
    """A flag reason's label ("needs_context" → "Needs context")."""
    return REASONS.get(reason, str(reason).replace("_", " "))


@register.filter
def flagged_part(case):
    """(before, marked, after) of the case's comment around what was flagged."""
    comment = case.comment
    return snippets.flagged_part(comment.body, case.watched_words, comment.heat_signals)
