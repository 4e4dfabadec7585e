"""The self-check in Spanish, in a browser: from the Spanish home page to a result by
keyboard alone, every page scanned with axe, and every request recorded to stay on our host.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from screening import explain, questionnaire
from screening.forms import StartForm
from screening.models import Screening
from screening.rules import assess
from tests.browser.conftest import Keyboard, Visitor
from tests.browser.test_self_check import current_question
from tests.factories import POSSIBLE_OIH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def spanish(text: object) -> str:
    """The words the Spanish pages show for ``text`` (a catalogue string or a lazy one)."""
    with translation.override("es"):
        return str(gettext(text) if isinstance(text, str) else text)


def test_a_saved_check_in_spanish_from_the_home_page_to_the_result_by_keyboard(
    visitor: Visitor, seed_content
):
    page = visitor.page
    visitor.goto("/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.locator("a.language-link")).to_have_attribute("hreflang", "en")
    keyboard = Keyboard(visitor)
    keyboard.follow(spanish("Start the self-check"))
    assert page.url.endswith("/es/check/")

    save = dict(StartForm.base_fields["privacy"].choices)[StartForm.SAVE]
    keyboard.choose(spanish(save))
    keyboard.submit(spanish("Start"))
    while (question_id := current_question(page)) is not None:
        assert "/es/check/" in page.url
        assert page.locator("html").get_attribute("lang") == "es"
        question = questionnaire.get(question_id)
        with translation.override("es"):
            labels = question.answer_labels(POSSIBLE_OIH[question_id])
        for label in labels:
            keyboard.choose(str(label))
        keyboard.submit(spanish("Continue"))
    assert page.url.endswith("/es/check/answers/")
    keyboard.submit(spanish("Submit and see my result"))

    assert page.url.endswith("/es/check/result/")
    assert page.locator("html").get_attribute("lang") == "es"
    headline = spanish(explain.headline(assess(POSSIBLE_OIH)))
    expect(page.get_by_role("heading", level=1)).to_have_text(headline)
    screening = Screening.objects.get()
    assert (screening.language, screening.answers) == ("es", POSSIBLE_OIH)
    expect(page.locator(".reference-code")).to_have_text(screening.display_reference)

    # Every page of the journey was in Spanish and scanned; nothing came from another host.
    assert all(path.startswith("/es/") for path in visitor.scanned), visitor.scanned
    assert len(visitor.scanned) > len(POSSIBLE_OIH)
    assert visitor.foreign_requests == []


def test_the_language_link_by_keyboard_keeps_the_check_and_shows_it_in_english(
    visitor: Visitor,
):
    page = visitor.page
    visitor.goto("/es/check/")
    keyboard = Keyboard(visitor)
    show_only = dict(StartForm.base_fields["privacy"].choices)[StartForm.SHOW_ONLY]
    keyboard.choose(spanish(show_only))
    keyboard.submit(spanish("Start"))
    first = questionnaire.get(current_question(page))
    with translation.override("es"):
        [label] = first.answer_labels(POSSIBLE_OIH[first.id])
    keyboard.choose(str(label))
    keyboard.submit(spanish("Continue"))
    second = current_question(page)

    keyboard.follow("English")
    assert page.url == f"{visitor.base_url}/check/{second}/"
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("link", name="Back")).to_have_attribute("href", f"/check/{first.id}/")
    page.go_back()
    assert page.url.endswith(f"/es/check/{second}/")
