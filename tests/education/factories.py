"""Small builders for the education tests: articles, references and writers."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.contrib.auth.models import Permission, User
from django.utils import timezone

from education.models import Article, Reference
from education.services import article_prepare
from tests.screening.staff import make_staff

MAIN_ARTICLE = "opioid-induced-hyperalgesia"
SEED_SLUGS = [
    MAIN_ARTICLE,
    "changing-opioid-doses-safely",
    "pain-care-beyond-opioids",
    "getting-help",
]

_numbers = itertools.count(1)

BODY = """\
Some plain words to start.

## First part

A short paragraph.

### A smaller part

- one thing
- another thing

## Second part

The end.
"""


def make_article(**overrides: Any) -> Article:
    """A published article, saved the way the admin saves one (rendered body, dates).

    ``references``: how many references to add (default 1). ``related``: articles to link.
    ``status="draft"`` gives an unpublished article with no publication date.
    """
    number = next(_numbers)
    references = overrides.pop("references", 1)
    related = overrides.pop("related", ())
    status = overrides.pop("status", Article.Status.PUBLISHED)
    fields: dict[str, Any] = {
        "title": f"Test article {number}",
        "slug": f"test-article-{number}",
        "summary": f"A short summary of test article {number}.",
        "body": BODY,
        "status": status,
        "published_at": (
            timezone.now() - datetime.timedelta(minutes=1)
            if status == Article.Status.PUBLISHED
            else None
        ),
        **overrides,
    }
    article = article_prepare(article=Article(**fields))
    article.save()
    Article.objects.filter(pk=article.pk).index_for_search()
    for order in range(1, references + 1):
        make_reference(article, order=order)
    if related:
        article.related.set(related)
    return article


def make_reference(article: Article, **overrides: Any) -> Reference:
    number = next(_numbers)
    fields: dict[str, Any] = {
        "article": article,
        "order": 1,
        "citation": f"Author {number}. A study about pain. Journal, 2020.",
        "url": f"https://example.org/studies/{number}",
        "accessed_on": datetime.date(2024, 3, 1),
        **overrides,
    }
    return Reference.objects.create(**fields)


WRITER_PERMISSIONS = [
    "add_article",
    "change_article",
    "view_article",
    "add_reference",
    "change_reference",
    "view_reference",
]


def make_writer(username: str = "writer") -> User:
    """Staff who may add and change articles but not publish them (no publish_article)."""
    writer = make_staff(username)
    writer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="education", codename__in=WRITER_PERMISSIONS
        )
    )
    return writer


def make_translation(original: Article, **overrides: Any) -> Article:
    """A published Spanish translation of ``original``, following its current words."""
    fields: dict[str, Any] = {
        "language": "es",
        "translation_of": original,
        "slug": original.slug,
        "title": f"Traducción de {original.title}",
        "summary": "Un resumen corto en español.",
        "source_fingerprint": original.text_fingerprint,
        "references": 0,
        **overrides,
    }
    return make_article(**fields)
