"""Staff users in the roles the migrations create: clinicians, content editors, superusers."""

from __future__ import annotations

from django.contrib.auth.models import Group, User

CLINICIANS = "Clinicians"
CONTENT_EDITORS = "Content editors"

# Long enough for the password validators, so the browser test can log in with it.
PASSWORD = "a-long-test-password-91"


def make_staff(username: str, *groups: str, superuser: bool = False) -> User:
    """A staff user in the named groups (which the data migrations made)."""
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    else:
        user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
        assert user.groups.count() == len(groups), f"missing group among {groups}"
    return user


def make_clinician(username: str = "clinician") -> User:
    return make_staff(username, CLINICIANS)


def make_editor(username: str = "editor") -> User:
    return make_staff(username, CONTENT_EDITORS)


def make_superuser(username: str = "admin") -> User:
    return make_staff(username, superuser=True)
