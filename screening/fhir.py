"""FHIR R4 views of the self-check, built from questionnaire.py.

The Questionnaire resource publishes the questions (no patient data). Each stored screening
becomes a QuestionnaireResponse whose linkIds are the question ids and whose codings use the
answer codes. Plain dicts, serialised as JSON: the tests validate them with fhir.resources.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from screening import flow
from screening.models import Screening, Urgency
from screening.questionnaire import (
    QUESTIONNAIRE_VERSION,
    QUESTIONS,
    VERSIONS,
    Choice,
    Kind,
    Question,
)

QUESTIONNAIRE_ID = "oih-self-check"
CODE_SYSTEM = "urn:oih-self-check:answer-codes"
# Marks an answer that cannot be chosen together with any other (FHIR R4 core extension).
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
# The same words in another language, on a string's "_" twin (FHIR R4 core extension).
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"


def _translated(text: Callable[[], object]) -> dict:
    """A string in the clinic's language (``text`` called under it) with its translations.

    ``{"value": ..., "_value": {"extension": [...]}}``: one translation extension per other
    language of the site, its ``lang`` and ``content`` parts as FHIR defines them.
    """
    with translation.override(settings.LANGUAGE_CODE):
        value = str(text())
    extensions = []
    for language, _name in settings.LANGUAGES:
        if language == settings.LANGUAGE_CODE:
            continue
        with translation.override(language):
            words = str(text())
        extensions.append(
            {
                "url": TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": language},
                    {"url": "content", "valueString": words},
                ],
            }
        )
    return {"value": value, "_value": {"extension": extensions}}


def site_url(request: HttpRequest) -> str:
    """The base of the canonical URLs: the configured public address, in development the
    request's own."""
    return settings.OIH_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")


def questionnaire_url(base_url: str) -> str:
    """The Questionnaire's canonical URL: where this site serves it."""
    return base_url + reverse("site:fhir_questionnaire")


def _coding(code: str) -> dict:
    return {"system": CODE_SYSTEM, "code": code}


def questions_in(version: str) -> list[Question]:
    """The questions ``version`` of the questionnaire asked, in order."""
    return [question for question in QUESTIONS if question.asked_in(version)]


def _enable_when(question: Question, questions: list[Question]) -> tuple[list[dict], str]:
    """When ``question`` is asked, as FHIR enableWhen conditions and their behaviour.

    A question's own condition: only its last part. Every part's own question is gated by
    the ones before it, so the last implies them all (and FHIR cannot say "A and (B or C)"
    flat). A disabled question counts as unanswered, so gating chains down the list.
    """
    stop = _after_safety(question, questions)
    if question.shown_if:
        if stop[0]:
            raise ValueError(f"{question.id}: FHIR cannot gate it on its condition and a stop")
        condition = question.shown_if[-1]
        conditions = [
            {"question": condition.question_id, "operator": "=", "answerCoding": _coding(code)}
            for code in sorted(condition.codes)
        ]
        return conditions, "any"
    return stop


def _after_safety(question: Question, questions: list[Question]) -> tuple[list[dict], str]:
    """The emergency stop (CLINICAL.md rule 1) for the question right after a safety one.

    After an emergency answer nothing more is asked: the next question is asked only when
    the safety question's answer was not an emergency, and it gates all the rest.
    """
    index = questions.index(question)
    before = questions[index - 1] if index else None
    if before is None or not before.safety:
        return [], "any"
    multi = before.kind is Kind.MULTI
    emergency = [
        code for code in before.codes if flow.answer_ends_check(before, [code] if multi else code)
    ]
    if multi:
        answered = {"question": before.id, "operator": "exists", "answerBoolean": True}
        return [answered] + [
            {"question": before.id, "operator": "!=", "answerCoding": _coding(code)}
            for code in emergency
        ], "all"
    return [
        {"question": before.id, "operator": "=", "answerCoding": _coding(code)}
        for code in before.codes
        if code not in emergency
    ], "any"


def _item(question: Question, questions: list[Question], version: str) -> dict:
    text = _translated(lambda: question.text_in(version))
    item: dict = {
        "linkId": question.id,
        "text": text["value"],
        "_text": text["_value"],
        "required": True,
    }
    if question.kind is Kind.SCALE:
        item["type"] = "integer"
        item["extension"] = [
            {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
            {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 10},
        ]
    else:
        item["type"] = "choice"
        item["repeats"] = question.kind is Kind.MULTI
        item["answerOption"] = [_option(question, choice, version) for choice in question.choices]
    conditions, behaviour = _enable_when(question, questions)
    if conditions:
        item["enableWhen"] = conditions
        if len(conditions) > 1:
            item["enableBehavior"] = behaviour
    if question.help_text:
        # The line the site shows under the question, as a display item within it.
        help_text = _translated(lambda: question.help_text)
        help_item = {"linkId": f"{question.id}.help", "type": "display"}
        item["item"] = [{**help_item, "text": help_text["value"], "_text": help_text["_value"]}]
    return item


def _option(question: Question, choice: Choice, version: str) -> dict:
    display = _translated(lambda: choice.label_in(version))
    coding = {
        "system": CODE_SYSTEM,
        "code": choice.code,
        "display": display["value"],
        "_display": display["_value"],
    }
    option: dict = {"valueCoding": coding}
    if choice.code in question.exclusive:
        option["extension"] = [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
    return option


def questionnaire(base_url: str, version: str = QUESTIONNAIRE_VERSION) -> dict:
    """The self-check as a FHIR Questionnaire resource, in any version it has had.

    Its words are in the clinic's language (``settings.LANGUAGE_CODE``, its ``language``),
    each question, help line and answer with its translations beside it: a form filler
    can ask in Spanish what the site asks in Spanish.

    The current version is "active"; an earlier one is "retired", and stays published so
    that a response given under it can still be read against its questions.
    """
    if version not in VERSIONS:
        raise ValueError(f"No questionnaire version {version!r}.")
    questions = questions_in(version)
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "resourceType": "Questionnaire",
            "language": settings.LANGUAGE_CODE,
            "id": QUESTIONNAIRE_ID
            if version == QUESTIONNAIRE_VERSION
            else f"{QUESTIONNAIRE_ID}-v{version}",
            "url": questionnaire_url(base_url),
            "version": version,
            "name": "OIHSelfCheck",
            "title": "Opioid-induced hyperalgesia self-check",
            "status": "active" if version == QUESTIONNAIRE_VERSION else "retired",
            "subjectType": ["Patient"],
            "description": (
                "A patient self-check for a pattern worth discussing with a clinician. "
                "It is not a diagnostic instrument."
            ),
            "item": [_item(question, questions, version) for question in questions],
        }


def _answers(question: Question, value: object, version: str) -> list[dict]:
    if question.kind is Kind.SCALE:
        return [{"valueInteger": int(value)}]
    codes = value if isinstance(value, list) else [value]
    answers = []
    for code in codes:
        choice = question.choice(code)
        display = str(choice.label_in(version)) if choice else code
        answers.append({"valueCoding": {"system": CODE_SYSTEM, "code": code, "display": display}})
    return answers


def questionnaire_response(screening: Screening, base_url: str) -> dict:
    """One screening as a FHIR QuestionnaireResponse (no patient identity: there is none).

    It names the questionnaire version its answers were given under, in that version's
    words, in the clinic's language (its ``language``) whatever language the patient used.
    """
    version = screening.questionnaire_version
    with translation.override(settings.LANGUAGE_CODE):
        items = [
            {
                "linkId": question.id,
                "text": str(question.text_in(version)),
                "answer": _answers(question, screening.answers[question.id], version),
            }
            for question in QUESTIONS
            if question.id in screening.answers
        ]
    # A check that an emergency answer ended early was stopped, not completed.
    status = "stopped" if screening.urgency == Urgency.EMERGENCY else "completed"
    return {
        "resourceType": "QuestionnaireResponse",
        "id": screening.reference_code,
        "language": settings.LANGUAGE_CODE,
        "identifier": {
            "system": "urn:oih-self-check:reference-code",
            "value": screening.reference_code,
        },
        "questionnaire": f"{questionnaire_url(base_url)}|{screening.questionnaire_version}",
        "status": status,
        "authored": screening.created_at.isoformat(),
        "item": items,
    }


def entry_url(screening: Screening, base_url: str) -> str:
    """A Bundle entry's fullUrl: a urn:uuid, as FHIR asks of a resource with no server URL.

    Derived from the site and the reference code, so that exporting a screening again gives
    the same one, and two sites' exports never share one.
    """
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base_url}#{screening.reference_code}')}"


def bundle(screenings: Iterable[Screening], base_url: str) -> dict:
    """Several screenings as a FHIR collection Bundle."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": entry_url(screening, base_url),
                "resource": questionnaire_response(screening, base_url),
            }
            for screening in screenings
        ],
    }
