"""The article's history pages in the admin: the word-by-word diff, and who saved each
version."""

from django import template

from education.admin_editing import version_author
from education.word_diff import Piece, word_diff

register = template.Library()


@register.inclusion_tag("admin/education/word_diff.html")
def show_word_diff(old: object, new: object) -> dict[str, list[Piece]]:
    """What changed from ``old`` to ``new``: removed words in ``<del>``, added in ``<ins>``,
    each headed by a word for screen readers, all text escaped."""
    return {"pieces": word_diff(old, new)}


@register.filter
def author(record) -> str:
    """Who saved a version of an article (``education.admin_editing.version_author``)."""
    return version_author(record)
