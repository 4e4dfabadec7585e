"""Recording a medical review becomes its own permission, given to the "Content editors" group.

A review recorded before now without a next-review date is next due 12 months after it, as
every review recorded from now on is (education/services.py).
"""

import calendar
import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"


def twelve_months_after(day):
    # Frozen here: a migration does not import the code it may outlive.
    last = calendar.monthrange(day.year + 1, day.month)[1]
    return datetime.date(day.year + 1, day.month, min(day.day, last))


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("education")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="education", codename="record_review"
    )
    for group in Group.objects.filter(name=GROUP):
        group.permissions.add(permission)

    Article = apps.get_model("education", "Article")
    for article in Article.objects.filter(reviewed_on__isnull=False, next_review_due=None):
        article.next_review_due = twelve_months_after(article.reviewed_on)
        article.save(update_fields=["next_review_due"])


def backwards(apps, schema_editor):
    # The due dates stay: they were true of the reviews either way.
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="education", codename="record_review"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0008_article_search_document"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["title"],
                "permissions": [
                    ("publish_article", "Can publish and unpublish articles"),
                    ("record_review", "Can record a medical review"),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
