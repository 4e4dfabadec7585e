"""FHIR R4 views of the self-check, built from questionnaire.py.

The Questionnaire resource publishes the questions (no patient data). Each stored screening
becomes a QuestionnaireResponse whose linkIds are the question ids and whose codings use the
answer codes. Plain dicts, serialised as JSON: the tests validate them with fhir.resources.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import translation

from screening.models import Screening, Urgency
from screening.questionnaire import QUESTIONNAIRE_VERSION, QUESTIONS, Kind, Question

QUESTIONNAIRE_ID = "oih-self-check"
CODE_SYSTEM = "urn:oih-self-check:answer-codes"


def questionnaire_url(base_url: str) -> str:
    """The Questionnaire's canonical URL: where this site serves it."""
    return base_url + reverse("screening:fhir_questionnaire")


def _enable_when(question: Question) -> list[dict]:
    """The last condition only: every condition's own question is gated by the ones before
    it, so the last one implies them all (and FHIR cannot say "A and (B or C)" flat)."""
    if not question.shown_if:
        return []
    condition = question.shown_if[-1]
    return [
        {
            "question": condition.question_id,
            "operator": "=",
            "answerCoding": {"system": CODE_SYSTEM, "code": code},
        }
        for code in sorted(condition.codes)
    ]


def _item(question: Question) -> dict:
    item: dict = {"linkId": question.id, "text": str(question.text), "required": True}
    if question.kind is Kind.SCALE:
        item["type"] = "integer"
        item["extension"] = [
            {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
            {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 10},
        ]
    else:
        item["type"] = "choice"
        item["repeats"] = question.kind is Kind.MULTI
        item["answerOption"] = [
            {"valueCoding": {"system": CODE_SYSTEM, "code": c.code, "display": str(c.label)}}
            for c in question.choices
        ]
    conditions = _enable_when(question)
    if conditions:
        item["enableWhen"] = conditions
        if len(conditions) > 1:
            item["enableBehavior"] = "any"
    return item


def questionnaire(base_url: str) -> dict:
    """The self-check as a FHIR Questionnaire resource."""
    with translation.override("en"):
        return {
            "resourceType": "Questionnaire",
            "id": QUESTIONNAIRE_ID,
            "url": questionnaire_url(base_url),
            "version": QUESTIONNAIRE_VERSION,
            "name": "OIHSelfCheck",
            "title": "Opioid-induced hyperalgesia self-check",
            "status": "active",
            "subjectType": ["Patient"],
            "description": (
                "A patient self-check for a pattern worth discussing with a clinician. "
                "It is not a diagnostic instrument."
            ),
            "item": [_item(question) for question in QUESTIONS],
        }


def _answers(question: Question, value: object) -> list[dict]:
    if question.kind is Kind.SCALE:
        return [{"valueInteger": int(value)}]
    codes = value if isinstance(value, list) else [value]
    return [
        {
            "valueCoding": {
                "system": CODE_SYSTEM,
                "code": code,
                "display": str(question.choice(code).label) if question.choice(code) else code,
            }
        }
        for code in codes
    ]


def questionnaire_response(screening: Screening, base_url: str) -> dict:
    """One screening as a FHIR QuestionnaireResponse (no patient identity: there is none)."""
    with translation.override(screening.language or "en"):
        items = [
            {
                "linkId": question.id,
                "text": str(question.text),
                "answer": _answers(question, screening.answers[question.id]),
            }
            for question in QUESTIONS
            if question.id in screening.answers
        ]
    # A check that an emergency answer ended early was stopped, not completed.
    status = "stopped" if screening.urgency == Urgency.EMERGENCY else "completed"
    return {
        "resourceType": "QuestionnaireResponse",
        "id": screening.reference_code,
        "identifier": {
            "system": "urn:oih-self-check:reference-code",
            "value": screening.reference_code,
        },
        "questionnaire": f"{questionnaire_url(base_url)}|{screening.questionnaire_version}",
        "status": status,
        "authored": screening.created_at.isoformat(),
        "item": items,
    }


def bundle(screenings: Iterable[Screening], base_url: str) -> dict:
    """Several screenings as a FHIR collection Bundle."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": f"urn:oih-self-check:{screening.reference_code}",
                "resource": questionnaire_response(screening, base_url),
            }
            for screening in screenings
        ],
    }
