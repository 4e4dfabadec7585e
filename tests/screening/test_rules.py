"""The rule layer, as CLINICAL.md reads: "Rule layer v1" as changed by "Version 2".

One table per rule, numbered as there; where version 2 changed a rule, the table says what
version 2 says, and each new rule (the hard taper, the specialist context, overdose risk,
treatment for opioid use disorder) has a table of its own. Rules that can meet have rows
for the meeting.

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


def test_the_baseline_answers_every_question_but_the_follow_ups_of_a_dose_change() -> None:
    # The tables rest on this: a row that leaves a v2 question unanswered would test a
    # check nobody can submit.
    follow_ups = {"after_increase", "after_decrease"}

    assert set(make_answers()) == set(questionnaire.BY_ID) - follow_ups
    assert make_answers()["oud_treatment"] == "no"
    assert make_answers()["pain_context"] == "no"
    assert make_answers()["sedation_episodes"] == "no"
    assert make_answers()["overdose_risk"] == ["none"]


def test_make_answers_follows_the_skip_logic() -> None:
    assert "oud_treatment" not in make_answers(opioid_use="no", oud_treatment="yes")
    assert "oud_treatment" not in make_answers(opioid_use="stopped_recently", oud_treatment="yes")
    assert make_answers(opioid_use="sometimes", oud_treatment="yes")["oud_treatment"] == "yes"
    assert "pain_context" not in make_answers(opioid_use="unsure", pain_context="yes")
    assert "after_decrease" not in make_answers(after_decrease="worse")


def reason(finding: Finding, *evidence: tuple[str, str]) -> Reason:
    return Reason(finding, tuple(evidence))


def given(answers: Any, question_id: str) -> set[str]:
    value = answers[question_id]
    return {str(code) for code in value} if isinstance(value, list | tuple) else {str(value)}


NOTE_ORDER = list(Note)


def run(answers: Any) -> Assessment:
    """``assess()``, plus the invariants every result must keep, whatever the answers."""
    result = assess(answers)
    assert isinstance(result.urgency, Urgency)
    assert isinstance(result.pattern, Pattern)
    assert result.version == RULES_VERSION
    assert all(isinstance(note, Note) for note in result.notes)
    assert len(set(result.notes)) == len(result.notes), "a note is repeated"
    # Notes come in one fixed order, whichever rule added them (stay_on_treatment first).
    assert list(result.notes) == sorted(result.notes, key=NOTE_ORDER.index)
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
# Rule 7: an average of 8 with low interference (mean 4.67) is severe on the average alone...
SEVERE = {"pain_average": 8}
# ...an average of 6 with a mean of exactly 7 is severe on the mean alone...
SEVERE_BY_THE_MEAN = {"pain_average": 6, "pain_enjoyment": 8, "pain_activity": 7}
# ...and an average of 6 with a mean of 6.67 is just short of severe on both counts.
JUST_SHORT_OF_SEVERE = {"pain_average": 6, "pain_enjoyment": 7, "pain_activity": 7}
# Answer fragments for the hard taper (version 2 rule 6).
WORSE_AFTER_LOWERING = {"dose_change": ["lowered"], "after_decrease": "worse"}
LOWERED_NO_CHANGE = {"dose_change": ["lowered"], "after_decrease": "no_change"}

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
R_SEVERE_6_8_7 = reason(
    Finding.SEVERE_PAIN, ("pain_average", "6"), ("pain_enjoyment", "8"), ("pain_activity", "7")
)
R_SPECIALIST = reason(Finding.SPECIALIST_CONTEXT, ("pain_context", "yes"))
R_SEDATION = reason(Finding.SEDATION_EPISODES, ("sedation_episodes", "yes"))
R_OUD = reason(Finding.OUD_TREATMENT, ("oud_treatment", "yes"))
R_TOLERANCE_FADES = reason(Finding.TOLERANCE, ("after_increase", "better_then_back"))


def r_wear_off(worst: str, *, withdrawal: bool = False) -> Reason:
    evidence = [("worst_time", worst)]
    if withdrawal:
        evidence.append(("withdrawal_signs", "yes"))
    return reason(Finding.WEAR_OFF, *evidence)


def r_hard_taper(*signs: tuple[str, str]) -> Reason:
    """A hard taper names the lowered dose and each sign that the cut made things worse."""
    return reason(Finding.HARD_TAPER, ("dose_change", "lowered"), *signs)


def r_overdose_risk(*codes: str) -> Reason:
    return reason(Finding.OVERDOSE_RISK, *(("overdose_risk", code) for code in codes))


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


# Every version 2 rule at once, in a check that an emergency sign ends.
EVERY_V2_RULE = {
    "oud_treatment": "yes",
    "duration": "lt_4_weeks",
    "pain_context": "yes",
    "dose_change": ["raised", "lowered", "took_more"],
    "after_increase": "worse",
    "after_decrease": "worse",
    "pain_spread": "yes",
    "worst_time": "missed_or_lowered",
    "withdrawal_signs": "yes",
    "sedation_episodes": "yes",
    "overdose_risk": ["sedative", "gabapentinoid", "alcohol", "sleep_apnea", "past_overdose"],
    "control": "yes",
    **SEVERE,
}


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
            make_answers(breathing="oversedated", **EVERY_V2_RULE),
            (reason(Finding.OVERSEDATED, ("breathing", "oversedated")),),
            id="emergency_wins_over_every_version_2_rule_at_once",
        ),
        pytest.param(
            make_answers(breathing="overdose_signs", sedation_episodes="yes"),
            (reason(Finding.OVERDOSE_SIGNS, ("breathing", "overdose_signs")),),
            id="emergency_wins_over_sedation_episodes",
        ),
        pytest.param(
            make_answers(self_harm="now", overdose_risk=["sedative", "past_overdose"]),
            (reason(Finding.SELF_HARM_NOW, ("self_harm", "now")),),
            id="emergency_wins_over_overdose_risk",
        ),
        pytest.param(
            make_answers(new_symptoms=["chest_breathing"], oud_treatment="yes"),
            (reason(Finding.NERVE_OR_HEART_SIGNS, ("new_symptoms", "chest_breathing")),),
            id="emergency_wins_over_treatment_for_opioid_use_disorder",
        ),
        pytest.param(
            make_answers(breathing="oversedated", opioid_use="sometimes", oud_treatment="yes"),
            (reason(Finding.OVERSEDATED, ("breathing", "oversedated")),),
            id="emergency_wins_over_treatment_for_opioid_use_disorder_when_not_daily_use",
        ),
        pytest.param(
            make_answers(self_harm="now", **WORSE_AFTER_LOWERING, **SEVERE),
            (reason(Finding.SELF_HARM_NOW, ("self_harm", "now")),),
            id="emergency_wins_over_a_hard_taper_with_severe_pain",
        ),
        pytest.param(
            make_answers(new_symptoms=["limb_weakness"], pain_context="yes", **SEVERE),
            (reason(Finding.NERVE_OR_HEART_SIGNS, ("new_symptoms", "limb_weakness")),),
            id="emergency_wins_over_the_specialist_context_with_severe_pain",
        ),
        pytest.param(
            make_answers(breathing="oversedated", duration="lt_4_weeks", **WORSE_AFTER_INCREASE),
            (reason(Finding.OVERSEDATED, ("breathing", "oversedated")),),
            id="emergency_wins_over_worse_pain_after_an_early_increase",
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
            make_answers(
                breathing="oversedated",
                oud_treatment="unsure",
                pain_context="unsure",
                sedation_episodes="unsure",
                overdose_risk=["unsure"],
            ),
            (reason(Finding.OVERSEDATED, ("breathing", "oversedated")),),
            id="emergency_echoes_no_unsure_version_2_answers",
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


# Rule 2: get help today, and the check continues. Version 2: recent thoughts of self-harm
# add means safety (medicines locked away) and the crisis line.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(new_symptoms=["fever"]),
            Assessment(Urgency.TODAY, Pattern.NO_PATTERN, (R_FEVER,), ON_OPIOIDS),
            id="fever_alone_is_today_not_emergency_without_means_safety",
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
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_SELF_HARM_RECENT,),
                (Note.MEANS_SAFETY, *ON_OPIOIDS),
            ),
            id="recent_self_harm_thoughts_are_today_with_means_safety_and_the_check_continues",
        ),
        pytest.param(
            make_answers(self_harm="recent", new_symptoms=["fever"]),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_SELF_HARM_RECENT, R_FEVER),
                (Note.MEANS_SAFETY, *ON_OPIOIDS),
            ),
            id="recent_self_harm_and_fever_are_both_named",
        ),
        pytest.param(
            make_answers(self_harm="recent", **POSSIBLE_OIH),
            Assessment(
                Urgency.TODAY,
                Pattern.POSSIBLE_OIH,
                (R_SELF_HARM_RECENT, R_WORSE, R_SPREAD),
                (Note.MEANS_SAFETY, *ON_OPIOIDS),
            ),
            id="today_with_possible_oih_stays_today_and_keeps_the_pattern",
        ),
        pytest.param(
            make_answers(self_harm="recent", **POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.TODAY,
                Pattern.POSSIBLE_OIH,
                (R_SELF_HARM_RECENT, R_WORSE, R_SPREAD, R_SEVERE_8_3_3),
                (Note.MEANS_SAFETY, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="today_beats_days_from_possible_oih_with_severe_pain",
        ),
        pytest.param(
            make_answers(self_harm="recent", opioid_use="no"),
            Assessment(
                Urgency.TODAY,
                Pattern.NOT_ASSESSED,
                (R_SELF_HARM_RECENT, reason(Finding.NOT_DAILY_USE, ("opioid_use", "no"))),
                (Note.MEANS_SAFETY, Note.NOT_DAILY_USE, Note.FOOTER),
            ),
            id="recent_self_harm_thoughts_get_means_safety_without_opioids_too",
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
            Assessment(
                Urgency.TODAY,
                Pattern.NOT_ASSESSED,
                (R_SELF_HARM_RECENT,),
                (Note.MEANS_SAFETY, Note.FOOTER),
            ),
            id="partial_answers_recent_self_harm_is_today_with_means_safety",
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


@pytest.mark.parametrize(
    ("self_harm", "means_safety"),
    [
        pytest.param("recent", True, id="recent_thoughts_get_means_safety"),
        pytest.param("no", False, id="no_thoughts_get_no_means_safety"),
    ],
)
def test_means_safety_note(self_harm: str, means_safety: bool) -> None:
    assert (Note.MEANS_SAFETY in run(make_answers(self_harm=self_harm)).notes) is means_safety


# Rule 3: the check does not apply. Version 2: the naloxone note also for "unsure".

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
        (Note.NOT_DAILY_USE, *ON_OPIOIDS),
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
            id="unsure_about_opioids_is_not_assessed_routine_echoed_and_gets_naloxone",
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
    answers = {
        **NO_PATTERN,
        **POSSIBLE_OIH,
        "opioid_use": "no",
        "health_change": "yes",
        "pain_context": "yes",
        "dose_change": ["lowered"],
        "after_decrease": "worse",
        "duration": "lt_4_weeks",
    }

    assert run(answers).pattern is Pattern.NOT_ASSESSED
    assert run(answers).urgency is Urgency.ROUTINE
    assert run(answers).finding_codes == (Finding.NOT_DAILY_USE,)


# Rule 4 (version 2): too early. Under 4 weeks the features are still found and shown; the
# pattern is at most "some features" (never possible OIH) with the too_early note; worse
# pain after an increase is at least soon (a review 1-4 weeks after a dose change is
# standard), anything else next visit.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(duration="lt_4_weeks"),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.NO_PATTERN,
                (R_TOO_EARLY,),
                (Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="less_than_4_weeks_without_features_is_too_early_next_visit",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", **WORSE_AFTER_INCREASE),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOO_EARLY, R_WORSE),
                (Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="worse_pain_after_an_early_increase_is_found_and_soon",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", dose_change=["took_more"], after_increase="worse"),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOO_EARLY, R_WORSE),
                (Note.TOO_EARLY, Note.OVERUSE, *ON_OPIOIDS),
            ),
            id="worse_pain_after_taking_more_early_on_is_found_and_soon",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", **POSSIBLE_OIH, **TOUCH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOO_EARLY, R_WORSE, R_SPREAD, R_TOUCH),
                (Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="every_feature_under_4_weeks_is_some_features_never_possible_oih",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", **BETTER_AFTER_DECREASE, **SPREAD),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.SOME_FEATURES,
                (R_TOO_EARLY, R_BETTER, R_SPREAD),
                (Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="better_after_an_early_decrease_with_spread_is_some_features_next_visit",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", **SPREAD),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.SOME_FEATURES,
                (R_TOO_EARLY, R_SPREAD),
                (Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="spread_under_4_weeks_is_found_and_next_visit",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", **TOUCH),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.SOME_FEATURES,
                (R_TOO_EARLY, R_TOUCH),
                (Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="touch_hurting_under_4_weeks_is_found_and_next_visit",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", dose_change=["raised"], after_increase="no_change"),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.NO_PATTERN,
                (R_TOO_EARLY, reason(Finding.TOLERANCE, ("after_increase", "no_change"))),
                (Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="no_relief_after_an_early_increase_is_next_visit_not_soon",
        ),
        pytest.param(
            make_answers(
                duration="lt_4_weeks", dose_change=["raised"], after_increase="better_stayed"
            ),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.NO_PATTERN,
                (R_TOO_EARLY,),
                (Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="lasting_relief_after_an_early_increase_is_next_visit",
        ),
        pytest.param(
            # Rule 6 still counts when it is too early for the full pattern.
            make_answers(
                duration="lt_4_weeks",
                health_change="yes",
                worst_time="before_next_dose",
                dose_change=["raised"],
                after_increase="better_then_back",
            ),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_TOO_EARLY, R_HEALTH, r_wear_off("before_next_dose"), R_TOLERANCE_FADES),
                # The pattern is looked for in version 2, and was not met.
                (
                    Note.TOO_EARLY,
                    Note.HEALTH_CHANGE_FIRST,
                    Note.WEAR_OFF_FITS_BETTER,
                    *ON_OPIOIDS,
                ),
            ),
            id="less_than_4_weeks_still_weighs_other_explanations",
        ),
        pytest.param(
            # Never possible OIH under 4 weeks, so the full pattern was never met: the
            # health change comes first, and the features are shown as features.
            make_answers(duration="lt_4_weeks", health_change="yes", **POSSIBLE_OIH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOO_EARLY, R_WORSE, R_SPREAD, R_HEALTH),
                (Note.TOO_EARLY, Note.HEALTH_CHANGE_FIRST, *ON_OPIOIDS),
            ),
            id="every_feature_under_4_weeks_with_a_health_change_is_some_features_soon",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", **SEVERE),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_TOO_EARLY, R_SEVERE_8_3_3),
                (Note.TOO_EARLY, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="less_than_4_weeks_with_severe_pain_is_soon",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", **POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOO_EARLY, R_WORSE, R_SPREAD, R_SEVERE_8_3_3),
                (Note.TOO_EARLY, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="every_feature_and_severe_pain_under_4_weeks_is_soon_not_days",
        ),
        pytest.param(
            make_answers(duration="lt_4_weeks", self_harm="recent", **WORSE_AFTER_INCREASE),
            Assessment(
                Urgency.TODAY,
                Pattern.SOME_FEATURES,
                (R_SELF_HARM_RECENT, R_TOO_EARLY, R_WORSE),
                (Note.MEANS_SAFETY, Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="less_than_4_weeks_with_recent_self_harm_stays_today",
        ),
        pytest.param(
            make_answers(duration="1_to_3_months", **WORSE_AFTER_INCREASE),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_WORSE,), ON_OPIOIDS),
            id="worse_pain_after_increase_after_1_to_3_months_alone_stays_next_visit",
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
            make_answers(duration="unsure", **POSSIBLE_OIH),
            Assessment(
                Urgency.SOON,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, r_unsure(("duration", "unsure"))),
                ON_OPIOIDS,
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
def test_too_early(answers: dict[str, Any], expected: Assessment) -> None:
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
            # Version 2: worse pain after lowering counts against OIH; it is a hard taper.
            make_answers(**WORSE_AFTER_LOWERING, **TOUCH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOUCH, r_hard_taper(("after_decrease", "worse"))),
                (Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="worse_pain_after_decrease_is_not_a_dose_response_but_a_hard_taper",
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


# Rule 5 (version 2): possible OIH with severe pain (rule 7) is within days.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(**POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.DAYS,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, R_SEVERE_8_3_3),
                (Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="possible_oih_with_a_severe_average_is_days",
        ),
        pytest.param(
            make_answers(**POSSIBLE_OIH, **SEVERE_BY_THE_MEAN),
            Assessment(
                Urgency.DAYS,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, R_SEVERE_6_8_7),
                (Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="possible_oih_with_a_mean_of_exactly_7_is_days",
        ),
        pytest.param(
            make_answers(**POSSIBLE_OIH, **JUST_SHORT_OF_SEVERE),
            Assessment(Urgency.SOON, Pattern.POSSIBLE_OIH, (R_WORSE, R_SPREAD), ON_OPIOIDS),
            id="possible_oih_with_pain_just_short_of_severe_stays_soon",
        ),
        pytest.param(
            make_answers(**BETTER_AFTER_DECREASE, **TOUCH, pain_average=7),
            Assessment(
                Urgency.DAYS,
                Pattern.POSSIBLE_OIH,
                (
                    R_BETTER,
                    R_TOUCH,
                    reason(
                        Finding.SEVERE_PAIN,
                        ("pain_average", "7"),
                        ("pain_enjoyment", "3"),
                        ("pain_activity", "3"),
                    ),
                ),
                (Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="possible_oih_from_a_decrease_with_an_average_of_exactly_7_is_days",
        ),
        pytest.param(
            make_answers(**TOUCH, **SEVERE),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOUCH, R_SEVERE_8_3_3),
                (Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="some_features_with_severe_pain_is_soon_not_days",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_INCREASE, **SEVERE),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_WORSE, R_SEVERE_8_3_3),
                (Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="a_dose_response_alone_with_severe_pain_is_soon_not_days",
        ),
        pytest.param(
            make_answers(duration="1_to_3_months", **POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.DAYS,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, R_SEVERE_8_3_3),
                (Note.EARLIER_THAN_TYPICAL, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="possible_oih_earlier_than_typical_with_severe_pain_is_days",
        ),
        pytest.param(
            make_answers(worst_time="before_next_dose", **POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.DAYS,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, r_wear_off("before_next_dose"), R_SEVERE_8_3_3),
                (Note.WITHDRAWAL_MAY_ADD, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="possible_oih_with_wear_off_and_severe_pain_is_days",
        ),
        pytest.param(
            # The pattern was met (rule 5 asks for days) before the health change capped
            # it (rule 6 caps the pattern; it never lowers urgency).
            make_answers(health_change="yes", **POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.DAYS,
                Pattern.SOME_FEATURES,
                (R_WORSE, R_SPREAD, R_HEALTH, R_SEVERE_8_3_3),
                (
                    Note.HEALTH_CHANGE_FIRST,
                    Note.HEALTH_CHANGE_ALSO_MATCHES,
                    Note.SEVERE_PAIN,
                    *ON_OPIOIDS,
                ),
            ),
            id="a_met_pattern_capped_by_a_health_change_with_severe_pain_is_still_days",
        ),
        pytest.param(
            make_answers(oud_treatment="yes", **POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.DAYS,
                Pattern.POSSIBLE_OIH,
                (R_OUD, R_WORSE, R_SPREAD, R_SEVERE_8_3_3),
                (Note.STAY_ON_TREATMENT, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="possible_oih_with_severe_pain_in_treatment_for_opioid_use_disorder_is_days",
        ),
        pytest.param(
            make_answers(new_symptoms=["fall_injury"], **POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.TODAY,
                Pattern.POSSIBLE_OIH,
                (
                    reason(Finding.FEVER_OR_FALL, ("new_symptoms", "fall_injury")),
                    R_WORSE,
                    R_SPREAD,
                    R_SEVERE_8_3_3,
                ),
                (Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="today_beats_days",
        ),
    ],
)
def test_possible_oih_with_severe_pain_is_days(
    answers: dict[str, Any], expected: Assessment
) -> None:
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
            make_answers(**POSSIBLE_OIH, pain_context="unsure"),
            Assessment(
                Urgency.SOON,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, r_unsure(("pain_context", "unsure"))),
                ON_OPIOIDS,
            ),
            id="unsure_pain_context_does_not_cap_possible_oih",
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
            make_answers(**LOWERED_NO_CHANGE, withdrawal_signs="unsure"),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (r_unsure(("withdrawal_signs", "unsure")),),
                ON_OPIOIDS,
            ),
            id="unsure_withdrawal_signs_after_lowering_are_not_a_hard_taper",
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
        oud_treatment="unsure",
        duration="unsure",
        pain_context="unsure",
        dose_change=["unsure"],
        pain_spread="unsure",
        touch_hurts="unsure",
        withdrawal_signs="unsure",
        sedation_episodes="unsure",
        overdose_risk=["unsure"],
        health_change="unsure",
        control="prefer_not",
    )

    result = run(answers)

    assert result.pattern is Pattern.NO_PATTERN
    assert result.urgency is Urgency.ROUTINE
    assert result.notes == ON_OPIOIDS
    assert result.finding_codes == (Finding.UNSURE,)
    assert set(result.findings[0].evidence) == {
        ("oud_treatment", "unsure"),
        ("duration", "unsure"),
        ("pain_context", "unsure"),
        ("dose_change", "unsure"),
        ("pain_spread", "unsure"),
        ("touch_hurts", "unsure"),
        ("withdrawal_signs", "unsure"),
        ("sedation_episodes", "unsure"),
        ("overdose_risk", "unsure"),
        ("health_change", "unsure"),
        ("control", "prefer_not"),
    }
    assert len(result.findings[0].evidence) == 11


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
            make_answers(health_change="yes", **SEVERE),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_HEALTH, R_SEVERE_8_3_3),
                (Note.HEALTH_CHANGE_FIRST, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="health_change_with_severe_pain_without_the_pattern_is_soon",
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
            id="worst_after_missed_or_lowered_dose_without_a_cut_is_wear_off_not_a_hard_taper",
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


# Rule 6 (version 2): a hard taper. A lowered dose with worse pain after it, pain worst
# after a late, missed or lower dose, or withdrawal signs: a taper that can be paused or
# slowed. At least soon; within days with severe pain. Worse pain after lowering is never
# a feature of the pattern.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(**WORSE_AFTER_LOWERING),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_hard_taper(("after_decrease", "worse")),),
                (Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="worse_after_lowering_is_a_hard_taper",
        ),
        pytest.param(
            make_answers(**LOWERED_NO_CHANGE, worst_time="missed_or_lowered"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (
                    r_wear_off("missed_or_lowered"),
                    r_hard_taper(("worst_time", "missed_or_lowered")),
                ),
                (Note.WEAR_OFF_FITS_BETTER, Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="pain_worst_after_a_lower_dose_is_a_hard_taper",
        ),
        pytest.param(
            make_answers(**LOWERED_NO_CHANGE, withdrawal_signs="yes"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_hard_taper(("withdrawal_signs", "yes")),),
                (Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="withdrawal_signs_after_lowering_are_a_hard_taper",
        ),
        pytest.param(
            make_answers(
                **WORSE_AFTER_LOWERING, worst_time="missed_or_lowered", withdrawal_signs="yes"
            ),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (
                    r_wear_off("missed_or_lowered", withdrawal=True),
                    r_hard_taper(
                        ("after_decrease", "worse"),
                        ("worst_time", "missed_or_lowered"),
                        ("withdrawal_signs", "yes"),
                    ),
                ),
                (Note.WEAR_OFF_FITS_BETTER, Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="all_three_signs_are_one_hard_taper_naming_each",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_LOWERING, worst_time="before_next_dose"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_wear_off("before_next_dose"), r_hard_taper(("after_decrease", "worse"))),
                (Note.WEAR_OFF_FITS_BETTER, Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="pain_worst_before_the_next_dose_is_not_a_sign_of_a_hard_taper",
        ),
        pytest.param(
            make_answers(**LOWERED_NO_CHANGE),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="a_lowered_dose_that_changed_nothing_is_no_hard_taper",
        ),
        pytest.param(
            make_answers(**BETTER_AFTER_DECREASE),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_BETTER,), ON_OPIOIDS),
            id="better_after_lowering_is_a_feature_not_a_hard_taper",
        ),
        pytest.param(
            make_answers(**BETTER_AFTER_DECREASE, withdrawal_signs="yes", **TOUCH),
            Assessment(
                Urgency.SOON,
                Pattern.POSSIBLE_OIH,
                (R_BETTER, R_TOUCH, r_hard_taper(("withdrawal_signs", "yes"))),
                (Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="withdrawal_signs_after_lowering_are_a_hard_taper_even_when_pain_got_better",
        ),
        pytest.param(
            make_answers(
                dose_change=["no_change"], worst_time="missed_or_lowered", withdrawal_signs="yes"
            ),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_wear_off("missed_or_lowered", withdrawal=True),),
                (Note.WEAR_OFF_FITS_BETTER, *ON_OPIOIDS),
            ),
            id="both_signs_without_a_lowered_dose_are_wear_off_not_a_hard_taper",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_INCREASE, withdrawal_signs="yes"),
            Assessment(Urgency.NEXT_VISIT, Pattern.SOME_FEATURES, (R_WORSE,), ON_OPIOIDS),
            id="withdrawal_signs_after_a_raise_are_no_hard_taper",
        ),
        pytest.param(
            make_answers(dose_change=["unsure"], withdrawal_signs="yes"),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (r_unsure(("dose_change", "unsure")),),
                ON_OPIOIDS,
            ),
            id="withdrawal_signs_with_an_unsure_dose_change_are_no_hard_taper",
        ),
        pytest.param(
            # Not an answer set the form sends (after_decrease follows "lowered"), but the
            # rule itself needs the lowered dose.
            {**make_answers(), "after_decrease": "worse"},
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="worse_after_decrease_without_lowered_in_dose_change_is_no_hard_taper",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_LOWERING, **SEVERE),
            Assessment(
                Urgency.DAYS,
                Pattern.NO_PATTERN,
                (r_hard_taper(("after_decrease", "worse")), R_SEVERE_8_3_3),
                (Note.TAPER_PAUSE, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="hard_taper_with_severe_pain_is_days",
        ),
        pytest.param(
            make_answers(**LOWERED_NO_CHANGE, withdrawal_signs="yes", **SEVERE_BY_THE_MEAN),
            Assessment(
                Urgency.DAYS,
                Pattern.NO_PATTERN,
                (r_hard_taper(("withdrawal_signs", "yes")), R_SEVERE_6_8_7),
                (Note.TAPER_PAUSE, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="hard_taper_with_a_mean_of_exactly_7_is_days",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_LOWERING, **JUST_SHORT_OF_SEVERE),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_hard_taper(("after_decrease", "worse")),),
                (Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="hard_taper_with_pain_just_short_of_severe_stays_soon",
        ),
        pytest.param(
            make_answers(
                dose_change=["raised", "lowered"],
                after_increase="worse",
                after_decrease="worse",
                **SPREAD,
            ),
            Assessment(
                Urgency.SOON,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, r_hard_taper(("after_decrease", "worse"))),
                (Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="hard_taper_with_possible_oih_keeps_both",
        ),
        pytest.param(
            make_answers(
                dose_change=["raised", "lowered"],
                after_increase="worse",
                after_decrease="no_change",
                worst_time="missed_or_lowered",
                **TOUCH,
            ),
            Assessment(
                Urgency.SOON,
                Pattern.POSSIBLE_OIH,
                (
                    R_WORSE,
                    R_TOUCH,
                    r_wear_off("missed_or_lowered"),
                    r_hard_taper(("worst_time", "missed_or_lowered")),
                ),
                (Note.WITHDRAWAL_MAY_ADD, Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="hard_taper_with_possible_oih_and_wear_off_says_withdrawal_may_add",
        ),
        pytest.param(
            make_answers(
                dose_change=["raised", "lowered"],
                after_increase="worse",
                after_decrease="worse",
                **SPREAD,
                **SEVERE,
            ),
            Assessment(
                Urgency.DAYS,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, r_hard_taper(("after_decrease", "worse")), R_SEVERE_8_3_3),
                (Note.TAPER_PAUSE, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="hard_taper_with_possible_oih_and_severe_pain_is_days",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_LOWERING, **SPREAD, **TOUCH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_SPREAD, R_TOUCH, r_hard_taper(("after_decrease", "worse"))),
                (Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="worse_after_lowering_with_both_supporting_features_is_never_possible_oih",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_LOWERING, health_change="yes"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_HEALTH, r_hard_taper(("after_decrease", "worse"))),
                (Note.HEALTH_CHANGE_FIRST, Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="hard_taper_with_a_health_change_names_both",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_LOWERING, duration="lt_4_weeks"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_TOO_EARLY, r_hard_taper(("after_decrease", "worse"))),
                (Note.TOO_EARLY, Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="hard_taper_under_4_weeks_is_soon",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_LOWERING, self_harm="recent"),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_SELF_HARM_RECENT, r_hard_taper(("after_decrease", "worse"))),
                (Note.MEANS_SAFETY, Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="hard_taper_with_recent_self_harm_thoughts_is_today",
        ),
    ],
)
def test_hard_taper(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


# Rule 6 (version 2): pain from cancer, sickle cell disease, or in hospice or palliative
# care. The check was not made for it: the pattern is at most "some features", at least
# soon, within days with severe pain.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(pain_context="yes"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_SPECIALIST,),
                (Note.SPECIALIST_CONTEXT, *ON_OPIOIDS),
            ),
            id="specialist_context_alone_is_soon",
        ),
        pytest.param(
            make_answers(pain_context="yes", **POSSIBLE_OIH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_WORSE, R_SPREAD, R_SPECIALIST),
                (Note.SPECIALIST_CONTEXT, *ON_OPIOIDS),
            ),
            id="specialist_context_caps_possible_oih_to_some_features",
        ),
        pytest.param(
            make_answers(pain_context="yes", **TOUCH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOUCH, R_SPECIALIST),
                (Note.SPECIALIST_CONTEXT, *ON_OPIOIDS),
            ),
            id="specialist_context_with_some_features_is_soon",
        ),
        pytest.param(
            make_answers(pain_context="yes", **SEVERE),
            Assessment(
                Urgency.DAYS,
                Pattern.NO_PATTERN,
                (R_SPECIALIST, R_SEVERE_8_3_3),
                (Note.SPECIALIST_CONTEXT, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="specialist_context_with_a_severe_average_is_days",
        ),
        pytest.param(
            make_answers(pain_context="yes", **SEVERE_BY_THE_MEAN),
            Assessment(
                Urgency.DAYS,
                Pattern.NO_PATTERN,
                (R_SPECIALIST, R_SEVERE_6_8_7),
                (Note.SPECIALIST_CONTEXT, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="specialist_context_with_a_mean_of_exactly_7_is_days",
        ),
        pytest.param(
            make_answers(pain_context="yes", **JUST_SHORT_OF_SEVERE),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_SPECIALIST,),
                (Note.SPECIALIST_CONTEXT, *ON_OPIOIDS),
            ),
            id="specialist_context_with_pain_just_short_of_severe_is_soon",
        ),
        pytest.param(
            make_answers(pain_context="yes", **POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.DAYS,
                Pattern.SOME_FEATURES,
                (R_WORSE, R_SPREAD, R_SPECIALIST, R_SEVERE_8_3_3),
                (Note.SPECIALIST_CONTEXT, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="specialist_context_with_the_features_and_severe_pain_is_days_and_capped",
        ),
        pytest.param(
            make_answers(pain_context="yes", health_change="yes", **POSSIBLE_OIH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_WORSE, R_SPREAD, R_HEALTH, R_SPECIALIST),
                (
                    Note.HEALTH_CHANGE_FIRST,
                    Note.HEALTH_CHANGE_ALSO_MATCHES,
                    Note.SPECIALIST_CONTEXT,
                    *ON_OPIOIDS,
                ),
            ),
            id="specialist_context_and_a_health_change_both_cap_and_both_speak",
        ),
        pytest.param(
            make_answers(pain_context="yes", duration="lt_4_weeks"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_TOO_EARLY, R_SPECIALIST),
                (Note.TOO_EARLY, Note.SPECIALIST_CONTEXT, *ON_OPIOIDS),
            ),
            id="specialist_context_under_4_weeks_is_soon",
        ),
        pytest.param(
            make_answers(pain_context="yes", new_symptoms=["fever"], **SEVERE),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_FEVER, R_SPECIALIST, R_SEVERE_8_3_3),
                (Note.SPECIALIST_CONTEXT, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="specialist_context_never_lowers_today",
        ),
        pytest.param(
            make_answers(pain_context="unsure", **SEVERE),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_SEVERE_8_3_3, r_unsure(("pain_context", "unsure"))),
                (Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="unsure_pain_context_is_no_specialist_context_and_is_echoed",
        ),
        pytest.param(
            make_answers(pain_context="no", **POSSIBLE_OIH),
            Assessment(Urgency.SOON, Pattern.POSSIBLE_OIH, (R_WORSE, R_SPREAD), ON_OPIOIDS),
            id="no_specialist_context_leaves_possible_oih",
        ),
        pytest.param(
            make_answers(pain_context="no"),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="no_specialist_context_is_nothing",
        ),
    ],
)
def test_specialist_context(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(dose_change=["raised"], after_increase="better_then_back"),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (R_TOLERANCE_FADES,), ON_OPIOIDS),
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
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOUCH, R_TOLERANCE_FADES),
                (Note.OVERUSE, *ON_OPIOIDS),
            ),
            id="tolerance_after_taking_more_sits_alongside_some_features_and_is_soon",
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
            make_answers(duration="lt_4_weeks", **POSSIBLE_OIH),
            False,
            id="the_features_under_4_weeks_are_too_early_not_earlier_than_typical",
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
        pytest.param(
            make_answers(duration="1_to_3_months", pain_context="yes", **POSSIBLE_OIH),
            False,
            id="pattern_capped_by_specialist_context_says_nothing_about_timing",
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


# Rule 7 (version 2): severe pain alone (an average of 7 or more, or a mean of the three
# scores of 7 or more) is at least soon.


@pytest.mark.parametrize(
    ("average", "enjoyment", "activity", "severe"),
    [
        pytest.param(6, 3, 3, False, id="average_6_alone_is_not_severe"),
        pytest.param(7, 3, 3, True, id="average_7_alone_is_severe"),
        pytest.param(10, 0, 0, True, id="average_10_with_low_interference_is_severe"),
        pytest.param(7, 7, 6, True, id="average_7_with_a_mean_of_6_67_is_severe"),
        pytest.param(6, 7, 7, False, id="mean_6_67_is_not_severe"),
        pytest.param(7, 7, 7, True, id="mean_exactly_7_is_severe"),
        pytest.param(6, 8, 7, True, id="mean_exactly_7_with_average_below_7_is_severe"),
        pytest.param(6, 8, 6, False, id="mean_6_67_with_average_below_7_is_not_severe"),
        pytest.param(6, 9, 9, True, id="mean_8_with_average_6_is_severe"),
        pytest.param(0, 10, 10, False, id="high_interference_with_no_pain_mean_6_67_is_not_severe"),
        pytest.param(8, None, None, True, id="average_8_with_other_scores_missing_is_severe"),
        pytest.param(7, None, None, True, id="average_7_with_other_scores_missing_is_severe"),
        pytest.param(6, None, None, False, id="average_6_with_other_scores_missing_is_not_severe"),
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
            Urgency.SOON,
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
        pytest.param(make_answers(**SEVERE), Urgency.SOON, id="severe_raises_routine_to_soon"),
        pytest.param(
            make_answers(**SEVERE, **TOUCH),
            Urgency.SOON,
            id="severe_raises_some_features_to_soon",
        ),
        pytest.param(
            make_answers(**SEVERE, dose_change=["raised"], after_increase="no_change"),
            Urgency.SOON,
            id="severe_raises_tolerance_to_soon",
        ),
        pytest.param(
            make_answers(**SEVERE, **POSSIBLE_OIH),
            Urgency.DAYS,
            id="severe_with_possible_oih_is_days",
        ),
        pytest.param(
            make_answers(**SEVERE, worst_time="missed_or_lowered"),
            Urgency.SOON,
            id="severe_with_wear_off_stays_soon",
        ),
        pytest.param(
            make_answers(**SEVERE, health_change="yes"),
            Urgency.SOON,
            id="severe_with_health_change_stays_soon",
        ),
        pytest.param(
            make_answers(**SEVERE, overdose_risk=["alcohol"]),
            Urgency.SOON,
            id="severe_with_overdose_risk_stays_soon",
        ),
        pytest.param(
            make_answers(**SEVERE, control="yes"),
            Urgency.SOON,
            id="severe_with_loss_of_control_stays_soon",
        ),
        pytest.param(
            make_answers(**SEVERE, **WORSE_AFTER_LOWERING),
            Urgency.DAYS,
            id="severe_with_a_hard_taper_is_days",
        ),
        pytest.param(
            make_answers(**SEVERE, pain_context="yes"),
            Urgency.DAYS,
            id="severe_with_specialist_context_is_days",
        ),
        pytest.param(
            make_answers(**SEVERE, new_symptoms=["fever"]),
            Urgency.TODAY,
            id="severe_never_lowers_today",
        ),
        pytest.param(
            make_answers(**SEVERE, sedation_episodes="yes"),
            Urgency.TODAY,
            id="severe_never_lowers_today_from_sedation_episodes",
        ),
    ],
)
def test_severe_pain_raises_urgency_to_at_least_soon(
    answers: dict[str, Any], urgency: Urgency
) -> None:
    result = run(answers)

    assert result.urgency is urgency
    assert result.has(Finding.SEVERE_PAIN)
    assert Note.SEVERE_PAIN in result.notes


# Rule 8 (version 2): overdose risk. A near-miss in the past month is today; sedating
# medicines, daily alcohol, sleep apnoea or a past overdose are at least soon.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(sedation_episodes="yes"),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_SEDATION,),
                (Note.SEDATION_EPISODES, *ON_OPIOIDS),
            ),
            id="sedation_episodes_are_today",
        ),
        pytest.param(
            make_answers(sedation_episodes="no"),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="no_sedation_episodes_are_nothing",
        ),
        pytest.param(
            make_answers(sedation_episodes="unsure"),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (r_unsure(("sedation_episodes", "unsure")),),
                ON_OPIOIDS,
            ),
            id="unsure_sedation_episodes_count_as_no_and_are_echoed",
        ),
        pytest.param(
            make_answers(sedation_episodes="yes", self_harm="recent"),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_SELF_HARM_RECENT, R_SEDATION),
                (Note.MEANS_SAFETY, Note.SEDATION_EPISODES, *ON_OPIOIDS),
            ),
            id="sedation_episodes_with_recent_self_harm_thoughts_are_today_with_both_notes",
        ),
        pytest.param(
            make_answers(sedation_episodes="yes", **POSSIBLE_OIH),
            Assessment(
                Urgency.TODAY,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, R_SEDATION),
                (Note.SEDATION_EPISODES, *ON_OPIOIDS),
            ),
            id="sedation_episodes_with_possible_oih_are_today_and_keep_the_pattern",
        ),
        pytest.param(
            make_answers(sedation_episodes="yes", **POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.TODAY,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, R_SEDATION, R_SEVERE_8_3_3),
                (Note.SEDATION_EPISODES, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="sedation_episodes_beat_days",
        ),
        pytest.param(
            make_answers(sedation_episodes="yes", duration="lt_4_weeks"),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_TOO_EARLY, R_SEDATION),
                (Note.SEDATION_EPISODES, Note.TOO_EARLY, *ON_OPIOIDS),
            ),
            id="sedation_episodes_under_4_weeks_are_today",
        ),
        pytest.param(
            make_answers(sedation_episodes="yes", pain_context="yes"),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_SPECIALIST, R_SEDATION),
                (Note.SEDATION_EPISODES, Note.SPECIALIST_CONTEXT, *ON_OPIOIDS),
            ),
            id="sedation_episodes_in_the_specialist_context_are_today",
        ),
        pytest.param(
            make_answers(sedation_episodes="yes", overdose_risk=["sedative", "sleep_apnea"]),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_SEDATION, r_overdose_risk("sedative", "sleep_apnea")),
                (Note.SEDATION_EPISODES, Note.OVERDOSE_RISK, *ON_OPIOIDS),
            ),
            id="sedation_episodes_with_overdose_risks_are_today_and_name_both",
        ),
    ],
)
def test_sedation_episodes(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


OVERDOSE_RISKS = ("sedative", "gabapentinoid", "alcohol", "sleep_apnea", "past_overdose")


def test_every_overdose_risk_answer_names_a_risk_but_none_and_unsure() -> None:
    codes = set(questionnaire.BY_ID["overdose_risk"].codes)

    assert codes == {*OVERDOSE_RISKS, "none", "unsure"}
    assert set(rules.OVERDOSE_RISKS) == set(OVERDOSE_RISKS)


@pytest.mark.parametrize("code", OVERDOSE_RISKS)
def test_each_overdose_risk_alone_is_soon_and_named(code: str) -> None:
    assert run(make_answers(overdose_risk=[code])) == Assessment(
        Urgency.SOON,
        Pattern.NO_PATTERN,
        (r_overdose_risk(code),),
        (Note.OVERDOSE_RISK, *ON_OPIOIDS),
    )


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(overdose_risk=["sedative", "alcohol", "past_overdose"]),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_overdose_risk("sedative", "alcohol", "past_overdose"),),
                (Note.OVERDOSE_RISK, *ON_OPIOIDS),
            ),
            id="several_risks_are_one_finding_naming_each",
        ),
        pytest.param(
            make_answers(overdose_risk=list(OVERDOSE_RISKS)),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_overdose_risk(*OVERDOSE_RISKS),),
                (Note.OVERDOSE_RISK, *ON_OPIOIDS),
            ),
            id="every_risk_is_one_finding_naming_all_five",
        ),
        pytest.param(
            make_answers(overdose_risk=["none"]),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="none_is_no_overdose_risk",
        ),
        pytest.param(
            make_answers(overdose_risk=["unsure"]),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (r_unsure(("overdose_risk", "unsure")),),
                ON_OPIOIDS,
            ),
            id="unsure_alone_is_no_overdose_risk_and_is_echoed",
        ),
        pytest.param(
            make_answers(overdose_risk=["unsure", "gabapentinoid"]),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (r_overdose_risk("gabapentinoid"), r_unsure(("overdose_risk", "unsure"))),
                (Note.OVERDOSE_RISK, *ON_OPIOIDS),
            ),
            id="unsure_with_a_risk_names_only_the_risk_and_echoes_unsure",
        ),
        pytest.param(
            make_answers(overdose_risk=None),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="no_answer_is_no_overdose_risk",
        ),
        pytest.param(
            make_answers(overdose_risk=["alcohol"], **TOUCH),
            Assessment(
                Urgency.SOON,
                Pattern.SOME_FEATURES,
                (R_TOUCH, r_overdose_risk("alcohol")),
                (Note.OVERDOSE_RISK, *ON_OPIOIDS),
            ),
            id="overdose_risk_raises_some_features_to_soon",
        ),
        pytest.param(
            make_answers(overdose_risk=["sedative"], **POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.DAYS,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, r_overdose_risk("sedative"), R_SEVERE_8_3_3),
                (Note.OVERDOSE_RISK, Note.SEVERE_PAIN, *ON_OPIOIDS),
            ),
            id="overdose_risk_never_lowers_days",
        ),
        pytest.param(
            make_answers(overdose_risk=["past_overdose"], new_symptoms=["fall_injury"]),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (
                    reason(Finding.FEVER_OR_FALL, ("new_symptoms", "fall_injury")),
                    r_overdose_risk("past_overdose"),
                ),
                (Note.OVERDOSE_RISK, *ON_OPIOIDS),
            ),
            id="overdose_risk_never_lowers_today",
        ),
    ],
)
def test_overdose_risk(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


@pytest.mark.parametrize(
    "ticked",
    [
        pytest.param(["past_overdose", "sedative"], id="two_in_reverse_order"),
        pytest.param(["gabapentinoid", "unsure"], id="one_with_unsure"),
        pytest.param(["sleep_apnea", "alcohol", "gabapentinoid"], id="three"),
    ],
)
def test_the_overdose_risk_finding_names_exactly_the_ticked_risks(ticked: list[str]) -> None:
    result = run(make_answers(overdose_risk=ticked))

    (finding,) = (item for item in result.findings if item.finding is Finding.OVERDOSE_RISK)
    assert {code for _question, code in finding.evidence} == set(ticked) - {"unsure"}
    assert {question for question, _code in finding.evidence} == {"overdose_risk"}
    assert len(finding.evidence) == len(set(ticked) - {"unsure"})


# Rule 9 (version 2): in treatment for opioid use disorder, the stay_on_treatment note comes
# on every result, above the others; the pattern is still assessed.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(oud_treatment="yes"),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (R_OUD,),
                (Note.STAY_ON_TREATMENT, *ON_OPIOIDS),
            ),
            id="treatment_for_opioid_use_disorder_says_stay_on_treatment",
        ),
        pytest.param(
            make_answers(opioid_use="sometimes", oud_treatment="yes"),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NOT_ASSESSED,
                (R_OUD, reason(Finding.NOT_DAILY_USE, ("opioid_use", "sometimes"))),
                (Note.STAY_ON_TREATMENT, Note.NOT_DAILY_USE, *ON_OPIOIDS),
            ),
            id="stay_on_treatment_when_taking_opioids_sometimes",
        ),
        pytest.param(
            make_answers(opioid_use="unsure", oud_treatment="yes"),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NOT_ASSESSED,
                (
                    R_OUD,
                    reason(Finding.NOT_DAILY_USE, ("opioid_use", "unsure")),
                    r_unsure(("opioid_use", "unsure")),
                ),
                (Note.STAY_ON_TREATMENT, Note.NOT_DAILY_USE, *ON_OPIOIDS),
            ),
            id="stay_on_treatment_when_unsure_about_opioids",
        ),
        pytest.param(
            make_answers(oud_treatment="yes", **POSSIBLE_OIH),
            Assessment(
                Urgency.SOON,
                Pattern.POSSIBLE_OIH,
                (R_OUD, R_WORSE, R_SPREAD),
                (Note.STAY_ON_TREATMENT, *ON_OPIOIDS),
            ),
            id="possible_oih_in_treatment_is_still_assessed_and_says_stay_on_treatment_first",
        ),
        pytest.param(
            make_answers(oud_treatment="yes", **TOUCH),
            Assessment(
                Urgency.NEXT_VISIT,
                Pattern.SOME_FEATURES,
                (R_OUD, R_TOUCH),
                (Note.STAY_ON_TREATMENT, *ON_OPIOIDS),
            ),
            id="some_features_in_treatment_is_still_assessed",
        ),
        pytest.param(
            make_answers(oud_treatment="yes", self_harm="recent"),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_SELF_HARM_RECENT, R_OUD),
                (Note.STAY_ON_TREATMENT, Note.MEANS_SAFETY, *ON_OPIOIDS),
            ),
            id="stay_on_treatment_comes_above_means_safety",
        ),
        pytest.param(
            make_answers(oud_treatment="yes", sedation_episodes="yes"),
            Assessment(
                Urgency.TODAY,
                Pattern.NO_PATTERN,
                (R_OUD, R_SEDATION),
                (Note.STAY_ON_TREATMENT, Note.SEDATION_EPISODES, *ON_OPIOIDS),
            ),
            id="stay_on_treatment_comes_above_sedation_episodes",
        ),
        pytest.param(
            make_answers(oud_treatment="yes", control="yes"),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_OUD,),
                (Note.STAY_ON_TREATMENT, Note.OVERUSE, *ON_OPIOIDS),
            ),
            id="stay_on_treatment_with_loss_of_control_is_soon",
        ),
        pytest.param(
            make_answers(oud_treatment="yes", **WORSE_AFTER_LOWERING),
            Assessment(
                Urgency.SOON,
                Pattern.NO_PATTERN,
                (R_OUD, r_hard_taper(("after_decrease", "worse"))),
                (Note.STAY_ON_TREATMENT, Note.TAPER_PAUSE, *ON_OPIOIDS),
            ),
            id="stay_on_treatment_comes_above_taper_pause",
        ),
        pytest.param(
            make_answers(oud_treatment="no", **POSSIBLE_OIH),
            Assessment(Urgency.SOON, Pattern.POSSIBLE_OIH, (R_WORSE, R_SPREAD), ON_OPIOIDS),
            id="no_treatment_is_nothing",
        ),
        pytest.param(
            make_answers(oud_treatment="unsure"),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (r_unsure(("oud_treatment", "unsure")),),
                ON_OPIOIDS,
            ),
            id="unsure_about_treatment_counts_as_no_and_is_echoed",
        ),
    ],
)
def test_oud_treatment(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(make_answers(oud_treatment="yes"), id="no_pattern"),
        pytest.param(make_answers(oud_treatment="yes", **POSSIBLE_OIH, **SEVERE), id="days"),
        pytest.param(make_answers(oud_treatment="yes", opioid_use="sometimes"), id="not_daily_use"),
        pytest.param(make_answers(oud_treatment="yes", duration="lt_4_weeks"), id="too_early"),
        pytest.param(
            make_answers(oud_treatment="yes", pain_context="yes"), id="specialist_context"
        ),
        pytest.param(
            make_answers(
                oud_treatment="yes",
                self_harm="recent",
                **{key: value for key, value in EVERY_V2_RULE.items() if key != "oud_treatment"},
            ),
            id="every_other_note_at_once",
        ),
    ],
)
def test_stay_on_treatment_comes_first_on_every_result(answers: dict[str, Any]) -> None:
    result = run(answers)

    assert result.urgency is not Urgency.EMERGENCY
    assert result.notes[0] is Note.STAY_ON_TREATMENT
    assert result.has(Finding.OUD_TREATMENT)


# Loss of control (version 2): taking more than prescribed, or losing control, is at least
# soon, with the overuse note.


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(
            make_answers(dose_change=["took_more"], after_increase="better_stayed"),
            Assessment(Urgency.SOON, Pattern.NO_PATTERN, (), (Note.OVERUSE, *ON_OPIOIDS)),
            id="taking_more_than_prescribed_is_soon_with_the_overuse_note",
        ),
        pytest.param(
            make_answers(dose_change=["raised", "took_more"], after_increase="better_stayed"),
            Assessment(Urgency.SOON, Pattern.NO_PATTERN, (), (Note.OVERUSE, *ON_OPIOIDS)),
            id="taking_more_alongside_a_raise_is_soon_with_the_overuse_note",
        ),
        pytest.param(
            make_answers(control="yes"),
            Assessment(Urgency.SOON, Pattern.NO_PATTERN, (), (Note.OVERUSE, *ON_OPIOIDS)),
            id="loss_of_control_is_soon_with_the_overuse_note",
        ),
        pytest.param(
            make_answers(dose_change=["took_more"], after_increase="better_stayed", control="yes"),
            Assessment(Urgency.SOON, Pattern.NO_PATTERN, (), (Note.OVERUSE, *ON_OPIOIDS)),
            id="taking_more_and_loss_of_control_get_one_overuse_note",
        ),
        pytest.param(
            make_answers(control="yes", **SPREAD),
            Assessment(
                Urgency.SOON, Pattern.SOME_FEATURES, (R_SPREAD,), (Note.OVERUSE, *ON_OPIOIDS)
            ),
            id="loss_of_control_raises_some_features_to_soon",
        ),
        pytest.param(
            make_answers(control="yes", **POSSIBLE_OIH, **SEVERE),
            Assessment(
                Urgency.DAYS,
                Pattern.POSSIBLE_OIH,
                (R_WORSE, R_SPREAD, R_SEVERE_8_3_3),
                (Note.SEVERE_PAIN, Note.OVERUSE, *ON_OPIOIDS),
            ),
            id="loss_of_control_never_lowers_days",
        ),
        pytest.param(
            make_answers(control="yes", new_symptoms=["fever"]),
            Assessment(Urgency.TODAY, Pattern.NO_PATTERN, (R_FEVER,), (Note.OVERUSE, *ON_OPIOIDS)),
            id="loss_of_control_never_lowers_today",
        ),
        pytest.param(
            make_answers(control="prefer_not"),
            Assessment(
                Urgency.ROUTINE,
                Pattern.NO_PATTERN,
                (r_unsure(("control", "prefer_not")),),
                ON_OPIOIDS,
            ),
            id="prefer_not_on_control_is_routine_without_the_overuse_note",
        ),
        pytest.param(
            make_answers(dose_change=["raised"], after_increase="better_stayed"),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="a_prescribed_raise_is_routine_without_the_overuse_note",
        ),
        pytest.param(
            make_answers(),
            Assessment(Urgency.ROUTINE, Pattern.NO_PATTERN, (), ON_OPIOIDS),
            id="no_change_and_control_is_routine_without_the_overuse_note",
        ),
    ],
)
def test_loss_of_control(answers: dict[str, Any], expected: Assessment) -> None:
    assert run(answers) == expected


# Notes on every non-emergency result.


@pytest.mark.parametrize(
    ("code", "naloxone"),
    [
        pytest.param("most_days", True, id="naloxone_for_most_days_use"),
        pytest.param("sometimes", True, id="naloxone_for_sometimes_use"),
        pytest.param("stopped_recently", True, id="naloxone_for_recently_stopped"),
        pytest.param("no", False, id="no_naloxone_for_no_opioids"),
        pytest.param("unsure", True, id="naloxone_for_unsure_use"),
    ],
)
def test_naloxone_note(code: str, naloxone: bool) -> None:
    assert (Note.NALOXONE in run(make_answers(opioid_use=code)).notes) is naloxone


FOOTER_CASES = [
    pytest.param(make_answers(), id="no_pattern"),
    pytest.param(make_answers(**TOUCH), id="some_features"),
    pytest.param(make_answers(**POSSIBLE_OIH), id="possible_oih"),
    pytest.param(make_answers(**POSSIBLE_OIH, **SEVERE), id="days"),
    pytest.param(make_answers(opioid_use="no"), id="not_daily_use"),
    pytest.param(make_answers(opioid_use="stopped_recently"), id="stopped_recently"),
    pytest.param(make_answers(duration="lt_4_weeks", **WORSE_AFTER_INCREASE), id="too_early"),
    pytest.param(make_answers(self_harm="recent"), id="today"),
    pytest.param(make_answers(control="yes", **SEVERE), id="overuse_and_severe"),
    pytest.param(make_answers(**WORSE_AFTER_LOWERING), id="hard_taper"),
    pytest.param(make_answers(pain_context="yes"), id="specialist_context"),
    pytest.param(make_answers(sedation_episodes="yes"), id="sedation_episodes"),
    pytest.param(make_answers(overdose_risk=["alcohol"]), id="overdose_risk"),
    pytest.param(make_answers(oud_treatment="yes"), id="oud_treatment"),
    pytest.param(make_answers(self_harm="recent", **EVERY_V2_RULE), id="every_v2_rule"),
    pytest.param({"breathing": "no"}, id="partial"),
]


@pytest.mark.parametrize("answers", FOOTER_CASES)
def test_every_non_emergency_result_ends_with_the_footer(answers: dict[str, Any]) -> None:
    result = run(answers)

    assert result.urgency is not Urgency.EMERGENCY
    assert result.notes[-1] is Note.FOOTER


def test_notes_come_in_one_fixed_order_whichever_rule_added_them() -> None:
    result = run(make_answers(self_harm="recent", **EVERY_V2_RULE))

    assert result.notes == (
        Note.STAY_ON_TREATMENT,
        Note.MEANS_SAFETY,
        Note.SEDATION_EPISODES,
        Note.TOO_EARLY,
        Note.WEAR_OFF_FITS_BETTER,
        Note.TAPER_PAUSE,
        Note.SPECIALIST_CONTEXT,
        Note.OVERDOSE_RISK,
        Note.SEVERE_PAIN,
        Note.OVERUSE,
        Note.NALOXONE,
        Note.FOOTER,
    )


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(make_answers(breathing="overdose_signs"), id="overdose"),
        pytest.param(make_answers(self_harm="now", **POSSIBLE_OIH), id="self_harm_now"),
        pytest.param(make_answers(new_symptoms=["saddle_numbness"], control="yes"), id="red_flag"),
        pytest.param(make_answers(breathing="oversedated", **EVERY_V2_RULE), id="every_v2_rule"),
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
            make_answers(sedation_episodes="yes", **WORSE_AFTER_LOWERING, **SEVERE),
            Urgency.TODAY,
            id="sedation_episodes_beat_a_hard_taper_with_severe_pain",
        ),
        pytest.param(
            make_answers(**WORSE_AFTER_LOWERING, **SEVERE, overdose_risk=["alcohol"]),
            Urgency.DAYS,
            id="a_hard_taper_with_severe_pain_beats_overdose_risk",
        ),
        pytest.param(
            make_answers(pain_context="yes", **SEVERE, health_change="yes"),
            Urgency.DAYS,
            id="specialist_context_with_severe_pain_beats_health_change",
        ),
        pytest.param(
            make_answers(worst_time="before_next_dose", **TOUCH),
            Urgency.SOON,
            id="wear_off_beats_some_features",
        ),
        pytest.param(
            make_answers(overdose_risk=["gabapentinoid"], **TOUCH),
            Urgency.SOON,
            id="overdose_risk_beats_some_features",
        ),
        pytest.param(
            make_answers(health_change="yes", **TOUCH, **SEVERE),
            Urgency.SOON,
            id="health_change_some_features_and_severe_pain_are_soon",
        ),
        pytest.param(
            make_answers(dose_change=["raised"], after_increase="no_change", **SEVERE),
            Urgency.SOON,
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
        Urgency.DAYS: 2,
        Urgency.SOON: 3,
        Urgency.NEXT_VISIT: 4,
        Urgency.ROUTINE: 5,
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
    assert {"oud_treatment", "pain_context", "sedation_episodes", "overdose_risk"} <= ids
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
        # Version 2.
        ("oud_treatment", "yes"),
        ("pain_context", "yes"),
        ("dose_change", "lowered"),
        ("after_decrease", "worse"),
        ("sedation_episodes", "yes"),
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


def test_the_naloxone_answers_are_every_opioid_use_but_no() -> None:
    # Version 2: "unsure" gets the naloxone note too.
    codes = set(questionnaire.BY_ID["opioid_use"].codes)

    assert set(rules.MAY_HAVE_OPIOIDS) == codes - {"no"}


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
    pytest.param(make_answers(self_harm="recent", **EVERY_V2_RULE), id="every_v2_rule"),
    pytest.param(
        make_answers(opioid_use="sometimes", oud_treatment="yes"), id="not_assessed_in_treatment"
    ),
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


def test_to_dict_spells_the_version_2_codes() -> None:
    result = run(make_answers(oud_treatment="yes", **WORSE_AFTER_LOWERING, **SEVERE))

    assert result.to_dict() == {
        "urgency": "days",
        "pattern": "no_pattern",
        "findings": [
            {"finding": "oud_treatment", "evidence": [["oud_treatment", "yes"]]},
            {
                "finding": "hard_taper",
                "evidence": [["dose_change", "lowered"], ["after_decrease", "worse"]],
            },
            {
                "finding": "severe_pain",
                "evidence": [
                    ["pain_average", "8"],
                    ["pain_enjoyment", "3"],
                    ["pain_activity", "3"],
                ],
            },
        ],
        "notes": ["stay_on_treatment", "taper_pause", "severe_pain", "naloxone", "footer"],
        "version": "2",
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
