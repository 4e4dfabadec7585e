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
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

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


# A heading's own address, written at the end of its line: "## Signs of OIH {#signs-of-oih}".
_ID = r"\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}"
HEADING_ID = re.compile(rf"\s*{_ID}\s*$")
# The same at the end of a line of Markdown, before any closing hashes ("## Title {#id} ##").
_ID_AT_LINE_END = re.compile(rf"[^\S\n]*{_ID}(?=[^\S\n]*#*[^\S\n]*$)", re.MULTILINE)
# Anything that looks like one but is not: kept as text, and the editor is told.
HEADING_ID_LIKE = re.compile(r"\{\s*[#:.][^}]*\}\s*$")
HEADINGS = ("h2", "h3", "h4")


class HeadingIds(Treeprocessor):
    """Gives a heading that ends in ``{#an-id}`` that id, and nothing else.

    The one piece of Markdown's attribute lists we take: with it, the English and Spanish
    versions of a section share one address, whatever their words, so that links survive
    translation and rewording. Python-Markdown's own ``attr_list`` extension would also let
    an editor set classes and any other attribute; this cannot.
    """

    def run(self, root) -> None:
        for heading in (element for element in root.iter() if element.tag in HEADINGS):
            last = heading[-1] if len(heading) else None
            text = (last.tail if last is not None else heading.text) or ""
            match = HEADING_ID.search(text)
            if match is None:
                continue
            stripped = text[: match.start()]
            if last is not None:
                last.tail = stripped
            else:
                heading.text = stripped
            heading.set("id", match.group(1))


class HeadingIdExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After the inline patterns (priority 20), before the table of contents (5), which
        # keeps an id a heading already has.
        md.treeprocessors.register(HeadingIds(md), "heading_ids", 6)


def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["toc", "tables", "sane_lists", HeadingIdExtension()],
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
    """What in ``text`` readers would not see, or would see by mistake, as messages for the
    editor: markup the allow-list drops, and heading ids that are malformed or repeated."""
    converter = _converter()
    raw = converter.convert(text)
    problems = [str(message) for pattern, message in UNSHOWN if pattern.search(raw)]
    ids = [token["id"] for token in _flatten(converter.toc_tokens)]
    repeated = sorted({found for found in ids if ids.count(found) > 1})
    if repeated:
        problems.append(
            _("Two headings have the same id: %(ids)s. Give each its own.")
            % {"ids": ", ".join(f"{{#{found}}}" for found in repeated)}
        )
    if any(HEADING_ID_LIKE.search(token["name"]) for token in _flatten(converter.toc_tokens)):
        problems.append(
            _(
                "A heading's id goes at the end of its line, like {#signs-of-oih}: small "
                "letters, numbers and hyphens only."
            )
        )
    return problems


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


def without_heading_ids(text: str) -> str:
    """``text`` without the heading ids (``{#signs-of-oih}``) that readers never see, for
    search: an id's words are an address, not what the article says.

    Taken from the end of every line, not only of the lines Markdown makes headings of: no
    other line has a reason to end like that.
    """
    return _ID_AT_LINE_END.sub("", text)
