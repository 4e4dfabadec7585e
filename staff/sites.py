"""The admin site: staff need a password and a code from an authenticator app."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from staff import services
from staff.forms import StaffLoginForm, TwoStepSetupForm


def _needs_setup(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and user.is_staff and not user_has_device(user)


class StaffAdminSite(admin.AdminSite):
    """Django's admin, open only to staff verified by their authenticator app this session."""

    site_header = "OIH self-check: staff"
    site_title = "OIH self-check staff"
    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and request.user.is_verified()

    def get_urls(self) -> list[URLPattern]:
        setup = path("two-step/", self.two_step_setup, name="two_step_setup")
        return [setup, *super().get_urls()]

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.method == "GET" and _needs_setup(request):
            return HttpResponseRedirect(reverse("admin:two_step_setup", current_app=self.name))
        return super().login(request, extra_context)

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    def two_step_setup(self, request: HttpRequest) -> HttpResponse:
        """Add an authenticator app: scan the code (or type the key), enter its first code.

        Only for a signed-in staff member without one. Template:
        ``admin/two_step_setup.html``. Context: the admin's, plus ``form``, ``qr_svg`` and
        ``key`` (the secret in groups of four, for typing).
        """
        index = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not _needs_setup(request):
            return HttpResponseRedirect(index)
        device = services.totp_device_pending(user=request.user)
        form = TwoStepSetupForm(request.POST or None, device=device)
        if request.method == "POST" and form.is_valid():
            services.totp_device_confirm(request=request, device=device)
            messages.success(
                request, "Your authenticator app is set up. Use it every time you sign in."
            )
            return HttpResponseRedirect(index)
        secret = b32encode(device.bin_key).decode()
        qr = segno.make(device.config_url, error="m")
        context = {
            **self.each_context(request),
            "title": "Set up your authenticator app",
            "form": form,
            "qr_svg": mark_safe(qr.svg_inline(scale=5, border=2, omitsize=False)),  # noqa: S308
            "key": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/two_step_setup.html", context)
