"""Search that forgives a typo: PostgreSQL's pg_trgm, and a trigram index of the text.

PostgreSQL only. ``TrigramExtension`` does nothing on other databases; the index is of the
expression ``ArticleQuerySet.search_close`` matches (education/models.py, ``ArticleText``),
so the two must stay the same. SQLite has neither and finds no close words (README).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS education_article_text_trgm ON education_article "
    "USING gin ((title || ' ' || summary || ' ' || body) gin_trgm_ops)"
)
DROP = "DROP INDEX IF EXISTS education_article_text_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("education", "0009_review_permission")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
