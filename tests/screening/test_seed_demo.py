"""`seed_demo` fills a development database, and never a production one."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from screening.models import Screening, Urgency
from screening.rules import assess

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        seed(screenings=5)
    assert not Screening.objects.exists()


def test_it_makes_screenings_across_outcomes_that_the_rules_agree_with(settings):
    settings.DEBUG = True
    seed(screenings=300, seed=7, no_staff=True)
    assert Screening.objects.count() == 300
    assert set(Screening.objects.values_list("urgency", flat=True)) == set(Urgency.values)
    for screening in Screening.objects.all()[:50]:
        assert assess(screening.answers).urgency.name == Urgency(screening.urgency).name


def test_the_demo_staff_sign_in_with_the_printed_password_and_set_up_an_app(settings):
    settings.DEBUG = True
    output = seed(screenings=0)
    passwords = dict(re.findall(r"^(demo-\w+)  password: (\S+)", output, re.M))
    assert set(passwords) == {"demo-clinician", "demo-editor"}
    for username, password in passwords.items():
        client = Client()
        client.post("/admin/login/", {"username": username, "password": password})
        assert client.get("/admin/login/")["Location"] == "/admin/two-step/"
