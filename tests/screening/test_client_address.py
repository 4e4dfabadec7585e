"""Whose address a request is from: the peer's, unless the peer is one of our proxies.

The submission limit and the staff sign-in lockout both count by this one address
(screening.ratelimit.client_address, named by AXES_CLIENT_IP_CALLABLE).
"""

from __future__ import annotations

import ipaddress
from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory

from screening import ratelimit
from screening.models import Screening
from tests.factories import POSSIBLE_OIH, walk
from tests.screening.staff import PASSWORD, log_in, make_clinician

PROXY = "10.0.0.2"
OTHER_PROXY = "10.0.1.7"
PEER = "198.51.100.20"


@pytest.fixture
def trusted(settings):
    """Our nginx at 10.0.0.2, and a load balancer in 10.0.1.0/24 in front of it."""
    settings.OIH_TRUSTED_PROXIES = (
        ipaddress.ip_network(PROXY),
        ipaddress.ip_network("10.0.1.0/24"),
    )


def address_of(peer: str, forwarded: str | None = None) -> str:
    meta = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return ratelimit.client_address(RequestFactory().get("/", **meta))


def test_no_proxy_is_trusted_by_default():
    assert django_settings.OIH_TRUSTED_PROXIES == ()
    assert address_of(PROXY, "203.0.113.7") == PROXY


@pytest.mark.parametrize(
    "forwarded",
    ["203.0.113.7", "1.2.3.4, 203.0.113.7", "unknown", "203.0.113.7:443", "", "x" * 10_000],
)
def test_an_untrusted_peer_is_the_client_whatever_it_sends(trusted, forwarded):
    assert address_of(PEER, forwarded) == PEER


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::1"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        # What the client wrote itself comes first; our proxy's entry is the last one.
        ("6.6.6.6, 203.0.113.7", "203.0.113.7"),
        # Two of our proxies: the load balancer's entry, then nginx's.
        (f"6.6.6.6, 203.0.113.7, {OTHER_PROXY}", "203.0.113.7"),
        # Every hop is ours: the first one stands.
        (f"{OTHER_PROXY}, {PROXY}", OTHER_PROXY),
    ],
    ids=["one", "spaces", "ipv6", "ipv4 in ipv6", "spoofed first", "two hops", "all ours"],
)
def test_a_trusted_proxy_names_the_client(trusted, forwarded, client):
    assert address_of(PROXY, forwarded) == client


@pytest.mark.parametrize(
    "forwarded",
    [
        "unknown",
        "203.0.113.7:443",
        "[2001:db8::1]",
        "[2001:db8::1]:443",
        "fe80::1%eth0",
        "203.0.113.7,",
        "203.0.113.300",
        "../../etc/passwd",
        "203.0.113.7\x00",
        "1" * 100,
        f"203.0.113.7, junk, {OTHER_PROXY}",
    ],
)
def test_a_header_that_is_not_plain_addresses_falls_back_to_the_peer(trusted, forwarded):
    assert address_of(PROXY, forwarded) == PROXY


def test_a_trusted_proxy_without_the_header_is_the_client(trusted):
    assert address_of(PROXY) == PROXY
    assert address_of(PROXY, "") == PROXY


def test_a_peer_that_is_no_address_counts_as_none():
    assert address_of("") == ""
    assert address_of("unix:/run/gunicorn.sock") == ""


@pytest.mark.django_db
def test_rotating_spoofed_headers_do_not_get_past_the_submission_limit(trusted, settings):
    # Each client is a new session: the address ceiling is the limit they reach.
    settings.OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 3
    statuses = []
    for number in range(6):
        client = Client(REMOTE_ADDR=PEER, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
        walk(client, POSSIBLE_OIH, privacy="save")
        statuses.append(client.post("/check/answers/").status_code)
    assert statuses == [HTTPStatus.FOUND] * 3 + [HTTPStatus.TOO_MANY_REQUESTS] * 3
    assert Screening.objects.count() == 3


@pytest.mark.django_db
def test_rotating_spoofed_headers_do_not_get_past_the_sign_in_lockout(trusted):
    nurse = make_clinician("nurse", password=PASSWORD)
    client = Client(REMOTE_ADDR=PEER)
    statuses = [
        log_in(
            client, nurse, password="wrong", code="000000", HTTP_X_FORWARDED_FOR=spoof
        ).status_code
        for spoof in ("1.1.1.1", "2.2.2.2", "unknown", "3.3.3.3:80", "[::1]", "4.4.4.4")
    ]
    assert statuses == [HTTPStatus.OK] * 4 + [HTTPStatus.TOO_MANY_REQUESTS] * 2


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded", ["unknown", "203.0.113.7:443", "a, b, c", "::1%lo"])
def test_a_malformed_header_from_our_proxy_never_breaks_a_staff_sign_in(trusted, forwarded):
    nurse = make_clinician("nurse", password=PASSWORD)
    response = log_in(
        Client(REMOTE_ADDR=PROXY), nurse, password="wrong", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert response.status_code == HTTPStatus.OK
    assert "That did not work" in response.content.decode()
