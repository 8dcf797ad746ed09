"""Create the moderators and organizers groups, and make the audit log append-only."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "moderators": [
        ("moderation", "moderate_case"),
        ("moderation", "open_case"),
        ("moderation", "view_case"),
        ("moderation", "view_flag"),
        ("moderation", "view_message"),
        ("moderation", "view_annotation"),
        ("moderation", "view_moderationevent"),
        ("threads", "view_comment"),
        ("threads", "view_essay"),
    ],
    "organizers": [
        ("threads", "organize_spaces"),
        ("threads", "view_essay"),
        ("threads", "view_comment"),
        ("moderation", "open_case"),
    ],
}

TRIGGER = """
CREATE OR REPLACE FUNCTION moderation_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER moderation_event_append_only
    BEFORE UPDATE OR DELETE ON moderation_moderationevent
    FOR EACH ROW EXECUTE FUNCTION moderation_event_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS moderation_event_append_only ON moderation_moderationevent;
DROP FUNCTION IF EXISTS moderation_event_append_only();
"""


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL is sent as is (its "%" is PL/pgSQL's, not a placeholder).
        schema_editor.execute(TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("threads", "0002_deescalation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
