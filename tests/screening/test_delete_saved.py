"""Deleting saved answers later, anywhere, with the reference code and the deletion key.

The reference code is not a secret (ADR 0003), so it alone deletes nothing. The key is shown
with the code, stored only as a hash, and the page never tells whether a code exists.
"""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from screening.models import AuditEvent, Screening, format_deletion_key, hash_deletion_key
from tests.factories import POSSIBLE_OIH, expire_all_sessions, submit, walk

pytestmark = pytest.mark.django_db

KEY = re.compile(r'class="deletion-key">([A-Z0-9-]+)<')


def saved_with_key(client: Client) -> tuple[Screening, str]:
    """Save a check; return its screening and the deletion key the result page showed."""
    page = submit(client, POSSIBLE_OIH, privacy="save").content.decode()
    return Screening.objects.get(), KEY.search(page).group(1)


def delete_saved(client: Client, code: str, key: str):
    return client.post("/delete-saved/", {"reference_code": code, "deletion_key": key})


def test_the_result_shows_a_long_key_beside_the_code_and_stores_only_its_hash(client):
    screening, key = saved_with_key(client)
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", key)
    assert screening.deletion_key_hash == hash_deletion_key(key)
    stored = Screening.objects.filter(pk=screening.pk).values().get()
    assert key not in str(stored)
    assert key.replace("-", "") not in str(stored)


def test_each_saved_check_gets_its_own_key(client):
    _first, first_key = saved_with_key(client)
    page = submit(Client(), POSSIBLE_OIH, privacy="save").content.decode()
    assert KEY.search(page).group(1) != first_key


def test_a_check_only_shown_has_no_key(client):
    page = submit(client, POSSIBLE_OIH)
    assertNotContains(page, "deletion key")


def test_code_and_key_delete_the_answers_after_the_session_is_gone(client):
    screening, key = saved_with_key(client)
    expire_all_sessions()
    other = Client()  # another device, another day
    response = delete_saved(other, screening.display_reference.lower(), key.replace("-", " "))
    assertRedirects(response, "/delete-saved/done/")
    assert not Screening.objects.exists()
    event = AuditEvent.objects.get(action="delete")
    assert (event.actor, event.reference_codes) == ("patient", [screening.reference_code])


def test_the_code_alone_deletes_nothing_and_the_page_says_the_same_either_way(client):
    screening, key = saved_with_key(client)
    wrong_key = format_deletion_key("A" * 16)
    unknown_code = "ACDE-FGHJ" if screening.reference_code != "ACDEFGHJ" else "ACDE-FGHK"
    pages = []
    for code, given in [(screening.display_reference, wrong_key), (unknown_code, key)]:
        response = delete_saved(Client(), code, given)
        assertRedirects(response, "/delete-saved/done/")
        pages.append(Client().get(response["Location"]).content)
    assert Screening.objects.filter(pk=screening.pk).exists()
    assert pages[0] == pages[1]
    refused = AuditEvent.objects.filter(detail__startswith="refused")
    assert refused.count() == 2
    assert all(event.reference_codes == [] for event in refused)


def test_a_screening_saved_before_keys_existed_cannot_be_deleted_with_any_key(client):
    screening, key = saved_with_key(client)
    Screening.objects.filter(pk=screening.pk).update(deletion_key_hash="")
    delete_saved(Client(), screening.display_reference, key)
    assert Screening.objects.filter(pk=screening.pk).exists()


@pytest.mark.parametrize(
    ("code", "key", "message"),
    [
        ("", "ACDE-FGHJ-KMNP-QRTU", "Enter the reference code."),
        ("ACDE-FGHJ", "", "Enter the deletion key."),
        ("ACDE", "ACDE-FGHJ-KMNP-QRTU", "A reference code has 8 letters and numbers."),
        ("ACDE-FGHJ", "ACDE-FGHJ", "A deletion key has 16 letters and numbers."),
    ],
)
def test_a_mistyped_form_says_what_to_fix_and_changes_nothing(client, code, key, message):
    screening, _key = saved_with_key(client)
    response = delete_saved(Client(), code, key)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "There is a problem")
    assertContains(response, message)
    assertContains(response, "<title>Error:", html=False)
    assert Screening.objects.filter(pk=screening.pk).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_tries_are_limited_per_address_and_nothing_is_deleted_past_the_limit(client):
    screening, key = saved_with_key(client)
    guesser = Client()
    for attempt in range(10):
        wrong = format_deletion_key(f"{attempt:A>16}".replace("0", "C")[:16])
        assertRedirects(
            delete_saved(guesser, screening.display_reference, wrong), "/delete-saved/done/"
        )
    response = delete_saved(guesser, screening.display_reference, key)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(response["Retry-After"]) > 0
    assertContains(response, "Nothing was deleted.", status_code=429)
    assert Screening.objects.filter(pk=screening.pk).exists()


def test_deleting_from_the_same_browser_also_clears_its_result(client):
    screening, key = saved_with_key(client)
    delete_saved(client, screening.display_reference, key)
    assertRedirects(client.get("/check/result/"), "/check/")


def test_the_emergency_page_offers_the_key_and_the_delete_page(client):
    walk(client, {"breathing": "overdose_signs"}, privacy="save")
    page = client.get("/check/emergency/")
    screening = Screening.objects.get()
    assertContains(page, screening.display_reference)
    key = KEY.search(page.content.decode()).group(1)
    assertContains(page, 'href="/delete-saved/"')
    delete_saved(Client(), screening.display_reference, key)
    assert not Screening.objects.exists()


def test_every_page_links_to_the_delete_page(client):
    for path in ("/", "/check/", "/help/"):
        assertContains(client.get(path), 'href="/delete-saved/"')


def test_the_replayed_submit_keeps_the_first_key(client):
    walk(client, POSSIBLE_OIH, privacy="save")
    before = client.session["oih_check"]
    client.post("/check/answers/")
    first = KEY.search(client.get("/check/result/").content.decode()).group(1)
    session = client.session
    session["oih_check"] = before
    session.save()
    client.post("/check/answers/")
    again = KEY.search(client.get("/check/result/").content.decode()).group(1)
    assert first == again
    assert Screening.objects.get().deletion_key_hash == hash_deletion_key(first)
