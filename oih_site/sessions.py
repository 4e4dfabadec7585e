"""Django's database sessions, read with one plain query and decoded without the detours."""

import base64
import functools
import hashlib
import hmac
import json
import zlib

from django.conf import settings
from django.contrib.sessions.backends import db
from django.core import signing
from django.core.signing import JSONSerializer
from django.db import connections, router
from django.utils import timezone


@functools.cache
def _signer(salt: str, secret: str) -> hmac.HMAC:
    """An HMAC with the key Django's ``Signer`` derives from a salt and a secret, to copy.

    Copying one is quicker than starting one (``salted_hmac``) for every session read.
    """
    key = hashlib.sha256(f"{salt}signer{secret}".encode()).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def _signed_json(session_data: str, salt: str) -> object:
    """The data, if ``TimestampSigner(salt=salt)`` signed it with the current ``SECRET_KEY``.

    None if the signature is not that one; raises if anything else is wrong. Django's
    ``signing.loads`` reads the same format: ``base64(JSON)`` (``.`` first if compressed),
    ``:``, the time it was signed, ``:``, and the HMAC-SHA256 of everything before.
    """
    value, _, signature = session_data.rpartition(":")
    mac = _signer(salt, settings.SECRET_KEY).copy()
    mac.update(value.encode())
    expected = base64.urlsafe_b64encode(mac.digest()).rstrip(b"=")
    if not hmac.compare_digest(expected, signature.encode()):
        return None
    payload, _, timestamp = value.rpartition(":")
    signing.b62_decode(timestamp)  # a malformed time is refused, as Django does
    compressed = payload.startswith(".")
    text = payload.removeprefix(".")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if compressed:
        data = zlib.decompress(data)
    return json.loads(data.decode("latin-1"))


class SessionStore(db.SessionStore):
    """A session row is read and decoded on every page a patient sees during a check.

    Building the ORM's query took about twice as long as running it, and Django's decoding
    took 58 us in a loop where this takes 22 (docs/performance.md), so both are written out.
    Saving, expiry, key changes, the table and the stored format are Django's own.
    """

    def load(self) -> dict:
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table}"  # noqa: S608 (a table name)
                " WHERE session_key = %s AND expire_date > %s",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])

    def decode(self, session_data: str) -> dict:
        """What Django's ``decode`` gives, read at once when signed with the current key.

        Anything else (a signature by an older key of ``SECRET_KEY_FALLBACKS``, a bad one,
        another serializer, odd data) goes to Django's ``decode``, which decides and logs.
        """
        if self.serializer is JSONSerializer:
            try:
                data = _signed_json(session_data, self.key_salt)
            except Exception:  # Django's decode turns anything odd into {} too
                data = None
            if data is not None:
                return data
        return super().decode(session_data)
