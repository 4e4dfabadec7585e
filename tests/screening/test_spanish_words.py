"""Words put together in Python reach Spanish pages in Spanish."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import get_in

pytestmark = pytest.mark.django_db


def test_the_privacy_choice_is_asked_in_the_language_of_the_page(client):
    # The question is wrapped in its heading for every form, not once at start-up.
    spanish = get_in(client, "es", "screening:start")
    assertContains(spanish, '<span class="h4">¿Qué quiere que pase con sus respuestas?</span>')
    assertNotContains(spanish, "What should happen to your answers?")
    english = get_in(client, "en", "screening:start")
    assertContains(english, '<span class="h4">What should happen to your answers?</span>')
