"""Forms of the watched-words page (the moderator pages read request.POST directly)."""

from django import forms

from threads.inputs import TextInput
from threads.models import MAX_COMMENT_LENGTH

from .models import WatchedWord
from .space_forms import decode_upload
from .watched import MAX_PATTERN

MAX_CSV_CHARS = 200_000


class WatchedWordForm(forms.Form):
    pattern = TextInput(
        label="Word or phrase",
        max_length=MAX_PATTERN,
        help_text="Letters, digits, spaces, ' and -; * stands for any letters within a word "
        "(“idiot*” also finds “idiots” and “idiotic”, “*hole” finds “asshole”). Case does "
        "not matter.",
        error_messages={"required": "Write the word to watch."},
    )
    action = forms.ChoiceField(
        label="When a comment contains it",
        choices=WatchedWord.Action.choices,
        widget=forms.RadioSelect,
        initial=WatchedWord.Action.FLAG,
        error_messages={"required": "Choose flag, hold or block."},
    )


class TestTextForm(forms.Form):
    text = TextInput(
        label="Text to test",
        max_length=MAX_COMMENT_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Nothing is posted or saved.",
        error_messages={"required": "Write or paste a text to test."},
    )


class WatchedCsvForm(forms.Form):
    csv_file = forms.FileField(label="CSV file (UTF-8)", required=False, allow_empty_file=True)
    csv_text = TextInput(
        label="Or paste the rows",
        required=False,
        max_length=MAX_CSV_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One word a line: pattern,action (flag, hold or block), for example "
        "“idiot*,flag”. A first line “pattern,action” is skipped. If one line is wrong, "
        "nothing is imported and the message names the line.",
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("csv_file"), data.get("csv_text")
        if upload and text:
            raise forms.ValidationError("Upload a file or paste the rows, not both.")
        if upload:
            try:
                data["text"] = decode_upload(upload)
            except forms.ValidationError as exc:
                self.add_error("csv_file", exc)
        elif text and text.strip():
            data["text"] = text
        elif not self.errors:
            raise forms.ValidationError("Choose a CSV file or paste its rows.")
        return data
