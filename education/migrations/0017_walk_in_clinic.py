"""The help article sends readers who cannot reach their clinician to a walk-in clinic.

It said "an urgent care service": the US name for one, and in the UK the words the result
pages must never use (CLINICAL.md: there the lead is NHS 111 or the GP, not urgent care;
tests/screening/test_never_say.py). The UK site showed them to every reader of the article.
The Spanish version said the same ("un centro de atención de urgencias") and gets the same
change, so it stays up to date with its original if it was before.

Only the seeded sentence is replaced: an article whose editors have reworded it keeps their
words. The new words are not medically reviewed, so any recorded review of a changed article
is cleared, as in 0006. As in 0002, the text is frozen here; editors change articles in the
admin.
"""

import hashlib
import re

from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.utils import timezone

from education.rendering import render_markdown

SLUG = "getting-help"
# (language, the seeded sentence, the new one)
SENTENCES = [
    (
        "en",
        "use a health advice line on this page if there is one, or go to an urgent care "
        "service.",
        "use a health advice line on this page if there is one, or go to a walk-in clinic "
        "today.",
    ),
    (
        "es",
        "use una línea de consejos de salud de esta página, si hay una, o vaya a un centro de "
        "atención de urgencias.",
        "use una línea de consejos de salud de esta página, si hay una, o vaya hoy a una "
        "clínica que lo atienda sin cita.",
    ),
]
REASON = "A walk-in clinic instead of urgent care, a US service (not yet medically reviewed)"

# Copies of the code as it was when this migration was written, so that a later change
# there does not change what this migration does.
ID_AT_LINE_END = re.compile(
    r"[^\S\n]*\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}(?=[^\S\n]*#*[^\S\n]*$)", re.MULTILINE
)
SEARCH_CONFIGS = {"en": ("english_unaccent",), "es": ("spanish", "spanish_unaccent")}


def text_fingerprint(article):
    digest = hashlib.sha256()
    for part in (article.title, article.summary, article.body):
        digest.update(" ".join(part.split()).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _index_for_search(schema_editor, Article, pk, language):
    if schema_editor.connection.vendor != "postgresql":
        return
    vectors = [
        SearchVector(field, weight=weight, config=config)
        for field, weight in (("title", "A"), ("summary", "B"), ("search_body", "C"))
        for config in SEARCH_CONFIGS[language]
    ]
    document = vectors[0]
    for vector in vectors[1:]:
        document = document + vector
    Article.objects.filter(pk=pk).update(search_document=document)


def _replace(apps, schema_editor, *, forwards):
    Article = apps.get_model("education", "Article")
    HistoricalArticle = apps.get_model("education", "HistoricalArticle")
    copied = [
        field.attname
        for field in HistoricalArticle._meta.fields
        if not field.name.startswith("history_")
    ]
    now = timezone.now()
    # The original's words before and after, for its translation's fingerprint.
    fingerprints = {}
    for language, seeded, new in SENTENCES:
        old, new = (seeded, new) if forwards else (new, seeded)
        article = Article.objects.filter(slug=SLUG, language=language).first()
        if article is None or old not in article.body:
            continue
        before = article.text_fingerprint
        article.body = article.body.replace(old, new)
        rendered = render_markdown(article.body)
        article.body_html, article.toc = rendered.html, rendered.toc
        article.search_body = ID_AT_LINE_END.sub("", article.body)
        article.text_fingerprint = text_fingerprint(article)
        if article.translation_of_id is None:
            fingerprints[article.pk] = (before, article.text_fingerprint)
        elif fingerprints.get(article.translation_of_id, (None,))[0] == (
            article.source_fingerprint
        ):
            article.source_fingerprint = fingerprints[article.translation_of_id][1]
        if forwards:
            article.reviewer_name = article.reviewer_credentials = article.rules_fingerprint = ""
            article.reviewed_on = article.next_review_due = None
        article.save()
        _index_for_search(schema_editor, Article, article.pk, language)
        if forwards:
            HistoricalArticle.objects.create(
                **{name: getattr(article, name) for name in copied},
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
            )
    if not forwards:
        HistoricalArticle.objects.filter(slug=SLUG, history_change_reason=REASON).delete()


def forwards(apps, schema_editor):
    _replace(apps, schema_editor, forwards=True)


def backwards(apps, schema_editor):
    _replace(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("education", "0016_search_without_accents")]

    operations = [migrations.RunPython(forwards, backwards)]
