"""What every piece of input a person sends must pass before it reaches a query or a row.

Text is bounded and free of NUL (PostgreSQL cannot store it, no keyboard types
it); ids fit the database's integer column. Forms use these fields, models the
same validators and a CHECK constraint, and the workflow ``no_nul`` for text
that comes by another way (a command, a test, the admin), so every path gives
the same words.
"""

from django import forms
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# The largest id a BigAutoField holds (SQLite's and PostgreSQL's bigint).
MAX_ID = 2**63 - 1

NUL_MESSAGE = (
    "The text contains a NUL character (an invisible zero byte, often pasted from another "
    "program), which cannot be stored; please remove it."
)
no_nul = ProhibitNullCharactersValidator(message=NUL_MESSAGE)


def too_long(limit):
    """What a text past ``limit`` characters is told, in the workflow's words."""
    return f"That is too long: at most {limit:,} characters."


def text_validators(limit):
    """Validators of a model TextField holding at most ``limit`` characters."""
    return [MaxLengthValidator(limit), no_nul]


def length_check(field, limit, model):
    """A CHECK constraint keeping ``field`` within ``limit`` characters in the database."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=f"{model}_{field}_at_most_{limit}",
        violation_error_message=f"At most {limit:,} characters.",
    )


class TextInput(forms.CharField):
    """A bounded text field whose NUL refusal says what is wrong in words."""

    def __init__(self, *, max_length, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ] + [no_nul]


class IdField(forms.IntegerField):
    """An id from a form or query string: a whole number the database can look up."""

    def __init__(self, *, what="item", **kwargs):
        message = f"No such {what}."
        kwargs["error_messages"] = {
            **dict.fromkeys(("invalid", "min_value", "max_value"), message),
            **kwargs.get("error_messages", {}),
        }
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


def first_error(form):
    """The form's first error as one sentence, naming the field in words (for a flash)."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        return f"{label}: {errors[0]}" if label else errors[0]
    return ""
