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
def low_limit(monkeypatch):
    monkeypatch.setattr(ratelimit, "SUBMISSIONS", ratelimit.Limit("submit", hits=2, window=3600))


def submit_from(address: str) -> object:
    client = Client(REMOTE_ADDR=address)
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
    limit = ratelimit.SUBMISSIONS
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
