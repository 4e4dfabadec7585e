"""A per-address limit on anonymous submissions, shared by all app servers.

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


SUBMISSIONS = Limit("submit", hits=10, window=60 * 60)
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
    now = time.time()
    window_number = int(now // limit.window)
    retry_after = int((window_number + 1) * limit.window - now) + 1
    expires = timezone.now() + datetime.timedelta(seconds=retry_after)
    table = RateBucket._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, hits, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits",
            [_key(limit, client_address(request), window_number), expires],
        )
        (hits,) = cursor.fetchone()
    return 0 if hits <= limit.hits else retry_after


def expired_buckets_delete() -> int:
    deleted, _by_model = RateBucket.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
