"""Markdown to safe HTML, and a table of contents from its headings.

Whatever an editor types, the reader's browser only ever gets markup from a short
allow-list (nh3): no script, no event handlers, no iframes or forms, and links only to
http, https and mailto addresses.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import markdown
import nh3
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "b", "i", "code",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict[str, str]]  # [{"id": ..., "title": ..., "level": "2"}]


def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["toc", "tables", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2-3"}},
    )


# What Markdown can make but the allow-list would silently drop, and what to write instead.
UNSHOWN = [
    (
        re.compile(r"<h1[\s>]", re.IGNORECASE),
        _(
            "A line starting with #, or underlined with ===, makes a title, and the "
            "article's title is its own field. Use ##, ### or #### for headings."
        ),
    ),
    (re.compile(r"<h[56][\s>]", re.IGNORECASE), _("Headings go no deeper than ####.")),
    (
        re.compile(r"<img[\s>]", re.IGNORECASE),
        _("Pictures can't be shown in articles. Describe them in words, or link to them."),
    ),
]


def unshown(text: str) -> list[str]:
    """What in ``text`` readers would not see, as messages for the editor."""
    raw = _converter().convert(text)
    return [str(message) for pattern, message in UNSHOWN if pattern.search(raw)]


def render_markdown(text: str) -> Rendered:
    """Render an article body. Headings get stable ids that other pages may link to."""
    converter = _converter()
    raw = converter.convert(text)
    safe_html = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    toc = [
        # Markdown gives the heading text already escaped; templates escape it once more.
        {"id": token["id"], "title": html.unescape(token["name"]), "level": str(token["level"])}
        for token in _flatten(converter.toc_tokens)
    ]
    return Rendered(safe_html, toc)


def _flatten(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        flat.append(token)
        flat.extend(_flatten(token.get("children", [])))
    return flat
