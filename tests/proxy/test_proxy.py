"""What the proxy in front of the app is for, proved against nginx, gunicorn and PostgreSQL.

Slow clients wait in nginx, not in an app worker; oversized bodies stop at the proxy; the
client's address is the one the proxy saw, whatever the client wrote.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from http import HTTPStatus

import pytest

from screening.models import Screening, normalize_reference
from tests.factories import POSSIBLE_OIH, post_value, question_in
from tests.production import HOST, Browser
from tests.screening.staff import PASSWORD, make_staff

pytestmark = pytest.mark.proxy

BODY = b"privacy=save&" + b"x" * 1_000
# A request head sent whole, then its body a byte a second.
SLOW_BODY_HEAD = (
    b"POST /check/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n"
)


@contextmanager
def slow_clients(port: int, *, count: int = 3, whole_request: bool) -> Iterator[None]:
    """``count`` clients that send a request to ``port`` at one byte a second.

    With ``whole_request``, from its first byte; otherwise the head at once, then the body.
    They stop (and hang up) when the block ends.
    """
    done = threading.Event()
    request = SLOW_BODY_HEAD + BODY

    def send() -> None:
        with closing(socket.create_connection((HOST, port), timeout=5)) as sock:
            start = 0 if whole_request else len(SLOW_BODY_HEAD)
            if start:
                sock.sendall(request[:start])
            for position in range(start, len(request)):
                if done.wait(1):
                    return
                try:
                    sock.sendall(request[position : position + 1])
                except OSError:
                    return  # the proxy hung up on us: fine

    threads = [threading.Thread(target=send, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)  # every slow client has connected and sent a byte or more
        yield
    finally:
        done.set()
        for thread in threads:
            thread.join(5)


def healthz(port: int, timeout: float = 2) -> tuple[int | None, float]:
    """GET /healthz; its status (None if none came within ``timeout``) and the seconds."""
    started = time.monotonic()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", "/healthz")
        status = conn.getresponse().status
    except (TimeoutError, OSError):
        status = None
    finally:
        conn.close()
    return status, time.monotonic() - started


@pytest.mark.parametrize("whole_request", [False, True], ids=["slow body", "slow head"])
def test_three_clients_sending_a_byte_a_second_do_not_stop_healthz(site, whole_request):
    """Three such clients held every worker of the app alone; behind nginx, none."""
    with slow_clients(site.port, whole_request=whole_request):
        answers = [healthz(site.port) for _ in range(3)]
    for status, seconds in answers:
        assert status == HTTPStatus.OK
        assert seconds < 1


def test_without_the_proxy_the_same_clients_hold_the_workers(site):
    """The control for the test above: the clients are slow enough to matter."""
    app = site.servers[0]  # one worker
    with slow_clients(app.port, whole_request=False):
        status, seconds = healthz(app.port, timeout=2)
    assert status is None
    assert seconds >= 2
    time.sleep(0.5)  # the worker is free again once they hang up
    assert healthz(app.port)[0] == HTTPStatus.OK


def test_the_proxy_refuses_a_body_over_its_limit(site):
    conn = http.client.HTTPConnection(HOST, site.port, timeout=10)
    with closing(conn):
        conn.request(
            "POST",
            "/check/",
            body=b"privacy=save&" + b"x" * 1_100_000,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert conn.getresponse().status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


def test_the_static_files_manifest_is_not_served(site):
    assert Browser(site.port).request("GET", "/static/staticfiles.json")[0] == 404
    assert Browser(site.servers[0].port).request("GET", "/static/staticfiles.json")[0] == 404


@pytest.mark.django_db(transaction=True)
def test_a_client_cannot_choose_its_address_through_the_proxy(site):
    """Five wrong passwords pause the account, whatever X-Forwarded-For each one carried."""
    make_staff("sprayed", password=PASSWORD)
    statuses = []
    for spoof in ("203.0.113.1", "203.0.113.2", "unknown", "203.0.113.4:443", "[::1]"):
        staff = Browser(site.port, address=spoof)
        staff.follow("/admin/login/")
        form = {"username": "sprayed", "password": "not the password", "otp_token": "000000"}
        status, _location, _page = staff.request("POST", "/admin/login/", form)
        statuses.append(status)
    assert statuses == [HTTPStatus.OK] * 4 + [HTTPStatus.TOO_MANY_REQUESTS]


@pytest.mark.django_db(transaction=True)
def test_a_patient_saves_a_check_through_the_proxy(site):
    patient = Browser(site.port)
    patient.follow("/check/")
    _status, location, _page = patient.request("POST", "/check/", {"privacy": "save"})
    while (question_id := question_in(location)) is not None:
        answer = {question_id: post_value(POSSIBLE_OIH[question_id])}
        _status, location, _page = patient.request("POST", location, answer)
    status, location, _page = patient.request("POST", "/check/answers/")
    assert (status, location) == (HTTPStatus.FOUND, "/check/result/")
    _path, page = patient.follow(location)
    code = re.search(r'class="reference-code[^"]*">\s*([\w-]+)', page).group(1)
    assert list(Screening.objects.values_list("reference_code", flat=True)) == [
        normalize_reference(code)
    ]
