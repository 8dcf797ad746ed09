"""Imported comments say so, and keep the day their source gave (see Comment.imported)."""

from django.db import migrations, models
from django.utils import timezone

from threads.importing.parsing import written_day

# The keys the importer gives (threads.importing.loading.import_key); the demo reply's
# "demo-ben-1" stands for a comment posted here.
IMPORT_KEY = r"^[0-9a-f]{32}-[0-9]+$"


def mark_imported(apps, schema_editor):
    """Existing imported comments: flagged, and dated from their source date as read on
    the day they were imported (their ``created``)."""
    Comment = apps.get_model("threads", "Comment")
    imported = Comment.objects.filter(import_key__regex=IMPORT_KEY)
    imported.update(imported=True)
    dated = imported.exclude(source_date="").only("pk", "source_date", "created")
    for comment in dated.iterator(chunk_size=2000):
        day = written_day(comment.source_date, timezone.localtime(comment.created))
        if day:
            Comment.objects.filter(pk=comment.pk).update(written_on=day)


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0004_counts_from_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="imported",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="comment",
            name="written_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(mark_imported, migrations.RunPython.noop),
    ]
