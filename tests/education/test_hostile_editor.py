"""The article editor under hostile or broken input: a clear 4xx or a form error, never a
500, and nothing saved, not even a line of history."""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from education.models import BODY_MAX_LENGTH, Article, Reference
from tests.education.factories import MAIN_ARTICLE, make_article
from tests.education.pages import form_data, parse
from tests.screening.staff import make_editor, sign_in

pytestmark = pytest.mark.django_db

ADD = "/admin/education/article/add/"


def snapshot() -> tuple:
    """Everything an editor's save could touch."""
    return (
        list(Article.objects.order_by("pk").values_list("pk", "title", "body", "status", "slug")),
        list(Reference.objects.order_by("pk").values_list("pk", "citation", "url", "order")),
        Article.history.count(),
        Reference.history.count(),
    )


@pytest.fixture
def editor() -> Client:
    client = Client(raise_request_exception=False)
    sign_in(client, make_editor())
    return client


@pytest.fixture
def main() -> Article:
    return Article.objects.get(slug=MAIN_ARTICLE, language="en")


def change_url(article: Article) -> str:
    return f"/admin/education/article/{article.pk}/change/"


def the_form(client: Client, url: str) -> dict:
    return form_data(client.get(url).content, field="body")


def error_text(response) -> str:
    return " | ".join(e.text for e in parse(response.content).find_all(class_="errorlist"))


OTHER_REFERENCE = object()  # replaced by the id of another article's reference


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "Pain\x00 and opioids"}, "Null characters are not allowed"),
        ({"body": "Some text\x00 more"}, "Null characters are not allowed"),
        ({"body": "a" * (BODY_MAX_LENGTH + 1)}, "at most 100000 characters"),
        ({"body": "# A second title\n\nText."}, "makes a title"),
        ({"body": "Text.\n\n##### Too deep\n"}, "Headings go no deeper than ####."),
        ({"body": "![A chart](https://example.org/chart.png)"}, "Pictures can't be shown"),
        ({"body": "Text.\n\n<IMG SRC=chart.png>\n"}, "Pictures can't be shown"),
        ({"body": "A second title\n===\n\nText."}, "underlined with ===, makes a title"),
        ({"title": "t" * 201}, "at most 200 characters"),
        ({"slug": "<script>alert(1)</script>"}, "valid “slug”"),
        ({"slug": "opioids-and-pain-that-gets-worse"}, "result page links to this article"),
        ({"status": "deleted"}, "Select a valid choice"),
        ({"related": ["999999999"]}, "Select a valid choice"),
        ({"related": ["not-a-number"]}, "is not a valid value"),
        ({"references-TOTAL_FORMS": "100000"}, "at most 1000"),
        ({"references-TOTAL_FORMS": "abc"}, "ManagementForm data is missing or has been tampered"),
        ({"references-0-id": OTHER_REFERENCE}, "The references changed after you opened"),
        ({"references-0-url": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"references-0-accessed_on": "2026-02-31"}, "Enter a valid date"),
        ({"references-0-order": "-1"}, "greater than or equal to 0"),
        ({"reviewed_on": "yesterday"}, "Enter a valid date"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 40 else None,
)
def test_bad_values_in_the_article_form_get_a_form_error_and_change_nothing(
    editor, main, changes, message
):
    make_article(slug="opioids-and-pain-that-gets-worse", references=1)
    other_reference = Reference.objects.exclude(article=main).first()
    data = the_form(editor, change_url(main))
    assert "references-0-id" in data, "the main article has references"
    for name, value in changes.items():
        data[name] = str(other_reference.pk) if value is OTHER_REFERENCE else value
    before = snapshot()
    response = editor.post(change_url(main), data)
    assert response.status_code == HTTPStatus.OK
    assert message in error_text(response) + response.text
    assert snapshot() == before


def test_taking_another_articles_address_is_refused(editor):
    make_article(slug="taken")
    article = make_article(slug="free")
    data = the_form(editor, change_url(article))
    before = snapshot()
    response = editor.post(change_url(article), {**data, "slug": "taken"})
    assert response.status_code == HTTPStatus.OK
    assert "Another article in this language has this slug." in error_text(response)
    assert snapshot() == before


def test_bytes_that_are_not_utf8_are_refused_with_a_clear_message(editor, main):
    data = the_form(editor, change_url(main))
    data.pop("body")
    raw = urlencode(data, doseq=True) + "&body=Pain%FF%FEafter+dose"
    before = snapshot()
    response = editor.generic(
        "POST", change_url(main), raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == HTTPStatus.OK
    assert "Some characters could not be read" in error_text(response)
    assert snapshot() == before


def test_a_new_article_with_bad_values_is_not_created(editor):
    data = {
        **the_form(editor, ADD),
        "title": "New\x00 article",
        "slug": "new-article",
        "summary": "A summary.",
        "body": "Text.",
    }
    before = snapshot()
    response = editor.post(ADD, data)
    assert response.status_code == HTTPStatus.OK
    assert snapshot() == before


def test_thousands_of_fields_are_refused(editor, main):
    data = {**the_form(editor, change_url(main)), **{f"f{i}": "x" for i in range(5000)}}
    before = snapshot()
    assert editor.post(change_url(main), data).status_code == HTTPStatus.BAD_REQUEST
    assert snapshot() == before


def test_an_oversized_request_is_refused(editor, main):
    data = {**the_form(editor, change_url(main)), "body": "a" * 3_000_000}
    before = snapshot()
    assert editor.post(change_url(main), data).status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert snapshot() == before


def test_a_save_without_the_csrf_token_is_refused(main):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, make_editor())
    data = {**the_form(client, change_url(main)), "body": "Changed."}
    data.pop("csrfmiddlewaretoken")
    before = snapshot()
    assert client.post(change_url(main), data).status_code == HTTPStatus.FORBIDDEN
    assert snapshot() == before


def test_a_save_posted_from_another_site_is_refused(main):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, make_editor())
    data = {**the_form(client, change_url(main)), "body": "Changed."}
    before = snapshot()
    response = client.post(change_url(main), data, headers={"Origin": "https://evil.example"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert snapshot() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_change_nothing(editor, main, method):
    before = snapshot()
    response = getattr(editor, method)(change_url(main), "body=Changed.")
    # The admin answers any method but POST as a GET: it shows the form, unsaved.
    assertContains(response, main.title)
    assert snapshot() == before


def test_a_stale_form_for_a_deleted_reference_gets_a_form_error_and_saves_nothing(editor, main):
    data = the_form(editor, change_url(main))
    Reference.objects.filter(pk=data["references-0-id"]).delete()
    before = snapshot()
    response = editor.post(change_url(main), data)
    assertContains(response, "Please correct the error below.")
    assert snapshot() == before
