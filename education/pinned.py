"""Headings in the articles that other pages link to, kept from being edited away.

The self-check's result page links each finding to the heading of an article that explains
it (screening/explain.py, registered by screening/apps.py when the site starts). A save
that would break one of those links (unpublishing the article, moving it to a new address,
renaming or removing the heading) is refused with a message that says which link
(``Article.clean``), and such an article cannot be deleted (``ArticleAdmin``).

Each link also says what on the result page makes it (``Link``: a finding or a note of the
rules, its words, and the rules version), so that editors see beside each article what the
self-check sends readers there for, and the article's medical review covers those words
too: a review records ``fingerprint(slug)``, and when the rules version or the words of any
link into the article change, the fingerprint no longer matches and the article shows as
"review due" (``rules_changed``). ``screening`` registers all of this when the site starts;
this module never imports it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from education.rendering import render_markdown

if TYPE_CHECKING:
    from education.models import Article

PINNED: defaultdict[str, set[str]] = defaultdict(set)


@dataclass(frozen=True)
class Link:
    """What on the self-check's result page links to a heading of an article."""

    anchor: str
    kind: str  # "finding" or "note"
    code: str  # the rules' code for it
    words: str | Promise  # what the result page says for it, before translation
    version: str  # the version of the rules that gives it


LINKS: defaultdict[str, list[Link]] = defaultdict(list)


def pin(slug: str, anchor: str, link: Link | None = None) -> None:
    """Keep the heading ``anchor`` of the article at ``slug`` where links expect it, and
    remember what links there."""
    PINNED[slug].add(anchor)
    if link is not None and link not in LINKS[slug]:
        LINKS[slug].append(link)


def links(slug: str) -> list[Link]:
    """What links into the article at ``slug``, in heading and code order."""
    return sorted(LINKS.get(slug, ()), key=lambda link: (link.anchor, link.kind, link.code))


def fingerprint(slug: str) -> str:
    """A digest of the rules version and the words of every link into ``slug``; "" if none.

    Taken in the source language, so that it does not depend on the reader's language.
    """
    found = links(slug)
    if not found:
        return ""
    digest = hashlib.sha256()
    with translation.override(None):
        for link in found:
            for part in (link.version, link.anchor, link.kind, link.code, str(link.words)):
                digest.update(part.encode())
                digest.update(b"\0")
    return digest.hexdigest()


def rules_changed(article: Article) -> bool:
    """Whether the links into a reviewed article changed since its review (review due)."""
    current = fingerprint(article.slug)
    return bool(current) and article.is_reviewed and article.rules_fingerprint != current


def is_pinned(article: Article) -> bool:
    """Whether the result page links to this original. A translation is never needed: without
    it, readers of its language get the original."""
    return article.slug in PINNED and article.translation_of_id is None


def check(article: Article) -> None:
    """Raise ValidationError if saving ``article`` would break a pinned link.

    A translation may be a draft, or unpublished, since readers then get its original; once
    published, it keeps the headings the links lead to, by their ids.
    """
    stored = type(article).objects.filter(pk=article.pk).values("slug", "toc").first()
    slug = stored["slug"] if stored else article.slug
    anchors = PINNED.get(slug)
    if not anchors:
        return
    is_translation = article.translation_of_id is not None
    published = article.status == type(article).Status.PUBLISHED
    if is_translation and not published:
        return
    errors: dict[str, ValidationError] = {}
    if not published:
        errors["status"] = ValidationError(
            _("The self-check's result page links to this article, so it stays published."),
            code="pinned_status",
        )
    if article.slug != slug and not is_translation:
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
                "The self-check's result page links to these headings, so keep each one's id "
                "at the end of its line, as in “## Tolerance {#tolerance}”: %(headings)s."
            ),
            code="pinned_heading",
            params={"headings": ", ".join(f"“{titles.get(a, a)}” {{#{a}}}" for a in missing)},
        )
    if errors:
        raise ValidationError(errors)
