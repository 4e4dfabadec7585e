"""The same page in each language: the language link and the hreflang alternates of every
page (templates/base.html).

English pages have no prefix and Spanish ones live under /es/ (oih_site/urls.py), so a page
in the other language is the same named address reversed in that language. The link is a
plain address: it works without JavaScript and carries no query string, so never an answer;
a check in progress lives in the session, which a change of address keeps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve, reverse
from django.utils import translation

register = template.Library()


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str  # in the language itself: "English", "Español"
    path: str
    current: bool
    default: bool  # the x-default: the page for a reader of any other language


def page_in(request: HttpRequest, language: str) -> str:
    """The address of the page ``request`` asked for, in ``language``; no query string."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is not None and match.url_name:
        with translation.override(language):
            try:
                return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass
    # No page by that name (the 404 page): the same path under the other language's prefix.
    path = request.path_info
    prefix = translation.get_language_from_path(path)
    if prefix:
        path = path.removeprefix(f"/{prefix}") or "/"
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    return get_script_prefix().rstrip("/") + path


@register.simple_tag(takes_context=True)
def language_alternates(context: template.Context) -> list[Alternate]:
    """This page in every language, the current one marked.

    A view may name its own addresses in ``language_paths`` (language code to path), for a
    page whose counterpart is elsewhere (an article and its translation).
    """
    request = context.get("request")
    if request is None:
        return []
    given = context.get("language_paths") or {}
    current = translation.get_language()
    alternates = []
    for code, _name in settings.LANGUAGES:
        name = translation.get_language_info(code)["name_local"]
        path = given.get(code) or page_in(request, code)
        alternates.append(
            Alternate(
                code,
                name=name[:1].upper() + name[1:],
                path=path,
                current=code == current,
                default=code == settings.LANGUAGE_CODE,
            )
        )
    return alternates
