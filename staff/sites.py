"""The admin site: staff need a password and a code from an authenticator app."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import services
from staff.forms import StaffLoginForm, TwoStepSetupForm


def _without_app(request: HttpRequest) -> bool:
    """A signed-in, active staff member who has no authenticator app yet."""
    user = request.user
    return user.is_authenticated and user.is_active and user.is_staff and not services.has_app(user)


class StaffAdminSite(admin.AdminSite):
    """Django's admin, open only to staff verified by their authenticator app this session."""

    site_header = "OIH self-check: staff"
    site_title = "OIH self-check staff"
    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"
    index_template = "admin/staff_index.html"
    # The few models each role sees are a click away from the breadcrumbs; the sidebar's
    # 280 px are the queue's, so that it fits a 1280 px screen and a tablet.
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and request.user.is_verified()

    def get_urls(self) -> list[URLPattern]:
        return [
            path("two-step/", self.two_step_setup, name="two_step_setup"),
            path(
                "recovery-codes/",
                self.admin_view(self.recovery_codes),
                name="recovery_codes",
            ),
            # Not behind admin_view, which needs a verified session: someone half-way
            # through signing in must be able to sign out.
            path("logout/", self.logout, name="logout"),
            *super().get_urls(),
        ]

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """Django's index, headed by the summary of each model admin that offers one
        (``summary(request) -> str``) to those who may view its model."""
        summaries = [
            mark_safe(model_admin.summary(request))  # noqa: S308 (rendered from our template)
            for model_admin in self._registry.values()
            if hasattr(model_admin, "summary") and model_admin.has_view_permission(request)
        ]
        return super().index(request, {"summaries": summaries, **(extra_context or {})})

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        setup_url = reverse("admin:two_step_setup", current_app=self.name)
        setting_up = services.totp_setup_secret(request=request) is not None
        if request.method == "GET" and _without_app(request) and setting_up:
            return HttpResponseRedirect(setup_url)
        response = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 302 and _without_app(request):
            services.totp_setup_begin(request=request)
            return HttpResponseRedirect(setup_url)
        return response

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    def two_step_setup(self, request: HttpRequest) -> HttpResponse:
        """Add an authenticator app: scan the code (or type the key), enter its first code.

        Only in the session that has just signed in with the password, for a staff member
        without an app. Template: ``admin/two_step_setup.html``. Context: the admin's, plus
        ``form``, ``qr_svg`` and ``key`` (the secret in groups of four, for typing).
        """
        login_url = reverse("admin:login", current_app=self.name)
        index_url = reverse("admin:index", current_app=self.name)
        if not _without_app(request):
            return HttpResponseRedirect(index_url if self.has_permission(request) else login_url)
        secret = services.totp_setup_secret(request=request)
        if secret is None:
            messages.info(request, "Sign in again to set up your authenticator app.")
            return HttpResponseRedirect(login_url)
        form = TwoStepSetupForm(request.POST or None, secret=secret)
        if request.method == "POST" and form.is_valid():
            services.totp_setup_confirm(
                request=request, user=request.user, time_step=form.time_step
            )
            codes = services.recovery_codes_replace(user=request.user)
            services.recovery_codes_hold(request=request, codes=codes)
            messages.success(
                request, "Your authenticator app is set up. Use it every time you sign in."
            )
            return HttpResponseRedirect(reverse("admin:recovery_codes", current_app=self.name))
        device = TOTPDevice(user=request.user, key=secret.hex())  # for its otpauth:// URL
        qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)
        key = b32encode(secret).decode()
        context = {
            **self.each_context(request),
            "title": "Set up your authenticator app",
            "form": form,
            # segno's own markup, holding no text of ours; hidden from screen readers,
            # which get the key to type instead.
            "qr_svg": mark_safe(qr_svg.replace("<svg ", '<svg aria-hidden="true" ', 1)),  # noqa: S308
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/two_step_setup.html", context)

    @method_decorator(never_cache)
    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    def recovery_codes(self, request: HttpRequest) -> HttpResponse:
        """Recovery codes: the new ones, once, right after they are made; else how many are
        left, and a button that makes a new set (the old ones then stop working).

        Template: ``admin/recovery_codes.html``. Context: the admin's, plus ``codes`` (the
        new codes, or None) and ``left`` (how many unused codes the staff member has).
        """
        if request.method == "POST":
            codes = services.recovery_codes_replace(user=request.user)
            services.recovery_codes_hold(request=request, codes=codes)
            return HttpResponseRedirect(request.path)
        codes = services.recovery_codes_take(request=request)
        context = {
            **self.each_context(request),
            "title": gettext("Recovery codes"),
            "codes": [f"{code[:4]}-{code[4:]}" for code in codes] if codes else None,
            "left": services.recovery_codes_left(user=request.user),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/recovery_codes.html", context)
