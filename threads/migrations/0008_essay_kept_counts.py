"""Counts and a page version kept on each essay (threads.kept), filled in from the
comments already there."""

from django.db import migrations, models
from django.db.models import Count, Q


def fill(apps, schema_editor):
    Essay = apps.get_model("threads", "Essay")
    Comment = apps.get_model("threads", "Comment")
    for essay in Essay.objects.all():
        rows = Comment.objects.filter(essay=essay)
        found = rows.aggregate(
            visible=Count("pk", filter=Q(status="visible")),
            top_level=Count("pk", filter=Q(parent=None)),
        )
        Essay.objects.filter(pk=essay.pk).update(
            comment_count=found["visible"], top_level_count=found["top_level"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0007_text_bounds"),
    ]

    operations = [
        migrations.AddField(
            model_name="essay",
            name="comment_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="essay",
            name="top_level_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="essay",
            name="version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
