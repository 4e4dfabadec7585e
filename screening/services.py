"""Writes to stored screenings. Each runs in one transaction: all of it happens, or none."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from django.db import IntegrityError, transaction

from screening.models import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    AuditEvent,
    Screening,
    Urgency,
)
from screening.questionnaire import QUESTIONNAIRE_VERSION
from screening.rules import Assessment, assess

# A clash between two random codes is a one-in-a-hundred-billion event; a few retries are
# more than enough, and the loop still ends if something else is wrong.
_CODE_ATTEMPTS = 5


def new_reference_code() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def screening_submit(
    *,
    answers: Mapping[str, object],
    submission_token: str,
    language: str,
    country: str,
) -> tuple[Screening, Assessment]:
    """Assess the answers and store them, once per submission token.

    The assessment is always recomputed here from the answers, never taken from the client.
    A second call with the same token (a double click, a replayed form) returns the screening
    the first call stored instead of making another.
    """
    assessment = assess(answers)
    for _attempt in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                screening = Screening.objects.create(
                    reference_code=new_reference_code(),
                    submission_token=submission_token,
                    questionnaire_version=QUESTIONNAIRE_VERSION,
                    rules_version=assessment.version,
                    language=language,
                    country=country,
                    answers=dict(answers),
                    urgency=Urgency.from_rules(assessment.urgency),
                    pattern=assessment.pattern.value,
                    findings=[reason.to_dict() for reason in assessment.findings],
                )
        except IntegrityError:
            existing = Screening.objects.filter(submission_token=submission_token).first()
            if existing is not None:
                return existing, assessment
            continue  # the reference code clashed: draw another
        return screening, assessment
    raise RuntimeError("Could not draw a free reference code.")


def screening_delete(*, screening_id: int, reference_code: str, actor: str) -> bool:
    """Delete one screening and record who asked; False when it was already gone.

    Both the id and the reference code must match, so a stale session can never delete
    another person's screening.
    """
    with transaction.atomic():
        deleted, _by_model = Screening.objects.filter(
            pk=screening_id, reference_code=reference_code
        ).delete()
        if not deleted:
            return False
        AuditEvent.objects.create(
            actor=actor, action=AuditEvent.Action.DELETE, reference_codes=[reference_code]
        )
    return True
