"""Admin for essays and comments: every change goes through the pages' own functions.

A space's details, settings and open/closed state are saved by ``moderation.spaces``
(bounds checked by the model's validators, ``space_updated`` logged with before and
after); a comment's text by ``corrections.comment_correct`` (a revision kept, the
change logged).  Everything else is read-only here: a comment's status changes on its
case page (hide, show again, approve), where each step is logged and its author told.
Nothing is added or deleted here; spaces are created at /organize/new/.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from threads import posting
from threads.errors import Refused
from threads.inputs import TextInput
from threads.limits import MAX_COMMENT_LENGTH
from threads.models import Comment, CommentRevision, Essay

from .. import spaces
from ..corrections import comment_correct

SPACE_FIELDS = spaces.EDITABLE_FIELDS + ("discussion",)


class NoAddNoDelete(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # moderation never hard-deletes


@admin.register(Essay)
class EssayAdmin(NoAddNoDelete):
    list_display = ["title", "slug", "discussion", "featured", "created"]
    list_filter = ["discussion", "featured"]
    search_fields = ["title", "subtitle", "slug"]
    fields = [
        "title",
        "subtitle",
        "author_name",
        "guidelines",
        "discussion",
        "call_in_hours",
        "auto_hold_weight",
        "premoderate_first",
        "heat_threshold",
        "slug",
        "organizer_page",
        "featured",
        "slow_mode_seconds",
        "slow_mode_until",
        "source",
        "created",
    ]
    readonly_fields = [f for f in fields if f not in SPACE_FIELDS]

    @admin.display(description="Organizer page")
    def organizer_page(self, essay):
        url = reverse("organize:edit", args=[essay.slug])
        return format_html('<a href="{}">{}</a> (body, slow mode, prompts)', url, url)

    def save_model(self, request, obj, form, change):
        """Through the organizer page's functions; ``obj`` itself is never saved whole."""
        data = form.cleaned_data
        changes = {f: data[f] for f in form.changed_data if f in spaces.EDITABLE_FIELDS}
        if changes:
            spaces.update_space(request.user, obj, **changes)
        if "discussion" in form.changed_data:
            spaces.set_discussion(request.user, obj, data["discussion"])


class RevisionInline(admin.TabularInline):
    model = CommentRevision
    fields = ["edited_at", "edited_by", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CommentForm(forms.ModelForm):
    body = TextInput(max_length=MAX_COMMENT_LENGTH, widget=AdminTextareaWidget)

    def clean_body(self):
        """The same checks as an author's edit, in the same words."""
        try:
            return posting.clean_body(self.cleaned_data["body"])
        except Refused as exc:
            raise forms.ValidationError(str(exc)) from None


@admin.register(Comment)
class CommentAdmin(NoAddNoDelete):
    """Plain ModelAdmin (not DraggableMPTTAdmin) so it stays fast on big tables."""

    form = CommentForm
    list_display = ["id", "author_name", "essay", "status", "kind", "created"]
    list_filter = ["status", "kind", "essay"]
    list_select_related = ["essay"]
    search_fields = ["body", "author_name"]
    fields = [
        "essay",
        "parent",
        "author",
        "author_name",
        "body",
        "status",
        "moderation",
        "kind",
        "created",
        "edited",
        "imported",
        "source_date",
        "written_on",
        "import_key",
        "visibility_paused",
        "replies_paused_until",
        "collapsed",
        "collapsed_until",
        "featured_at",
        "heat",
    ]
    readonly_fields = [f for f in fields if f != "body"]
    inlines = [RevisionInline]
    show_full_result_count = False

    @admin.display(description="Where its status changes")
    def moderation(self, comment):
        cases = comment.cases.order_by("-opened_at")
        if cases:
            return format_html_join(
                ", ",
                '<a href="{}">case {} ({})</a>',
                (
                    (reverse("moderation:case", args=[c.pk]), c.pk, c.get_state_display())
                    for c in cases
                ),
            )
        return format_html(
            'No case yet: open one from <a href="{}">the comment\'s page</a> to hide it '
            "or show it again.",
            comment.get_absolute_url(),
        )

    def save_model(self, request, obj, form, change):
        """Only the text is editable, and only through the logged correction."""
        if "body" in form.changed_data:
            comment_correct(actor=request.user, comment=obj, body=form.cleaned_data["body"])
