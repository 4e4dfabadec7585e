"""The rule layer, as CLINICAL.md's "Rule layer v1" reads: one table per rule.

Pure Python: no database. ``screening.questionnaire`` is imported only to cross-check that
the rules speak its ids and codes (it needs Django settings, which pytest-django provides).
"""

from __future__ import annotations

import ast
import copy
import json
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from screening import questionnaire, rules
from screening.rules import (
    RULES_VERSION,
    Assessment,
    Finding,
    Note,
    Pattern,
    Reason,
    Urgency,
    assess,
)
from tests.factories import NO_PATTERN

REPO_ROOT = Path(__file__).resolve().parents[2]


def make_answers(**overrides: Any) -> dict[str, Any]:
    """Complete no-pattern answers changed by ``overrides``; an override of None removes a key.

    Questions that the questionnaire's skip logic would not show are dropped, as the form
    drops them, so that every table row is an answer set a person could really submit.
    """
    unknown = set(overrides) - set(questionnaire.BY_ID)
    assert not unknown, f"not question ids: {unknown}"
    merged = {**NO_PATTERN, **overrides}
    kept: dict[str, Any] = {}
    for question in questionnaire.QUESTIONS:
        value = merged.get(question.id)
        if value is not None and question.is_shown(kept):
            kept[question.id] = value
    return kept


def reason(finding: Finding, *evidence: tuple[str, str]) -> Reason:
    return Reason(finding, tuple(evidence))


def given(answers: Any, question_id: str) -> set[str]:
    value = answers[question_id]
    return {str(code) for code in value} if isinstance(value, list | tuple) else {str(value)}


def run(answers: Any) -> Assessment:
    """``assess()``, plus the invariants every result must keep, whatever the answers."""
    result = assess(answers)
    assert isinstance(result.urgency, Urgency)
    assert isinstance(result.pattern, Pattern)
    assert result.version == RULES_VERSION
    assert all(isinstance(note, Note) for note in result.notes)
    assert len(set(result.notes)) == len(result.notes), "a note is repeated"
    for item in result.findings:
        assert isinstance(item.finding, Finding)
        assert item.evidence, f"{item.finding} names no answer"
        for question_id, code in item.evidence:
            # Each finding names answers that exist in the questionnaire...
            question = questionnaire.BY_ID[question_id]
            if question.kind is questionnaire.Kind.SCALE:
                assert code.isdigit()
                assert questionnaire.SCALE_MIN <= int(code) <= questionnaire.SCALE_MAX
            else:
                assert code in question.codes, (question_id, code)
            # ...and that this person actually gave.
            assert code in given(answers, question_id), (question_id, code)
    if result.urgency is Urgency.EMERGENCY:
        assert result.pattern is Pattern.NOT_ASSESSED
        assert result.notes == ()
    else:
        assert result.notes[-1] is Note.FOOTER
    return result


# Answer fragments for the four features of rule 5.
WORSE_AFTER_INCREASE = {"dose_change": ["raised"], "after_increase": "worse"}
BETTER_AFTER_DECREASE = {"dose_change": ["lowered"], "after_decrease": "better"}
BOTH_DOSE_RESPONSES = {
    "dose_change": ["raised", "lowered"],
    "after_increase": "worse",
    "after_decrease": "better",
}
SPREAD = {"pain_spread": "yes"}
TOUCH = {"touch_hurts": "yes"}
POSSIBLE_OIH = {**WORSE_AFTER_INCREASE, **SPREAD}
SEVERE = {"pain_average": 8}

R_WORSE = reason(Finding.WORSE_AFTER_INCREASE, ("after_increase", "worse"))
R_BETTER = reason(Finding.BETTER_AFTER_DECREASE, ("after_decrease", "better"))
R_SPREAD = reason(Finding.PAIN_SPREAD, ("pain_spread", "yes"))
R_TOUCH = reason(Finding.TOUCH_HURTS, ("touch_hurts", "yes"))
R_HEALTH = reason(Finding.HEALTH_CHANGE, ("health_change", "yes"))
R_SELF_HARM_RECENT = reason(Finding.SELF_HARM_RECENT, ("self_harm", "recent"))
R_FEVER = reason(Finding.FEVER_OR_FALL, ("new_symptoms", "fever"))
R_TOO_EARLY = reason(Finding.TOO_EARLY, ("duration", "lt_4_weeks"))
R_SEVERE_8_3_3 = reason(
    Finding.SEVERE_PAIN, ("pain_average", "8"), ("pain_enjoyment", "3"), ("pain_activity", "3")
)


def r_wear_off(worst: str, *, withdrawal: bool = False) -> Reason:
    evidence = [("worst_time", worst)]
    if withdrawal:
        evidence.append(("withdrawal_signs", "yes"))
    return reason(Finding.WEAR_OFF, *evidence)


def r_unsure(*evidence: tuple[str, str]) -> Reason:
    return reason(Finding.UNSURE, *evidence)


# The notes every non-emergency result for someone on opioids most days ends with.
ON_OPIOIDS = (Note.NALOXONE, Note.FOOTER)


# Rule 1: emergency.


@pytest.mark.parametrize(
    "code", [code for code in questionnaire.BY_ID["breathing"].codes if code != "no"]
)
def test_every_breathing_answer_but_no_is_an_emergency(code: str) -> None:
    result = run(make_answers(breathing=code))

    assert result.urgency is Urgency.EMERGENCY
    assert result.pattern is Pattern.NOT_ASSESSED
    assert [pair for item in result.findings for pair in item.evidence] == [("breathing", code)]


@pytest.mark.parametrize(
    ("answers", "findings"),
    [
        pytest.param(
            make_answers(breathing="overdose_signs"),
            (reason(Finding.OVERDOSE_SIGNS, ("breathing", "overdose_signs")),),
            id="overdose_signs_is_an_emergency",
        ),
        pytest.param(
            make_answers(breathing="oversedated"),
            (reason(Finding.OVERSEDATED, ("breathing", "oversedated")),),
            id="oversedation_is_an_emergency",
        ),
        pytest.param(
            make_answers(self_harm="now"),
            (reason(Finding.SELF_HARM_NOW, ("self_harm", "now")),),
            id="self_harm_now_is_an_emergency",
        ),
        pytest.param(
            make_answers(new_symptoms=["limb_weakness"]),
            (reason(Finding.NERVE_OR_HEART_SIGNS, ("new_symptoms", "limb_weakness")),),
            id="limb_weakness_is_an_emergency",
        ),
        pytest.param(
            make_answers(new_symptoms=["bladder_bowel"]),
            (reason(Finding.NERVE_OR_HEART_SIGNS, ("new_symptoms", "bladder_bowel")),),
            id="bladder_bowel_is_an_emergency",
        ),
        pytest.param(
            make_answers(new_symptoms=["saddle_numbness"]),
            (reason(Finding.NERVE_OR_HEART_SIGNS, ("new_symptoms", "saddle_numbness")),),
            id="saddle_numbness_is_an_emergency",
        ),
        pytest.param(
            make_answers(new_symptoms=["chest_breathing"]),
            (reason(Finding.NERVE_OR_HEART_SIGNS, ("new_symptoms", "chest_breathing")),),
            id="chest_breathing_is_an_emergency",
        ),
        pytest.param(
            make_answers(new_symptoms=["limb_weakness", "saddle_numbness"]),
            (
                reason(
                    Finding.NERVE_OR_HEART_SIGNS,
                    ("new_symptoms", "limb_weakness"),
                    ("new_symptoms", "saddle_numbness"),
                ),
            ),
            id="two_red_flags_are_one_finding_naming_both",
        ),
        pytest.param(
            make_answers(new_symptoms=["fever", "chest_breathing", "fall_injury"]),
            (reason(Finding.NERVE_OR_HEART_SIGNS, ("new_symptoms", "chest_breathing")),),
            id="red_flag_with_fever_and_fall_names_only_the_red_flag",
        ),
        pytest.param(
            make_answers(
                breathing="overdose_signs", self_harm="now", new_symptoms=["bladder_bowel"]
            ),
            (
                reason(Finding.OVERDOSE_SIGNS, ("breathing", "overdose_signs")),
                reason(Finding.SELF_HARM_NOW, ("self_harm", "now")),
                reason(Finding.NERVE_OR_HEART_SIGNS, ("new_symptoms", "bladder_bowel")),
            ),
            id="every_emergency_sign_at_once_is_named",
        ),
        pytest.param(
            make_answers(
                self_harm="now",
                new_symptoms=["fever"],
                health_change="yes",
                worst_time="before_next_dose",
                control="yes",
                **POSSIBLE_OIH,
                **SEVERE,
            ),
            (reason(Finding.SELF_HARM_NOW, ("self_harm", "now")),),
            id="emergency_wins_over_possible_oih_and_every_other_rule",
        ),
        pytest.param(
            make_answers(breathing="oversedated", opioid_use="stopped_recently"),
            (reason(Finding.OVERSEDATED, ("breathing", "oversedated")),),
            id="emergency_wins_over_stopped_recently",
        ),
        pytest.param(
            make_answers(breathing="oversedated", self_harm="recent", dose_change=["unsure"]),
            (reason(Finding.OVERSEDATED, ("breathing", "oversedated")),),
            id="emergency_echoes_no_unsure_answers_and_no_same_day_signs",
        ),
        pytest.param(
            {"breathing": "overdose_signs"},
            (reason(Finding.OVERDOSE_SIGNS, ("breathing", "overdose_signs")),),
            id="partial_answers_breathing_only_stop_at_once",
        ),
        pytest.param(
            {"breathing": "no", "self_harm": "now"},
            (reason(Finding.SELF_HARM_NOW, ("self_harm", "now")),),
            id="partial_answers_up_to_self_harm_stop_at_once",
        ),
        pytest.param(
            {"breathing": "no", "self_harm": "no", "new_symptoms": ["limb_weakness"]},
            (reason(Finding.NERVE_OR_HEART_SIGNS, ("new_symptoms", "limb_weakness")),),
            id="partial_answers_up_to_new_symptoms_stop_at_once",
        ),
    ],
)
def test_emergency(answers: dict[str, Any], findings: tuple[Reason, ...]) -> None:
    assert run(answers) == Assessment(Urgency.EMERGENCY, Pattern.NOT_ASSESSED, findings, ())


# Rule 2: get help today, and the check continues.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(new_symptoms=["fever"]),
            Assessment(Urgency.TODAY, Pattern.NO_PATTERN, (R_FEVER,), ON_OPIOIDS),
            id="fever_alone_is_today_not_emergency",
        ),
        pytest.param(
            make_answers(new_symptoms=["fall_injury"]),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (reason(Finding.FEVER_OR_FALL, ("new_symptoms", "fall_injury")),),
                ON_OPIOIDS,
            ),
            id="fall_injury_alone_is_today_not_emergency",
        ),
        pytest.param(
            make_answers(new_symptoms=["fever", "fall_injury"]),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (
                    reason(
                        Finding.FEVER_OR_FALL,
                        ("new_symptoms", "fever"),
                        ("new_symptoms", "fall_injury"),
                    ),
                ),
                ON_OPIOIDS,
            ),
            id="fever_and_fall_are_one_finding_naming_both",
        ),
        pytest.param(
            make_answers(self_harm="recent"),
            Assessment(Urgency.TODAY, Pattern.NO_PATTERN, (R_SELF_HARM_RECENT,), ON_OPIOIDS),
            id="recent_self_harm_thoughts_are_today_and_the_check_continues",
        ),
        pytest.param(
            make_answers(self_harm="recent", new_symptoms=["fever"]),
            Assessment(
                Urgency.TODAY, Pattern.NO_PATTERN, (R_SELF_HARM_RECENT, R_FEVER), ON_OPIOIDS
            ),
            id="recent_self_harm_and_fever_are_both_named",
        ),
        pytest.param(
            make_answers(self_harm="recent", **POSSIBLE_OIH),
            Assessment(
                Urgency.TODAY,
                Pattern.POSSIBLE_OIH,
                (R_SELF_HARM_RECENT, R_WORSE, R_SPREAD),
                ON_OPIOIDS,
            ),
            id="today_with_possible_oih_stays_today_and_keeps_the_pattern",
        ),
        pytest.param(
            make_answers(new_symptoms=["fever"], opioid_use="stopped_recently"),
            Assessment(
                Urgency.TODAY,
                Pattern.NOT_ASSESSED,
                (R_FEVER, reason(Finding.STOPPED_RECENTLY, ("opioid_use", "stopped_recently"))),
                (Note.RESTART_DANGER, *ON_OPIOIDS),
            ),
            id="fever_after_stopping_recently_is_today_with_restart_danger",
        ),
        pytest.param(
            {"breathing": "no"},
            Assessment(Urgency.ROUTINE, Pattern.NOT_ASSESSED, (), (Note.FOOTER,)),
            id="partial_answers_breathing_no_is_not_assessed_yet",
        ),
        pytest.param(
            {},
            Assessment(Urgency.ROUTINE, Pattern.NOT_ASSESSED, (), (Note.FOOTER,)),
            id="no_answers_at_all_is_not_assessed",
        ),
        pytest.param(
            {"breathing": "no", "self_harm": "recent"},
            Assessment(Urgency.TODAY, Pattern.NOT_ASSESSED, (R_SELF_HARM_RECENT,), (Note.FOOTER,)),
            id="partial_answers_recent_self_harm_is_today",
        ),
        pytest.param(
            {"breathing": "no", "self_harm": "no", "new_symptoms": ["fever"]},
            Assessment(Urgency.TODAY, Pattern.NOT_ASSESSED, (R_FEVER,), (Note.FOOTER,)),
            id="partial_answers_fever_is_today",
        ),
        pytest.param(
            {"breathing": "no", "self_harm": "no", "new_symptoms": ["none"]},
            Assessment(Urgency.ROUTINE, Pattern.NOT_ASSESSED, (), (Note.FOOTER,)),
            id="partial_answers_without_signs_is_routine",
        ),
    ],
)
def test_same_day_signs(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


# Rules 3 and 4: the check does not apply.

OPIOID_USE = {
    "most_days": Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
    "sometimes": Assessment(
        Urgency.ROUTINE,
        Pattern.NOT_ASSESSED,
        (reason(Finding.NOT_DAILY_USE, ("opioid_use", "sometimes")),),
        (Note.NOT_DAILY_USE, *ON_OPIOIDS),
    ),
    "stopped_recently": Assessment(
        Urgency.SOON,
        Pattern.NOT_ASSESSED,
        (reason(Finding.STOPPED_RECENTLY, ("opioid_use", "stopped_recently")),),
        (Note.RESTART_DANGER, *ON_OPIOIDS),
    ),
    "no": Assessment(
        Urgency.ROUTINE,
        Pattern.NOT_ASSESSED,
        (reason(Finding.NOT_DAILY_USE, ("opioid_use", "no")),),
        (Note.NOT_DAILY_USE, Note.FOOTER),
    ),
    "unsure": Assessment(
        Urgency.ROUTINE,
        Pattern.NOT_ASSESSED,
        (
            reason(Finding.NOT_DAILY_USE, ("opioid_use", "unsure")),
            r_unsure(("opioid_use", "unsure")),
        ),
        (Note.NOT_DAILY_USE, Note.FOOTER),
    ),
}


def test_the_opioid_use_table_covers_every_answer_code() -> None:
    assert set(OPIOID_USE) == set(questionnaire.BY_ID["opioid_use"].codes)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("most_days", OPIOID_USE["most_days"], id="most_days_is_assessed"),
        pytest.param(
            "sometimes",
            OPIOID_USE["sometimes"],
            id="sometimes_is_not_assessed_routine_with_naloxone",
        ),
        pytest.param(
            "no", OPIOID_USE["no"], id="no_opioids_is_not_assessed_routine_without_naloxone"
        ),
        pytest.param(
            "unsure",
            OPIOID_USE["unsure"],
            id="unsure_about_opioids_is_not_assessed_routine_and_echoed",
        ),
        pytest.param(
            "stopped_recently",
            OPIOID_USE["stopped_recently"],
            id="stopped_recently_is_not_assessed_soon_with_restart_danger",
        ),
    ],
)
def test_opioid_use(code: str, expected: Assessment) -> None:
    assert run(make_answers(opioid_use=code)) == expected


def test_missing_opioid_use_is_not_assessed_without_a_finding() -> None:
    answers = {"breathing": "no", "self_harm": "no", "new_symptoms": ["none"]}

    assert run(answers) == Assessment(Urgency.ROUTINE, Pattern.NOT_ASSESSED, (), (Note.FOOTER,))


def test_answers_past_opioid_use_are_ignored_when_not_used_most_days() -> None:
    # The form never sends these (they are skipped), but the rules must not read them anyway.
    answers = {**NO_PATTERN, **POSSIBLE_OIH, "opioid_use": "no", "health_change": "yes"}

    assert run(answers).pattern is Pattern.NOT_ASSESSED
    assert run(answers).urgency is Urgency.ROUTINE


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(duration="lt_4_weeks"),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.NOT_ASSESSED,
                (R_TOO_EARLY,),
                (Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="less_than_4_weeks_is_too_early_next_visit",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", **POSSIBLE_OIH, **TOUCH),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.NOT_ASSESSED,
                (R_TOO_EARLY,),
                (Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="less_than_4_weeks_with_oih_features_is_still_not_assessed",
        ),
        pytest.param(
            # Rule 6 still counts when it is too early to look for the pattern.
            make_answers(
                duration="lt_4_weeks",
                health_change="yes",
                worst_time="before_next_dose",
                dose_change=["raised"],
                after_increase="better_then_back",
            ),
            Assessment(
                Urgency.SOON,
                Pattern.NOT_ASSESSED,
                (
                    R_TOO_EARLY,
                    R_HEALTH,
                    r_wear_off("before_next_dose"),
                    reason(Finding.TOLERANCE, ("after_increase", "better_then_back")),
                ),
                # No "fits better than the pattern": the pattern was not looked for.
                (Note.TOO_EARLY, Note.HEALTH_CHANGE_FIRST, *ON_OPIOIDS),
            ),
            id="less_than_4_weeks_still_weighs_other_explanations",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", **SEVERE),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.NOT_ASSESSED,
                (R_TOO_EARLY, R_SEVERE_8_3_3),
                (Note.TOO_EARLY, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="less_than_4_weeks_with_severe_pain_still_names_severe_pain",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", self_harm="recent"),
            Assessment(
                Urgency.TODAY,
                Pattern.NOT_ASSESSED,
                (R_SELF_HARM_RECENT, R_TOO_EARLY),
                (Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="less_than_4_weeks_with_recent_self_harm_stays_today",
        ),
        pytest.param(
            make_answers(duration="1_to_3_months"),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="one_to_three_months_is_assessed",
        ),
        pytest.param(
            make_answers(duration="gt_3_months"),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="more_than_three_months_is_assessed",
        ),
        pytest.param(
            make_answers(duration="unsure"),
            Assessment(
                Urgency.ROUTINE, Pattern.NO_PATTERN, (r_unsure(("duration", "unsure")),), ON_OPIOIDS
            ),
            id="unsure_duration_counts_as_not_too_early_and_is_echoed",
        ),
        pytest.param(
            make_answers(duration=None),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="missing_duration_is_assessed",
        ),
    ],
)
def test_duration(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


# Rule 5: the pattern.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(**WORSE_AFTER_INCREASE, **SPREAD),
            Assessment(Urgency.SOON, Pattern.POSSIBLE_OIH, (R_WORSE, R_SPREAD), ON_OPIOIDS),
            id="worse_pain_after_increase_with_spread_is_possible_oih",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_INCREASE, **TOUCH),
            Assessment(Urgency.SOON, Pattern.POSSIBLE_OIH, (R_WORSE, R_TOUCH), ON_OPIOIDS),
            id="worse_pain_after_increase_with_touch_hurting_is_possible_oih",
        ),
        pytest.param(
            make_answers(**BETTER_AFTER_DECREASE, **SPREAD),
            Assessment(Urgency.SOON, Pattern.POSSIBLE_OIH, (R_BETTER, R_SPREAD), ON_OPIOIDS),
            id="better_pain_after_decrease_with_spread_is_possible_oih",
        ),
        pytest.param(
            make_answers(**BETTER_AFTER_DECREASE, **TOUCH),
            Assessment(Urgency.SOON, Pattern.POSSIBLE_OIH, (R_BETTER, R_TOUCH), ON_OPIOIDS),
            id="better_pain_after_decrease_with_touch_hurting_is_possible_oih",
        ),
        pytest.param(
            make_answers(**BOTH_DOSE_RESPONSES, **SPREAD, **TOUCH),
            Assessment(
                Urgency.SOON,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_BETTER, R_SPREAD, R_TOUCH),
                ON_OPIOIDS,
            ),
            id="all_four_features_are_possible_oih_naming_each",
        ),
        pytest.param(
            make_answers(dose_change=["took_more"], after_increase="worse", **TOUCH),
            Assessment(
                Urgency.SOON,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_TOUCH),
                (Note.OVERUSE, *ON_OPIOIDS),
            ),
            id="worse_pain_after_taking_more_counts_as_an_increase",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_INCREASE),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_WORSE,), ON_OPIOIDS),
            id="worse_pain_after_increase_alone_is_some_features",
        ),
        pytest.param(
            make_answers(**BETTER_AFTER_DECREASE),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_BETTER,), ON_OPIOIDS),
            id="better_pain_after_decrease_alone_is_some_features",
        ),
        pytest.param(
            make_answers(**SPREAD),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_SPREAD,), ON_OPIOIDS),
            id="spread_alone_is_some_features",
        ),
        pytest.param(
            make_answers(**TOUCH),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_TOUCH,), ON_OPIOIDS),
            id="touch_hurting_alone_is_some_features",
        ),
        pytest.param(
            make_answers(**BOTH_DOSE_RESPONSES),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_WORSE, R_BETTER), ON_OPIOIDS),
            id="two_dose_responses_without_support_are_some_features",
        ),
        pytest.param(
            make_answers(**SPREAD, **TOUCH),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_SPREAD, R_TOUCH), ON_OPIOIDS),
            id="two_supporting_features_without_dose_response_are_some_features",
        ),
        pytest.param(
            make_answers(),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="no_feature_is_no_pattern_routine",
        ),
        pytest.param(
            make_answers(dose_change=["raised"], after_increase="better_stayed", **SPREAD),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_SPREAD,), ON_OPIOIDS),
            id="lasting_relief_after_increase_is_not_a_dose_response",
        ),
        pytest.param(
            make_answers(dose_change=["lowered"], after_decrease="no_change", **SPREAD),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_SPREAD,), ON_OPIOIDS),
            id="no_change_after_decrease_is_not_a_dose_response",
        ),
        pytest.param(
            make_answers(dose_change=["lowered"], after_decrease="worse", **TOUCH),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_TOUCH,), ON_OPIOIDS),
            id="worse_pain_after_decrease_is_not_a_dose_response",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_INCREASE, pain_spread="no", touch_hurts="no"),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_WORSE,), ON_OPIOIDS),
            id="no_to_spread_and_touch_is_not_support",
        ),
    ],
)
def test_pattern(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


# "Unsure" and "prefer not" count as no, and are echoed back.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(**WORSE_AFTER_INCREASE, pain_spread="unsure"),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.SOME_FEATURES,
                (R_WORSE, r_unsure(("pain_spread", "unsure"))),
                ON_OPIOIDS,
            ),
            id="unsure_spread_is_not_support_and_is_echoed",
        ),
        pytest.param(
            make_answers(**BETTER_AFTER_DECREASE, touch_hurts="unsure"),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.SOME_FEATURES,
                (R_BETTER, r_unsure(("touch_hurts", "unsure"))),
                ON_OPIOIDS,
            ),
            id="unsure_touch_is_not_support_and_is_echoed",
        ),
        pytest.param(
            make_answers(**POSSIBLE_OIH, health_change="unsure"),
            Assessment(
                Urgency.SOON,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, r_unsure(("health_change", "unsure"))),
                ON_OPIOIDS,
            ),
            id="unsure_health_change_does_not_cap_possible_oih",
        ),
        pytest.param(
            make_answers(worst_time="before_next_dose", withdrawal_signs="unsure"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_wear_off("before_next_dose"), r_unsure(("withdrawal_signs", "unsure"))),
                (Note.WEAR_OFF_FITS_BETTER, *ON_OPIOIDS),
            ),
            id="unsure_withdrawal_signs_are_not_evidence_of_wear_off",
        ),
        pytest.param(
            make_answers(control="prefer_not"),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (r_unsure(("control", "prefer_not")),),
                ON_OPIOIDS,
            ),
            id="prefer_not_on_control_gives_no_overuse_note_and_is_echoed",
        ),
        pytest.param(
            make_answers(dose_change=["unsure"]),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (r_unsure(("dose_change", "unsure")),),
                ON_OPIOIDS,
            ),
            id="unsure_inside_a_multi_answer_is_echoed",
        ),
        pytest.param(
            make_answers(dose_change=("unsure",)),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (r_unsure(("dose_change", "unsure")),),
                ON_OPIOIDS,
            ),
            id="unsure_inside_a_multi_answer_given_as_tuple_is_echoed",
        ),
    ],
)
def test_unsure_counts_as_no_and_is_echoed(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


def test_every_unsure_answer_is_echoed_in_one_finding() -> None:
    answers = make_answers(
        duration="unsure",
        dose_change=["unsure"],
        pain_spread="unsure",
        touch_hurts="unsure",
        withdrawal_signs="unsure",
        health_change="unsure",
        control="prefer_not",
    )

    result = run(answers)

    assert result.pattern is Pattern.NO_PATTERN
    assert result.urgency is Urgency.ROUTINE
    assert result.finding_codes == (Finding.UNSURE,)
    assert set(result.findings[0].evidence) == {
        ("duration", "unsure"),
        ("dose_change", "unsure"),
        ("pain_spread", "unsure"),
        ("touch_hurts", "unsure"),
        ("withdrawal_signs", "unsure"),
        ("health_change", "unsure"),
        ("control", "prefer_not"),
    }
    assert len(result.findings[0].evidence) == 7


# Rule 6: other explanations.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(health_change="yes", **POSSIBLE_OIH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_WORSE, R_SPREAD, R_HEALTH),
                (Note.HEALTH_CHANGE_FIRST, Note.HEALTH_CHANGE_ALSO_MATCHES, *ON_OPIOIDS),
            ),
            id="health_change_caps_possible_oih_to_some_features_and_says_it_also_matches",
        ),
        pytest.param(
            make_answers(health_change="yes", **TOUCH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOUCH, R_HEALTH),
                (Note.HEALTH_CHANGE_FIRST, *ON_OPIOIDS),
            ),
            id="health_change_with_some_features_raises_to_soon_without_also_matches",
        ),
        pytest.param(
            make_answers(health_change="yes"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_HEALTH,),
                (Note.HEALTH_CHANGE_FIRST, *ON_OPIOIDS),
            ),
            id="health_change_does_not_raise_no_pattern_but_raises_urgency_to_soon",
        ),
        pytest.param(
            make_answers(health_change="yes", new_symptoms=["fall_injury"]),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (reason(Finding.FEVER_OR_FALL, ("new_symptoms", "fall_injury")), R_HEALTH),
                (Note.HEALTH_CHANGE_FIRST, *ON_OPIOIDS),
            ),
            id="health_change_never_lowers_today",
        ),
        pytest.param(
            make_answers(health_change="no", **POSSIBLE_OIH),
            Assessment(Urgency.SOON, Pattern.POSSIBLE_OIH, (R_WORSE, R_SPREAD), ON_OPIOIDS),
            id="no_health_change_leaves_possible_oih",
        ),
    ],
)
def test_health_change(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(worst_time="before_next_dose"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_wear_off("before_next_dose"),),
                (Note.WEAR_OFF_FITS_BETTER, *ON_OPIOIDS),
            ),
            id="worst_before_next_dose_is_wear_off_that_fits_better_soon",
        ),
        pytest.param(
            make_answers(worst_time="missed_or_lowered"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_wear_off("missed_or_lowered"),),
                (Note.WEAR_OFF_FITS_BETTER, *ON_OPIOIDS),
            ),
            id="worst_after_missed_or_lowered_dose_is_wear_off_that_fits_better_soon",
        ),
        pytest.param(
            make_answers(worst_time="before_next_dose", withdrawal_signs="yes"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_wear_off("before_next_dose", withdrawal=True),),
                (Note.WEAR_OFF_FITS_BETTER, *ON_OPIOIDS),
            ),
            id="withdrawal_signs_before_next_dose_join_the_wear_off_evidence",
        ),
        pytest.param(
            make_answers(worst_time="missed_or_lowered", withdrawal_signs="yes"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_wear_off("missed_or_lowered", withdrawal=True),),
                (Note.WEAR_OFF_FITS_BETTER, *ON_OPIOIDS),
            ),
            id="withdrawal_signs_after_missed_dose_join_the_wear_off_evidence",
        ),
        pytest.param(
            make_answers(worst_time="before_next_dose", **TOUCH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOUCH, r_wear_off("before_next_dose")),
                (Note.WEAR_OFF_FITS_BETTER, *ON_OPIOIDS),
            ),
            id="wear_off_with_some_features_fits_better_and_raises_to_soon",
        ),
        pytest.param(
            make_answers(worst_time="before_next_dose", **POSSIBLE_OIH),
            Assessment(
                Urgency.SOON,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, r_wear_off("before_next_dose")),
                (Note.WITHDRAWAL_MAY_ADD, *ON_OPIOIDS),
            ),
            id="wear_off_with_possible_oih_says_withdrawal_may_add",
        ),
        pytest.param(
            make_answers(worst_time="missed_or_lowered", withdrawal_signs="yes", **POSSIBLE_OIH),
            Assessment(
                Urgency.SOON,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, r_wear_off("missed_or_lowered", withdrawal=True)),
                (Note.WITHDRAWAL_MAY_ADD, *ON_OPIOIDS),
            ),
            id="wear_off_with_withdrawal_signs_and_possible_oih_says_withdrawal_may_add",
        ),
        pytest.param(
            make_answers(worst_time="before_next_dose", health_change="yes", **POSSIBLE_OIH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_WORSE, R_SPREAD, R_HEALTH, r_wear_off("before_next_dose")),
                (
                    Note.HEALTH_CHANGE_FIRST,
                    Note.HEALTH_CHANGE_ALSO_MATCHES,
                    Note.WITHDRAWAL_MAY_ADD,
                    *ON_OPIOIDS,
                ),
            ),
            id="wear_off_after_a_met_pattern_capped_by_health_change_says_withdrawal_may_add",
        ),
        pytest.param(
            make_answers(worst_time="before_next_dose", new_symptoms=["fever"]),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_FEVER, r_wear_off("before_next_dose")),
                (Note.WEAR_OFF_FITS_BETTER, *ON_OPIOIDS),
            ),
            id="wear_off_never_lowers_today",
        ),
        pytest.param(
            make_answers(worst_time="steady", withdrawal_signs="yes"),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="withdrawal_signs_with_steady_pain_are_not_wear_off",
        ),
        pytest.param(
            make_answers(worst_time="no_pattern", withdrawal_signs="yes"),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="withdrawal_signs_without_a_timing_pattern_are_not_wear_off",
        ),
        pytest.param(
            make_answers(worst_time=None, withdrawal_signs="yes"),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="missing_worst_time_is_not_wear_off",
        ),
    ],
)
def test_wear_off(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(dose_change=["raised"], after_increase="better_then_back"),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (reason(Finding.TOLERANCE, ("after_increase", "better_then_back")),),
                ON_OPIOIDS,
            ),
            id="relief_that_fades_after_increase_is_tolerance_without_raising_urgency",
        ),
        pytest.param(
            make_answers(dose_change=["raised"], after_increase="no_change"),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (reason(Finding.TOLERANCE, ("after_increase", "no_change")),),
                ON_OPIOIDS,
            ),
            id="no_relief_after_increase_is_tolerance",
        ),
        pytest.param(
            make_answers(dose_change=["took_more"], after_increase="better_then_back", **TOUCH),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.SOME_FEATURES,
                (R_TOUCH, reason(Finding.TOLERANCE, ("after_increase", "better_then_back"))),
                (Note.OVERUSE, *ON_OPIOIDS),
            ),
            id="tolerance_sits_alongside_some_features",
        ),
        pytest.param(
            make_answers(dose_change=["raised"], after_increase="better_stayed"),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="lasting_relief_after_increase_is_not_tolerance",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_INCREASE),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_WORSE,), ON_OPIOIDS),
            id="worse_pain_after_increase_is_not_tolerance",
        ),
        pytest.param(
            make_answers(dose_change=["lowered"], after_decrease="no_change"),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="no_change_after_a_decrease_is_not_tolerance",
        ),
    ],
)
def test_tolerance(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


@pytest.mark.parametrize(
    ("answers", "earlier_than_typical"),
    [
        pytest.param(
            make_answers(duration="1_to_3_months", **POSSIBLE_OIH),
            True,
            id="possible_oih_after_one_to_three_months_is_earlier_than_typical",
        ),
        pytest.param(
            make_answers(duration="gt_3_months", **POSSIBLE_OIH),
            False,
            id="possible_oih_after_more_than_three_months_is_typical",
        ),
        pytest.param(
            make_answers(duration="unsure", **POSSIBLE_OIH),
            False,
            id="possible_oih_with_unsure_duration_says_nothing_about_timing",
        ),
        pytest.param(
            make_answers(duration="1_to_3_months", **TOUCH),
            False,
            id="some_features_after_one_to_three_months_says_nothing_about_timing",
        ),
        pytest.param(
            make_answers(duration="1_to_3_months"),
            False,
            id="no_pattern_after_one_to_three_months_says_nothing_about_timing",
        ),
        pytest.param(
            # CLINICAL.md: "with possible_oih" -- the final pattern, after rule 6 capped it.
            make_answers(duration="1_to_3_months", health_change="yes", **POSSIBLE_OIH),
            False,
            id="pattern_capped_by_health_change_says_nothing_about_timing",
        ),
    ],
)
def test_earlier_than_typical(answers: dict[str, Any], earlier_than_typical: bool) -> None:
    assert (Note.EARLIER_THAN_TYPICAL in run(answers).notes) is earlier_than_typical


def test_earlier_than_typical_is_a_note_not_a_finding_or_an_urgency() -> None:
    assert run(make_answers(duration="1_to_3_months", **POSSIBLE_OIH)) == Assessment(
        Urgency.SOON,
        Pattern.POSSIBLE_OIH,
        (R_WORSE, R_SPREAD),
        (Note.EARLIER_THAN_TYPICAL, *ON_OPIOIDS),
    )


# Rule 7: severity.


@pytest.mark.parametrize(
    ("average", "enjoyment", "activity", "severe"),
    [
        pytest.param(6, 3, 3, False, id="average_6_alone_is_not_severe"),
        pytest.param(7, 3, 3, True, id="average_7_alone_is_severe"),
        pytest.param(10, 0, 0, True, id="average_10_with_low_interference_is_severe"),
        pytest.param(6, 7, 7, False, id="mean_6_67_is_not_severe"),
        pytest.param(7, 7, 7, True, id="mean_exactly_7_is_severe"),
        pytest.param(6, 8, 7, True, id="mean_exactly_7_with_average_below_7_is_severe"),
        pytest.param(6, 8, 6, False, id="mean_6_67_with_average_below_7_is_not_severe"),
        pytest.param(0, 10, 10, False, id="high_interference_with_no_pain_mean_6_67_is_not_severe"),
        pytest.param(8, None, None, True, id="average_8_with_other_scores_missing_is_severe"),
        pytest.param(
            None, 10, 10, False, id="without_the_average_the_mean_of_three_cannot_be_taken"
        ),
        pytest.param(6, 10, None, False, id="the_mean_needs_all_three_scores"),
    ],
)
def test_severity(
    average: int | None, enjoyment: int | None, activity: int | None, severe: bool
) -> None:
    answers = make_answers(pain_average=average, pain_enjoyment=enjoyment, pain_activity=activity)
    scores = [
        (question_id, str(score))
        for question_id, score in (
            ("pain_average", average),
            ("pain_enjoyment", enjoyment),
            ("pain_activity", activity),
        )
        if score is not None
    ]

    if severe:
        expected = Assessment(
            Urgency.NEXT_VISIT,
            Pattern.NO_PATTERN,
            (reason(Finding.SEVERE_PAIN, *scores),),
            (Note.SEVERE_PAIN, *ON_OPIOIDS),
        )
    else:
        expected = Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS)
    assert run(answers) == expected


def test_no_scores_at_all_is_not_severe() -> None:
    answers = make_answers(pain_average=None, pain_enjoyment=None, pain_activity=None)

    assert run(answers) == Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS)


@pytest.mark.parametrize(
    ("answers", "urgency"),
    [
        pytest.param(make_answers(**SEVERE), Urgency.NEXT_VISIT, id="severe_raises_routine"),
        pytest.param(
            make_answers(**SEVERE, **TOUCH),
            Urgency.NEXT_VISIT,
            id="severe_with_some_features_stays_next_visit",
        ),
        pytest.param(
            make_answers(**SEVERE, **POSSIBLE_OIH),
            Urgency.SOON,
            id="severe_never_lowers_soon_from_possible_oih",
        ),
        pytest.param(
            make_answers(**SEVERE, worst_time="missed_or_lowered"),
            Urgency.SOON,
            id="severe_never_lowers_soon_from_wear_off",
        ),
        pytest.param(
            make_answers(**SEVERE, health_change="yes"),
            Urgency.SOON,
            id="severe_never_lowers_soon_from_health_change",
        ),
        pytest.param(
            make_answers(**SEVERE, new_symptoms=["fever"]),
            Urgency.TODAY,
            id="severe_never_lowers_today",
        ),
    ],
)
def test_severe_pain_raises_urgency_to_at_least_next_visit(
    answers: dict[str, Any], urgency: Urgency
) -> None:
    result = run(answers)

    assert result.urgency is urgency
    assert result.has(Finding.SEVERE_PAIN)
    assert Note.SEVERE_PAIN in result.notes


# Notes on every non-emergency result.


@pytest.mark.parametrize(
    ("answers", "overuse"),
    [
        pytest.param(
            make_answers(dose_change=["took_more"], after_increase="better_stayed"),
            True,
            id="taking_more_than_prescribed_gets_the_overuse_note",
        ),
        pytest.param(
            make_answers(dose_change=["raised", "took_more"], after_increase="better_stayed"),
            True,
            id="taking_more_alongside_a_raise_gets_the_overuse_note",
        ),
        pytest.param(make_answers(control="yes"), True, id="loss_of_control_gets_the_overuse_note"),
        pytest.param(
            make_answers(dose_change=["took_more"], after_increase="better_stayed", control="yes"),
            True,
            id="taking_more_and_loss_of_control_get_one_overuse_note",
        ),
        pytest.param(
            make_answers(control="prefer_not"),
            False,
            id="prefer_not_on_control_gets_no_overuse_note",
        ),
        pytest.param(
            make_answers(dose_change=["raised"], after_increase="better_stayed"),
            False,
            id="a_prescribed_raise_gets_no_overuse_note",
        ),
        pytest.param(make_answers(), False, id="no_change_and_control_gets_no_overuse_note"),
    ],
)
def test_overuse_note(answers: dict[str, Any], overuse: bool) -> None:
    assert (Note.OVERUSE in run(answers).notes) is overuse


@pytest.mark.parametrize(
    ("code", "naloxone"),
    [
        pytest.param("most_days", True, id="naloxone_for_most_days_use"),
        pytest.param("sometimes", True, id="naloxone_for_sometimes_use"),
        pytest.param("stopped_recently", True, id="naloxone_for_recently_stopped"),
        pytest.param("no", False, id="no_naloxone_for_no_opioids"),
        pytest.param("unsure", False, id="no_naloxone_for_unsure_use"),
    ],
)
def test_naloxone_note(code: str, naloxone: bool) -> None:
    assert (Note.NALOXONE in run(make_answers(opioid_use=code)).notes) is naloxone


FOOTER_CASES = [
    pytest.param(make_answers(), id="no_pattern"),
    pytest.param(make_answers(**TOUCH), id="some_features"),
    pytest.param(make_answers(**POSSIBLE_OIH), id="possible_oih"),
    pytest.param(make_answers(opioid_use="no"), id="not_daily_use"),
    pytest.param(make_answers(opioid_use="stopped_recently"), id="stopped_recently"),
    pytest.param(make_answers(duration="lt_4_weeks"), id="too_early"),
    pytest.param(make_answers(self_harm="recent"), id="today"),
    pytest.param(make_answers(control="yes", **SEVERE), id="overuse_and_severe"),
    pytest.param({"breathing": "no"}, id="partial"),
]


@pytest.mark.parametrize("answers", FOOTER_CASES)
def test_every_non_emergency_result_ends_with_the_footer(answers: dict[str, Any]) -> None:
    result = run(answers)

    assert result.urgency is not Urgency.EMERGENCY
    assert result.notes[-1] is Note.FOOTER


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(make_answers(breathing="overdose_signs"), id="overdose"),
        pytest.param(make_answers(self_harm="now", **POSSIBLE_OIH), id="self_harm_now"),
        pytest.param(make_answers(new_symptoms=["saddle_numbness"], control="yes"), id="red_flag"),
    ],
)
def test_an_emergency_result_has_no_notes_not_even_the_footer(answers: dict[str, Any]) -> None:
    assert run(answers).notes == ()


# Urgency is the most urgent level any rule asks for.


@pytest.mark.parametrize(
    ("answers", "urgency"),
    [
        pytest.param(
            make_answers(self_harm="recent", **POSSIBLE_OIH),
            Urgency.TODAY,
            id="today_beats_possible_oih",
        ),
        pytest.param(
            make_answers(new_symptoms=["fall_injury"], health_change="yes"),
            Urgency.TODAY,
            id="today_beats_health_change",
        ),
        pytest.param(
            make_answers(self_harm="recent", opioid_use="stopped_recently"),
            Urgency.TODAY,
            id="today_beats_stopped_recently",
        ),
        pytest.param(
            make_answers(self_harm="recent", duration="lt_4_weeks"),
            Urgency.TODAY,
            id="today_beats_too_early",
        ),
        pytest.param(
            make_answers(worst_time="before_next_dose", **TOUCH),
            Urgency.SOON,
            id="wear_off_beats_some_features",
        ),
        pytest.param(
            make_answers(health_change="yes", **TOUCH, **SEVERE),
            Urgency.SOON,
            id="health_change_beats_some_features_and_severe",
        ),
        pytest.param(
            make_answers(dose_change=["raised"], after_increase="no_change", **SEVERE),
            Urgency.NEXT_VISIT,
            id="severe_beats_tolerance",
        ),
        pytest.param(
            make_answers(dose_change=["raised"], after_increase="better_then_back"),
            Urgency.ROUTINE,
            id="tolerance_alone_stays_routine",
        ),
    ],
)
def test_urgency_is_the_most_urgent_of_all_rules(answers: dict[str, Any], urgency: Urgency) -> None:
    assert run(answers).urgency is urgency


def test_urgency_levels_rank_from_most_urgent() -> None:
    assert {level: level.rank for level in Urgency} == {
        Urgency.EMERGENCY: 0,
        Urgency.TODAY: 1,
        Urgency.SOON: 2,
        Urgency.NEXT_VISIT: 3,
        Urgency.ROUTINE: 4,
    }


def test_has_and_finding_codes_read_the_findings() -> None:
    result = run(make_answers(**POSSIBLE_OIH))

    assert result.finding_codes == (Finding.WORSE_AFTER_INCREASE, Finding.PAIN_SPREAD)
    assert result.has(Finding.PAIN_SPREAD)
    assert not result.has(Finding.TOUCH_HURTS)


# The rules speak the questionnaire's language.


def _asked_question(node: ast.AST) -> str | None:
    """The question id in ``work.one("id")``, ``work.many("id")`` or ``x.get("id")``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"one", "many", "get"}
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [text for element in node.elts for text in _strings(element)]
    return []


def _ids_and_codes_in_rules() -> tuple[set[str], set[tuple[str, str]]]:
    """Question ids and (question id, answer code) pairs that rules.py spells out.

    Pairs come from comparisons with an asked question (directly or through a local name
    assigned from one) and from evidence tuples written as ``("question_id", ...)``.
    """
    tree = ast.parse(Path(rules.__file__).read_text())
    ids: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for function in (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)):
        aliases = {
            node.targets[0].id: question_id
            for node in ast.walk(function)
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and (question_id := _asked_question(node.value))
        }
        in_comparisons: set[int] = set()
        for node in ast.walk(function):
            if question_id := _asked_question(node):
                ids.add(question_id)
            if not isinstance(node, ast.Compare):
                continue
            in_comparisons |= {id(inner) for inner in ast.walk(node)}
            operands = [node.left, *node.comparators]
            for operand in operands:
                asked = _asked_question(operand) or (
                    aliases.get(operand.id) if isinstance(operand, ast.Name) else None
                )
                if asked:
                    others = [other for other in operands if other is not operand]
                    pairs |= {(asked, code) for other in others for code in _strings(other)}
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Tuple)
                and id(node) not in in_comparisons
                and len(node.elts) == 2
                and _strings(node.elts[0])
            ):
                question_id = node.elts[0].value
                ids.add(question_id)
                pairs |= {(question_id, code) for code in _strings(node.elts[1])}
    return ids, pairs


def test_every_question_id_and_answer_code_in_the_rules_is_in_the_questionnaire() -> None:
    ids, pairs = _ids_and_codes_in_rules()

    # The scan must see what it is meant to see, or this test would pass vacuously.
    assert {"breathing", "opioid_use", "dose_change", "worst_time", "pain_average"} <= ids
    assert {
        ("breathing", "oversedated"),
        ("self_harm", "recent"),
        ("opioid_use", "stopped_recently"),
        ("duration", "lt_4_weeks"),
        ("dose_change", "took_more"),
        ("after_increase", "better_then_back"),
        ("worst_time", "missed_or_lowered"),
        ("withdrawal_signs", "yes"),
        ("control", "yes"),
    } <= pairs
    assert ids <= set(questionnaire.BY_ID), ids - set(questionnaire.BY_ID)
    unknown = {pair for pair in pairs if pair[1] not in questionnaire.BY_ID[pair[0]].codes}
    assert not unknown


def test_symptom_groups_split_every_new_symptom_but_none() -> None:
    emergency, same_day = set(rules.EMERGENCY_SYMPTOMS), set(rules.SAME_DAY_SYMPTOMS)

    assert emergency == {"limb_weakness", "bladder_bowel", "saddle_numbness", "chest_breathing"}
    assert same_day == {"fever", "fall_injury"}
    assert emergency | same_day | {"none"} == set(questionnaire.BY_ID["new_symptoms"].codes)


def test_unsure_codes_and_pain_scores_are_questionnaire_codes_and_scales() -> None:
    all_codes = {code for question in questionnaire.QUESTIONS for code in question.codes}
    scales = {q.id for q in questionnaire.QUESTIONS if q.kind is questionnaire.Kind.SCALE}

    assert set(rules.UNSURE_CODES) <= all_codes
    assert set(rules.PAIN_SCORES) == scales


# Storage, purity and determinism.

SAMPLES = [
    pytest.param(make_answers(), id="no_pattern"),
    pytest.param(make_answers(breathing="overdose_signs"), id="emergency"),
    pytest.param(
        make_answers(
            worst_time="before_next_dose",
            withdrawal_signs="yes",
            health_change="yes",
            control="prefer_not",
            touch_hurts="unsure",
            **{**POSSIBLE_OIH, "dose_change": ["raised", "took_more"]},
            **SEVERE,
        ),
        id="many_findings_and_notes",
    ),
    pytest.param(make_answers(opioid_use="unsure"), id="not_assessed"),
]


@pytest.mark.parametrize("answers", SAMPLES)
def test_assessment_round_trips_through_json(answers: dict[str, Any]) -> None:
    result = run(answers)

    stored = json.loads(json.dumps(result.to_dict()))

    assert Assessment.from_dict(stored) == result


def test_to_dict_is_plain_codes() -> None:
    result = run(make_answers(duration="1_to_3_months", **POSSIBLE_OIH))

    assert result.to_dict() == {
        "urgency": "soon",
        "pattern": "possible_oih",
        "findings": [
            {"finding": "worse_after_increase", "evidence": [["after_increase", "worse"]]},
            {"finding": "pain_spread", "evidence": [["pain_spread", "yes"]]},
        ],
        "notes": ["earlier_than_typical", "naloxone", "footer"],
        "version": RULES_VERSION,
    }


def _django_modules_loaded_by(statement: str) -> list[str]:
    probe = (
        f"import sys\n{statement}\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('django'))))"
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter, a fixed probe)
        [sys.executable, "-c", probe],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def test_importing_the_rules_loads_no_django_module() -> None:
    assert _django_modules_loaded_by("import screening.rules") == []


def test_the_import_probe_does_see_django() -> None:
    # Proves the probe above can fail: the questionnaire does use Django.
    assert "django" in _django_modules_loaded_by("import screening.questionnaire")


@pytest.mark.parametrize("answers", SAMPLES)
def test_same_answers_give_equal_assessments_and_are_not_mutated(answers: dict[str, Any]) -> None:
    before = copy.deepcopy(answers)

    first = run(answers)
    second = run(copy.deepcopy(answers))

    assert first == second
    assert answers == before


@pytest.mark.parametrize("answers", SAMPLES)
def test_a_read_only_mapping_with_tuples_gives_the_same_assessment(
    answers: dict[str, Any],
) -> None:
    frozen = MappingProxyType(
        {key: tuple(value) if isinstance(value, list) else value for key, value in answers.items()}
    )

    assert run(frozen) == run(answers)


@pytest.mark.parametrize(
    ("answers", "finding"),
    [
        pytest.param(
            {"new_symptoms": "limb_weakness"}, Finding.NERVE_OR_HEART_SIGNS, id="lone-string-tick"
        ),
        pytest.param({"breathing": "gasping"}, Finding.OVERDOSE_SIGNS, id="unknown-breathing"),
    ],
)
def test_malformed_safety_answers_err_towards_an_emergency(answers, finding) -> None:
    result = assess(answers)
    assert result.urgency is Urgency.EMERGENCY
    assert result.has(finding)
