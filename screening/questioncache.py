"""Keep rendered question pages in each app server's memory, and serve them early.

Everyone at the same point of a check sees the same question page: the same question, the
same earlier answer (if any), the same number and the same Back link. Only the CSRF token
differs. Working out which page a patient is on takes one query, while rendering the page
takes several times longer (docs/performance.md). So for a question page's GET, this
middleware, right below the kept reading pages (education/pagecache.py):

1. reads the patient's session and works out the page with the view's own
   ``QuestionPage.of``;
2. if this process kept that page, sends it with the patient's own CSRF token put in;
3. if not, lets the request through to the view, and keeps the page if the view says it
   showed exactly the page worked out in step 1.

Everything else goes through the whole stack to the view: every POST, a query string
(``?change``), a signed-in staff member, a lost, expired or finished check, a page out of
turn, a missing or malformed CSRF cookie, a session that cannot be read. It needs the CSRF
secret in a cookie (Django's default): with ``CSRF_USE_SESSIONS`` it stands aside.

A kept page holds nothing of the session but the earlier answer, which the form fragment
cache in ``question.html`` keeps already and which says nothing about who gave it. The
token is cut out before a page is kept.
"""

from __future__ import annotations

import functools
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY as SIGNED_IN_USER
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CsrfViewMiddleware
from django.utils import translation

from screening import questionnaire
from screening.flow import Check
from screening.views import QuestionPage, page_url

MAX_PAGES = 500
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
SLOT = b'name="csrfmiddlewaretoken" value="%s"'

Key = tuple[str, str, str, str, QuestionPage]

_BASE = len(CSRF_ALLOWED_CHARS)
_FAIR = 256 - 256 % _BASE  # random bytes at or above this would favour the first characters
_UNFAIR = bytes(range(_FAIR, 256))
# A random byte below _FAIR, as the index of a mask character; the others are dropped.
_BYTE_TO_INDEX = bytes.maketrans(bytes(range(_FAIR)), bytes(b % _BASE for b in range(_FAIR)))
# A character's index in CSRF_ALLOWED_CHARS, and back; the sum of two indexes wraps around.
_CHAR_TO_INDEX = bytes.maketrans(CSRF_ALLOWED_CHARS.encode(), bytes(range(_BASE)))
_INDEX_TO_CHAR = bytes.maketrans(
    bytes(range(2 * _BASE - 1)), (CSRF_ALLOWED_CHARS * 2)[: 2 * _BASE - 1].encode()
)


def masked_token(secret: str) -> str:
    """The CSRF token for a page, masked as Django's ``_mask_cipher_secret`` does, only quicker.

    Like Django, every page gets the secret under a new random mask, so that a compressed
    page never repeats the same token (BREACH). Django works character by character and asks
    the operating system for each of the mask's 32; this asks once, drops the random bytes
    that would make some characters likelier, and adds the two strings' character indexes
    all at once: one byte each in a big number, no sum carries into the next byte.
    """
    length = len(secret)
    mask = b""
    while len(mask) < length:
        mask += secrets.token_bytes(48).translate(_BYTE_TO_INDEX, _UNFAIR)
    mask = mask[:length]
    sums = int.from_bytes(secret.encode().translate(_CHAR_TO_INDEX)) + int.from_bytes(mask)
    return (mask + sums.to_bytes(length)).translate(_INDEX_TO_CHAR).decode()


@dataclass(frozen=True)
class Kept:
    headers: tuple[tuple[str, str], ...]
    content: bytes  # with an empty slot for the token

    def response(self, token: str) -> HttpResponse:
        content = self.content.replace(SLOT % b"", SLOT % token.encode(), 1)
        response = HttpResponse(content, headers=dict(self.headers))
        response.headers["Content-Length"] = str(len(content))
        return response


class KeptQuestionPages:
    """This process's kept question pages. They depend on the code, never on the database."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pages: dict[Key, Kept] = {}

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def get(self, key: Key) -> Kept | None:
        return self._pages.get(key)

    def keep(self, key: Key, response: HttpResponse) -> None:
        if (
            response.status_code != 200
            or response.streaming
            or set(response.cookies) - {settings.CSRF_COOKIE_NAME}
            or getattr(response, "question_page", None) != key[-1]
        ):
            return
        content, tokens = TOKEN.subn(SLOT % b"", response.content)
        if tokens != 1:
            return
        headers = tuple((k, v) for k, v in response.headers.items() if k != "Content-Length")
        with self._lock:
            if len(self._pages) >= MAX_PAGES:
                self._pages.clear()
            self._pages[key] = Kept(headers=headers, content=content)


pages = KeptQuestionPages()


@functools.cache
def _question_paths() -> dict[str, str]:
    """Each question page's path, with its question id."""
    return {
        page_url("screening:question", question.id): question.id
        for question in questionnaire.QUESTIONS
    }


class QuestionPageMiddleware:
    """Serve kept question pages before the session, CSRF and auth layers run."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if settings.CSRF_USE_SESSIONS:
            # The token's secret would be in the session, which is read below this layer.
            raise MiddlewareNotUsed("Kept question pages need the CSRF secret in a cookie.")
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self.key(request)
        if key is None:
            return self.get_response(request)
        kept = pages.get(key)
        if kept is not None:
            # Unlike Django, the CSRF cookie is not sent again: it is good for a year, and the
            # pages of the view renew it.
            return kept.response(masked_token(request.META["CSRF_COOKIE"]))
        response = self.get_response(request)
        pages.keep(key, response)
        return response

    def key(self, request: HttpRequest) -> Key | None:
        """Which page this request is for, or None to leave it to the whole stack."""
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if request.method != "GET" or request.META.get("QUERY_STRING") or not session_key:
            return None
        current = questionnaire.get(_question_paths().get(request.path, ""))
        if current is None:
            return None
        # Before the database: a hostile Host header is refused here, as it would be below.
        site = (translation.get_language_from_request(request), request.scheme, request.get_host())
        # The patient's own CSRF secret, from the cookie, as CsrfViewMiddleware reads it.
        self.csrf.process_request(request)
        if "CSRF_COOKIE" not in request.META or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return None
        try:
            session = self.session_store(session_key)
            staff = session.get(SIGNED_IN_USER) is not None
        except DatabaseError:
            # The layers below fail the same way and answer with the outage page.
            return None
        check = Check.load(session)
        page = None if staff or check is None else QuestionPage.of(current, check, changing=False)
        if page is None:  # out of turn, or no check: the view says what to do
            return None
        return (*site, settings.OIH_COUNTRY, page)
