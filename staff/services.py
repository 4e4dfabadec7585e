"""Writes for staff sign-in: setting up an authenticator app right after a password sign-in.

The secret being set up lives only in the session that signed in with the password, for
SETUP_MINUTES, and is new for each such sign-in: a second session (someone else who knows
the password) never sees it, and an old session cannot start a set-up after a reset.
"""

from __future__ import annotations

import time
from binascii import unhexlify

import django_otp
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.middleware.csrf import rotate_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

APP_NAME = "Authenticator app"
SETUP_MINUTES = 10
SETUP_SESSION_KEY = "staff_setup"


def totp_setup_begin(*, request: HttpRequest) -> None:
    """After a password sign-in by someone without an app: a new secret, for this session."""
    request.session[SETUP_SESSION_KEY] = {"key": random_hex(20), "since": int(time.time())}


def totp_setup_secret(*, request: HttpRequest) -> bytes | None:
    """The secret this session may set up, or None when it may not (or no longer)."""
    setup = request.session.get(SETUP_SESSION_KEY)
    if not setup or time.time() - setup["since"] > SETUP_MINUTES * 60:
        return None
    return unhexlify(setup["key"])


def totp_code_matches(secret: bytes, code: str) -> int | None:
    """The time step ``code`` belongs to, one step either side of now, or None."""
    if not code.isdigit():
        return None
    totp = TOTP(secret)
    return totp.t() if totp.verify(int(code), tolerance=1) else None


@transaction.atomic
def totp_login_verify(*, user: AbstractBaseUser, code: str) -> TOTPDevice | None:
    """The user's app that accepts ``code`` now, or None; the code is then used up.

    The rows are locked, so two sign-ins racing with one code cannot both use it.
    """
    devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
    return next((device for device in devices if code and device.verify_token(code)), None)


@transaction.atomic
def totp_setup_confirm(*, request: HttpRequest, user: AbstractBaseUser, time_step: int) -> None:
    """Save the app whose first code matched, and count this session as verified.

    The matched step is recorded as used, so the same code cannot then sign anyone in. The
    session key and CSRF token change, as at any change of privilege.
    """
    setup = request.session.pop(SETUP_SESSION_KEY)
    device = TOTPDevice.objects.create(
        user=user, name=APP_NAME, key=setup["key"], confirmed=True, last_t=time_step
    )
    request.session.cycle_key()
    rotate_token(request)
    django_otp.login(request, device)
