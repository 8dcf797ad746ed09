"""The bounds of a space's moderation settings, defined once for everyone who checks them.

The model's field validators read them (so the organizer page and the admin say the
bound in words), the database CHECK constraints are built from them (so neither a
``save()`` nor an ``update()`` can store a value outside them), and the organizer
form and ``moderation.spaces.update_space`` run those same validators.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible

# Slow mode: the longest interval between two comments by one person.
SLOW_MODE_MAX_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Bound:
    low: float
    high: float
    message: str  # what a person reads when a value is outside the bound
    off: float | None = None  # a value outside [low, high] still allowed: "turned off"

    def allows(self, value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return value == self.off or self.low <= value <= self.high

    def condition(self, field):
        """The bound as a database condition on ``field``."""
        inside = models.Q(**{f"{field}__gte": self.low, f"{field}__lte": self.high})
        return inside if self.off is None else inside | models.Q(**{field: self.off})


# auto_hold_weight may also be 0 (off): one new reader's flag weighs at most 5 (a
# "harmful" flag), so from 6 up no single new reader can pause a comment alone.
SETTING_BOUNDS = {
    "call_in_hours": Bound(
        1, 720, "A call-in waits between 1 and 720 hours (30 days) for its author."
    ),
    "auto_hold_weight": Bound(
        6,
        100,
        "Use 0 to turn auto-hold off, or a weight from 6 to 100. One new reader's flag "
        "weighs at most 5, so from 6 up no single new reader pauses a comment.",
        off=0,
    ),
    "premoderate_first": Bound(
        0, 20, "Hold from 0 to 20 of a newcomer's first comments (0 turns pre-moderation off)."
    ),
    "heat_threshold": Bound(
        0.3,
        1.0,
        "The heat threshold is between 0.30 and 1.00 (1.00: no nudges and no heat cases).",
    ),
}
SETTING_FIELDS = tuple(SETTING_BOUNDS)
ESSAY_BOUNDS = {
    **SETTING_BOUNDS,
    "slow_mode_seconds": Bound(
        0, SLOW_MODE_MAX_SECONDS, "Slow mode takes an interval between 0 and 24 hours."
    ),
}


@deconstructible(path="threads.bounds.InBounds")
class InBounds:
    """Model field validator: the value is within ``ESSAY_BOUNDS[field]``."""

    def __init__(self, field):
        self.field = field

    def __call__(self, value):
        bound = ESSAY_BOUNDS[self.field]
        if not bound.allows(value):
            raise ValidationError(bound.message, code="out_of_bounds")

    def __eq__(self, other):
        return isinstance(other, InBounds) and other.field == self.field


def essay_constraints():
    """One CHECK constraint per bounded field of ``Essay``."""
    return [
        models.CheckConstraint(
            condition=bound.condition(field),
            name=f"essay_{field}_in_bounds",
            violation_error_message=bound.message,
        )
        for field, bound in ESSAY_BOUNDS.items()
    ]
