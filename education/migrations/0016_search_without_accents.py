"""Search that does not count accents: "informacion" finds "información".

PostgreSQL only; nothing happens on other databases (SQLite's search counts accents: README).

- The ``unaccent`` extension, and ``search_unaccent(text)``: its function with the
  dictionary named, which is immutable, so that an index may use it.
- The text-search configurations ``english_unaccent`` and ``spanish_unaccent``: each
  language's own, with accents dropped before its stemmer reads a word.
- Every article's search document built again with them (``education.models.
  SEARCH_CONFIGS``: Spanish is read both with and without its accents).
- The trigram index of migration 0015 built again over
  ``search_unaccent(title || ' ' || summary || ' ' || search_body)``, the expression
  ``ArticleQuerySet.search_close`` matches (``ArticleText``).

``unaccent`` is a trusted extension: a database owner without superuser rights may create
it. Should its rules change with a PostgreSQL upgrade, rebuild the trigram index
(``REINDEX INDEX education_article_text_trgm``) and index the articles again.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# Each new configuration, and the one it copies.
CONFIGS = {"english_unaccent": "english", "spanish_unaccent": "spanish"}
TRIGRAM_INDEX = "education_article_text_trgm"


def trigram_index(text):
    return f"CREATE INDEX {TRIGRAM_INDEX} ON education_article USING gin ({text} gin_trgm_ops)"


def index_for_search(Article, using, configs_by_language):
    """As ``ArticleQuerySet.index_for_search`` did when this migration was written."""
    for language, configs in configs_by_language.items():
        vectors = [
            SearchVector(field, weight=weight, config=config)
            for field, weight in (("title", "A"), ("summary", "B"), ("search_body", "C"))
            for config in configs
        ]
        document = vectors[0]
        for vector in vectors[1:]:
            document = document + vector
        Article.objects.using(using).filter(language=language).update(search_document=document)


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # The extension's schema, named outright: the function must not depend on the
        # search path, which index maintenance may set otherwise than the site.
        cursor.execute(
            "SELECT quote_ident(nspname) || '.unaccent' FROM pg_extension "
            "JOIN pg_namespace ON pg_namespace.oid = extnamespace WHERE extname = 'unaccent'"
        )
        (unaccent,) = cursor.fetchone()
    schema_editor.execute(
        "CREATE FUNCTION search_unaccent(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
        f"AS $$ SELECT {unaccent}('{unaccent}'::regdictionary, $1) $$"
    )
    for name, language in CONFIGS.items():
        schema_editor.execute(
            f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{language})"
        )
        # The token types with letters beyond ASCII: the others have no accents.
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, word "
            f"WITH {unaccent}, {language}_stem"
        )
    # Before any row changes: PostgreSQL builds no index over pending trigger events.
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    schema_editor.execute(
        trigram_index("search_unaccent(title || ' ' || summary || ' ' || search_body)")
    )
    index_for_search(
        apps.get_model("education", "Article"),
        connection.alias,
        {"en": ("english_unaccent",), "es": ("spanish", "spanish_unaccent")},
    )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    schema_editor.execute(trigram_index("(title || ' ' || summary || ' ' || search_body)"))
    index_for_search(
        apps.get_model("education", "Article"),
        connection.alias,
        {"en": ("english",), "es": ("spanish",)},
    )
    for name in CONFIGS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS search_unaccent(text)")


class Migration(migrations.Migration):
    dependencies = [("education", "0015_article_search_body")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(forwards, backwards),
    ]
