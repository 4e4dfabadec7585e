"""Template helpers for pages that list or show articles in the reader's language."""

from django import template
from django.utils import translation

from education.models import Article, reader_language

register = template.Library()


@register.filter
def in_other_language(article: Article) -> bool:
    """Whether ``article`` is written in another language than the reader's (an original
    shown because it has no translation yet): its text then carries its own ``lang``."""
    return article.language != reader_language(translation.get_language())
