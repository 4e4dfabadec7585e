"""An index for "which audit events name this screening" (a screening's history page).

PostgreSQL only: a GIN index over the reference codes, for JSON containment. SQLite has no
such index or lookup; AuditEventQuerySet.naming reads the codes as text there.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS screening_auditevent_codes_gin "
    "ON screening_auditevent USING gin (reference_codes jsonb_path_ops)"
)
DROP = "DROP INDEX IF EXISTS screening_auditevent_codes_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("screening", "0008_deletion_key")]

    operations = [migrations.RunPython(forwards, backwards)]
