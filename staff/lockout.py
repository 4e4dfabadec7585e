"""Our hooks into django-axes: where failures are kept, the pause for one address across
all accounts, what its log lines say, and the page a locked-out staff member sees."""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import admin
from django.db import IntegrityError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """429 Too Many Requests, saying how long to wait and what else to do.

    Every attempt during a lockout starts the wait again, so "from now" is exact.
    """
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        **admin.site.each_context(request),
        "title": gettext("Sign-in paused"),
        "minutes": int(cooloff.total_seconds() // 60),
        "until": timezone.now() + cooloff,
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
                break
            except IntegrityError:
                counted = getattr(request, "axes_failures_since_start", None) is not None
                if counted or attempt == self.TRIES:
                    raise
        # The failure that reaches the address's limit is answered with the pause, as the
        # one that reaches an account's limit is (axes does that one).
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.address_failures(request) >= settings.STAFF_SIGN_IN_FAILURES_PER_ADDRESS:
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=credentials.get(settings.AXES_USERNAME_FORM_FIELD),
                ip_address=request.axes_ip_address,
            )

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        """axes' pause for one account from one address, or this one for the address.

        Guessing a few passwords for each of many accounts (password spraying) stays under
        the first; the failures from one address across all accounts add up to the second.
        """
        if super().is_locked(request, credentials):
            return True
        return self.address_failures(request) >= settings.STAFF_SIGN_IN_FAILURES_PER_ADDRESS

    def address_failures(self, request: HttpRequest) -> int:
        """Failed sign-ins from the request's address, for any account, in the cool-off time.

        Counted from axes' own records, the rows it keeps per account and address.
        """
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        )
        return recent.aggregate(failures=Sum("failures_since_start"))["failures"] or 0


def client_description(
    username: str | None, ip_address: str, user_agent: str, path_info: str, request: HttpRequest
) -> str:
    """How axes' log lines name a sign-in: the account tried, and nothing a client sent in
    a header (no address, no browser). The address is in axes' records, in the admin."""
    name = (username or "")[:150]
    return f"{{username: {name!r}}}"
