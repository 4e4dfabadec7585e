"""About, Privacy and Contact: filled from the settings, linked from every page's footer."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
import textstat
from pytest_django.asserts import assertContains, assertNotContains

from tests.education.test_content import MAX_GRADE

pytestmark = pytest.mark.django_db

PAGES = ["/about/", "/privacy/", "/contact/"]


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&quot;", '"')


@pytest.fixture
def owner(settings):
    settings.OIH_ORGANISATION_NAME = "Riverside Pain Clinic"
    settings.OIH_CONTACT_EMAIL = "privacy@riverside.example"
    settings.OIH_CONTACT_POSTAL = "1 River Road, Springfield"
    settings.OIH_RETENTION_DAYS = 45


@pytest.mark.parametrize("url", PAGES)
def test_each_page_names_who_runs_the_site(client, owner, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Riverside Pain Clinic")


@pytest.mark.parametrize("url", ["/privacy/", "/contact/"])
def test_the_contact_addresses_come_from_the_settings(client, owner, url):
    response = client.get(url)
    assertContains(response, 'href="mailto:privacy@riverside.example"')
    assertContains(response, "1 River Road, Springfield")


def test_without_a_contact_address_the_page_says_so(client, settings):
    settings.OIH_CONTACT_EMAIL = ""
    settings.OIH_CONTACT_POSTAL = ""
    response = client.get("/contact/")
    assertContains(response, "have not given a contact address yet")
    assertNotContains(response, "mailto:")


def test_privacy_says_what_is_kept_for_how_long_who_sees_it_and_how_to_delete_it(client, owner):
    text = main_text(client.get("/privacy/"))
    assert "Saved answers are deleted 45 days after they are saved." in text
    assert "What we keep" in text
    assert "Only clinicians at Riverside Pain Clinic who review the checks." in text
    assert "deletion key" in text
    assert "within 2 days" in text
    assertContains(client.get("/privacy/"), 'href="/delete-saved/"')


def test_every_page_links_to_the_three_from_its_footer(client):
    html = client.get("/help/").content.decode()
    footer = html[html.index("<footer") :]
    for url in PAGES:
        assert f'href="{url}"' in footer


@pytest.mark.parametrize("url", PAGES)
def test_each_page_reads_at_grade_8_or_below(client, owner, url):
    assert textstat.flesch_kincaid_grade(main_text(client.get(url))) <= MAX_GRADE
