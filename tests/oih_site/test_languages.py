"""English at today's addresses, Spanish under /es/: every patient page in both, a link
to the same page in the other language, and a check that survives a change of language.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation
from pytest_django.asserts import assertRedirects

from screening import flow, questionnaire
from screening.models import Screening
from tests.factories import POSSIBLE_OIH, post_value, question_in, walk
from tests.languages import PATIENT_PAGES, SPANISH

pytestmark = pytest.mark.django_db

# What machines and staff read: one address, no language.
WITHOUT_LANGUAGE = [
    "/robots.txt",
    "/sitemap.xml",
    "/healthz",
    "/fhir/Questionnaire/oih-self-check",
    "/admin/login/",
]

LANGUAGE_LINK = re.compile(r'<a class="language-link" ([^>]*)>([^<]*)</a>')
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def language_link(response) -> dict[str, str]:
    """The page's one link to the other language: its attributes and its text."""
    links = LANGUAGE_LINK.findall(response.content.decode())
    assert len(links) == 1, links
    attributes, text = links[0]
    return {**dict(re.findall(r'(\w+)="([^"]*)"', attributes)), "text": text}


@pytest.mark.parametrize("page", PATIENT_PAGES)
def test_every_patient_page_is_in_english_at_its_address_and_in_spanish_under_es(client, page):
    english = client.get(page)
    spanish = client.get(SPANISH + page)
    assert (english.status_code, spanish.status_code) == (HTTPStatus.OK, HTTPStatus.OK)
    assert (html_lang(english), html_lang(spanish)) == ("en", "es")
    assert spanish["Content-Language"] == "es"


@pytest.mark.parametrize("page", PATIENT_PAGES)
def test_the_language_link_leads_to_the_same_page_in_the_other_language(client, page):
    path = urlsplit(page).path
    to_spanish = language_link(client.get(page))
    assert to_spanish == {
        "href": SPANISH + path,
        "lang": "es",
        "hreflang": "es",
        "text": "Español",
    }
    to_english = language_link(client.get(SPANISH + page))
    assert (to_english["href"], to_english["lang"], to_english["hreflang"]) == (path, "en", "en")
    assert to_english["text"] == "English"


@pytest.mark.parametrize("page", ["/help/", "/es/help/", "/learn/search/?q=pain"])
def test_each_page_names_its_alternates_in_both_languages_and_a_default(client, page):
    path = urlsplit(page).path.removeprefix(SPANISH)
    alternates = dict(ALTERNATE.findall(client.get(page).content.decode()))
    assert alternates == {
        "en": f"http://testserver{path}",
        "es": f"http://testserver{SPANISH}{path}",
        "x-default": f"http://testserver{path}",
    }


def test_a_page_not_found_still_offers_the_other_language(client):
    response = client.get("/es/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert html_lang(response) == "es"
    assert language_link(response)["href"] == "/no-such-page/"


@pytest.mark.parametrize("address", WITHOUT_LANGUAGE)
def test_what_machines_and_staff_read_has_one_address_without_a_language(client, address):
    assert client.get(address).status_code == HTTPStatus.OK
    assert client.get(SPANISH + address).status_code == HTTPStatus.NOT_FOUND


def test_admin_pages_stay_in_the_clinics_language_whatever_the_browser_asks(client):
    response = client.get("/admin/login/", headers={"accept-language": "es"})
    assert html_lang(response) == "en"


def test_a_browser_asking_for_spanish_still_gets_english_at_the_english_address(client):
    response = client.get("/check/", headers={"accept-language": "es"})
    assert response.status_code == HTTPStatus.OK
    assert html_lang(response) == "en"


# A Spanish browser, one that prefers Spanish from Mexico, and a French one.
BROWSER_LANGUAGES = ["es", "es-MX,es;q=0.9,en;q=0.5", "fr"]


@pytest.mark.parametrize("accept_language", BROWSER_LANGUAGES)
def test_a_spanish_browser_landing_on_the_home_page_reads_it_in_english(client, accept_language):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == HTTPStatus.OK
    assert (html_lang(response), response["Content-Language"]) == ("en", "en")
    # The way to Spanish is the link, to its own address.
    assert language_link(response)["href"] == "/es/"


def test_a_language_cookie_changes_no_page(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert html_lang(client.get("/check/")) == "en"
    assert html_lang(client.get("/admin/login/")) == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert html_lang(client.get("/es/check/")) == "es"


def varies_on(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name}


@pytest.mark.parametrize(
    "address", [*PATIENT_PAGES, *(SPANISH + page for page in PATIENT_PAGES), *WITHOUT_LANGUAGE]
)
def test_no_page_varies_on_the_browsers_language(client, address):
    """The address decides, so browsers and proxies keep one copy of a page, not one per
    Accept-Language a visitor's browser sends."""
    responses = [client.get(address, headers={"accept-language": a}) for a in BROWSER_LANGUAGES]
    assert {response.status_code for response in responses} == {HTTPStatus.OK}
    assert all("accept-language" not in varies_on(response) for response in responses)
    # The same words whatever the browser asked for.
    assert len({response["Content-Language"] for response in responses}) == 1


def test_a_page_not_found_does_not_vary_on_the_browsers_language_either(client):
    for address in ["/no-such-page/", "/es/no-such-page/", "/fr/"]:
        response = client.get(address, headers={"accept-language": "es"})
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert "accept-language" not in varies_on(response)


@pytest.mark.parametrize("address", ["/", "/learn/", "/es/learn/", "/help/"])
def test_a_first_visit_to_a_reading_page_does_not_vary_on_the_cookie(client, address):
    """Nothing on a reading page depends on a session, so a visitor without one gets a page
    that a browser or proxy may keep for everyone."""
    response = client.get(address)
    assert response.status_code == HTTPStatus.OK
    assert "cookie" not in varies_on(response)
    assert settings.SESSION_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize("address", ["/check/", "/es/check/"])
def test_pages_with_a_session_still_vary_on_the_cookie(client, address):
    response = client.get(address)
    assert "cookie" in varies_on(response)


def test_reverse_gives_the_address_in_the_active_language():
    assert reverse("screening:start") == "/check/"
    with translation.override("es"):
        assert reverse("screening:start") == "/es/check/"
        # Addresses without a language stay as they are.
        assert reverse("site:fhir_questionnaire") == "/fhir/Questionnaire/oih-self-check"
        assert reverse("admin:index") == "/admin/"


def test_the_sitemap_lists_every_page_in_both_languages_with_alternates(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>http://testserver([^<]+)</loc>", sitemap)
    for page in ["/", "/learn/", "/check/", "/check/how-it-works/", "/help/"]:
        assert page in locations
        assert SPANISH + page in locations
    assert (
        '<xhtml:link rel="alternate" hreflang="es" href="http://testserver/es/help/"/>' in sitemap
    )
    assert (
        '<xhtml:link rel="alternate" hreflang="x-default" href="http://testserver/help/"/>'
        in sitemap
    )


def test_robots_keep_search_engines_out_of_the_check_in_both_languages(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    for prefix in ("", SPANISH):
        assert f"Allow: {prefix}/check/$" in lines
        assert f"Allow: {prefix}/check/how-it-works/" in lines
        assert f"Disallow: {prefix}/check/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


# --- A check that changes language halfway -------------------------------------------------


class Journey:
    """A client that remembers every address it asked for, was sent to, or was shown."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.addresses: list[str] = []

    def _seen(self, path: str, response) -> None:
        self.addresses.append(path)
        if location := response.get("Location"):
            self.addresses.append(location)
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode()
            self.addresses += re.findall(r'(?:href|action)="([^"]*)"', body)

    def get(self, path: str):
        response = self.client.get(path)
        self._seen(path, response)
        return response

    def post(self, path: str, data: dict):
        response = self.client.post(path, data)
        self._seen(path, response)
        return response


def test_switching_to_spanish_halfway_keeps_the_check_and_goes_on_in_spanish(client):
    journey = Journey(client)
    response = journey.post("/check/", {"privacy": "save"})
    # Answer in English up to the dose questions.
    for _ in range(5):
        question_id = question_in(response["Location"])
        response = journey.post(
            response["Location"], {question_id: post_value(POSSIBLE_OIH[question_id])}
        )
    answered = dict(client.session[flow.CHECK_KEY]["answers"])
    assert len(answered) == 5
    next_question = question_in(response["Location"])
    page = journey.get(response["Location"])
    assert html_lang(page) == "en"

    # The language link of the question page: the same question, in Spanish.
    spanish_address = language_link(page)["href"]
    assert spanish_address == f"/es/check/{next_question}/"
    page = journey.get(spanish_address)
    assert page.status_code == HTTPStatus.OK
    assert html_lang(page) == "es"
    assert client.session[flow.CHECK_KEY]["answers"] == answered

    # Answered in Spanish, the next page is the next question in Spanish.
    response = journey.post(
        spanish_address, {next_question: post_value(POSSIBLE_OIH[next_question])}
    )
    assert response["Location"].startswith("/es/check/")
    while (question_id := question_in(response["Location"])) is not None:
        assert html_lang(journey.get(response["Location"])) == "es"
        response = journey.post(
            response["Location"], {question_id: post_value(POSSIBLE_OIH[question_id])}
        )
    assertRedirects(response, "/es/check/answers/", fetch_redirect_response=False)
    assert html_lang(journey.get("/es/check/answers/")) == "es"
    response = journey.post("/es/check/answers/", {})
    assertRedirects(response, "/es/check/result/", fetch_redirect_response=False)
    result = journey.get("/es/check/result/")
    assert html_lang(result) == "es"

    screening = Screening.objects.get()
    assert screening.answers == POSSIBLE_OIH
    assert screening.language == "es"
    assert_no_answer_in_any_address(journey.addresses)


def test_switching_back_to_english_on_the_answers_page_keeps_every_answer(client):
    walk(client, POSSIBLE_OIH, privacy="save", prefix=SPANISH)
    page = client.get("/es/check/answers/")
    assert html_lang(page) == "es"
    english = client.get(language_link(page)["href"])
    assert (english.status_code, html_lang(english)) == (HTTPStatus.OK, "en")
    assert client.session[flow.CHECK_KEY]["answers"] == POSSIBLE_OIH
    client.post("/check/answers/")
    assert Screening.objects.get().language == "en"


def test_the_language_link_of_a_page_opened_to_change_an_answer_carries_no_query(client):
    walk(client, POSSIBLE_OIH)
    page = client.get("/check/pain_spread/?change")
    assert language_link(page)["href"] == "/es/check/pain_spread/"


def test_an_emergency_answer_in_spanish_ends_at_the_spanish_emergency_page(client):
    client.post("/es/check/", {"privacy": "show_only"})
    response = client.post("/es/check/breathing/", {"breathing": "overdose_signs"})
    assertRedirects(response, "/es/check/emergency/", fetch_redirect_response=False)
    assert html_lang(client.get("/es/check/emergency/")) == "es"


def assert_no_answer_in_any_address(addresses: list[str]) -> None:
    """No address asked for, redirected to or linked names an answer.

    Our own addresses carry at most the word ``change``; their only variable part is a
    question's id. Other hosts (the help lines' tel: links) carry no answer either.
    """
    assert addresses
    for address in addresses:
        parts = urlsplit(address)
        if parts.scheme in ("tel", "sms", "mailto") or parts.netloc:
            continue
        assert parts.query in ("", "change"), address
        if not parts.path or parts.path.startswith("/static/"):
            continue
        with translation.override(translation.get_language_from_path(parts.path) or "en"):
            match = resolve(parts.path)
        assert set(match.kwargs) <= {"question_id", "slug"}, address
        if "question_id" in match.kwargs:
            assert questionnaire.get(match.kwargs["question_id"]) is not None, address
