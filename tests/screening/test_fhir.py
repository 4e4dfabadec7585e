"""FHIR R4 exports: the public Questionnaire and the staff's QuestionnaireResponses.

fhir.resources 8 defaults to R5; the R4B modules are R4-compatible for these resources.
"""

from __future__ import annotations

import json
import random
import uuid
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from screening.demo import random_answers
from screening.fhir import CODE_SYSTEM, OPTION_EXCLUSIVE
from screening.models import Screening
from screening.questionnaire import QUESTIONS, Kind
from screening.rules import Urgency, assess
from tests.factories import POSSIBLE_OIH, SOME_FEATURES, make_answers, make_screening
from tests.screening.staff import make_clinician, sign_in

pytestmark = pytest.mark.django_db

QUESTIONNAIRE_URL = "/fhir/Questionnaire/oih-self-check"
CHANGELIST = reverse("admin:screening_screening_changelist")


# fhir.resources checks structure and types but not the codes of required bindings, so the
# tests check those against the R4 value sets themselves.
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}
ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
    "string", "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
}  # fmt: skip
ENABLE_WHEN_OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
RESPONSE_STATUS = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}


def fhir_json(response) -> dict:
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/fhir+json"
    return json.loads(response.content)


@pytest.fixture
def clinician_client() -> Client:
    client = Client()
    sign_in(client, make_clinician())
    return client


def export_one(client: Client, screening: Screening) -> dict:
    response = client.get(reverse("admin:screening_screening_fhir", args=[screening.pk]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="{screening.reference_code}.fhir.json"'
    )
    return fhir_json(response)


# --- The Questionnaire ------------------------------------------------------------------


def test_the_questionnaire_is_public(client):
    assert reverse("site:fhir_questionnaire") == QUESTIONNAIRE_URL
    body = fhir_json(client.get(QUESTIONNAIRE_URL))
    assert body["resourceType"] == "Questionnaire"
    assert body["url"] == f"http://testserver{QUESTIONNAIRE_URL}"


def test_the_canonical_url_is_the_public_address_whatever_host_was_used(
    client, clinician_client, settings
):
    settings.OIH_PUBLIC_URL = "https://oih.example.org"
    settings.ALLOWED_HOSTS = ["www.oih.example.org", "testserver"]
    canonical = f"https://oih.example.org{QUESTIONNAIRE_URL}"
    for host in ("testserver", "www.oih.example.org"):
        assert fhir_json(client.get(QUESTIONNAIRE_URL, HTTP_HOST=host))["url"] == canonical
    screening = make_screening(answers=POSSIBLE_OIH)
    assert export_one(clinician_client, screening)["questionnaire"] == f"{canonical}|2"


def test_the_questionnaire_only_answers_get(client):
    assert client.post(QUESTIONNAIRE_URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_questionnaire_is_valid_fhir(client):
    body = fhir_json(client.get(QUESTIONNAIRE_URL))
    resource = Questionnaire.model_validate(body)
    assert resource.status == "active"
    assert resource.status in PUBLICATION_STATUS
    assert resource.version == "2"
    for item in body["item"]:
        assert item["type"] in ITEM_TYPES
        assert {c["operator"] for c in item.get("enableWhen", [])} <= ENABLE_WHEN_OPERATORS
        if len(item.get("enableWhen", [])) > 1:
            assert item["enableBehavior"] in {"all", "any"}  # FHIR invariant que-12


def test_version_2_publishes_the_new_questions_in_their_place(client):
    body = fhir_json(client.get(QUESTIONNAIRE_URL))
    link_ids = [item["linkId"] for item in body["item"]]
    assert link_ids == [question.id for question in QUESTIONS]
    for new, after in [
        ("oud_treatment", "opioid_use"),
        ("pain_context", "duration"),
        ("sedation_episodes", "withdrawal_signs"),
        ("overdose_risk", "sedation_episodes"),
    ]:
        assert link_ids.index(new) == link_ids.index(after) + 1
    items = {item["linkId"]: item for item in body["item"]}
    treatment = items["oud_treatment"]["enableWhen"]
    assert {c["answerCoding"]["code"] for c in treatment} == {"most_days", "sometimes", "unsure"}
    risks = items["overdose_risk"]
    assert risks["repeats"] is True
    exclusive = [
        option["valueCoding"]["code"]
        for option in risks["answerOption"]
        if option.get("extension") == [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
    ]
    assert exclusive == ["none"]
    assert "6 months" in items["dose_change"]["text"]


def test_version_1_stays_published_retired_in_its_own_words(client):
    body = fhir_json(client.get(QUESTIONNAIRE_URL, {"version": "1"}))
    resource = Questionnaire.model_validate(body)
    assert (resource.version, resource.status) == ("1", "retired")
    assert body["url"] == f"http://testserver{QUESTIONNAIRE_URL}"
    items = {item["linkId"]: item for item in body["item"]}
    assert not {"oud_treatment", "pain_context", "sedation_episodes", "overdose_risk"} & set(items)
    assert len(items) == 17
    assert "3 months" in items["dose_change"]["text"]
    displays = {
        o["valueCoding"]["code"]: o["valueCoding"]["display"]
        for o in items["new_symptoms"]["answerOption"]
    }
    assert displays["fever"] == "A fever"
    # The item after opioid_use in version 1 is duration, gated on daily use.
    assert [c["answerCoding"]["code"] for c in items["duration"]["enableWhen"]] == ["most_days"]


def test_an_unknown_questionnaire_version_is_not_found(client):
    assert client.get(QUESTIONNAIRE_URL, {"version": "9"}).status_code == HTTPStatus.NOT_FOUND


def test_the_questionnaire_holds_no_patient_data(client):
    screening = make_screening(answers=POSSIBLE_OIH)
    text = client.get(QUESTIONNAIRE_URL).content.decode()
    assert screening.reference_code not in text
    assert screening.display_reference not in text
    for word in ("QuestionnaireResponse", "authored", "identifier", 'subject"'):
        assert word not in text


def test_the_questionnaire_items_are_the_questions_in_order(client):
    body = fhir_json(client.get(QUESTIONNAIRE_URL))
    assert [item["linkId"] for item in body["item"]] == [q.id for q in QUESTIONS]
    for item, question in zip(body["item"], QUESTIONS, strict=True):
        assert item["text"] == str(question.text)


def test_every_answer_option_is_a_questionnaire_code(client):
    body = fhir_json(client.get(QUESTIONNAIRE_URL))
    for item, question in zip(body["item"], QUESTIONS, strict=True):
        if question.kind is Kind.SCALE:
            assert item["type"] == "integer"
            assert "answerOption" not in item
            continue
        codings = [option["valueCoding"] for option in item["answerOption"]]
        assert [c["code"] for c in codings] == list(question.codes), question.id
        assert {c["system"] for c in codings} == {CODE_SYSTEM}
        assert item["repeats"] is (question.kind is Kind.MULTI)


def test_the_questionnaire_carries_the_help_lines_and_the_answers_that_stand_alone(client):
    body = fhir_json(client.get(QUESTIONNAIRE_URL))
    for item, question in zip(body["item"], QUESTIONS, strict=True):
        shown = [child["text"] for child in item.get("item", []) if child["type"] == "display"]
        assert shown == ([str(question.help_text)] if question.help_text else []), question.id
        alone = {
            option["valueCoding"]["code"]
            for option in item.get("answerOption", [])
            if {"url": OPTION_EXCLUSIVE, "valueBoolean": True} in option.get("extension", [])
        }
        assert alone == set(question.exclusive), question.id
    pain = next(item for item in body["item"] if item["linkId"] == "pain_average")
    assert pain["item"][0]["text"].startswith("0 = no pain; 10 = ")


TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"


def spanish_of(twin: dict) -> str:
    """The Spanish text in a string's ``_`` twin: its one translation extension."""
    [translation_extension] = twin["extension"]
    assert translation_extension["url"] == TRANSLATION
    parts = {part["url"]: part for part in translation_extension["extension"]}
    assert parts["lang"]["valueCode"] == "es"
    return parts["content"]["valueString"]


def test_every_question_help_line_and_answer_carries_its_spanish_in_the_translation_extension(
    client, pseudo_spanish
):
    body = fhir_json(client.get(QUESTIONNAIRE_URL))
    assert body["language"] == "en"
    for item, question in zip(body["item"], QUESTIONS, strict=True):
        with translation.override("es"):
            assert spanish_of(item["_text"]) == str(question.text_in("2")), question.id
        assert spanish_of(item["_text"]) != item["text"]
        for child in item.get("item", []):
            with translation.override("es"):
                assert spanish_of(child["_text"]) == str(question.help_text)
        for option, choice in zip(item.get("answerOption", []), question.choices, strict=True):
            coding = option["valueCoding"]
            with translation.override("es"):
                assert spanish_of(coding["_display"]) == str(choice.label_in("2")), choice.code
            assert spanish_of(coding["_display"]) != coding["display"]


def test_the_questionnaires_spanish_is_the_catalogues(client):
    """With the real catalogue, every question and answer has Spanish words of its own."""
    body = fhir_json(client.get(QUESTIONNAIRE_URL))
    for item in body["item"]:
        assert spanish_of(item["_text"]) != item["text"], item["linkId"]
        for option in item.get("answerOption", []):
            coding = option["valueCoding"]
            # "No" is the same word in both languages.
            if coding["display"] != "No":
                assert spanish_of(coding["_display"]) != coding["display"], coding["code"]


def test_conditions_point_back_at_earlier_questions_and_their_codes(client):
    body = fhir_json(client.get(QUESTIONNAIRE_URL))
    seen: dict[str, set[str]] = {}
    for item, question in zip(body["item"], QUESTIONS, strict=True):
        for condition in item.get("enableWhen", []):
            assert condition["question"] in seen, f"{question.id} depends on a later question"
            if "answerCoding" in condition:
                assert condition["answerCoding"]["code"] in seen[condition["question"]]
        seen[question.id] = set(question.codes)


def enabled(item: dict, given: dict[str, list]) -> bool:
    """FHIR R4's enableWhen, as a form filler applies it. A disabled item has no answer."""

    def holds(condition: dict) -> bool:
        values = given.get(condition["question"], [])
        if condition["operator"] == "exists":
            return bool(values) is condition["answerBoolean"]
        code = condition["answerCoding"]["code"]
        return (code in values) if condition["operator"] == "=" else (code not in values)

    results = [holds(condition) for condition in item.get("enableWhen", [])]
    if not results:
        return True
    return all(results) if item.get("enableBehavior", "all") == "all" else any(results)


def asked_by_a_form_filler(body: dict, answers: dict) -> list[str]:
    given: dict[str, list] = {}
    asked = []
    for item in body["item"]:
        if enabled(item, given):
            asked.append(item["linkId"])
            if item["linkId"] in answers:
                value = answers[item["linkId"]]
                given[item["linkId"]] = value if isinstance(value, list) else [value]
    return asked


def test_a_form_filler_asks_what_the_site_asks_and_stops_at_an_emergency(client):
    body = fhir_json(client.get(QUESTIONNAIRE_URL))
    rng = random.Random(20261126)
    walks = [random_answers(rng) for _ in range(600)]
    # Among them, walks that stop at an emergency answer to each safety question.
    stops = {list(w)[-1] for w in walks if assess(w).urgency is Urgency.EMERGENCY}
    assert stops == {question.id for question in QUESTIONS if question.safety}
    for answers in walks:
        assert asked_by_a_form_filler(body, answers) == [q.id for q in QUESTIONS if q.id in answers]


# --- QuestionnaireResponse and Bundle ---------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        POSSIBLE_OIH,
        SOME_FEATURES,
        make_answers(opioid_use="sometimes"),
        make_answers(breathing="overdose_signs"),
    ],
    ids=["possible-oih", "some-features", "not-daily", "emergency"],
)
def test_a_screening_exports_as_a_valid_questionnaire_response(clinician_client, answers):
    screening = make_screening(answers=answers)

    body = export_one(clinician_client, screening)

    resource = QuestionnaireResponse.model_validate(body)
    assert resource.status in RESPONSE_STATUS
    assert resource.identifier.value == screening.reference_code
    assert body["questionnaire"] == f"http://testserver{QUESTIONNAIRE_URL}|2"
    answered = [q.id for q in QUESTIONS if q.id in screening.answers]
    assert [item["linkId"] for item in body["item"]] == answered


def test_answers_export_as_their_codes_and_scores(clinician_client):
    screening = make_screening(answers={**POSSIBLE_OIH, "pain_average": 8})

    items = {
        item["linkId"]: item["answer"] for item in export_one(clinician_client, screening)["item"]
    }

    assert items["dose_change"] == [
        {"valueCoding": {"system": CODE_SYSTEM, "code": "raised", "display": "My dose was raised"}}
    ]
    assert items["pain_average"] == [{"valueInteger": 8}]
    assert items["after_increase"][0]["valueCoding"]["code"] == "worse"


def test_a_multi_choice_answer_exports_every_ticked_code(clinician_client):
    screening = make_screening(answers=make_answers(dose_change=["raised", "took_more"]))
    items = {
        item["linkId"]: item["answer"] for item in export_one(clinician_client, screening)["item"]
    }
    assert [a["valueCoding"]["code"] for a in items["dose_change"]] == ["raised", "took_more"]


@pytest.mark.parametrize(
    ("answers", "status"),
    [
        (make_answers(breathing="overdose_signs"), "stopped"),
        (make_answers(self_harm="now"), "stopped"),
        (POSSIBLE_OIH, "completed"),
    ],
    ids=["overdose", "self-harm-now", "possible-oih"],
)
def test_an_emergency_screening_exports_as_stopped(clinician_client, answers, status):
    screening = make_screening(answers=answers)
    assert export_one(clinician_client, screening)["status"] == status


def test_a_bundle_export_holds_one_response_per_selected_screening(clinician_client):
    selected = [
        make_screening(answers=POSSIBLE_OIH),
        make_screening(answers=make_answers(breathing="overdose_signs")),
        make_screening(),
    ]
    not_selected = make_screening()

    response = clinician_client.post(
        CHANGELIST,
        {"action": "export_fhir", "_selected_action": [s.pk for s in selected]},
    )

    body = fhir_json(response)
    assert response["Content-Disposition"] == 'attachment; filename="screenings.fhir.json"'
    bundle = Bundle.model_validate(body)
    assert bundle.type == "collection"
    assert len(bundle.entry) == len(selected)
    codes = {entry["resource"]["id"] for entry in body["entry"]}
    assert codes == {s.reference_code for s in selected}
    assert not_selected.reference_code not in codes
    for entry in body["entry"]:
        QuestionnaireResponse.model_validate(entry["resource"])
    # Each entry's fullUrl is a urn:uuid of its own, and the same when exported again.
    urls = [entry["fullUrl"] for entry in body["entry"]]
    assert all(uuid.UUID(url.removeprefix("urn:uuid:")) for url in urls)
    assert all(url.startswith("urn:uuid:") for url in urls)
    assert len(set(urls)) == len(urls)
    again = fhir_json(
        clinician_client.post(
            CHANGELIST, {"action": "export_fhir", "_selected_action": [s.pk for s in selected]}
        )
    )
    assert {e["resource"]["id"]: e["fullUrl"] for e in again["entry"]} == {
        e["resource"]["id"]: e["fullUrl"] for e in body["entry"]
    }


def test_a_bundle_export_of_a_filtered_selection(clinician_client):
    emergencies = [make_screening(answers=make_answers(self_harm="now")) for _ in range(2)]
    make_screening()

    response = clinician_client.post(
        f"{CHANGELIST}?urgency__exact=0",
        {"action": "export_fhir", "_selected_action": [emergencies[0].pk], "select_across": "1"},
    )

    body = fhir_json(response)
    Bundle.model_validate(body)
    assert {e["resource"]["id"] for e in body["entry"]} == {s.reference_code for s in emergencies}
    assert {e["resource"]["status"] for e in body["entry"]} == {"stopped"}
