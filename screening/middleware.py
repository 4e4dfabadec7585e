"""Browser policy headers Django does not set, the limit on request bodies, the language
taken from the address alone, and the idle timeout for staff sessions."""

import time
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class BrowserPolicyMiddleware:
    """Deny powerful browser features and keep our resources to our own pages.

    It sits first, so that error pages and WhiteNoise's static files get the headers too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RequestSizeMiddleware:
    """Refuse a body larger than any form of ours sends, before anything reads it (413).

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE limits form fields only: the files of a multipart
    body are streamed to disk whatever their size, though no page takes a file. This holds
    the whole body to the same limit, by its declared length. nginx refuses such bodies
    first (client_max_body_size); this is for an app server reached without it. A body
    without a length (chunked) is never read by Django.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # as Django reads it: no body
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            response = HttpResponse(
                gettext("This request is too large.") + "\n",
                status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                content_type="text/plain; charset=utf-8",
            )
            add_never_cache_headers(response)
            return response
        return self.get_response(request)


class AddressLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware with the address alone deciding the language (ADR 0010).

    A page under a language's prefix (/es/...) is in that language; every other address
    (English pages, the admin, robots.txt, a page not found) is in LANGUAGE_CODE. Neither
    the browser's Accept-Language nor a language cookie is read, so no response varies on
    them: Django's own middleware still adds ``Vary: Accept-Language`` to every address
    without a prefix, which would make browsers and proxies keep a copy of each English page
    per browser language, all the same. ``Content-Language`` is set as Django sets it.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = translation.get_language_from_path(request.path_info)
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class StaffActivityMiddleware:
    """Keep a signed-in staff member's session alive while they work, and only then.

    The session expires SESSION_COOKIE_AGE (30 minutes) after it was last saved. Saving it
    at most once a minute of activity turns that into an idle timeout without a database
    write on every click.
    """

    TOUCH_EVERY = 60  # seconds

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie nobody is signed in. Asking would load an empty session
        # and mark the page "Vary: Cookie": a proxy would keep a copy per visitor.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            if now - request.session.get("staff_seen", 0) >= self.TOUCH_EVERY:
                request.session["staff_seen"] = now
        return self.get_response(request)
