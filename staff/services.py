"""Writes for staff sign-in: a new authenticator app, pending until its first code works."""

from __future__ import annotations

import django_otp
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_NAME = "Authenticator app"


def totp_device_pending(*, user: AbstractBaseUser) -> TOTPDevice:
    """The app this user is setting up: the same secret until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, request: HttpRequest, device: TOTPDevice) -> None:
    """Make a set-up app the user's second step and count this session as verified.

    The session gets a new key, as at any change of privilege.
    """
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    request.session.cycle_key()
    django_otp.login(request, device)
