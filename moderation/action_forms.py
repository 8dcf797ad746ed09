"""Forms that parse what the moderator pages receive: the case actions, the bulk form,
saved replies, opening a case, and the queue's and the log's filters.

They only parse and bound (numbers that fit, text without NUL and within its
limit); which outcome, kind or label is allowed stays the workflow's word, so
a refusal reads the same from every page.
"""

from datetime import timedelta
from decimal import Decimal

from django import forms

from threads.inputs import IdField, TextInput, too_long
from threads.limits import MAX_MESSAGE_LENGTH, MAX_REASON_LENGTH

from .models import SAVED_REPLY_LENGTH, SavedReply
from .workflow import Refused
from .workflow.cases import MAX_PAUSE

# A case's version is a PositiveIntegerField.
MAX_VERSION = 2**31 - 1
# Short words chosen from a list (an outcome, a kind, a label, a state).
CHOICE_LENGTH = 40
HOURS_MESSAGE = "Give the hours as a number from 0.01 to 720 (30 days), or leave it empty."
MINUTES_MESSAGE = "Choose a whole number of minutes, at most 30 days."


def _text(label, limit):
    """An optional text field; past ``limit`` it is refused in the workflow's words."""
    return TextInput(
        label=label,
        max_length=limit,
        required=False,
        error_messages={"max_length": too_long(limit)},
    )


def _choice(label):
    return _text(label, CHOICE_LENGTH)


def _reason(label="Reason"):
    return _text(label, MAX_REASON_LENGTH)


class CaseActionForm(forms.Form):
    """Every field a form on the case page may post; each action reads the ones it needs."""

    version = forms.IntegerField(
        min_value=0,
        max_value=MAX_VERSION,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            "That form is incomplete; please use the buttons on this page.",
        ),
    )
    body = _text("Text", MAX_MESSAGE_LENGTH)
    pause_visibility = forms.BooleanField(required=False)
    kind = _choice("Kind of note")
    label = _choice("Label")
    outcome = _choice("Outcome")
    hide_reason = _choice("Reason for hiding")
    reason = _reason()
    skip_reason = _reason("Why skip a step")
    saved_reason = IdField(label="Saved reason", what="saved reason", required=False)
    sanction = IdField(label="Sanction", what="sanction", required=False)
    annotation = IdField(label="Note", what="note", required=False)
    minutes = forms.IntegerField(
        label="Minutes",
        required=False,
        min_value=0,
        max_value=MAX_PAUSE // timedelta(minutes=1),
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), MINUTES_MESSAGE),
    )
    hours = forms.DecimalField(
        label="Hours",
        required=False,
        min_value=Decimal("0.01"),
        max_value=MAX_PAUSE // timedelta(hours=1),
        max_digits=5,
        decimal_places=2,
        error_messages=dict.fromkeys(
            (
                "invalid",
                "min_value",
                "max_value",
                "max_digits",
                "max_decimal_places",
                "max_whole_digits",
            ),
            HOURS_MESSAGE,
        ),
    )

    @property
    def seen_version(self):
        """The case's version when the page that posted was drawn."""
        return self.cleaned_data["version"]

    def duration(self):
        """The minutes chosen, as a duration (Refused when none was chosen)."""
        if self.cleaned_data["minutes"] is None:
            raise Refused("Choose how long.")
        return timedelta(minutes=self.cleaned_data["minutes"])

    def optional_hours(self):
        hours = self.cleaned_data["hours"]
        return None if hours is None else timedelta(hours=float(hours))

    def written_reason(self):
        """The written reason, or the text of the saved hide reason the moderator picked."""
        return _saved_or_written(self.cleaned_data)


def _saved_or_written(data):
    if data["saved_reason"]:
        reply = SavedReply.objects.filter(
            pk=data["saved_reason"], kind=SavedReply.Kind.HIDE_REASON
        ).first()
        if reply:
            return reply.body
    return data["reason"]


class BulkForm(forms.Form):
    """The queue's bulk form: the ticked cases with the version each was seen at."""

    action = _choice("Action")
    outcome = _choice("Outcome")
    hide_reason = _choice("Reason for hiding")
    reason = _reason()
    saved_reason = IdField(label="Saved reason", what="saved reason", required=False)
    next = _text("Back to", 2000)

    def clean(self):
        data = super().clean()
        # A ticked case whose id or version does not parse is left out, as if unticked.
        ids, versions = IdField(), forms.IntegerField(min_value=0, max_value=MAX_VERSION)
        data["versions"] = {}
        for raw in self.data.getlist("case"):
            try:
                pk = ids.clean(raw)
                data["versions"][pk] = versions.clean(self.data.get(f"v{raw}", ""))
            except forms.ValidationError:
                continue
        return data

    def written_reason(self):
        return _saved_or_written(self.cleaned_data)


class SavedReplyForm(forms.Form):
    """Add a saved reply, or (``delete``) remove one."""

    delete = IdField(what="saved text", required=False)
    kind = _choice("Kind")
    title = _text("Title", SavedReply._meta.get_field("title").max_length)
    body = _text("Text", SAVED_REPLY_LENGTH)


class OpenCaseForm(forms.Form):
    note = _text("Note", MAX_REASON_LENGTH)


class QueueFilterForm(forms.Form):
    essay = _text("Space", 120)
    reason = _choice("Reason")
    state = _choice("State")
    sort = _choice("Order")
    mine = _choice("Mine")


class LogFilterForm(forms.Form):
    action = _choice("Action")
    actor = _text("Who", 150)
    essay = _text("Space", 120)
    case = IdField(label="Case", what="case", required=False)
