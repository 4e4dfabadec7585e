"""Kept reading pages: the same page for everyone, never stale past a save, never personal."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from education import pagecache
from education.models import Article
from education.services import article_prepare
from tests.education.factories import MAIN_ARTICLE, make_article, make_reference
from tests.education.pages import main_text

pytestmark = pytest.mark.django_db

ARTICLE = f"/learn/{MAIN_ARTICLE}/"
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def queries(assert_max_queries, client: Client, url: str) -> tuple[int, object]:
    """SQL statements one page view runs (transaction control not counted), and the page."""
    with assert_max_queries(10) as context:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    sql = [
        q["sql"] for q in context.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]
    return len(sql), response


def edit_elsewhere(article: Article, monkeypatch, **changes) -> None:
    """Save as another app server would: this process hears nothing of it."""
    with monkeypatch.context() as patch:
        patch.setattr(pagecache.pages, "clear", lambda: None)
        for field, value in changes.items():
            setattr(article, field, value)
        article_prepare(article=article)
        article.save()


@pytest.fixture
def revalidate_now(monkeypatch) -> None:
    """As if more than a second had passed since the last look at the content version."""
    monkeypatch.setattr(pagecache, "REVALIDATE_EVERY", -1)


@pytest.fixture
def within_the_second(monkeypatch) -> None:
    """As if less than a second had passed, however slow the machine running the tests."""
    monkeypatch.setattr(pagecache, "REVALIDATE_EVERY", 3600)


@pytest.mark.parametrize("url", ["/", "/learn/", ARTICLE])
def test_a_reading_page_is_rendered_once_then_sent_as_kept(
    assert_max_queries, within_the_second, url
):
    first_count, first = queries(assert_max_queries, Client(), url)
    again_count, again = queries(assert_max_queries, Client(), url)
    assert first_count >= 1
    assert again_count == 0
    assert again.content == first.content


def test_a_kept_page_still_gets_every_security_header():
    fresh = Client().get(ARTICLE)
    kept = Client().get(ARTICLE)
    for header in [
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Type",
        "Content-Language",
    ]:
        assert kept[header] == fresh[header], header


def test_an_edit_in_this_process_shows_at_once(django_capture_on_commit_callbacks):
    article = Article.objects.get(slug=MAIN_ARTICLE)
    Client().get(ARTICLE)
    article.body += "\n\nA sentence added just now.\n"
    article_prepare(article=article)
    with django_capture_on_commit_callbacks(execute=True):  # the save commits here
        article.save()
    assert "A sentence added just now." in main_text(Client().get(ARTICLE))


def test_an_edit_on_another_app_server_shows_once_the_version_is_read_again(
    monkeypatch, revalidate_now
):
    article = Article.objects.get(slug=MAIN_ARTICLE)
    Client().get(ARTICLE)
    edit_elsewhere(article, monkeypatch, title="A title changed elsewhere")
    assertContains(Client().get(ARTICLE), "A title changed elsewhere")
    assertContains(Client().get("/"), "A title changed elsewhere")


def test_a_reference_changed_on_another_app_server_shows_too(monkeypatch, revalidate_now):
    article = Article.objects.get(slug=MAIN_ARTICLE)
    Client().get(ARTICLE)
    with monkeypatch.context() as patch:
        patch.setattr(pagecache.pages, "clear", lambda: None)
        make_reference(article, order=99, citation="A citation added elsewhere.")
    assertContains(Client().get(ARTICLE), "A citation added elsewhere.")


def test_within_the_second_another_server_s_edit_may_not_show_yet(monkeypatch, within_the_second):
    """The bound the design accepts: kept pages are re-checked once a second."""
    article = Article.objects.get(slug=MAIN_ARTICLE)
    Client().get(ARTICLE)
    edit_elsewhere(article, monkeypatch, title="A title changed elsewhere")
    assertNotContains(Client().get(ARTICLE), "A title changed elsewhere")


def test_a_scheduled_article_appears_on_the_home_page_when_its_time_comes(revalidate_now):
    scheduled = make_article(
        title="Scheduled for later", published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assertNotContains(Client().get("/"), "Scheduled for later")
    # Its time comes: nothing is saved, only the clock moves past published_at.
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assertContains(Client().get("/"), "Scheduled for later")


def test_a_visitor_with_a_session_always_gets_a_fresh_page(monkeypatch):
    article = Article.objects.get(slug=MAIN_ARTICLE)
    patient = Client()
    patient.post("/check/", {"privacy": "show_only"})
    assert "sessionid" in patient.cookies
    Client().get(ARTICLE)
    edit_elsewhere(article, monkeypatch, title="A title changed elsewhere")
    assertContains(patient.get(ARTICLE), "A title changed elsewhere")


def test_a_query_string_is_never_served_from_or_into_the_kept_pages(
    assert_max_queries,
):
    Client().get("/")
    count, _response = queries(assert_max_queries, Client(), "/?utm_source=leaflet")
    assert count >= 1
    count, _response = queries(assert_max_queries, Client(), "/?utm_source=leaflet")
    assert count >= 1


@pytest.mark.parametrize("url", ["/check/", "/help/", "/learn/search/", "/robots.txt"])
def test_pages_not_marked_shared_are_never_kept(url):
    Client().get(url)
    Client().get(url)
    assert pagecache.pages._pages == {}


@pytest.mark.parametrize(
    ("cookies", "sets_cookie"),
    [({}, True), ({"csrftoken": "x" * 32}, False)],
    ids=["page-sets-a-cookie", "request-carried-a-cookie"],
)
def test_a_page_tied_to_a_cookie_is_never_kept(cookies, sets_cookie):
    def view_with_a_token(request):
        response = HttpResponse("<form><input name=csrfmiddlewaretoken value=secret></form>")
        if sets_cookie:
            response.set_cookie("csrftoken", "y" * 32)
        return response

    middleware = pagecache.PageCacheMiddleware(view_with_a_token)
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies)
    middleware(request)
    assert pagecache.pages._pages == {}


def test_an_error_page_is_never_kept():
    Client().get("/learn/no-such-article/")
    assert pagecache.pages._pages == {}
