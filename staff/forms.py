"""The staff login form (password, then the code from an authenticator app) and set-up."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from staff.services import (
    has_app,
    recovery_login_verify,
    totp_code_matches,
    totp_login_verify,
)

CODE_LABEL = "6-digit code from your authenticator app"
TOTP_DIGITS = 6
CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
)


def _digits(value: str) -> str:
    """What people type: "123 456" and "123-456" are the code 123456."""
    return "".join(ch for ch in value if ch not in " -")


class StaffLoginForm(AdminAuthenticationForm):
    """Username, password and the 6-digit code (or a recovery code), checked together.

    A wrong code counts as a failed login (so it adds to the lockout, like a wrong
    password) and gets the same message, so the form never tells anyone that the password
    was right. A staff member who has not set up an app yet signs in with the password and
    is sent straight to set it up; the admin stays closed until they have.
    """

    otp_token = forms.CharField(
        label=CODE_LABEL,
        required=False,
        max_length=16,
        strip=True,
        widget=CODE_WIDGET,
        help_text=gettext_lazy(
            "The first time you sign in, leave this empty: you will set up the app next. "
            "Without your phone, type one of your recovery codes here instead."
        ),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "That did not work. Check your %(username)s, password and the 6-digit code "
            "from your authenticator app. If a code was wrong, wait for the app to show "
            "a new one before you try again."
        ),
    }

    def clean(self) -> dict:
        cleaned_data = super().clean()
        user = self.get_user()
        if not has_app(user):
            return cleaned_data  # signs in to set up an app, and nothing else
        typed = cleaned_data.get("otp_token", "")
        code = _digits(typed)
        if len(code) == TOTP_DIGITS and code.isdigit():
            device = totp_login_verify(user=user, code=code)
        else:
            device = recovery_login_verify(user=user, code=typed)
        if device is None:
            user_login_failed.send(
                sender=__name__,
                credentials={"username": cleaned_data.get("username")},
                request=self.request,
            )
            raise self.get_invalid_login_error()
        # django_otp marks the session as verified when the login completes.
        user.otp_device = device
        return cleaned_data


class TwoStepSetupForm(forms.Form):
    """The first code from a newly added authenticator app, which proves it is set up."""

    otp_token = forms.CharField(label=CODE_LABEL, max_length=16, widget=CODE_WIDGET)

    def __init__(self, *args, secret: bytes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.secret = secret
        self.time_step: int | None = None

    def clean_otp_token(self) -> str:
        code = _digits(self.cleaned_data["otp_token"])
        self.time_step = totp_code_matches(self.secret, code)
        if self.time_step is None:
            raise ValidationError(
                "That code did not match. Check that the app shows this account, then enter "
                "the code it shows now.",
                code="invalid_token",
            )
        return code
