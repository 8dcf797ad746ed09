"""Heat scoring as the site runs it: the settings that switch it on, size it and set its
threshold, applied to comments.  The scoring itself is ``heat`` (plain Python)."""

from django.conf import settings

import heat


def heat_scoring_on():
    """``settings.HEAT_SCORING``: off, comments get no heat (and so no nudge or heat case)."""
    return getattr(settings, "HEAT_SCORING", True)


def comment_heat_set(comment):
    """Set ``comment.heat`` and ``comment.heat_signals`` from its body (not saved)."""
    if heat_scoring_on():
        comment.heat, comment.heat_signals = heat.score_text(comment.body)
    return comment


def scoring_workers():
    """``settings.HEAT_WORKERS``: how many processes score a long run of comments."""
    return getattr(settings, "HEAT_WORKERS", 0)


def score_batches(batches, **options):
    """``heat.score_batches`` of comment batches with ``settings.HEAT_WORKERS`` workers."""
    return heat.score_batches(batches, workers=scoring_workers(), **options)


def threshold_for(essay):
    """The space's heat threshold, or the site's default when it sets none."""
    value = getattr(essay, "heat_threshold", None)
    return settings.HEAT_THRESHOLD if value is None else value
