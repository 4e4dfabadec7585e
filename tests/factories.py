"""Small builders for test data: complete answers, walked journeys and stored screenings."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from screening import flow, questionnaire
from screening.models import Screening
from screening.services import screening_submit

# A complete check that matches no pattern: daily use for more than 3 months, nothing new.
NO_PATTERN: dict[str, Any] = {
    "breathing": "no",
    "self_harm": "no",
    "new_symptoms": ["none"],
    "opioid_use": "most_days",
    "oud_treatment": "no",
    "duration": "gt_3_months",
    "pain_context": "no",
    "dose_change": ["no_change"],
    "pain_spread": "no",
    "touch_hurts": "no",
    "worst_time": "steady",
    "withdrawal_signs": "no",
    "sedation_episodes": "no",
    "overdose_risk": ["none"],
    "health_change": "no",
    "control": "no",
    "pain_average": 3,
    "pain_enjoyment": 3,
    "pain_activity": 3,
}

POSSIBLE_OIH = {
    **NO_PATTERN,
    "dose_change": ["raised"],
    "after_increase": "worse",
    "pain_spread": "yes",
    "touch_hurts": "yes",
}

SOME_FEATURES = {**NO_PATTERN, "touch_hurts": "yes"}


def make_answers(**overrides: Any) -> dict[str, Any]:
    """Complete no-pattern answers, changed by ``overrides``; None removes a question."""
    answers = {**NO_PATTERN, **overrides}
    return flow.prune({key: value for key, value in answers.items() if value is not None})


def post_value(value: Any) -> Any:
    return [str(v) for v in value] if isinstance(value, list) else str(value)


def walk(
    client: Client, answers: dict[str, Any], *, privacy: str = "show_only", prefix: str = ""
) -> Any:
    """Start a check and answer page by page, following the redirects as a browser would.

    ``prefix`` is the language's ("/es" for Spanish, "" for English). Returns the last
    response (a redirect to the answers page, or to the emergency page).
    """
    response = client.post(f"{prefix}/check/", {"privacy": privacy})
    while (question_id := question_in(response["Location"])) is not None:
        response = client.post(
            response["Location"], {question_id: post_value(answers[question_id])}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    return response


def question_in(location: str) -> str | None:
    """The question id a redirect leads to, in any language, or None for any other page."""
    match = re.match(r"^(?:/[a-z]{2})?/check/([^/?]+)/", location)
    return match.group(1) if match and questionnaire.get(match.group(1)) else None


def submit(
    client: Client, answers: dict[str, Any], *, privacy: str = "show_only", prefix: str = ""
) -> Any:
    """Walk the whole check and submit it; returns the result page."""
    walk(client, answers, privacy=privacy, prefix=prefix)
    client.post(f"{prefix}/check/answers/")
    return client.get(f"{prefix}/check/result/")


def get_in(client: Client, language: str, name: str) -> Any:
    """GET the page named ``name`` in ``language``: by its address in that language, and
    with the browser asking for it."""
    with translation.override(language):
        url = reverse(name)
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def make_screening(**overrides: Any) -> Screening:
    """A stored screening made the way a patient's submission makes one."""
    answers = overrides.pop("answers", None) or make_answers()
    screening, _assessment = screening_submit(
        answers=answers,
        submission_token=overrides.pop("submission_token", None) or flow.Check(save=True).token,
        language=overrides.pop("language", "en"),
        country=overrides.pop("country", "US"),
    )
    if overrides:
        Screening.objects.filter(pk=screening.pk).update(**overrides)
        screening.refresh_from_db()
    return screening


def expire_all_sessions() -> None:
    """As if every visitor had left their browser idle past the session's limit."""
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
