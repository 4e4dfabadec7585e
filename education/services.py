"""Writes to articles: everything that must happen when an editor saves one."""

from __future__ import annotations

from django.utils import timezone

from education.models import Article
from education.rendering import render_markdown


def article_prepare(*, article: Article, text_changed: bool = False) -> Article:
    """Render the body once, for every later page view, and date a first publication.

    A medical review covers the text it was made of: when the text changes without a new
    review being recorded, the old one is cleared, so readers never see "Medically reviewed"
    above words no reviewer read. Called before the article is saved; it does not save.
    """
    if text_changed:
        article.reviewer_name = article.reviewer_credentials = ""
        article.reviewed_on = None
    rendered = render_markdown(article.body)
    article.body_html = rendered.html
    article.toc = rendered.toc
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    return article
