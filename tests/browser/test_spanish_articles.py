"""A Spanish reader's articles in the browser: accessible, on our own host, in Spanish."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from education.models import Article
from tests.browser.conftest import Visitor
from tests.education.factories import MAIN_ARTICLE, make_article
from tests.education.spanish import spanish_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spanish_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="es")
    yield context.new_page()
    context.close()


def test_a_spanish_reader_reads_and_searches_the_articles_with_no_accessibility_problem(
    spanish_page, live_server, seed_content
):
    untranslated = make_article(title="Sleep and pain")
    visitor = Visitor(spanish_page, live_server.url)
    spanish = Article.objects.get(slug=MAIN_ARTICLE, language="es")

    visitor.goto(spanish_url("education:article_list"))
    assert spanish_page.locator("html").get_attribute("lang") == "es"
    spanish_page.get_by_role("link", name=spanish.title).click()
    visitor.check()
    assert spanish_page.locator("h1").inner_text() == spanish.title
    spanish_page.get_by_role("link", name="Tolerancia").click()  # the table of contents
    assert spanish_page.url.endswith("#tolerance")

    visitor.goto(spanish_url("education:search") + "?q=naloxona")
    visitor.goto(spanish_url("education:article", untranslated.slug))
    assert spanish_page.locator("h1").get_attribute("lang") == "en"
    visitor.finish()
