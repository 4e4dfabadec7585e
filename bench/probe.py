"""The ceiling for a question page: bench/load's one page that is not the site's own.

``bench/settings.py`` adds ``SessionReadProbe`` to production's middleware, right where the
kept reading pages are served: below the layers that add the security headers, above the
session, CSRF and auth layers. It answers one path, ``/bench/session-read/``, as the
cheapest page that keeps the check on the server (ADR 0004) could: the patient's session
read by the site's own store (one plain SELECT, oih_site/sessions.py) and decoded, and a
fixed page as long as a question page (``?bytes=``). Every other request goes on to the
site untouched.

A question page does all of this and more (the middleware stack, the CSRF token, the form),
so no question page on the same machine and database can reach a higher share of the static
file's throughput than this probe does.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden

PATH = "/bench/session-read/"


class SessionReadProbe:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != PATH:
            return self.get_response(request)
        session = self.session_store(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        # Refused unless the session really holds something: bench/load counts any status
        # but 2xx as an error, so a probe that found no session cannot pass for a fast one.
        if not session.load():
            return HttpResponseForbidden()
        size = request.GET.get("bytes", "0")
        if not size.isdigit() or int(size) > 1_000_000:
            return HttpResponseBadRequest()
        return HttpResponse(b"x" * int(size), content_type="text/html; charset=utf-8")
