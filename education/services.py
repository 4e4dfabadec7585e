"""Writes to articles: everything that must happen when an editor saves one."""

from __future__ import annotations

from django.utils import timezone

from education.models import Article
from education.rendering import render_markdown


def article_prepare(*, article: Article) -> Article:
    """Render the body once, for every later page view, and date a first publication.

    Called before the article is saved; it does not save, so the admin's own save (and its
    history record) stays the one write.
    """
    rendered = render_markdown(article.body)
    article.body_html = rendered.html
    article.toc = rendered.toc
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    return article
