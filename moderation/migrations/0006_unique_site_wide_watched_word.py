"""One site-wide watched word per pattern (NULL essays are distinct in unique_watched_word)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0005_queue_index_covers_state"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="watchedword",
            constraint=models.UniqueConstraint(
                condition=models.Q(("essay__isnull", True)),
                fields=("pattern",),
                name="unique_site_wide_watched_word",
            ),
        ),
    ]
