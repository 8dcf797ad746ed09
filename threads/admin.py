from django.contrib import admin

from .models import Comment, CommentRevision, Essay


@admin.register(Essay)
class EssayAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "discussion", "featured", "created"]
    list_filter = ["discussion", "featured"]
    search_fields = ["title", "subtitle", "slug"]
    prepopulated_fields = {"slug": ["title"]}


class RevisionInline(admin.TabularInline):
    model = CommentRevision
    fields = ["edited_at", "edited_by", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Plain ModelAdmin (not DraggableMPTTAdmin) so it stays fast on big tables."""

    list_display = ["id", "author_name", "essay", "status", "kind", "created"]
    list_filter = ["status", "kind", "essay"]
    list_select_related = ["essay"]
    search_fields = ["body", "author_name"]
    raw_id_fields = ["parent", "author"]
    readonly_fields = ["essay", "parent", "import_key", "created"]
    inlines = [RevisionInline]
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False  # moderation never hard-deletes; change the status instead


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
