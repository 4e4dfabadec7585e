"""Staff users in the roles the migrations create: clinicians, content editors, superusers."""

from __future__ import annotations

from django.contrib.auth.models import Group, User

CLINICIANS = "Clinicians"
CONTENT_EDITORS = "Content editors"

# Long enough for the password validators, for tests that log in through the login page.
PASSWORD = "a-long-test-password-91"


def make_staff(
    username: str, *groups: str, superuser: bool = False, password: str | None = None
) -> User:
    """A staff user in the named groups (which the data migrations made).

    Without ``password`` the user has none (tests log in with ``force_login``): hashing one
    takes the better part of a second.
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
    return user


def make_clinician(username: str = "clinician", *, password: str | None = None) -> User:
    return make_staff(username, CLINICIANS, password=password)


def make_editor(username: str = "editor", *, password: str | None = None) -> User:
    return make_staff(username, CONTENT_EDITORS, password=password)


def make_superuser(username: str = "admin", *, password: str | None = None) -> User:
    return make_staff(username, superuser=True, password=password)
