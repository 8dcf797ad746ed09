"""Forms of the organizer pages: a new space, its details and settings, its discussion,
slow mode, an opening prompt and a comment-page upload."""

from decimal import Decimal

from django import forms

from threads.bounds import SLOW_MODE_MAX_SECONDS
from threads.importing.essay_text import written_blocks
from threads.importing.parsing import ImportFailed, decode, parse_essay
from threads.inputs import TextInput
from threads.limits import MAX_ESSAY_TEXT_LENGTH, MAX_GUIDELINES_LENGTH
from threads.models import DEFAULT_GUIDELINES, MAX_COMMENT_LENGTH, Essay

from .spaces import SETTING_FIELDS, setting_problem

MAX_UPLOAD_BYTES = 5_000_000
# The one heading rule (threads.importing.essay_text), said the same way on every form.
HEADING_HELP = (
    "A paragraph starting with “## ” is a heading; so is a short one without closing "
    "punctuation when text follows it (a closing “Thanks for reading” stays a paragraph)."
)
SEED_FORMAT_HELP = (
    "The title on the first line, the subtitle on the second, then one paragraph per "
    f"line. {HEADING_HELP} An optional first line “Featured” features the space."
)
WRITTEN_HELP = f"Separate paragraphs with a blank line. {HEADING_HELP}"


def _max_length(field):
    return Essay._meta.get_field(field).max_length


def decode_upload(upload):
    """An uploaded text file as text, or a ValidationError with the importer's message."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            f"{upload.name}: the file is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB."
        )
    try:
        return decode(upload.read(), upload.name)
    except ImportFailed as exc:
        raise forms.ValidationError(str(exc)) from None


def is_site_export(upload):
    """Whether an upload is an XML or JSON export (import_site) rather than a comment page.

    The importer tells the formats apart from the content itself; here the first
    byte only decides which importer reads it."""
    head = upload.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    upload.seek(0)
    return head[:1] in (b"<", b"{")


class NewSpaceForm(forms.Form):
    """A new space from essay text in the seed format (pasted or uploaded), or written."""

    essay_text = TextInput(
        max_length=MAX_ESSAY_TEXT_LENGTH,
        label="Paste the essay text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=SEED_FORMAT_HELP,
    )
    essay_file = forms.FileField(
        label="Or upload it as a text file (UTF-8)", required=False, allow_empty_file=True
    )
    title = TextInput(required=False, max_length=_max_length("title"))
    subtitle = TextInput(required=False, max_length=_max_length("subtitle"))
    body = TextInput(
        max_length=MAX_ESSAY_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=WRITTEN_HELP,
    )
    slug = forms.SlugField(
        required=False,
        max_length=_max_length("slug"),
        help_text="The space's web address. Leave it empty to make one from the title.",
    )
    author_name = TextInput(
        label="Author name", required=False, max_length=_max_length("author_name")
    )
    guidelines = TextInput(
        max_length=MAX_GUIDELINES_LENGTH,
        label="Discussion guidelines",
        required=False,
        initial=DEFAULT_GUIDELINES,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        upload, text = data["essay_file"], data["essay_text"]
        written = any(data[f] for f in ("title", "subtitle", "body"))
        ways = sum(map(bool, (upload, text, written)))
        if ways == 0:
            raise forms.ValidationError(
                "Paste or upload the essay text, or write its title and body."
            )
        if ways > 1:
            raise forms.ValidationError(
                "Give the essay one way only: paste it, upload it, or write it."
            )
        if written:
            if not data.get("title"):
                self.add_error("title", "Give the space a title.")
            data["blocks"] = written_blocks(data["body"])
            return data
        field, name = ("essay_file", upload.name) if upload else ("essay_text", "pasted text")
        try:
            parsed = parse_essay(decode_upload(upload) if upload else text, name)
        except forms.ValidationError as exc:
            self.add_error(field, exc)
        except ImportFailed as exc:
            self.add_error(field, str(exc))
        else:
            data.update(
                title=parsed.title,
                subtitle=parsed.subtitle,
                blocks=parsed.blocks,
                featured=parsed.featured,
                source=upload.name if upload else "",
            )
        return data

    def space_fields(self):
        """Keyword arguments for ``spaces.create_space``."""
        data = self.cleaned_data
        fields = ("title", "subtitle", "blocks", "slug", "author_name", "guidelines")
        return {
            **{f: data[f] for f in fields},
            "featured": data.get("featured", False),
            "source": data.get("source", ""),
        }


class SpaceForm(forms.Form):
    title = TextInput(max_length=_max_length("title"))
    subtitle = TextInput(required=False, max_length=_max_length("subtitle"))
    author_name = TextInput(
        label="Author name", required=False, max_length=_max_length("author_name")
    )
    guidelines = TextInput(
        max_length=MAX_GUIDELINES_LENGTH,
        label="Discussion guidelines",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shown to readers above the discussion.",
    )


class SpaceSettingsForm(forms.Form):
    """The space's moderation settings; bounds and messages from the model (``threads.bounds``)."""

    call_in_hours = forms.IntegerField(
        label="Hours a call-in waits for its author",
        help_text="Then the case comes back to the queue marked “no answer”. Applies to "
        "call-ins sent from now on.",
    )
    auto_hold_weight = forms.DecimalField(
        label="Weighted flags that pause a comment before review",
        max_digits=8,
        decimal_places=2,
        help_text="0 is off. A flag weighs 1 to 5 by its reason (harmful 5, spam 4, heated 3), "
        "times its reader's track record (0.25 to 3).",
    )
    premoderate_first = forms.IntegerField(
        label="A newcomer's first comments that wait for approval",
        help_text="0 is off: every reader's comments are shown at once.",
    )
    heat_threshold = forms.DecimalField(
        label="Heat threshold",
        max_digits=6,
        decimal_places=2,
        help_text="A reply hotter than this gets a nudge before posting and opens a case.",
    )

    def clean(self):
        data = super().clean()
        for name in SETTING_FIELDS:
            if data.get(name) is None:
                continue
            value = float(data[name]) if isinstance(data[name], Decimal) else data[name]
            data[name] = value
            problem = setting_problem(name, value)
            if problem:
                self.add_error(name, problem)
        return data


class DiscussionForm(forms.Form):
    state = forms.ChoiceField(choices=Essay.Discussion.choices)


class SlowModeForm(forms.Form):
    interval_minutes = forms.IntegerField(
        label="Minutes between one person's comments",
        min_value=1,
        max_value=SLOW_MODE_MAX_SECONDS // 60,
    )
    duration_hours = forms.IntegerField(
        label="For how many hours",
        required=False,
        min_value=1,
        max_value=30 * 24,
        help_text="Leave it empty to keep slow mode on until you lift it.",
    )


class PromptForm(forms.Form):
    prompt = TextInput(
        label="Opening prompt",
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Posted into the thread and marked as an opening prompt.",
        error_messages={"required": "Write the prompt before posting."},
    )
    sign_as = forms.ChoiceField(label="Sign it as", widget=forms.RadioSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        me = user.get_full_name() or user.get_username()
        self.fields["sign_as"].choices = [("organizers", "Organizers"), ("me", me)]
        self.fields["sign_as"].initial = "organizers"

    def author_name(self):
        if self.cleaned_data["sign_as"] == "me":
            return self.user.get_full_name() or self.user.get_username()
        return "Organizers"


class EssayTextForm(forms.Form):
    """The essay's text, edited in the written form; saved only as it was last previewed."""

    text = TextInput(
        max_length=MAX_ESSAY_TEXT_LENGTH,
        label="The essay's text",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=WRITTEN_HELP,
        error_messages={"required": "Write the essay's text: it cannot be empty."},
    )
    # blocks_digest of the saved text this edit started from, and of the text last previewed.
    based_on = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    previewed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


# A comment page kept in the form between steps (a hidden field re-posts it): at most this
# many characters, well under DATA_UPLOAD_MAX_MEMORY_SIZE; and the comments arranged by
# clicking at most this many (comment N offers N choices).  Larger pages: the typed map.
MAX_KEPT_CHARS = 1_000_000
MAX_PREVIEW_COMMENTS = 60


class CommentPageForm(forms.Form):
    comment_file = forms.FileField(
        label="Comment page, or a Disqus, WordPress or callin export",
        allow_empty_file=True,
        required=False,
        help_text="A comment page: comments separated by lines reading “Expand full comment”. "
        "An export (XML or JSON) brings in every space it holds, each found again on a later "
        "upload.",
    )
    replies = TextInput(
        label="Replies by position (optional)",
        required=False,
        max_length=2000,
        help_text="Which comments answer which, by position: “9>8,10>8” means comments 9 "
        "and 10 reply to comment 8. Or preview the comments and choose each reply's parent.",
    )
    # The page of an earlier try, kept so that an error never asks for the file again.
    page_text = TextInput(
        widget=forms.HiddenInput, required=False, strip=False, max_length=MAX_KEPT_CHARS
    )
    page_name = TextInput(widget=forms.HiddenInput, required=False, max_length=200)

    def clean(self):
        data = super().clean()
        upload = data.get("comment_file")
        data["site_export"] = bool(upload) and is_site_export(upload)
        if upload and not data["site_export"]:
            try:
                data["text"] = decode_upload(upload)
            except forms.ValidationError as exc:
                self.add_error("comment_file", exc)
            else:
                data["name"] = upload.name
        elif not upload and data.get("page_text"):
            data["text"] = kept_text(data["page_text"])
            data["name"] = data.get("page_name") or "comments"
        elif not upload and "comment_file" not in self.errors:
            self.add_error("comment_file", "Choose the file to import.")
        if "text" in data:
            self.keep(data["text"], data["name"])
        return data

    def keep(self, text, name):
        """Carry the page's text in the form as it is drawn again (when it fits)."""
        self.data = self.data.copy()
        kept = len(text) <= MAX_KEPT_CHARS
        self.data["page_text"], self.data["page_name"] = (text, name) if kept else ("", "")

    def kept_name(self):
        """The name of the page the form carries, for the page to say so."""
        return self.data.get("page_name", "") if self.data.get("page_text") else ""


def kept_text(text):
    """A page as a hidden field brings it back: browsers send its line ends as CRLF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class ArrangeRepliesForm(forms.Form):
    """The preview's form: the page again, and for comment N (from 2) ``parent_N``: the
    position of the comment it answers, or empty for a new thread."""

    page_text = TextInput(widget=forms.HiddenInput, strip=False, max_length=MAX_KEPT_CHARS)
    page_name = TextInput(widget=forms.HiddenInput, required=False, max_length=200)

    def parents(self, count):
        """{position: parent position or None} as chosen; a choice that cannot be is
        an error of the form ("" when every choice is fine)."""
        chosen, problems = {}, []
        for position in range(2, count + 1):
            raw = str(self.data.get(f"parent_{position}", "")).strip()
            if not raw:
                chosen[position] = None
            elif raw.isascii() and raw.isdigit() and 1 <= int(raw) < position:
                chosen[position] = int(raw)
            else:
                problems.append(position)
        if problems:
            self.add_error(None, f"Comment {problems[0]}: choose a comment before it, or none.")
        return chosen


def replies_spec(parents):
    """{child: parent} to the importer's "9>8,10>8"."""
    return ",".join(f"{child}>{parent}" for child, parent in parents.items() if parent)
