"""The "Clinicians" group, and an append-only audit trail on PostgreSQL.

Clinicians view screenings and change only the review (the admin keeps everything else
read-only); they cannot add or delete screenings and see no articles or users. On
PostgreSQL a trigger refuses any UPDATE or DELETE of an audit event, whoever asks.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Clinicians"
PERMISSIONS = ["view_screening", "change_screening"]

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION screening_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit events are append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER screening_auditevent_append_only
BEFORE UPDATE OR DELETE ON screening_auditevent
FOR EACH ROW EXECUTE FUNCTION screening_auditevent_append_only();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS screening_auditevent_append_only ON screening_auditevent;
DROP FUNCTION IF EXISTS screening_auditevent_append_only();
"""


def create_group(apps, schema_editor):
    app_config = apps.get_app_config("screening")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="screening", codename__in=PERMISSIONS)
    )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0002_queue_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_group, delete_group),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
