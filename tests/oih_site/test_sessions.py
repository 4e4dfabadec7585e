"""The session store reads back exactly what Django would, and refuses what Django would."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core import signing
from django.utils import timezone

from oih_site.sessions import SessionStore

CHECKS = [
    {},
    {"a": 1},
    # Long enough for Django to compress it; accents and a list, as answers can have.
    {
        "check": {
            "answers": {"breathing": "no", "pain_sites": ["back", "legs"], "note": "é ü 痛み"},
            "privacy": "save",
        },
        "_csrf": None,
        "filler": "x" * 500,
    },
]


@pytest.mark.parametrize("data", CHECKS)
def test_a_session_reads_back_as_django_reads_it(data):
    store = SessionStore()
    encoded = store.encode(data)
    assert store.decode(encoded) == data
    assert db.SessionStore.decode(store, encoded) == data


@pytest.mark.parametrize("data", CHECKS)
def test_a_session_is_read_without_django_s_slow_path(data, monkeypatch):
    store = SessionStore()
    encoded = store.encode(data)

    def refuse(self, session_data):
        raise AssertionError("Django's decode was used")

    monkeypatch.setattr(db.SessionStore, "decode", refuse)
    assert store.decode(encoded) == data


@pytest.mark.parametrize(
    "tamper",
    [
        lambda text: text.replace("a", "b", 1),  # the data changed, the signature not
        lambda text: text[:-1] + ("A" if text[-1] != "A" else "B"),  # a forged signature
        lambda text: text.rpartition(":")[0],  # no signature at all
        lambda text: "",
        lambda text: "not:a:session",
    ],
)
def test_tampered_session_data_is_an_empty_session_and_a_warning(tamper, caplog):
    store = SessionStore()
    tampered = tamper(store.encode({"check": {"answers": {"breathing": "no"}}}))
    with caplog.at_level(logging.WARNING, logger="django.security.SuspiciousSession"):
        assert store.decode(tampered) == {}
    assert "Session data corrupted" in caplog.text


def test_a_new_secret_key_ends_old_sessions_unless_the_old_key_is_kept(settings):
    store = SessionStore()
    settings.SECRET_KEY = "old-" + "k" * 50
    encoded = store.encode({"check": {"answers": {"breathing": "no"}}})
    settings.SECRET_KEY = "new-" + "k" * 50
    assert store.decode(encoded) == {}
    settings.SECRET_KEY_FALLBACKS = ["old-" + "k" * 50]
    assert store.decode(encoded) == {"check": {"answers": {"breathing": "no"}}}


def test_odd_data_under_a_good_signature_is_an_empty_session_as_with_django():
    store = SessionStore()
    payload = store.encode({"a": 1}).split(":")[0]
    nested = signing.b64_encode(b"[" * 100_000 + b"]" * 100_000).decode()
    odd = [
        # Signed with the session's salt and key, but the time it was signed is malformed.
        signing.Signer(salt=store.key_salt).sign(f"{payload}:!!"),
        # Signed, but nested deeper than JSON's reader goes.
        signing.TimestampSigner(salt=store.key_salt).sign(nested),
        # Not even text a database would hold.
        "\ud800:x",
    ]
    for data in odd:
        assert store.decode(data) == {}
        assert db.SessionStore.decode(store, data) == {}


def test_data_signed_as_something_else_is_refused():
    # The same secret signing another kind of data (another salt) is not a session.
    encoded = signing.dumps({"check": 1}, salt="django.core.signing", compress=True)
    assert SessionStore().decode(encoded) == {}


@pytest.mark.django_db
@pytest.mark.parametrize(("left", "kept"), [(60, True), (-1, False), (-0.3, False)])
def test_a_session_is_read_only_until_it_expires(left, kept):
    store = SessionStore()
    store["check"] = {"answers": {"breathing": "no"}}
    store.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(seconds=left))
    again = SessionStore(store.session_key)
    assert again.load() == ({"check": {"answers": {"breathing": "no"}}} if kept else {})
    assert (again.session_key is not None) == kept
