"""Search reads the body without its heading ids.

``search_body`` is the body without the heading ids (``{#signs-of-oih}``) that readers never
see and search should not find (``education.rendering.without_heading_ids``). On
PostgreSQL the search documents are built again from it, and the trigram index of migration
0010 is built again over ``title || ' ' || summary || ' ' || search_body``, the expression
``ArticleQuerySet.search_close`` matches (``ArticleText``).
"""

import re

from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

# A copy of education.rendering's pattern as it was when this migration was written, so
# that a later change there does not change what this migration does.
ID_AT_LINE_END = re.compile(
    r"[^\S\n]*\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}(?=[^\S\n]*#*[^\S\n]*$)", re.MULTILINE
)


def without_heading_ids(text):
    return ID_AT_LINE_END.sub("", text)

TRIGRAM_INDEX = "education_article_text_trgm"


def trigram_index(body):
    return (
        f"CREATE INDEX {TRIGRAM_INDEX} ON education_article "
        f"USING gin ((title || ' ' || summary || ' ' || {body}) gin_trgm_ops)"
    )


def index_for_search(Article, using, body):
    """As migration 0013, with the body read from the column ``body``."""
    for language, config in (("en", "english"), ("es", "spanish")):
        Article.objects.using(using).filter(language=language).update(
            search_document=(
                SearchVector("title", weight="A", config=config)
                + SearchVector("summary", weight="B", config=config)
                + SearchVector(body, weight="C", config=config)
            )
        )


def forwards(apps, schema_editor):
    Article = apps.get_model("education", "Article")
    connection = schema_editor.connection
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # Before any row changes: PostgreSQL builds no index over pending trigger events.
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
        schema_editor.execute(trigram_index("search_body"))
    for pk, body in Article.objects.using(connection.alias).values_list("pk", "body"):
        Article.objects.using(connection.alias).filter(pk=pk).update(
            search_body=without_heading_ids(body)
        )
    if postgresql:
        index_for_search(Article, connection.alias, "search_body")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    schema_editor.execute(trigram_index("body"))
    index_for_search(apps.get_model("education", "Article"), connection.alias, "body")


class Migration(migrations.Migration):
    dependencies = [("education", "0014_draft_references_and_related")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_body",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(forwards, backwards),
    ]
