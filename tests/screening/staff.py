"""Staff users in the roles the migrations create: clinicians, content editors, superusers."""

from __future__ import annotations

import time

from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

CLINICIANS = "Clinicians"
CONTENT_EDITORS = "Content editors"

# Long enough for the password validators, for tests that log in through the login page.
PASSWORD = "a-long-test-password-91"


def make_staff(
    username: str,
    *groups: str,
    superuser: bool = False,
    password: str | None = None,
    authenticator: bool = True,
) -> User:
    """A staff user in the named groups (which the data migrations made).

    Without ``password`` the user has none (tests sign in with ``sign_in``): hashing one
    takes the better part of a second. With ``authenticator`` (the default) the user has
    set up an authenticator app, as every working staff member has.
    """
    email = f"{username}@example.org"
    if superuser:
        user = User.objects.create_superuser(username, email, password)
    else:
        user = User.objects.create_user(username, email, password)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
        assert user.groups.count() == len(groups), f"missing group among {groups}"
    if authenticator:
        add_app(user)
    return user


def add_app(user: User) -> TOTPDevice:
    """The authenticator app a staff member set up at their first sign-in."""
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def app_of(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def code_now(device: TOTPDevice) -> str:
    """The code the staff member's app shows now, or the next one if this one was used.

    The server accepts one step either side of now and never a step it has seen before.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def log_in(
    client: Client,
    user: User,
    *,
    password: str = PASSWORD,
    code: str | None = None,
    path: str = "/admin/login/",
    **extra,
):
    """Post the staff sign-in form: username, password and (if given) the app's code."""
    data = {"username": user.username, "password": password}
    if code is not None:
        data["otp_token"] = code
    return client.post(path, data, **extra)


def signed_in(user: User) -> Client:
    """A new client, signed in as ``user`` with both steps done."""
    client = Client()
    sign_in(client, user)
    return client


def sign_in(client: Client, user: User) -> None:
    """Sign ``user`` in with both steps done, without going through the login page."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = app_of(user).persistent_id
    session.save()


def make_clinician(
    username: str = "clinician", *, password: str | None = None, authenticator: bool = True
) -> User:
    return make_staff(username, CLINICIANS, password=password, authenticator=authenticator)


def make_editor(username: str = "editor", *, password: str | None = None) -> User:
    return make_staff(username, CONTENT_EDITORS, password=password)


def make_superuser(
    username: str = "admin", *, password: str | None = None, authenticator: bool = True
) -> User:
    return make_staff(username, superuser=True, password=password, authenticator=authenticator)
