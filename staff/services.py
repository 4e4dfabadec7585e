"""Writes for staff sign-in: setting up an authenticator app right after a password sign-in,
and the recovery codes that stand in for the app when it is lost.

The secret being set up lives only in the session that signed in with the password, for
SETUP_MINUTES, and is new for each such sign-in: a second session (someone else who knows
the password) never sees it, and an old session cannot start a set-up after a reset.

Recovery codes are django-otp's static tokens: each signs in once, in place of the app's
code, and each use is written to the audit trail. They are shown once, when made.
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
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from screening.models import AuditEvent
from screening.services import audit_record

APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
SETUP_MINUTES = 10
SETUP_SESSION_KEY = "staff_setup"
# New recovery codes wait here, in the session that made them, until their page shows them.
RECOVERY_SESSION_KEY = "staff_recovery_codes"


def has_app(user: AbstractBaseUser) -> bool:
    """Whether ``user`` has set up an authenticator app. Recovery codes alone do not count:
    after a reset (the app deleted) the next password sign-in sets up a new app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


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


def recovery_code_normal(code: str) -> str:
    """What people type: "ABCD EFGH" and "abcd-efgh" are the code abcdefgh."""
    return "".join(ch for ch in code if ch not in " -").lower()


@transaction.atomic
def recovery_codes_replace(*, user: AbstractBaseUser) -> list[str]:
    """A new set of recovery codes for ``user``; any earlier ones stop working.

    Returns the codes, which are shown once and never again.
    """
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(
        actor=user.get_username(),
        action=AuditEvent.Action.RECOVERY_CODES_MADE,
        detail=f"{RECOVERY_CODE_COUNT} new recovery codes; earlier ones no longer work",
    )
    return codes


def recovery_codes_hold(*, request: HttpRequest, codes: list[str]) -> None:
    """Keep new codes in this session until ``recovery_codes_take`` shows them, once."""
    request.session[RECOVERY_SESSION_KEY] = codes


def recovery_codes_take(*, request: HttpRequest) -> list[str] | None:
    """The codes just made in this session, which are then gone from it; or None."""
    return request.session.pop(RECOVERY_SESSION_KEY, None)


def recovery_codes_left(*, user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def recovery_login_verify(*, user: AbstractBaseUser, code: str) -> StaticDevice | None:
    """The user's recovery codes, if ``code`` is one of them; it is then used up and the use
    is audited. None otherwise.

    The rows are locked, so two sign-ins racing with one code cannot both use it.
    """
    code = recovery_code_normal(code)
    if not code:
        return None
    devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
    device = next((device for device in devices if device.verify_token(code)), None)
    if device is not None:
        audit_record(
            actor=user.get_username(),
            action=AuditEvent.Action.RECOVERY_CODE_USED,
            detail=f"signed in with a recovery code; {recovery_codes_left(user=user)} left",
        )
    return device
