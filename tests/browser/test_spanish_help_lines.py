"""Spanish pages that give the help lines in Spanish pass axe, in light and dark."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.conftest import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "es-US"}


def spanish_path(name: str) -> str:
    with translation.override("es"):
        return reverse(name)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_spanish_help_lines_pass_axe(visitor: Visitor, scheme):
    visitor.page.emulate_media(color_scheme=scheme)
    for name in ("screening:help", "screening:emergency", "screening:about"):
        visitor.goto(spanish_path(name))
        expect(visitor.page.locator("html")).to_have_attribute("lang", "es")
        expect(visitor.page.locator(".in-spanish").first).to_contain_text("marque el 2")
