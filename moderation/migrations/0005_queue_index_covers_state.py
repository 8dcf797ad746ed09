"""The queue's partial index also holds state, so counting open cases reads only the index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0004_flag_reviewed_at"),
        ("threads", "0004_counts_from_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="open_case_queue",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("state", "resolved"), _negated=True),
                fields=["urgency", "id", "state"],
                name="open_case_queue",
            ),
        ),
    ]
