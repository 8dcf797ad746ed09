"""Times in words for templates: ``{{ essay.slow_mode_seconds|duration }}`` ("10 minutes"),
``{{ case.opened_at|ago }}`` ("just now", "5 minutes ago")."""

from django import template

from threads.durations import ago_words, duration_words

register = template.Library()


@register.filter
def duration(seconds):
    return duration_words(seconds)


@register.filter
def ago(when):
    return ago_words(when)
