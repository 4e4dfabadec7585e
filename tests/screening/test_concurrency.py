"""Two identical submissions make one screening, also at the same moment (PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from screening import services
from screening.models import Screening
from screening.services import screening_submit
from tests.factories import POSSIBLE_OIH, make_screening
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


@pytest.mark.django_db(transaction=True)
def test_a_second_submission_leaves_no_answers_in_the_database_server_log():
    """A refused duplicate INSERT would be logged with its statement, answers and all."""
    if connection.vendor != "postgresql" or "PG_DATA" not in os.environ:
        pytest.skip("Needs the throwaway PostgreSQL server of scripts/with-postgres.")
    log = Path(os.environ["PG_DATA"]).parent / "log"
    canary = f"CANARY-{uuid.uuid4().hex}"
    answers = {**POSSIBLE_OIH, "canary": canary}
    for _ in range(2):
        screening_submit(
            answers=answers, submission_token="clicked-twice", language="en", country="US"
        )
    assert Screening.objects.count() == 1
    assert canary not in log.read_text(errors="replace")


@pytest.mark.django_db(transaction=True)
def test_any_failed_statement_leaves_its_values_out_of_the_database_server_log():
    """PostgreSQL logs a failed statement; the values are bound on the server, so it shows $n."""
    if connection.vendor != "postgresql" or "PG_DATA" not in os.environ:
        pytest.skip("Needs the throwaway PostgreSQL server of scripts/with-postgres.")
    log = Path(os.environ["PG_DATA"]).parent / "log"
    taken = make_screening()
    canary = f"CANARY-{uuid.uuid4().hex}"
    # Not how the site saves a check (that never fails on a duplicate): a plain INSERT of a
    # row whose reference code is taken, as any future code's mistake might send.
    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.create(
            reference_code=taken.reference_code,
            submission_token=f"other-{uuid.uuid4().hex}",
            answers={**POSSIBLE_OIH, "canary": canary},
            urgency=taken.urgency,
            pattern=taken.pattern,
        )
    text = log.read_text(errors="replace")
    assert "duplicate key value" in text
    assert canary not in text


def test_a_reference_code_that_is_taken_is_drawn_again(monkeypatch, db):
    taken = make_screening().reference_code
    codes = iter([taken, taken, "FACE7777"])
    monkeypatch.setattr(services, "new_reference_code", lambda: next(codes))
    screening, _assessment = screening_submit(
        answers=POSSIBLE_OIH, submission_token="new-token", language="en", country="US"
    )
    assert screening.reference_code == "FACE7777"
    assert Screening.objects.count() == 2
