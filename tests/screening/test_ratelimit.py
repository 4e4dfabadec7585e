"""Anonymous submissions are limited per client address, in a store all servers share."""

from __future__ import annotations

import ipaddress
from http import HTTPStatus

import pytest
from django.test import Client, RequestFactory
from pytest_django.asserts import assertContains, assertNotContains

from screening import ratelimit
from screening.models import RateBucket, Screening
from tests.factories import POSSIBLE_OIH, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_limit(settings):
    # Every test's client saves from the same address, one session each: the address
    # ceiling is the limit these tests reach, unless they reuse a client.
    settings.OIH_SUBMISSIONS_PER_HOUR = 2
    settings.OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2


def submit_from(address: str, client: Client | None = None) -> object:
    client = client or Client(REMOTE_ADDR=address)
    walk(client, POSSIBLE_OIH, privacy="save")
    return client, client.post("/check/answers/")


def test_submissions_past_the_limit_get_a_friendly_429_and_store_nothing(low_limit):
    for _ in range(2):
        _client, response = submit_from("203.0.113.7")
        assert response.status_code == HTTPStatus.FOUND
    client, response = submit_from("203.0.113.7")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(response["Retry-After"]) <= 3601
    assertContains(response, "Saving is paused for a while", status_code=429)
    assertContains(response, "Show my result without saving", status_code=429)
    assert Screening.objects.count() == 2
    # The answers are still there to submit later.
    assert client.get("/check/answers/").status_code == HTTPStatus.OK


def test_past_the_limit_the_result_can_be_seen_without_saving(low_limit):
    for _ in range(2):
        submit_from("203.0.113.7")
    client, _response = submit_from("203.0.113.7")
    response = client.post("/check/answers/", {"save": "no"})
    assert response["Location"] == "/check/result/"
    result = client.get("/check/result/")
    assertContains(result, "Talk to your doctor soon")
    assertNotContains(result, "Your reference code")
    assert Screening.objects.count() == 2


def test_the_limit_is_per_address(low_limit):
    for _ in range(2):
        submit_from("203.0.113.7")
    _client, response = submit_from("198.51.100.4")
    assert response.status_code == HTTPStatus.FOUND


def test_the_store_never_holds_an_address(low_limit):
    submit_from("203.0.113.7")
    keys = list(RateBucket.objects.values_list("key", flat=True))
    assert keys
    assert not any("203.0.113" in key for key in keys)


def test_a_stored_key_cannot_name_the_address_it_came_from():
    """Thousands of addresses share each key: among 10,000, some always do."""
    limit, _per_address = ratelimit.submission_limits()
    keys = [ratelimit._key(limit, f"10.{n // 256}.{n % 256}.1", 1) for n in range(10_000)]
    assert len(set(keys)) < len(keys)
    assert 2**32 / 2**ratelimit.ADDRESS_BITS >= 4_000


def test_behind_a_trusted_proxy_the_address_it_wrote_counts(low_limit, settings):
    settings.OIH_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.2"),)
    request_meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"}
    request = RequestFactory().get("/", **request_meta)
    assert ratelimit.client_address(request) == "203.0.113.7"


def test_only_saving_is_limited(low_limit):
    for _ in range(3):
        client = Client(REMOTE_ADDR="203.0.113.7")
        walk(client, POSSIBLE_OIH, privacy="show_only")
        assert client.post("/check/answers/").status_code == HTTPStatus.FOUND


def test_past_the_limit_an_emergency_is_still_shown_but_not_saved(low_limit):
    for _ in range(2):
        submit_from("203.0.113.7")
    client = Client(REMOTE_ADDR="203.0.113.7")
    response = walk(client, {**POSSIBLE_OIH, "breathing": "overdose_signs"}, privacy="save")
    assert response["Location"] == "/check/emergency/"
    assertContains(client.get("/check/emergency/"), "Call 911")
    assert Screening.objects.count() == 2


# --- Clinics on shared Wi-Fi (issue 17) ----------------------------------------------------


def test_the_limits_come_from_the_settings(settings):
    settings.OIH_SUBMISSIONS_PER_HOUR = 3
    settings.OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 40
    per_person, per_address = ratelimit.submission_limits()
    assert (per_person.hits, per_address.hits) == (3, 40)


def test_one_person_cannot_fill_the_queue(settings):
    settings.OIH_SUBMISSIONS_PER_HOUR = 2
    settings.OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 100
    person = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(2):
        _client, response = submit_from("203.0.113.7", person)
        assert response.status_code == HTTPStatus.FOUND
    _client, response = submit_from("203.0.113.7", person)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Screening.objects.count() == 2


def test_a_waiting_room_on_one_address_can_still_save(settings):
    settings.OIH_SUBMISSIONS_PER_HOUR = 2
    settings.OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 100
    # One person has used up their own limit...
    person = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        submit_from("203.0.113.7", person)
    # ...and the other patients on the clinic's Wi-Fi save all the same.
    for _ in range(5):
        _client, response = submit_from("203.0.113.7")
        assert response.status_code == HTTPStatus.FOUND
    assert Screening.objects.count() == 2 + 5


def test_new_sessions_do_not_get_past_the_address_ceiling(settings):
    settings.OIH_SUBMISSIONS_PER_HOUR = 10
    settings.OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 3
    statuses = [submit_from("203.0.113.7")[1].status_code for _ in range(4)]
    assert statuses == [HTTPStatus.FOUND] * 3 + [HTTPStatus.TOO_MANY_REQUESTS]


def test_the_person_limit_outlives_a_new_check(settings):
    """Starting again gives the session a new key, but not a new limit."""
    settings.OIH_SUBMISSIONS_PER_HOUR = 1
    settings.OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 100
    person = Client(REMOTE_ADDR="203.0.113.7")
    submit_from("203.0.113.7", person)
    _client, response = submit_from("203.0.113.7", person)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_saving_counts_in_one_query(settings, django_assert_num_queries):
    factory = RequestFactory()
    request = factory.post("/check/answers/", REMOTE_ADDR="203.0.113.7")
    request.session = {}
    with django_assert_num_queries(1):
        assert ratelimit.submission_hit(request) == 0
