"""The rule layer: which answers match a pattern worth discussing with a clinician.

Plain Python with no Django, no I/O, no clock and no settings, so that it can be read,
tested and reused on its own. ``assess()`` is the one entry point. It never diagnoses: it
returns codes (an urgency, a pattern, findings that name the answers behind them, and
notes), and the templates turn codes into words.

Clinical basis (keys from CLINICAL.md, "Sources"):
- features of opioid-induced hyperalgesia: lee-2011, chen-2009, higgins-2019, bmj-case-2014;
- look-alikes (tolerance, withdrawal between doses, a new health problem): lee-2011,
  higgins-2019;
- safety (no dose changes alone, overdose and naloxone): fda-2019, hhs-2019, cdc-2022;
- version 2 (near-miss overdoses, sedating medicines, hard tapers, treatment for opioid use
  disorder, early dose changes, pain outside the check's scope): cdc-2022 (Rec. 5, 7, 8, 11
  and 12), fda-2019, hhs-2019.
The rules themselves are CLINICAL.md's "Rule layer v1" as changed by "Version 2", numbered
as there (rules 8 and 9 are new in version 2). Screenings stored under version 1 keep the
assessment they were given; nothing here re-assesses them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import fmean

RULES_VERSION = "2"

Answer = str | Sequence[str] | int
Answers = Mapping[str, Answer]
Evidence = tuple[tuple[str, str], ...]


class Urgency(StrEnum):
    """How soon to talk to someone, most urgent first."""

    EMERGENCY = "emergency"
    TODAY = "today"
    DAYS = "days"  # within 2 or 3 days (version 2)
    SOON = "soon"  # within about 2 weeks
    NEXT_VISIT = "next_visit"
    ROUTINE = "routine"

    @property
    def rank(self) -> int:
        """0 for the most urgent level."""
        return list(Urgency).index(self)


class Pattern(StrEnum):
    POSSIBLE_OIH = "possible_oih"
    SOME_FEATURES = "some_features"
    NO_PATTERN = "no_pattern"
    NOT_ASSESSED = "not_assessed"


class Finding(StrEnum):
    # Rule 1: emergency signs.
    OVERDOSE_SIGNS = "overdose_signs"
    OVERSEDATED = "oversedated"
    SELF_HARM_NOW = "self_harm_now"
    NERVE_OR_HEART_SIGNS = "nerve_or_heart_signs"
    # Rule 2: get help today.
    SELF_HARM_RECENT = "self_harm_recent"
    FEVER_OR_FALL = "fever_or_fall"
    # Rules 3 and 4: the check does not apply.
    NOT_DAILY_USE = "not_daily_use"
    STOPPED_RECENTLY = "stopped_recently"
    TOO_EARLY = "too_early"
    # Rule 5: features of the pattern.
    WORSE_AFTER_INCREASE = "worse_after_increase"
    BETTER_AFTER_DECREASE = "better_after_decrease"
    PAIN_SPREAD = "pain_spread"
    TOUCH_HURTS = "touch_hurts"
    # Rule 6: other explanations.
    HEALTH_CHANGE = "health_change"
    WEAR_OFF = "wear_off"
    TOLERANCE = "tolerance"
    HARD_TAPER = "hard_taper"
    SPECIALIST_CONTEXT = "specialist_context"
    # Rule 7: severity.
    SEVERE_PAIN = "severe_pain"
    # Rule 8: overdose risk.
    SEDATION_EPISODES = "sedation_episodes"
    OVERDOSE_RISK = "overdose_risk"
    # Rule 9: in treatment for opioid use disorder.
    OUD_TREATMENT = "oud_treatment"
    # Answers of "unsure" or "prefer not to say", echoed back.
    UNSURE = "unsure"


class Note(StrEnum):
    # Listed above every other note (rule 9).
    STAY_ON_TREATMENT = "stay_on_treatment"
    MEANS_SAFETY = "means_safety"
    SEDATION_EPISODES = "sedation_episodes"
    NOT_DAILY_USE = "not_daily_use"
    RESTART_DANGER = "restart_danger"
    TOO_EARLY = "too_early"
    HEALTH_CHANGE_FIRST = "health_change_first"
    HEALTH_CHANGE_ALSO_MATCHES = "health_change_also_matches"
    WEAR_OFF_FITS_BETTER = "wear_off_fits_better"
    WITHDRAWAL_MAY_ADD = "withdrawal_may_add"
    EARLIER_THAN_TYPICAL = "earlier_than_typical"
    TAPER_PAUSE = "taper_pause"
    SPECIALIST_CONTEXT = "specialist_context"
    OVERDOSE_RISK = "overdose_risk"
    SEVERE_PAIN = "severe_pain"
    OVERUSE = "overuse"
    NALOXONE = "naloxone"
    FOOTER = "footer"


@dataclass(frozen=True)
class Reason:
    """A finding and the answers that produced it, as (question id, answer code) pairs."""

    finding: Finding
    evidence: Evidence

    def to_dict(self) -> dict[str, object]:
        return {"finding": self.finding.value, "evidence": [list(pair) for pair in self.evidence]}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Reason:
        evidence = data["evidence"]
        assert isinstance(evidence, list)
        return cls(Finding(data["finding"]), tuple((qid, code) for qid, code in evidence))


@dataclass(frozen=True)
class Assessment:
    urgency: Urgency
    pattern: Pattern
    findings: tuple[Reason, ...] = ()
    notes: tuple[Note, ...] = ()
    version: str = RULES_VERSION

    @property
    def finding_codes(self) -> tuple[Finding, ...]:
        return tuple(reason.finding for reason in self.findings)

    def has(self, finding: Finding) -> bool:
        return finding in self.finding_codes

    def to_dict(self) -> dict[str, object]:
        return {
            "urgency": self.urgency.value,
            "pattern": self.pattern.value,
            "findings": [reason.to_dict() for reason in self.findings],
            "notes": [note.value for note in self.notes],
            "version": self.version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Assessment:
        findings = data["findings"]
        notes = data["notes"]
        assert isinstance(findings, list)
        assert isinstance(notes, list)
        return cls(
            urgency=Urgency(data["urgency"]),
            pattern=Pattern(data["pattern"]),
            findings=tuple(Reason.from_dict(item) for item in findings),
            notes=tuple(Note(note) for note in notes),
            version=str(data["version"]),
        )


EMERGENCY_SYMPTOMS = ("limb_weakness", "bladder_bowel", "saddle_numbness", "chest_breathing")
SAME_DAY_SYMPTOMS = ("fever", "fall_injury")
UNSURE_CODES = ("unsure", "prefer_not")
PAIN_SCORES = ("pain_average", "pain_enjoyment", "pain_activity")
SEVERE_PAIN_SCORE = 7
# Answers to opioid_use after which someone may still have opioids at hand (naloxone note).
MAY_HAVE_OPIOIDS = ("most_days", "sometimes", "stopped_recently", "unsure")
# overdose_risk codes that name a risk; "none" and "unsure" name none.
OVERDOSE_RISKS = ("sedative", "gabapentinoid", "alcohol", "sleep_apnea", "past_overdose")
NOTE_ORDER = tuple(Note)


def _as_codes(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence):
        return tuple(code for code in value if isinstance(code, str))
    return ()


@dataclass
class _Working:
    """What the rules have found so far; only ``assess()`` builds one."""

    answers: Answers
    urgency: Urgency = Urgency.ROUTINE
    pattern: Pattern = Pattern.NO_PATTERN
    findings: list[Reason] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    # Whether rule 5's full pattern was met, even if a later rule lowered the pattern.
    pattern_met: bool = False

    def one(self, question_id: str) -> str | None:
        value = self.answers.get(question_id)
        return value if isinstance(value, str) else None

    def many(self, question_id: str) -> tuple[str, ...]:
        """A tick-all-that-apply answer; a lone string counts as one tick, never as none."""
        return _as_codes(self.answers.get(question_id))

    def at_least(self, urgency: Urgency) -> None:
        if urgency.rank < self.urgency.rank:
            self.urgency = urgency

    def at_most(self, pattern: Pattern) -> None:
        """Lower a full pattern; a weaker or absent one stays as it is."""
        if self.pattern is Pattern.POSSIBLE_OIH:
            self.pattern = pattern

    def find(self, finding: Finding, *evidence: tuple[str, str]) -> None:
        self.findings.append(Reason(finding, tuple(evidence)))

    def note(self, note: Note) -> None:
        self.notes.append(note)

    def freeze(self) -> Assessment:
        # Notes are listed in Note's order, whichever rule added them: rule 9's comes first.
        notes = sorted(self.notes, key=NOTE_ORDER.index)
        return Assessment(self.urgency, self.pattern, tuple(self.findings), tuple(notes))


def assess(answers: Answers) -> Assessment:
    """Assess a (possibly partial) set of answers keyed by question id.

    A question that was not shown is absent. Partial answers are fine: the check calls this
    after each safety question to stop at the first emergency sign.
    """
    work = _Working(answers)
    if _emergency_signs(work):
        work.urgency = Urgency.EMERGENCY
        work.pattern = Pattern.NOT_ASSESSED
        return work.freeze()
    _same_day_signs(work)
    _oud_treatment(work)
    if _daily_use(work):
        too_early = _too_early(work)
        _pattern(work, too_early=too_early)
        # The other explanations count even when it is too early for the full pattern: a
        # new illness or withdrawal between doses is worth a clinician's look either way.
        _health_change(work)
        _specialist_context(work)
        _wear_off(work)
        _hard_taper(work)
        _tolerance(work)
        _earlier_than_typical(work)
    _sedation_episodes(work)
    _overdose_risk(work)
    _severity(work)
    _loss_of_control(work)
    _unsure_answers(work)
    _safety_notes(work)
    return work.freeze()


def _emergency_signs(work: _Working) -> bool:
    """Rule 1: signs of overdose, of self-harm now, or of a nerve or heart emergency.

    Sources: fda-2019 and cdc-2022 (overdose signs); CLINICAL.md rule 1.
    """
    breathing = work.one("breathing")
    if breathing == "oversedated":
        work.find(Finding.OVERSEDATED, ("breathing", breathing))
    elif breathing not in (None, "no"):
        # Any answer but "no" is an emergency: an unknown one is treated as the worst.
        work.find(Finding.OVERDOSE_SIGNS, ("breathing", breathing))
    if work.one("self_harm") == "now":
        work.find(Finding.SELF_HARM_NOW, ("self_harm", "now"))
    red_flags = [code for code in work.many("new_symptoms") if code in EMERGENCY_SYMPTOMS]
    if red_flags:
        work.find(Finding.NERVE_OR_HEART_SIGNS, *(("new_symptoms", code) for code in red_flags))
    return bool(work.findings)


def _same_day_signs(work: _Working) -> None:
    """Rule 2: recent thoughts of self-harm, a fever or a fall call for help today.

    Version 2: recent thoughts of self-harm add means safety (keep medicines locked away)
    and the country's crisis line (cdc-2022, Rec. 8).
    """
    if work.one("self_harm") == "recent":
        work.find(Finding.SELF_HARM_RECENT, ("self_harm", "recent"))
        work.note(Note.MEANS_SAFETY)
        work.at_least(Urgency.TODAY)
    signs = [code for code in work.many("new_symptoms") if code in SAME_DAY_SYMPTOMS]
    if signs:
        work.find(Finding.FEVER_OR_FALL, *(("new_symptoms", code) for code in signs))
        work.at_least(Urgency.TODAY)


def _oud_treatment(work: _Working) -> None:
    """Rule 9: in treatment for opioid use disorder, stay on it (cdc-2022, Rec. 12).

    Stopping methadone or buprenorphine raises the risk of overdose and death, so every
    result says so first. The pattern is still looked for.
    """
    if work.one("oud_treatment") == "yes":
        work.find(Finding.OUD_TREATMENT, ("oud_treatment", "yes"))
        work.note(Note.STAY_ON_TREATMENT)


def _daily_use(work: _Working) -> bool:
    """Rule 3: the check is made for people who take an opioid on most days."""
    use = work.one("opioid_use")
    if use == "most_days":
        return True
    work.pattern = Pattern.NOT_ASSESSED
    if use == "stopped_recently":
        work.find(Finding.STOPPED_RECENTLY, ("opioid_use", use))
        work.note(Note.RESTART_DANGER)
        work.at_least(Urgency.SOON)
    elif use is not None:
        work.find(Finding.NOT_DAILY_USE, ("opioid_use", use))
        work.note(Note.NOT_DAILY_USE)
    return False


def _too_early(work: _Working) -> bool:
    """Rule 4 (version 2): under 4 weeks of daily use the full pattern is not met.

    The features are still found and shown: a review 1 to 4 weeks after starting or raising
    a dose is standard (cdc-2022, Rec. 7). Returns whether it is too early.
    """
    if work.one("duration") != "lt_4_weeks":
        return False
    work.find(Finding.TOO_EARLY, ("duration", "lt_4_weeks"))
    work.note(Note.TOO_EARLY)
    work.at_least(Urgency.SOON if work.one("after_increase") == "worse" else Urgency.NEXT_VISIT)
    return True


def _pattern(work: _Working, *, too_early: bool) -> None:
    """Rule 5: a dose-response feature plus a supporting feature (lee-2011, higgins-2019).

    Notes whether the full pattern was met, before other rules may lower it. Too early
    (rule 4), it is at most "some features".
    """
    dose_response = 0
    if work.one("after_increase") == "worse":
        work.find(Finding.WORSE_AFTER_INCREASE, ("after_increase", "worse"))
        dose_response += 1
    if work.one("after_decrease") == "better":
        work.find(Finding.BETTER_AFTER_DECREASE, ("after_decrease", "better"))
        dose_response += 1
    supporting = 0
    if work.one("pain_spread") == "yes":
        work.find(Finding.PAIN_SPREAD, ("pain_spread", "yes"))
        supporting += 1
    if work.one("touch_hurts") == "yes":
        work.find(Finding.TOUCH_HURTS, ("touch_hurts", "yes"))
        supporting += 1
    if dose_response and supporting and not too_early:
        work.pattern = Pattern.POSSIBLE_OIH
        work.pattern_met = True
        work.at_least(Urgency.SOON)
    elif dose_response or supporting:
        work.pattern = Pattern.SOME_FEATURES
        work.at_least(Urgency.NEXT_VISIT)


def _health_change(work: _Working) -> None:
    """Rule 6: a new injury or illness must be checked first; OIH is a diagnosis of exclusion."""
    if work.one("health_change") != "yes":
        return
    work.find(Finding.HEALTH_CHANGE, ("health_change", "yes"))
    work.note(Note.HEALTH_CHANGE_FIRST)
    if work.pattern_met:
        work.at_most(Pattern.SOME_FEATURES)
        work.note(Note.HEALTH_CHANGE_ALSO_MATCHES)
    work.at_least(Urgency.SOON)


def _specialist_context(work: _Working) -> None:
    """Rule 6 (version 2): cancer, sickle cell disease, hospice or palliative care.

    That pain is outside the guidance this check rests on (cdc-2022's scope), so the care
    team that treats it should look at any change. Days with severe pain (rule 7).
    """
    if work.one("pain_context") != "yes":
        return
    work.find(Finding.SPECIALIST_CONTEXT, ("pain_context", "yes"))
    work.note(Note.SPECIALIST_CONTEXT)
    work.at_most(Pattern.SOME_FEATURES)
    work.at_least(Urgency.DAYS if _severe(work) else Urgency.SOON)


def _wear_off(work: _Working) -> None:
    """Rule 6: pain worst as a dose wears off looks like withdrawal between doses."""
    worst = work.one("worst_time")
    if worst not in ("before_next_dose", "missed_or_lowered"):
        return
    evidence = [("worst_time", worst)]
    if work.one("withdrawal_signs") == "yes":
        evidence.append(("withdrawal_signs", "yes"))
    work.find(Finding.WEAR_OFF, *evidence)
    if work.pattern_met:
        work.note(Note.WITHDRAWAL_MAY_ADD)
    else:
        work.note(Note.WEAR_OFF_FITS_BETTER)
    work.at_least(Urgency.SOON)


def _hard_taper(work: _Working) -> None:
    """Rule 6 (version 2): a dose cut that makes someone much worse (fda-2019, hhs-2019).

    A taper like that can be paused or slowed. Worse pain after lowering counts against
    OIH, so this finding never leads to asking about OIH. Days with severe pain (rule 7).
    """
    if "lowered" not in work.many("dose_change"):
        return
    signs = [
        (question_id, code)
        for question_id, code in (
            ("after_decrease", "worse"),
            ("worst_time", "missed_or_lowered"),
            ("withdrawal_signs", "yes"),
        )
        if work.one(question_id) == code
    ]
    if not signs:
        return
    work.find(Finding.HARD_TAPER, ("dose_change", "lowered"), *signs)
    work.note(Note.TAPER_PAUSE)
    work.at_least(Urgency.DAYS if _severe(work) else Urgency.SOON)


def _tolerance(work: _Working) -> None:
    """Rule 6: relief that fades after an increase, or none at all, suggests tolerance."""
    after = work.one("after_increase")
    if after in ("better_then_back", "no_change"):
        work.find(Finding.TOLERANCE, ("after_increase", after))


def _earlier_than_typical(work: _Working) -> None:
    """Rule 6: the pattern is more often seen after three months or more of daily use."""
    if work.pattern is Pattern.POSSIBLE_OIH and work.one("duration") == "1_to_3_months":
        work.note(Note.EARLIER_THAN_TYPICAL)


def _sedation_episodes(work: _Working) -> None:
    """Rule 8 (version 2): a near-miss overdose in the past month calls for help today.

    Sources: cdc-2022 (Rec. 8); fda-2019 (overdose signs).
    """
    if work.one("sedation_episodes") == "yes":
        work.find(Finding.SEDATION_EPISODES, ("sedation_episodes", "yes"))
        work.note(Note.SEDATION_EPISODES)
        work.at_least(Urgency.TODAY)


def _overdose_risk(work: _Working) -> None:
    """Rule 8 (version 2): sedating medicines, alcohol, sleep apnoea or a past overdose.

    Each raises the risk of breathing problems on opioids (cdc-2022, Rec. 8 and 11; the FDA
    2016 boxed warning on opioids with benzodiazepines). None of them is to be stopped
    suddenly either.
    """
    risks = [code for code in work.many("overdose_risk") if code in OVERDOSE_RISKS]
    if risks:
        work.find(Finding.OVERDOSE_RISK, *(("overdose_risk", code) for code in risks))
        work.note(Note.OVERDOSE_RISK)
        work.at_least(Urgency.SOON)


def _pain_scores(work: _Working) -> dict[str, int]:
    """The 0-10 scores given, by question id."""
    scores = {qid: work.answers.get(qid) for qid in PAIN_SCORES}
    return {qid: score for qid, score in scores.items() if isinstance(score, int)}


def _severe(work: _Working) -> bool:
    """Rule 7's test: an average of 7 or more, or a mean of the three scores of 7 or more."""
    scores = _pain_scores(work)
    if scores.get("pain_average", 0) >= SEVERE_PAIN_SCORE:
        return True
    return len(scores) == len(PAIN_SCORES) and fmean(scores.values()) >= SEVERE_PAIN_SCORE


def _severity(work: _Working) -> None:
    """Rule 7: severe pain deserves a plan with a clinician, whatever the pattern.

    Version 2: at least soon, and within days with the full pattern (rule 5), even when a
    health change then lowered the pattern: lowering it never makes the result less urgent.
    """
    if not _severe(work):
        return
    scores = _pain_scores(work)
    work.find(Finding.SEVERE_PAIN, *((qid, str(score)) for qid, score in scores.items()))
    work.note(Note.SEVERE_PAIN)
    work.at_least(Urgency.DAYS if work.pattern_met else Urgency.SOON)


def _loss_of_control(work: _Working) -> None:
    """Version 2: taking more than prescribed, or losing control, needs a talk soon.

    Taking more raises the risk of overdose (cdc-2022, Rec. 8); good treatments exist
    (cdc-2022, Rec. 12). No label is ever given.
    """
    if "took_more" in work.many("dose_change") or work.one("control") == "yes":
        work.note(Note.OVERUSE)
        work.at_least(Urgency.SOON)


def _unsure_answers(work: _Working) -> None:
    """'Unsure' and 'prefer not to say' count as no, and are said back to the person."""
    unsure = [
        (qid, code)
        for qid, value in work.answers.items()
        for code in _as_codes(value)
        if code in UNSURE_CODES
    ]
    if unsure:
        work.find(Finding.UNSURE, *unsure)


def _safety_notes(work: _Working) -> None:
    """Notes on every result that is not an emergency (fda-2019, hhs-2019, cdc-2022).

    Version 2: naloxone also for someone not sure whether they take an opioid most days.
    """
    if work.one("opioid_use") in MAY_HAVE_OPIOIDS:
        work.note(Note.NALOXONE)
    work.note(Note.FOOTER)
