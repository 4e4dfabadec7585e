"""A canary answer travels through a submission and a forced error and shows up nowhere
but the database: not in logs, error e-mails, URLs, caches or the rate-limit store."""

from __future__ import annotations

import ipaddress
import logging
import re
import uuid

import pytest
from django.core import mail
from django.test import Client

from screening import flow, services
from screening.models import RateBucket, Screening
from tests.caches import cached_fragments, cached_texts
from tests.factories import POSSIBLE_OIH, walk

pytestmark = pytest.mark.django_db


def plant_canary(client: Client, canary: str) -> None:
    """Put a one-off value among the answers in the session, as if it were an answer."""
    walk(client, POSSIBLE_OIH, privacy="save")
    session = client.session
    session[flow.CHECK_KEY]["answers"]["canary"] = canary
    session.save()


def test_a_canary_answer_reaches_only_the_database(settings, monkeypatch, caplog):
    settings.ADMINS = ["ops@example.org"]
    caplog.set_level(logging.DEBUG)
    canary = f"CANARY-{uuid.uuid4().hex}"
    seen: list[str] = []

    # A submission that works: the canary is stored, as answers are.
    client = Client()
    plant_canary(client, canary)
    # Mid-check, the patient reads an article: the reading pages go into the shared cache.
    for url in ("/", "/learn/", "/learn/opioid-induced-hyperalgesia/"):
        seen.append(client.get(url).content.decode())
    response = client.post("/check/answers/")
    seen += [response["Location"], client.get("/check/result/").content.decode()]
    assert Screening.objects.get().answers["canary"] == canary

    # A submission that fails on the server, with the canary in hand.
    def broken_submit(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services, "screening_submit", broken_submit)
    # From an address, a browser and a page that must not reach the report either.
    address = "203.0.113.77"
    failing = Client(
        raise_request_exception=False,
        REMOTE_ADDR=address,
        HTTP_X_FORWARDED_FOR=address,
        HTTP_USER_AGENT=f"Browser/{canary}",
        HTTP_REFERER=f"http://testserver/check/after_increase/?{canary}",
    )
    plant_canary(failing, canary)
    response = failing.post("/check/answers/", {"note": canary})
    assert response.status_code == 500
    seen.append(response.content.decode())

    assert mail.outbox, "the failure should e-mail the operators"
    seen += [message.body for message in mail.outbox]
    session_key = failing.cookies["sessionid"].value
    for secret in (session_key, address, "after_increase"):
        assert not any(secret in message.body for message in mail.outbox), secret
    seen += [message.subject for message in mail.outbox]
    seen += [record.getMessage() for record in caplog.records]
    seen += [str(record.args) for record in caplog.records]
    seen += [record.exc_text or "" for record in caplog.records]
    seen += list(RateBucket.objects.values_list("key", flat=True))
    cached = cached_texts()
    assert any("template.cache" in text for text in cached), "the pages used the cache"
    assert any("cache_page" in text for text in cached), "the reading pages were cached"
    seen += cached
    for text in seen:
        assert canary not in text
    # The operators still learn what broke.
    assert "database on fire" in mail.outbox[0].body


def test_a_canary_in_request_headers_reaches_no_log_or_error_mail(settings, caplog):
    """Origin, Referer, Host and X-Forwarded-For are chosen by whoever sends the request:
    the logs and the operators' e-mail say that one was foreign, never what it said."""
    settings.ADMINS = ["ops@example.org"]
    settings.OIH_TRUSTED_PROXIES = (ipaddress.ip_network("127.0.0.1"),)
    caplog.set_level(logging.DEBUG)
    canary = f"canary-{uuid.uuid4().hex}"
    statuses = []

    # A form sent from another site: a foreign Origin, then (over HTTPS, with no Origin)
    # a foreign Referer.
    guarded = Client(enforce_csrf_checks=True)
    statuses.append(
        guarded.post("/check/", {"privacy": "save"}, HTTP_ORIGIN=f"https://{canary}.example")
    )
    statuses.append(
        guarded.post(
            "/check/",
            {"privacy": "save"},
            secure=True,
            HTTP_REFERER=f"https://{canary}.example/{canary}",
        )
    )
    # A Host that is not ours.
    statuses.append(Client(HTTP_HOST=f"{canary}.example").get("/check/"))
    # A forwarded address that is not one, from our proxy and from anyone else, on a failed
    # staff sign-in (which axes logs).
    for peer in ("127.0.0.1", "198.51.100.9"):
        sign_in = Client(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=f"{canary}, 203.0.113.9{canary}")
        statuses.append(sign_in.post("/admin/login/", {"username": "nobody", "password": "x"}))

    assert [r.status_code for r in statuses] == [403, 403, 400, 200, 200]
    logged = [record.getMessage() for record in caplog.records]
    logged += [record.exc_text or "" for record in caplog.records]
    logged += [logging.Formatter().format(record) for record in caplog.records]
    mailed = [message.subject + message.body for message in mail.outbox]
    for text in logged + mailed:
        assert canary not in text.lower()
    # The operators still learn what was refused.
    joined = "\n".join(logged)
    for marker in ("foreign origin", "foreign Referer", "foreign host", "AXES"):
        assert marker in joined, marker


def test_only_question_forms_without_an_answer_are_kept_and_never_an_answer():
    client = Client()
    client.post("/check/", {"privacy": "show_only"})
    client.get("/check/breathing/")
    client.post("/check/breathing/", {"breathing": "no"})
    assert len(cached_fragments("blank_question_form")) == 1
    client.get("/check/self_harm/")
    client.post("/check/self_harm/", {"self_harm": "no"})
    # Back to the answered pages: each shows its answer, rendered afresh, kept nowhere.
    for page in ("/check/breathing/", "/check/self_harm/"):
        page_text = client.get(page).content.decode()
        assert re.search(r'value="no"[^>]*checked|checked[^>]*value="no"', page_text)
    kept = cached_fragments("blank_question_form")
    assert len(kept) == 2
    assert not any("checked" in fragment for fragment in kept)
