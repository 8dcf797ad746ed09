"""Chain the moderation log: hash columns, the chain head, the existing events
chained in the order they were written, and (PostgreSQL) triggers that refuse
TRUNCATE of the log and keep the head moving forward only."""

from django.db import migrations, models

from moderation import chain

EVENTS = "moderation_moderationevent"
BATCH = 1000

TRIGGERS = """
CREATE TRIGGER moderation_event_no_truncate
    BEFORE TRUNCATE ON moderation_moderationevent
    FOR EACH STATEMENT EXECUTE FUNCTION moderation_event_append_only();
CREATE OR REPLACE FUNCTION moderation_loghead_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.count = OLD.count + 1
            AND NEW.prev_hash = OLD.last_hash THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the moderation log head only moves forward (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER moderation_loghead_forward_only
    BEFORE UPDATE OR DELETE ON moderation_loghead
    FOR EACH ROW EXECUTE FUNCTION moderation_loghead_forward_only();
CREATE TRIGGER moderation_loghead_no_truncate
    BEFORE TRUNCATE ON moderation_loghead
    FOR EACH STATEMENT EXECUTE FUNCTION moderation_loghead_forward_only();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS moderation_event_no_truncate ON moderation_moderationevent;
DROP TRIGGER IF EXISTS moderation_loghead_no_truncate ON moderation_loghead;
DROP TRIGGER IF EXISTS moderation_loghead_forward_only ON moderation_loghead;
DROP FUNCTION IF EXISTS moderation_loghead_forward_only();
"""


def chain_existing_events(apps, schema_editor):
    """Chain the events already written, by id (the order they were written in)."""
    Event = apps.get_model("moderation", "ModerationEvent")
    LogHead = apps.get_model("moderation", "LogHead")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:  # the append-only trigger refuses these one-off updates
        schema_editor.execute(f"ALTER TABLE {EVENTS} DISABLE TRIGGER moderation_event_append_only")
    prev_hash, before_last, last_id, sequence = chain.GENESIS, "", 0, 0
    while batch := list(Event.objects.filter(id__gt=last_id).order_by("id")[:BATCH]):
        for event in batch:
            sequence += 1
            digest = chain.event_digest(
                actor=event.actor_id,
                action=event.action,
                case=event.case_id,
                comment=event.comment_id,
                essay=event.essay_id,
                before=event.before,
                after=event.after,
                reason=event.reason,
                created=event.created,
            )
            event.sequence, event.prev_hash = sequence, prev_hash
            before_last, prev_hash = prev_hash, chain.link_hash(prev_hash, sequence, digest)
            event.hash = prev_hash
        Event.objects.bulk_update(batch, ["sequence", "prev_hash", "hash"])
        last_id = batch[-1].id
    LogHead.objects.create(id=1, count=sequence, prev_hash=before_last, last_hash=prev_hash)
    if postgres:
        schema_editor.execute(f"ALTER TABLE {EVENTS} ENABLE TRIGGER moderation_event_append_only")


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL is sent as is (its "%" is PL/pgSQL's, not a placeholder).
        schema_editor.execute(TRIGGERS, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0006_unique_site_wide_watched_word"),
    ]

    operations = [
        migrations.AddField(
            model_name="moderationevent",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="moderationevent",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="moderationevent",
            name="sequence",
            field=models.PositiveBigIntegerField(
                blank=True, editable=False, null=True, unique=True
            ),
        ),
        migrations.CreateModel(
            name="LogHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("count", models.PositiveBigIntegerField(default=0)),
                ("prev_hash", models.CharField(blank=True, max_length=64)),
                ("last_hash", models.CharField(max_length=64)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="one_log_head")
                ],
            },
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
