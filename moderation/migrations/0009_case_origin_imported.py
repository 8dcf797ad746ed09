# Case origin "imported": a comment its source (a WordPress export) left unapproved.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0008_text_bounds'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='origin',
            field=models.CharField(choices=[('flag', 'Flagged by a reader'), ('moderator', 'Opened by a moderator or organizer'), ('watched_word', 'Watched word'), ('heat', 'Heat signal'), ('newcomer', "Newcomer's comment waiting for approval"), ('imported', 'Imported unapproved, waiting for approval')], default='flag', max_length=15),
        ),
    ]
