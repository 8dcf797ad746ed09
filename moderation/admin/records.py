"""Admin for moderation records: a place to look things up, not to rewrite history.

The log and the private conversations are view-only.  Cases, flags and
annotations can be corrected but never deleted, and each correction is itself
written to the log (the workflow functions are the normal way to change them).
Foreign keys to comments and users are raw ids: those tables are large.
"""

from datetime import date, datetime

from django.contrib import admin

from ..audit import record
from ..models import Annotation, Case, Flag, Message, ModerationEvent


def _plain(value):
    """A form value as JSON for the log."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LoggedCorrectionsAdmin(admin.ModelAdmin):
    """No add (records start in the workflow), no delete, and every change is logged.

    Only ``editable_fields`` can be changed; every other field (including any
    added to the model later) is shown read-only.
    """

    editable_fields = ()

    def get_readonly_fields(self, request, obj=None):
        return [
            f.name
            for f in self.model._meta.concrete_fields
            if not f.primary_key and f.name not in self.editable_fields
        ]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            fields = form.changed_data
            record(
                request.user,
                f"admin_{obj._meta.model_name}_changed",
                case=obj if isinstance(obj, Case) else obj.case,
                comment=obj.comment,
                before={f: _plain(form.initial.get(f)) for f in fields},
                after={f: _plain(form.cleaned_data.get(f)) for f in fields},
                reason="changed in the admin",
            )


class FlagInline(admin.TabularInline):
    model = Flag
    fields = ["flagger", "reason", "note", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(LoggedCorrectionsAdmin):
    list_display = ["id", "comment", "essay", "state", "outcome", "weight", "opened_at"]
    list_filter = ["state", "outcome", "origin", "essay"]
    list_select_related = ["comment", "essay"]
    search_fields = ["comment__body", "comment__author_name", "resolution_reason"]
    raw_id_fields = ["comment", "opened_by", "claimed_by", "resolved_by"]
    editable_fields = [
        "state",
        "outcome",
        "resolution_reason",
        "claimed_by",
        "claimed_at",
        "resolved_by",
        "resolved_at",
    ]
    inlines = [FlagInline]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if change and form.changed_data:
            obj.version += 1  # a moderator's form from before this change is now stale
        super().save_model(request, obj, form, change)


@admin.register(Flag)
class FlagAdmin(LoggedCorrectionsAdmin):
    list_display = ["id", "comment", "reason", "flagger", "case", "created"]
    list_filter = ["reason", "case__essay"]
    list_select_related = ["comment", "flagger", "case"]
    search_fields = ["note", "flagger__username", "comment__body"]
    raw_id_fields = ["comment", "flagger", "case"]
    # Only the note: changing the reason would put the case's weight out of step.
    editable_fields = ["note"]
    show_full_result_count = False


@admin.register(Annotation)
class AnnotationAdmin(LoggedCorrectionsAdmin):
    list_display = ["id", "kind", "comment", "created_by", "created", "retracted_at"]
    list_filter = ["kind", "comment__essay"]
    list_select_related = ["comment", "created_by"]
    search_fields = ["body", "about_name", "comment__body"]
    raw_id_fields = ["comment", "case", "about_user", "created_by"]
    editable_fields = ["body", "retracted_at"]
    show_full_result_count = False


@admin.register(Message)
class MessageAdmin(ViewOnlyAdmin):
    list_display = ["id", "case", "kind", "sender", "created", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["case", "sender"]
    search_fields = ["body"]
    raw_id_fields = ["case", "sender", "revision"]
    show_full_result_count = False


@admin.register(ModerationEvent)
class ModerationEventAdmin(ViewOnlyAdmin):
    list_display = ["created", "action", "actor", "case", "comment", "essay", "reason"]
    list_filter = ["action"]
    list_select_related = ["actor", "case", "comment", "essay"]
    search_fields = ["action", "reason", "actor__username"]
    raw_id_fields = ["actor", "case", "comment", "essay"]
    show_full_result_count = False
