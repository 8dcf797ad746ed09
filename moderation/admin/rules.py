"""Admin for sanctions and notices (history: view only) and for watched words and saved
replies (settings: changed through the functions their pages use, so each change is
logged the same way)."""

from django import forms
from django.contrib import admin

from .. import saved, watched
from ..models import Notice, Sanction, SavedReply, WatchedWord
from ..workflow import Refused, clean_text
from .records import ViewOnlyAdmin


@admin.register(Sanction)
class SanctionAdmin(ViewOnlyAdmin):
    """Given and lifted on the case page (``workflow.sanction``, ``lift_sanction``)."""

    list_display = ["id", "user", "kind", "created", "ends_at", "lifted_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["user", "created_by"]
    search_fields = ["user__username", "reason"]
    raw_id_fields = ["user", "case", "created_by"]
    show_full_result_count = False


@admin.register(Notice)
class NoticeAdmin(ViewOnlyAdmin):
    """Notices stay true for their time: undoing an action adds a new one."""

    list_display = ["id", "user", "body", "created", "seen_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "body"]
    raw_id_fields = ["user"]
    show_full_result_count = False


class WatchedWordForm(forms.ModelForm):
    class Meta:
        model = WatchedWord
        fields = ["essay", "pattern", "action"]

    def clean(self):
        """The page's checks, in its words; a word already watched is named, not doubled."""
        data = super().clean()
        if self.instance.pk is None and "pattern" in data:
            try:
                data["pattern"] = pattern = data["pattern"].strip().lower()
                watched.to_regex(pattern)
            except watched.BadPattern as exc:
                self.add_error("pattern", str(exc))
                return data
            if WatchedWord.objects.filter(essay=data.get("essay"), pattern=pattern).exists():
                self.add_error(
                    "pattern", f"“{pattern}” is already watched there; change its action on it."
                )
        return data


@admin.register(WatchedWord)
class WatchedWordAdmin(admin.ModelAdmin):
    """Added, changed and removed through ``moderation.watched``, as on the page."""

    form = WatchedWordForm
    list_display = ["pattern", "action", "essay", "created_by", "created"]
    list_filter = ["action", "essay"]
    list_select_related = ["essay", "created_by"]
    search_fields = ["pattern"]

    def get_readonly_fields(self, request, obj=None):
        # A word's pattern and space are what it is: change its action, or remove it.
        return ["essay", "pattern", "created_by", "created"] if obj else []

    def save_model(self, request, obj, form, change):
        word = watched.add_word(request.user, obj.essay, obj.pattern, obj.action)
        obj.pk, obj.created_by, obj.created = word.pk, word.created_by, word.created

    def delete_model(self, request, obj):
        watched.remove_word(request.user, obj)

    def delete_queryset(self, request, queryset):
        for word in queryset:
            watched.remove_word(request.user, word)


class SavedReplyForm(forms.ModelForm):
    class Meta:
        model = SavedReply
        fields = ["kind", "title", "body"]

    def clean(self):
        """The page's checks (``saved.save_reply``), in its words."""
        data = super().clean()
        for name, what, limit in (
            ("title", "a title", saved.TITLE_MAX),
            ("body", "the text", saved.BODY_MAX),
        ):
            if name in data:
                try:
                    data[name] = clean_text(data[name], what, limit)
                except Refused as exc:
                    self.add_error(name, str(exc))
        return data


@admin.register(SavedReply)
class SavedReplyAdmin(admin.ModelAdmin):
    """Added and removed through ``moderation.saved``, as on the page (which edits none)."""

    form = SavedReplyForm
    list_display = ["title", "kind", "created_by", "created"]
    list_filter = ["kind"]
    list_select_related = ["created_by"]
    search_fields = ["title", "body"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        reply = saved.save_reply(request.user, obj.kind, obj.title, obj.body)
        obj.pk, obj.created_by, obj.created = reply.pk, reply.created_by, reply.created

    def delete_model(self, request, obj):
        saved.remove_reply(request.user, obj)

    def delete_queryset(self, request, queryset):
        for reply in queryset:
            saved.remove_reply(request.user, reply)
