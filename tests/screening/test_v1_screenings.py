"""Screenings stored under questionnaire and rules version 1, read after version 2 landed.

The rows come from ``v1/screenings.json``: 167 screenings that the version 1 code stored
through ``screening_submit`` (and, for some, ``screening_review``), with the result each
patient was shown. Nothing here builds a row by hand to look like version 1.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils.html import escape
from fhir.resources.R4B.bundle import Bundle
from pytest_django.asserts import assertContains, assertNotContains

from screening import questionnaire
from screening.explain import CLINICIAN_FINDINGS, FINDING_SENTENCES
from screening.models import Screening, Urgency
from screening.rules import Assessment, Finding, Note, assess
from screening.rules import Urgency as RulesUrgency
from tests.factories import POSSIBLE_OIH, make_screening
from tests.screening.staff import make_clinician, signed_in

FIXTURE = Path(__file__).parent / "v1" / "screenings.json"
CHANGELIST = reverse("admin:screening_screening_changelist")
BEFORE_V2 = ("screening", "0005_rate_buckets")
NEW_IN_V2 = ("oud_treatment", "pain_context", "sedation_episodes", "overdose_risk")


@cache
def recorded() -> list[dict[str, Any]]:
    return json.loads(FIXTURE.read_text())


def shown(row: dict[str, Any]) -> Assessment:
    """What the version 1 result page showed this patient."""
    return Assessment.from_dict(row["shown"])


def v1_rows(screening_model: Any, reviewer_id: int) -> list[Any]:
    """The recorded rows as the version 1 schema held them (urgency as its own numbers)."""
    rows = []
    for row in recorded():
        stored = dict(row["stored"])
        stored["reviewed_by_id"] = reviewer_id if stored.pop("reviewed_by") else None
        for moment in ("created_at", "reviewed_at"):
            if stored[moment]:
                stored[moment] = datetime.datetime.fromisoformat(stored[moment])
        rows.append(screening_model(**stored))
    return rows


@pytest.fixture
def v1_screenings(db) -> list[Screening]:
    """The recorded rows in today's schema, as migration 0006 leaves them.

    ``test_migration_0006_keeps_every_v1_screening_as_its_patient_saw_it`` proves that the
    migration turns the version 1 rows into exactly these: the urgency and notes each
    patient was shown.
    """
    reviewer = User.objects.create(username="v1-clinician")
    screenings = v1_rows(Screening, reviewer.pk)
    for screening, row in zip(screenings, recorded(), strict=True):
        outcome = shown(row)
        screening.urgency = Urgency.from_rules(outcome.urgency)
        screening.notes = [note.value for note in outcome.notes]
    return Screening.objects.bulk_create(screenings)


def test_the_fixture_was_written_by_version_1_across_outcomes():
    rows = recorded()
    assert len(rows) == 167
    assert {row["stored"]["questionnaire_version"] for row in rows} == {"1"}
    assert {row["stored"]["rules_version"] for row in rows} == {"1"}
    assert {row["shown"]["version"] for row in rows} == {"1"}
    urgencies = {row["shown"]["urgency"] for row in rows}
    assert urgencies == {"emergency", "today", "soon", "next_visit", "routine"}
    patterns = {row["stored"]["pattern"] for row in rows}
    assert patterns == {"possible_oih", "some_features", "no_pattern", "not_assessed"}
    assert all(not set(NEW_IN_V2) & set(row["stored"]["answers"]) for row in rows)
    assert any(row["stored"]["reviewed_by"] for row in rows)


def test_version_2_would_assess_some_of_them_differently():
    """Why the stored assessment must be shown, never a new one."""
    differ = [
        row for row in recorded() if assess(row["stored"]["answers"]).urgency != shown(row).urgency
    ]
    assert len(differ) > 20


@pytest.mark.django_db(transaction=True)
def test_migration_0006_keeps_every_v1_screening_as_its_patient_saw_it():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_V2])
    old_apps = executor.loader.project_state([BEFORE_V2]).apps
    reviewer = old_apps.get_model("auth", "User").objects.create(username="v1-clinician")
    old_apps.get_model("screening", "Screening").objects.bulk_create(
        v1_rows(old_apps.get_model("screening", "Screening"), reviewer.pk)
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    by_code = {s.reference_code: s for s in Screening.objects.all()}
    assert len(by_code) == len(recorded())
    for row in recorded():
        screening = by_code[row["stored"]["reference_code"]]
        outcome = shown(row)
        assert Urgency(screening.urgency).to_rules() is outcome.urgency, row
        assert screening.notes == [note.value for note in outcome.notes], row
        assert screening.findings == row["shown"]["findings"]
        assert screening.pattern == outcome.pattern.value
        assert screening.answers == row["stored"]["answers"]
        assert (screening.questionnaire_version, screening.rules_version) == ("1", "1")
        assert (screening.reviewed_by_id is not None) == bool(row["stored"]["reviewed_by"])


def test_every_v1_screening_opens_with_its_own_versions_words_and_notes(v1_screenings):
    client = signed_in(make_clinician())
    for screening, row in zip(v1_screenings, recorded(), strict=True):
        response = client.get(reverse("admin:screening_screening_change", args=[screening.pk]))
        assert response.status_code == HTTPStatus.OK
        assertContains(
            response, f"questionnaire 1, rules 1, language en, country {screening.country}"
        )
        assertContains(response, escape(screening.get_urgency_display()))
        for finding in shown(row).finding_codes:
            assertContains(response, escape(CLINICIAN_FINDINGS[finding]))
        for question_id in NEW_IN_V2:
            text = questionnaire.get(question_id).text
            assertContains(
                response,
                f"<tr><td>{escape(text)}</td>"
                "<td><em>Not asked in questionnaire version 1</em></td></tr>",
                html=True,
            )
        assertNotContains(response, "In the last 6 months")
        if "dose_change" in screening.answers:
            assertContains(response, "In the last 3 months, how has the amount you take changed?")


def test_a_v1_result_shows_the_urgency_and_notes_it_had_not_todays(v1_screenings):
    """Severe pain alone was "next visit" in version 1; version 2 says "soon". The clinician
    sees what the patient saw."""
    client = signed_in(make_clinician())
    screening = next(
        s
        for s in v1_screenings
        if Finding.SEVERE_PAIN.value in {f["finding"] for f in s.findings}
        and s.urgency == Urgency.NEXT_VISIT
    )
    assert assess(screening.answers).urgency is RulesUrgency.SOON
    response = client.get(reverse("admin:screening_screening_change", args=[screening.pk]))
    assertContains(response, "Next visit")
    assertContains(response, "Severe pain deserves a plan made with a clinician.")
    assertNotContains(response, "Good treatments exist")


def test_v1_fever_and_fall_answers_read_in_version_1s_words(v1_screenings):
    client = signed_in(make_clinician())
    screening = next(s for s in v1_screenings if "fever" in s.answers.get("new_symptoms", []))
    response = client.get(reverse("admin:screening_screening_change", args=[screening.pk]))
    assertContains(response, "A fever")
    assertNotContains(response, "A fever in the last few days")


def test_an_emergency_v1_screening_says_the_rest_was_never_reached(v1_screenings):
    client = signed_in(make_clinician())
    screening = next(s for s in v1_screenings if s.urgency == Urgency.EMERGENCY)
    response = client.get(reverse("admin:screening_screening_change", args=[screening.pk]))
    assertContains(response, "Not reached (the check ended at the emergency answer)")
    assertNotContains(response, "Skipped (not shown to the patient)")


@pytest.mark.parametrize("urgency", list(Urgency))
def test_the_queue_filters_v1_and_v2_screenings_by_urgency_together(v1_screenings, urgency):
    severe_oih = {**POSSIBLE_OIH, "pain_average": 9}
    v2 = {make_screening(answers=answers) for answers in (POSSIBLE_OIH, severe_oih)}
    client = signed_in(make_clinician())
    response = client.get(CHANGELIST, {"urgency__exact": urgency.value})
    listed = {s.reference_code for s in response.context["cl"].result_list}
    expected = {s.reference_code for s in [*v1_screenings, *v2] if s.urgency == urgency}
    assert listed <= expected
    assert len(listed) == min(len(expected), 50)
    if urgency in (Urgency.DAYS, Urgency.SOON):
        # One v2 screening each: the full pattern is soon, with severe pain within days.
        assert {s.reference_code for s in v2 if s.urgency == urgency} <= listed


def test_v1_screenings_export_as_csv_with_their_versions(v1_screenings):
    client = signed_in(make_clinician())
    selected = {"action": "export_csv", "_selected_action": [s.pk for s in v1_screenings]}
    response = client.post(CHANGELIST, selected)
    header, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert len(rows) == len(v1_screenings)
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    for screening in v1_screenings:
        row = by_code[screening.display_reference]
        assert (row["questionnaire_version"], row["rules_version"]) == ("1", "1")
        assert row["urgency"] == screening.get_urgency_display()
        for question_id in NEW_IN_V2:
            assert row[question_id] == row[f"{question_id}_code"] == ""
        if "dose_change" in screening.answers:
            assert row["dose_change_code"] == " ".join(screening.answers["dose_change"])


def test_v1_screenings_export_as_valid_fhir_naming_version_1(v1_screenings):
    client = signed_in(make_clinician())
    chosen = v1_screenings[:100]
    selected = {"action": "export_fhir", "_selected_action": [s.pk for s in chosen]}
    body = json.loads(client.post(CHANGELIST, selected).content)
    Bundle.model_validate(body)
    v1_items = {
        item["linkId"]: item
        for item in json.loads(client.get("/fhir/Questionnaire/oih-self-check?version=1").content)[
            "item"
        ]
    }
    for entry in body["entry"]:
        response = entry["resource"]
        assert response["questionnaire"].endswith("/fhir/Questionnaire/oih-self-check|1")
        for item in response["item"]:
            assert item["text"] == v1_items[item["linkId"]]["text"]
            options = {
                o["valueCoding"]["code"]: o["valueCoding"]["display"]
                for o in v1_items[item["linkId"]].get("answerOption", [])
            }
            for answer in item["answer"]:
                if "valueCoding" in answer:
                    code = answer["valueCoding"]["code"]
                    assert answer["valueCoding"]["display"] == options[code]


def test_every_v1_finding_and_note_still_has_words(v1_screenings):
    found = {Finding(f["finding"]) for s in v1_screenings for f in s.findings}
    assert found <= set(FINDING_SENTENCES)
    notes = {Note(note) for s in v1_screenings for note in s.notes}
    assert Note.FOOTER in notes
    assert Note.NALOXONE in notes
