"""Revisions are view-only.  Essays and comments are in ``moderation.admin.content``:
changing them there goes through the moderation layer's functions and its log."""

from django.contrib import admin

from .models import CommentRevision


@admin.register(CommentRevision)
class CommentRevisionAdmin(admin.ModelAdmin):
    list_display = ["comment", "edited_by", "edited_at"]
    raw_id_fields = ["comment", "edited_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
