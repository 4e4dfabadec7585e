"""The "Content editors" group: write, change and publish articles and their references.

No delete, and nothing outside the education app (no screenings, no users).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"
PERMISSIONS = [
    "add_article",
    "change_article",
    "view_article",
    "publish_article",
    "add_reference",
    "change_reference",
    "view_reference",
]


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("education")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="education", codename__in=PERMISSIONS)
    )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0002_seed_articles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
