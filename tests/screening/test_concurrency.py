"""Two identical submissions at the same moment make one screening (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from screening.models import Screening
from screening.services import screening_submit
from tests.factories import POSSIBLE_OIH
from tests.races import all_at_once


@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_submissions_store_one_screening():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writes; the race needs PostgreSQL.")

    def submit() -> str:
        screening, _assessment = screening_submit(
            answers=POSSIBLE_OIH, submission_token="same-token", language="en", country="US"
        )
        return screening.reference_code

    codes = all_at_once(submit)
    assert Screening.objects.count() == 1
    assert set(codes) == {Screening.objects.get().reference_code}
