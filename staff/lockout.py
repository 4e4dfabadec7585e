"""Our hooks into django-axes: where failures are kept, and the page a locked-out staff
member sees."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib import admin
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """429 Too Many Requests, saying how long to wait and what else to do.

    Every attempt during a lockout starts the wait again, so "from now" is exact.
    """
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in paused",
        "minutes": int(cooloff.total_seconds() // 60),
        "until": timezone.now() + cooloff,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cooloff.total_seconds()))
    add_never_cache_headers(response)
    return response.render()


class FailureRecords(AxesDatabaseHandler):
    """axes' database store, made safe for sign-ins that fail at the same moment.

    axes keeps one row per account and address, found or created by ``get_or_create``.
    When two failures arrive together, one inserts the row; the other's insert waits,
    collides, and looks again, and if a right sign-in cleared the row in between
    (``AXES_RESET_ON_SUCCESS``) the look finds nothing and the collision would become a
    500. Recording the failure again then finds or creates the row cleanly; nothing was
    counted by the try that failed, since its transaction rolled back. A collision after
    the count was made (axes has then set ``axes_failures_since_start``) is not retried.
    """

    # One race needs one more try; a third only if another right sign-in clears the row
    # again in that moment.
    TRIES = 3

    def user_login_failed(
        self, sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs
    ) -> None:
        for attempt in range(1, self.TRIES + 1):
            try:
                super().user_login_failed(sender, credentials, request, **kwargs)
                return
            except IntegrityError:
                counted = getattr(request, "axes_failures_since_start", None) is not None
                if counted or attempt == self.TRIES:
                    raise
