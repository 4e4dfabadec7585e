"""The reading pages in the shared cache: the same page for everyone, gone when an editor
saves, never personal. The cache is Django's (cache_page over a database table), so every
app server reads the same copy and sees the same clearing."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from pytest_django.asserts import assertContains

from education.models import Article
from education.services import article_prepare
from tests.caches import cached_pages
from tests.education.factories import MAIN_ARTICLE, make_reference
from tests.education.pages import main_text
from tests.screening.staff import make_editor, sign_in

pytestmark = pytest.mark.django_db

ARTICLE = f"/learn/{MAIN_ARTICLE}/"
READING_PAGES = ["/", "/learn/", ARTICLE]
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def queries(assert_max_queries, client: Client, url: str) -> tuple[list[str], object]:
    """SQL statements one page view runs (transaction control not counted), and the page."""
    with assert_max_queries(12) as context:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    sql = [
        q["sql"] for q in context.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]
    return sql, response


def patient() -> Client:
    """A browser in the middle of a check: it has a session and a CSRF cookie."""
    client = Client()
    client.post("/check/", {"privacy": "show_only"})
    assert "sessionid" in client.cookies
    return client


@pytest.mark.parametrize("url", READING_PAGES)
def test_a_reading_page_is_rendered_once_then_read_from_the_shared_cache(assert_max_queries, url):
    first_sql, first = queries(assert_max_queries, Client(), url)
    again_sql, again = queries(assert_max_queries, Client(), url)
    assert len(cached_pages()) == 1
    # The cached copy: two reads of the cache table (the page's headers, then the page).
    assert len(again_sql) == 2
    assert all("oih_page_cache" in sql for sql in again_sql)
    assert len(first_sql) > len(again_sql)
    assert again.content == first.content
    # A patient mid-check gets the same copy; the session is read as on every page.
    patient_sql, for_patient = queries(assert_max_queries, patient(), url)
    assert len(patient_sql) == 3
    assert "django_session" in patient_sql[0]
    assert for_patient.content == first.content


@pytest.mark.parametrize("url", READING_PAGES)
def test_a_cached_page_gets_every_header_a_fresh_one_does(url):
    fresh = Client().get(url)
    cached = Client().get(url)
    for header in [
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Type",
        "Content-Language",
        "Cache-Control",
    ]:
        assert cached[header] == fresh[header], header


@pytest.mark.parametrize("url", READING_PAGES)
def test_the_cache_keeps_one_copy_per_address_whatever_language_the_browser_asks_for(url):
    """The address decides the language (ADR 0010): the English page and its Spanish one
    are two copies, and no browser language or language cookie makes a third."""
    spanish = "/es" + url
    responses = []
    for accept_language in [None, "es", "es-MX,es;q=0.9", "fr", "en-GB"]:
        client = Client(headers={"accept-language": accept_language} if accept_language else {})
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        responses += [client.get(url), client.get(spanish)]
    assert {response.status_code for response in responses} == {HTTPStatus.OK}
    assert len(cached_pages()) == 2
    languages = {re.search(rb'<html lang="(\w+)"', page.content)[1] for page in cached_pages()}
    assert languages == {b"en", b"es"}
    for response in responses:
        assert "accept-language" not in response.get("Vary", "").lower(), response.request
    # Every visitor to an address gets the very same page.
    assert (
        len({r.content for r in responses[0::2]}) == len({r.content for r in responses[1::2]}) == 1
    )


@pytest.mark.parametrize("url", READING_PAGES)
def test_browsers_check_back_every_time_so_an_edit_shows_at_once(url):
    assert Client().get(url)["Cache-Control"] == "max-age=0"


@pytest.mark.parametrize("url", READING_PAGES)
def test_a_reading_page_is_the_same_whoever_asks_for_it(url):
    """So one cached copy is right for everyone: nothing from a session, no CSRF token."""
    assert not Client().get(url).cookies  # no CSRF token was asked for
    editor = Client()
    sign_in(editor, make_editor())
    pages = []
    for client in (patient(), editor, Client()):
        caches["pages"].clear()
        pages.append(client.get(url).content)
    assert pages[0] == pages[1] == pages[2]
    assert b"csrfmiddlewaretoken" not in pages[0]


def test_an_edit_shows_at_once_on_every_app_server(django_capture_on_commit_callbacks):
    article = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    for url in READING_PAGES:
        Client().get(url)
    assert len(cached_pages()) == len(READING_PAGES)
    article.title = "A title changed just now"
    article.body += "\n\nA sentence added just now.\n"
    article_prepare(article=article)
    with django_capture_on_commit_callbacks(execute=True):  # the save commits here
        article.save()
    # The cache is one table for every app server: once cleared, it is cleared for all.
    assert cached_pages() == []
    assert "A sentence added just now." in main_text(Client().get(ARTICLE))
    assertContains(Client().get("/"), "A title changed just now")
    assertContains(Client().get("/learn/"), "A title changed just now")


def test_a_new_reference_shows_at_once(django_capture_on_commit_callbacks):
    article = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    Client().get(ARTICLE)
    with django_capture_on_commit_callbacks(execute=True):
        make_reference(article, order=99, citation="A citation added just now.")
    assertContains(Client().get(ARTICLE), "A citation added just now.")


def test_nothing_is_cleared_before_the_edit_commits(django_capture_on_commit_callbacks):
    article = Article.objects.get(slug=MAIN_ARTICLE, language="en")
    Client().get(ARTICLE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article.title = "Not committed yet"
        article_prepare(article=article)
        article.save()
    assert len(cached_pages()) == 1
    assert callbacks, "clearing waits for the commit"


@pytest.mark.parametrize(
    "url",
    ["/check/", "/check/breathing/", "/help/", "/learn/search/?q=pain", "/robots.txt"],
)
def test_other_pages_are_never_cached(url):
    for _ in range(2):
        patient().get(url)
        Client().get(url)
    assert cached_pages() == []


def test_an_error_page_is_never_cached():
    Client().get("/learn/no-such-article/")
    assert cached_pages() == []
