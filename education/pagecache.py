"""Keep the reading pages, rendered, in each app server's memory.

The home page and the articles are the same for every visitor and change only when an
editor saves. Rendering them costs far more than sending them (docs/performance.md), so a
visitor without a session gets the page as it was last rendered, as long as the content has
not changed since. A visitor with a session (a patient in the middle of a check, a signed-in
editor) always gets a freshly rendered page, so editors see their changes at once.

What may be kept is narrow on purpose: only pages whose view is marked ``shared_page``,
only plain GETs without a query string, and only a 200 rendered for a request that carried
no cookie at all and that set none. A page that used a CSRF token or a session would set a
cookie for such a request, so it is never kept.

Each process knows the content version it last read from the database: the newest change
to any article or reference (simple-history records every save and delete of both) and how
many articles are live (so a scheduled article appears when its time comes). Every render
reads the version first and labels the page with it. Serving a kept page re-reads the
version at most once a second; when it has moved on, every kept page is dropped. A save in
this process drops them at once (see apps.py). So a change shows to every visitor of every
app server within a second, and to the editor who made it immediately.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from education.models import Article, Reference

# How often a process asks the database whether the content changed while serving kept
# pages, and how long a kept page lives at most whatever the version says (a backstop for
# writes that bypass the ORM).
REVALIDATE_EVERY = 1.0  # seconds
MAX_AGE = 300.0  # seconds
MAX_PAGES = 500

View = Callable[..., HttpResponse]
Version = tuple[int, ...]
Key = tuple[str, str, str, str]


def shared_page(view: View) -> View:
    """Mark a view's pages as the same for every visitor, so that they may be kept."""
    view.shared_page = True
    return view


def _is_shared(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "shared_page", False)


def content_version() -> Version:
    """One query: what any change to the published content moves forward."""
    quote = connection.ops.quote_name
    articles = quote(Article.history.model._meta.db_table)
    references = quote(Reference.history.model._meta.db_table)
    table = quote(Article._meta.db_table)
    # History ids come from a sequence, not in commit order: a save that took a lower id but
    # committed later leaves the maximum unchanged, so the row counts go in the version too.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(history_id) FROM {articles}), "  # noqa: S608 (table names)
            f"(SELECT COUNT(*) FROM {articles}), "
            f"(SELECT MAX(history_id) FROM {references}), "
            f"(SELECT COUNT(*) FROM {references}), "
            f"(SELECT COUNT(*) FROM {table} WHERE status = %s AND published_at <= %s)",
            [Article.Status.PUBLISHED, timezone.now()],
        )
        return tuple(value or 0 for value in cursor.fetchone())


@dataclass(frozen=True)
class Kept:
    version: Version
    kept_at: float
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, status=self.status, headers=dict(self.headers))


class PageStore:
    """This process's kept pages and the content version they were rendered at."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pages: dict[Key, Kept] = {}
        self._version: Version | None = None
        self._checked_at = 0.0

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._version = None

    def _note(self, version: Version) -> None:
        """Record the version just read; drop every page rendered at another."""
        with self._lock:
            if version != self._version:
                self._pages.clear()
                self._version = version
            self._checked_at = time.monotonic()

    def get(self, key: Key) -> Kept | None:
        kept = self._pages.get(key)
        if kept is None:
            return None
        now = time.monotonic()
        if now - kept.kept_at > MAX_AGE:
            return None
        if now - self._checked_at > REVALIDATE_EVERY:
            self._note(content_version())
        return kept if kept.version == self._version else None

    def render(self, key: Key, render: Callable[[], HttpResponse], request: HttpRequest):
        # The version is read before rendering: a page rendered while an editor saves is
        # labelled with the older version, and dropped at the next check.
        version = content_version()
        self._note(version)
        response = render()
        if _may_keep(request, response):
            kept = Kept(
                version=version,
                kept_at=time.monotonic(),
                status=response.status_code,
                headers=tuple(response.headers.items()),
                content=response.content,
            )
            with self._lock:
                if version == self._version:
                    if len(self._pages) >= MAX_PAGES:
                        self._pages.clear()
                    self._pages[key] = kept
        return response


def _may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.COOKIES
        and "private" not in response.get("Cache-Control", "")
    )


pages = PageStore()


def drop_kept_pages(**kwargs: object) -> None:
    """Signal receiver: an article, a reference or a link between articles changed here.

    The pages go once the change is committed: dropped before, a request in between would
    keep the old page again, labelled with the old version.
    """
    transaction.on_commit(pages.clear)


class PageCacheMiddleware:
    """Serve kept reading pages before the session, CSRF and auth layers run.

    It sits right below WhiteNoise: the security headers above it are added to a kept page
    as to any other, and the headers the layers below added (Vary, Content-Language,
    X-Frame-Options) were kept with it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method != "GET"
            or request.META.get("QUERY_STRING")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return self.get_response(request)
        key = (
            translation.get_language_from_request(request),
            request.scheme,
            request.get_host(),
            request.path,
        )
        kept = pages.get(key)
        if kept is not None:
            return kept.response()
        if not _is_shared(request.path_info):
            return self.get_response(request)
        return pages.render(key, lambda: self.get_response(request), request)
