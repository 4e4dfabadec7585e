"""Browser policy headers Django does not set, and the idle timeout for staff sessions."""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            if now - request.session.get("staff_seen", 0) >= self.TOUCH_EVERY:
                request.session["staff_seen"] = now
        return self.get_response(request)
