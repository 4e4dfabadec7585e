"""Two identical submissions at the same moment make one screening (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from screening.models import Screening
from screening.services import screening_submit
from tests.factories import POSSIBLE_OIH


@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_submissions_store_one_screening():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writes; the race needs PostgreSQL.")
    start = threading.Barrier(4)
    codes: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            screening, _assessment = screening_submit(
                answers=POSSIBLE_OIH, submission_token="same-token", language="en", country="US"
            )
            codes.append(screening.reference_code)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Screening.objects.count() == 1
    assert set(codes) == {Screening.objects.get().reference_code}
