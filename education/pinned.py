"""Headings in the articles that other pages link to, kept from being edited away.

The self-check's result page links each finding to the heading of an article that explains
it (screening/explain.py, registered by screening/apps.py when the site starts). A save
that would break one of those links (unpublishing the article, moving it to a new address,
renaming or removing the heading) is refused with a message that says which link
(``Article.clean``), and such an article cannot be deleted (``ArticleAdmin``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from education.rendering import render_markdown

if TYPE_CHECKING:
    from education.models import Article

PINNED: defaultdict[str, set[str]] = defaultdict(set)


def pin(slug: str, anchor: str) -> None:
    """Keep the heading ``anchor`` of the article at ``slug`` where links expect it."""
    PINNED[slug].add(anchor)


def is_pinned(article: Article) -> bool:
    return article.slug in PINNED


def check(article: Article) -> None:
    """Raise ValidationError if saving ``article`` would break a pinned link."""
    stored = type(article).objects.filter(pk=article.pk).values("slug", "toc").first()
    slug = stored["slug"] if stored else article.slug
    anchors = PINNED.get(slug)
    if not anchors:
        return
    errors: dict[str, ValidationError] = {}
    if article.status != type(article).Status.PUBLISHED:
        errors["status"] = ValidationError(
            _("The self-check's result page links to this article, so it stays published."),
            code="pinned_status",
        )
    if article.slug != slug:
        errors["slug"] = ValidationError(
            _("The self-check's result page links to this article at “%(slug)s”. Keep it."),
            code="pinned_slug",
            params={"slug": slug},
        )
    html = render_markdown(article.body).html
    missing = sorted(anchor for anchor in anchors if f'id="{anchor}"' not in html)
    if missing:
        titles = {item["id"]: item["title"] for item in stored["toc"]} if stored else {}
        errors["body"] = ValidationError(
            _(
                "The self-check's result page links to these headings, so keep their words "
                "as they are: %(headings)s."
            ),
            code="pinned_heading",
            params={"headings": ", ".join(f"“{titles.get(a, a)}”" for a in missing)},
        )
    if errors:
        raise ValidationError(errors)
