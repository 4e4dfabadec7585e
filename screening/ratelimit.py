"""Limits on anonymous submissions and deletion tries, shared by all app servers.

Saving a check is limited twice in the same query: per person (an address and a browser's
session together: OIH_SUBMISSIONS_PER_HOUR) and per address (OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR,
a higher ceiling). A clinic's waiting room on one shared Wi-Fi address can still save one
check per patient, while one person cannot fill the clinicians' queue, not even by
throwing the session away: the address ceiling still holds.

Fixed windows counted in one table with a single atomic upsert per hit, so the limit holds
across several app servers and costs one query.

The table never holds an address, nor anything that names one: a key keeps only 20 bits of
a keyed hash of the address. About 4,000 IPv4 addresses share each key, so even someone
with the secret key and a copy of the table cannot tell which one saved a check, while two
patients saving in the same hour share a limit only about once in a million pairs.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from screening.models import RateBucket


@dataclass(frozen=True)
class Limit:
    scope: str
    hits: int
    window: int  # seconds


HOUR = 60 * 60


def submission_limits() -> tuple[Limit, Limit]:
    """(per person, per address), from the settings: read on every use, so tests and a
    reloaded configuration see the values in force."""
    return (
        Limit("submit", hits=settings.OIH_SUBMISSIONS_PER_HOUR, window=HOUR),
        Limit("submit-address", hits=settings.OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR, window=HOUR),
    )


# Tries at deleting saved answers with a code and a key: plenty for a person who mistypes,
# far too few to guess a key.
DELETIONS = Limit("delete", hits=10, window=60 * 60)


type Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# The longest address written out (an IPv6 address with an IPv4 tail) is 45 characters.
LONGEST_ADDRESS = 45


def _address(text: str) -> Address | None:
    """``text`` as an address, or None: no port, no brackets, no zone, nothing else."""
    text = text.strip()
    if len(text) > LONGEST_ADDRESS or "%" in text:
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address) -> bool:
    return any(address in network for network in settings.OIH_TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The client's address: the one limit on submissions and on staff sign-ins count.

    A peer that is one of our proxies (OIH_TRUSTED_PROXIES) passes the client's address
    in X-Forwarded-For. Read from the right, each entry a trusted proxy wrote is passed
    over, and the first one written by anything else is the client. From any other peer
    the header is ignored: anyone can send one. An entry that is not a plain address
    (``unknown``, ``1.2.3.4:80``, junk) means the header cannot be believed, and the peer
    stands in. Never raises; "" only when the peer itself is no address.
    """
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not forwarded or not _trusted(peer):
        return str(peer)
    client = peer
    for entry in reversed(forwarded.split(",")):
        address = _address(entry)
        if address is None:
            return str(peer)
        client = address
        if not _trusted(address):
            break
    return str(client)


ADDRESS_BITS = 20


def _key(limit: Limit, address: str, window_number: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    bucket = int.from_bytes(digest.digest()[:4]) >> (32 - ADDRESS_BITS)
    return f"{limit.scope}:{window_number}:{bucket}"


def hit(request: HttpRequest, limit: Limit) -> int:
    """Count one attempt; return 0 if allowed, else the seconds until the window ends."""
    return _count(limit, [(limit, client_address(request))])


# In the session, not the session key: the key changes when a check starts (views.start),
# this stays for as long as the session lives. It names nothing but the browser's session.
PERSON_KEY = "oih_limit_id"


def _person(request: HttpRequest) -> str:
    person = request.session.get(PERSON_KEY)
    if not isinstance(person, str):
        person = secrets.token_hex(8)
        request.session[PERSON_KEY] = person
    return person


def submission_hit(request: HttpRequest) -> int:
    """Count one saved check, per person and per address, in one query.

    Return 0 if both allow it, else the seconds until the window ends.
    """
    per_person, per_address = submission_limits()
    address = client_address(request)
    return _count(
        per_person,
        [(per_person, f"{address}|{_person(request)}"), (per_address, address)],
    )


def _count(timing: Limit, buckets: list[tuple[Limit, str]]) -> int:
    """Add one hit to each bucket (same window length) in one statement; 0 if all allow it."""
    now = time.time()
    window_number = int(now // timing.window)
    retry_after = int((window_number + 1) * timing.window - now) + 1
    expires = timezone.now() + datetime.timedelta(seconds=retry_after)
    table = RateBucket._meta.db_table
    keys = {_key(limit, who, window_number): limit for limit, who in buckets}
    rows = ", ".join(["(%s, 1, %s)"] * len(keys))
    params: list[object] = []
    for key in keys:
        params += [key, expires]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, hits, expires_at) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET hits = {table}.hits + 1 RETURNING key, hits",
            params,
        )
        counted = cursor.fetchall()
    over = any(hits > keys[key].hits for key, hits in counted)
    return retry_after if over else 0


def expired_buckets_delete() -> int:
    deleted, _by_model = RateBucket.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
