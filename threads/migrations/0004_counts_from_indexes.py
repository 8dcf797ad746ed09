"""Indexes that let the thread page count and find its rows without reading the thread.

comment_top_level becomes partial (top-level comments only) and holds rght
(the thread's size is summed from it);
comment_featured (essay, status, featured_at) counts the comments not visible
and finds the featured ones; comment_kind finds opening prompts.  The essay
and author foreign keys and django-mptt's tree_id lose their own indexes:
composite ones start with them.  The parent's index (comment_parent) leaves
out the top-level comments, so "parent IS NULL" is only ever served by
comment_top_level.
"""

import django.db.models.deletion
import mptt.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0003_moderation_settings_featured_heat"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="comment",
            name="comment_top_level",
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("parent", None)),
                fields=["essay", "tree_id", "rght", "parent"],
                name="comment_top_level",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["essay", "status", "featured_at"], name="comment_featured"),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["essay", "kind", "parent"], name="comment_kind"),
        ),
        migrations.AlterField(
            model_name="comment",
            name="essay",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="comments",
                to="threads.essay",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="parent",
            field=mptt.fields.TreeForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="children",
                to="threads.comment",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("parent__isnull", False)),
                fields=["parent"],
                name="comment_parent",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="tree_id",
            field=models.PositiveIntegerField(db_index=False, editable=False),
        ),
        migrations.AlterField(
            model_name="comment",
            name="author",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="comments",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
