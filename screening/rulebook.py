"""The rules in plain words, for the public "How this check works" page.

What each rule of each version looks at, what it leads to and why, with the sources behind
it (the keys of CLINICAL.md, "Sources"). Nothing here decides anything: ``rules.py`` does.

How the page stays true to the code, version by version:

- Version 2 (the rules in force). Each rule has a few example answer sets. The page never
  states their outcome: it runs each one through ``rules.assess()`` as it renders, so it
  cannot disagree with the code. ``tests/screening/test_rulebook.py`` also finds every
  example among the parametrized rule tables of ``tests/screening/test_rules.py`` (the same
  answers, and the same expected assessment where the row gives one), so the examples are
  cases the tables already prove, not a second list typed by hand.
- Version 1 (kept readable, so a clinician can explain an old screening). Its code no
  longer runs. Its rules are described in words, and its examples carry the urgency and
  pattern that version 1 really gave: each was copied from a screening recorded through the
  version 1 code (``tests/screening/v1/screenings.json``), and the same test finds each one
  there, with the same answers, urgency and pattern.

An example gives only the answers that differ from ``BASELINE``, the calm answers a person
on opioids most days for more than 3 months might give; questions that those answers skip
are left out, and a check that an emergency answer ends stops there, as the site does.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from screening import questionnaire
from screening.rules import RULES_VERSION, Assessment, Pattern, Urgency, assess

# When each version of the rules took effect on this site.
TOOK_EFFECT: Mapping[str, datetime.date] = MappingProxyType(
    {"1": datetime.date(2026, 11, 25), "2": datetime.date(2026, 12, 6)}
)

# The calm answers every example starts from (no feature, no risk, mild pain).
BASELINE: Mapping[str, object] = MappingProxyType(
    {
        "breathing": "no",
        "self_harm": "no",
        "new_symptoms": ("none",),
        "opioid_use": "most_days",
        "oud_treatment": "no",
        "duration": "gt_3_months",
        "pain_context": "no",
        "dose_change": ("no_change",),
        "pain_spread": "no",
        "touch_hurts": "no",
        "worst_time": "steady",
        "withdrawal_signs": "no",
        "sedation_episodes": "no",
        "overdose_risk": ("none",),
        "health_change": "no",
        "control": "no",
        "pain_average": 3,
        "pain_enjoyment": 3,
        "pain_activity": 3,
    }
)


@dataclass(frozen=True)
class Source:
    key: str
    citation: str  # a citation is not translated
    url: str = ""


# CLINICAL.md, "Sources", in the order the page numbers them.
SOURCES: tuple[Source, ...] = (
    Source(
        "science-2016",
        "Servick K. Why painkillers sometimes make the pain worse. Science, November 2016.",
        "https://www.science.org/content/article/why-painkillers-sometimes-make-pain-worse",
    ),
    Source(
        "bmj-case-2014",
        "Kaneria A. Opioid-induced hyperalgesia: when painkillers make pain worse. "
        "BMJ Case Reports, June 2014.",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4054124/",
    ),
    Source(
        "consult-pharm-2011",
        "When medications make pain worse: opioid-induced hyperalgesia. "
        "The Consultant Pharmacist, August 2011.",
        "https://pubmed.ncbi.nlm.nih.gov/21840817/",
    ),
    Source(
        "lee-2011",
        "Lee M, Silverman S, Hansen H, Patel V, Manchikanti L. A comprehensive review of "
        "opioid-induced hyperalgesia. Pain Physician 2011;14:145-161. PMID 21412369.",
        "https://pubmed.ncbi.nlm.nih.gov/21412369/",
    ),
    Source(
        "chen-2009",
        "Chen L et al. Altered quantitative sensory testing outcome in subjects with opioid "
        "therapy. Pain 2009;143:65-70. PMC2680088.",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC2680088/",
    ),
    Source(
        "higgins-2019",
        "Higgins C, Smith BH, Matthews K. Evidence of opioid-induced hyperalgesia in clinical "
        "populations after chronic opioid exposure: a systematic review and meta-analysis. "
        "Br J Anaesth 2019;122:e114-e126.",
        "https://doi.org/10.1016/j.bja.2018.09.019",
    ),
    Source(
        "cdc-2022",
        "Dowell D et al. CDC Clinical Practice Guideline for Prescribing Opioids for Pain, "
        "2022. MMWR Recomm Rep 2022;71(RR-3):1-95.",
        "https://doi.org/10.15585/mmwr.rr7103a1",
    ),
    Source(
        "fda-2019",
        "FDA Drug Safety Communication, 9 April 2019: harm reported from sudden "
        "discontinuation of opioid pain medicines.",
    ),
    Source(
        "hhs-2019",
        "HHS Guide for Clinicians on the Appropriate Dosage Reduction or Discontinuation of "
        "Long-Term Opioid Analgesics, 2019.",
    ),
)
SOURCE_NUMBER: Mapping[str, int] = MappingProxyType(
    {source.key: number for number, source in enumerate(SOURCES, start=1)}
)


@dataclass(frozen=True)
class Example:
    """Answers that differ from ``BASELINE``; None leaves a question unanswered.

    ``urgency`` and ``pattern`` are given only for a version whose code no longer runs (what
    it really gave); otherwise the page asks ``rules.assess()``.
    """

    changes: Mapping[str, object]
    urgency: Urgency | None = None
    pattern: Pattern | None = None

    def answers(self, version: str) -> dict[str, object]:
        """The whole answer set, as the check in ``version`` would have stored it."""
        merged = {**BASELINE, **self.changes}
        kept: dict[str, object] = {}
        for question in questionnaire.QUESTIONS:
            value = merged.get(question.id)
            if value is None or not question.asked_in(version) or not question.is_shown(kept):
                continue
            kept[question.id] = list(value) if isinstance(value, tuple) else value
            if question.safety and assess(kept).urgency is Urgency.EMERGENCY:
                break  # the check ends at an emergency answer (rule 1, the same in both)
        return kept


@dataclass(frozen=True)
class Rule:
    number: str  # as CLINICAL.md numbers it; "" for what it does not number
    slug: str  # the heading's anchor on the page
    title: Promise
    says: Promise  # which answers lead to which advice
    why: Promise
    sources: tuple[str, ...]
    # The finding and note codes this rule can give (rules.Finding, rules.Note values).
    codes: tuple[str, ...] = ()
    examples: tuple[Example, ...] = field(default=())
    changed: Promise | str = ""  # what this version changed, if anything


@dataclass(frozen=True)
class Rulebook:
    version: str
    rules: tuple[Rule, ...]
    summary: Promise

    @property
    def took_effect(self) -> datetime.date:
        return TOOK_EFFECT[self.version]


def ex(
    urgency: Urgency | None = None, pattern: Pattern | None = None, **changes: object
) -> Example:
    return Example(MappingProxyType(changes), urgency, pattern)


# Words both versions share.
EMERGENCY_TITLE = _("Signs of an emergency")
EMERGENCY_SAYS = _(
    "If someone is very hard to wake, breathes very slowly, has blue or gray lips, or is much "
    "sleepier than usual, the check stops at once. It also stops for thoughts of ending your "
    "life right now, and for new weakness in an arm or leg, trouble with your bladder or "
    "bowels, numbness between your legs, or chest pain. We show the emergency number and "
    "what to do until help comes. We ask nothing else."
)
EMERGENCY_WHY = _(
    "These can be signs of an overdose or of harm that needs care within minutes. Nothing "
    "else the check could say matters more."
)
TODAY_TITLE = _("Get help today")
TODAY_WHY = _(
    "A fever, a fall or recent dark thoughts need a clinician's look the same day. The "
    "check goes on, so you still get the rest of your result."
)
WHO_TITLE = _("Who the check is for")
WHO_SAYS = _(
    "The check looks for the pattern only in people who take an opioid on most days. If you "
    "take one only sometimes, or not at all, we say to talk about your pain with your care "
    "team. If you stopped in the last month, we say to talk to your doctor soon, and that "
    "taking your old dose again on your own can be dangerous."
)
WHO_WHY = _(
    "The pattern is seen in people who take opioids every day for a long time. After "
    "stopping, the body loses its tolerance within about a week, so an old dose can cause "
    "an overdose."
)
PATTERN_TITLE = _("The pattern worth discussing")
PATTERN_SAYS = _(
    "We look for two kinds of signs. The first is about dose: pain got worse after the dose "
    "went up, or better after it went down. The second is about how the pain feels: it has "
    "spread or feels all over, or things that never hurt now hurt. One of each means your "
    "answers match a pattern worth discussing soon. Any one sign alone is worth raising at "
    "your next visit."
)
PATTERN_WHY = _(
    "These are the signs most often described in people with opioid-induced hyperalgesia, "
    "when opioids make the body more sensitive to pain. No test proves it, so the check "
    "never says you have it. Only a clinician can tell, after looking at other causes."
)
OTHER_TITLE = _("Other things that can explain the pain")
SEVERE_TITLE = _("Severe pain")
SEVERE_WHY = _(
    "Whatever the cause, severe pain that gets in the way of life deserves a plan made with "
    "a clinician."
)
UNSURE_TITLE = _("Answers you were not sure about")
UNSURE_SAYS = _(
    "If you choose “I'm not sure” or “I'd rather not say”, the check counts it as no. Your "
    "result tells you which answers were counted that way."
)
UNSURE_WHY = _(
    "The check only points to signs you are sure of. Telling you keeps it open, so you can "
    "raise those questions with your doctor."
)
EVERY_RESULT_TITLE = _("On every result")
EVERY_RESULT_WHY = _(
    "Changing opioids fast, or on your own, can cause withdrawal, worse pain and overdose. "
    "Naloxone can reverse an overdose."
)

VERSION_2 = Rulebook(
    version="2",
    summary=_(
        "Version 2 came from a clinical review of version 1. It asks about near overdoses, "
        "medicines and health problems that add to the risk, treatment for opioid use "
        "disorder, and pain from cancer or sickle cell disease. It also notices when a lower "
        "dose makes someone feel much worse. It adds one more level: talk to your doctor in "
        "the next 2 or 3 days."
    ),
    rules=(
        Rule(
            "1",
            "emergency",
            EMERGENCY_TITLE,
            EMERGENCY_SAYS,
            EMERGENCY_WHY,
            ("fda-2019", "cdc-2022"),
            codes=("overdose_signs", "oversedated", "self_harm_now", "nerve_or_heart_signs"),
            examples=(
                ex(breathing="overdose_signs"),
                ex(self_harm="now"),
                ex(new_symptoms=("limb_weakness",)),
            ),
        ),
        Rule(
            "2",
            "today",
            TODAY_TITLE,
            _(
                "A new fever, or a fall or injury, in the last few days means get help today. "
                "So do thoughts of ending your life or hurting yourself in the past few weeks. "
                "Then we also say how to keep medicines safe, and give the crisis line."
            ),
            TODAY_WHY,
            ("cdc-2022",),
            codes=("self_harm_recent", "fever_or_fall", "means_safety"),
            examples=(ex(new_symptoms=("fever",)), ex(self_harm="recent")),
            changed=_("Version 2 added the advice on keeping medicines safe."),
        ),
        Rule(
            "3",
            "who-the-check-is-for",
            WHO_TITLE,
            WHO_SAYS,
            WHO_WHY,
            ("cdc-2022", "fda-2019", "hhs-2019"),
            codes=("not_daily_use", "stopped_recently", "restart_danger"),
            examples=(ex(opioid_use="no"), ex(opioid_use="stopped_recently")),
        ),
        Rule(
            "4",
            "too-early",
            _("Less than 4 weeks"),
            _(
                "If you have taken an opioid on most days for less than 4 weeks, it is too "
                "soon for the full pattern. We still show any signs you gave. Pain that got "
                "worse after the dose went up means talk to your doctor soon. Otherwise, "
                "raise it at your next visit."
            ),
            _(
                "The pattern is more often seen after months of daily use. But a check-in 1 "
                "to 4 weeks after starting or raising a dose is standard care."
            ),
            ("cdc-2022",),
            codes=("too_early",),
            examples=(
                ex(duration="lt_4_weeks"),
                ex(duration="lt_4_weeks", dose_change=("raised",), after_increase="worse"),
            ),
            changed=_("In version 1, the check did not look at any signs before 4 weeks."),
        ),
        Rule(
            "5",
            "pattern",
            PATTERN_TITLE,
            PATTERN_SAYS,
            PATTERN_WHY,
            ("lee-2011", "chen-2009", "higgins-2019", "bmj-case-2014"),
            codes=("worse_after_increase", "better_after_decrease", "pain_spread", "touch_hurts"),
            examples=(
                ex(dose_change=("raised",), after_increase="worse", pain_spread="yes"),
                ex(touch_hurts="yes"),
                ex(),
            ),
            changed=_("With severe pain, the full pattern now means the next 2 or 3 days."),
        ),
        Rule(
            "6",
            "other-explanations",
            OTHER_TITLE,
            _(
                "A new injury, surgery or illness must be checked first, so the pattern is "
                "never more than some signs. Pain that is worst as a dose wears off can be "
                "withdrawal between doses. Relief that fades after a higher dose can be "
                "tolerance. A lower dose that makes you feel much worse is a taper that can "
                "be paused or slowed. Pain from cancer, from sickle cell disease, or in "
                "hospice care is for your care team to look at. Each of these means talk to "
                "your doctor soon, or in 2 or 3 days with severe pain."
            ),
            _(
                "These look like the pattern but have other causes. A clinician has to rule "
                "them out first. Pain that gets worse after a lower dose counts against the "
                "pattern, so we never point to it then."
            ),
            ("lee-2011", "higgins-2019", "fda-2019", "hhs-2019", "cdc-2022"),
            codes=(
                "health_change",
                "health_change_first",
                "health_change_also_matches",
                "wear_off",
                "wear_off_fits_better",
                "withdrawal_may_add",
                "tolerance",
                "earlier_than_typical",
                "hard_taper",
                "taper_pause",
                "specialist_context",
            ),
            examples=(
                ex(health_change="yes"),
                ex(worst_time="before_next_dose"),
                ex(dose_change=("raised",), after_increase="better_then_back"),
                ex(dose_change=("lowered",), after_decrease="worse"),
                ex(pain_context="yes"),
            ),
            changed=_("Version 2 added the hard taper and pain from cancer or sickle cell."),
        ),
        Rule(
            "7",
            "severe-pain",
            SEVERE_TITLE,
            _(
                "Pain of 7 or more out of 10 on average, or 7 or more across the three "
                "questions about pain and daily life, is severe. Severe pain means talk to "
                "your doctor soon."
            ),
            SEVERE_WHY,
            ("cdc-2022",),
            codes=("severe_pain",),
            examples=(ex(pain_average=7),),
            changed=_("In version 1, severe pain alone meant your next visit."),
        ),
        Rule(
            "8",
            "overdose-risk",
            _("Near overdoses and what adds to the risk"),
            _(
                "If someone found you very hard to wake, or saw your breathing get very slow "
                "or stop, in the past month, we say get help today. If you take medicine for "
                "anxiety or sleep, gabapentin or pregabalin, drink alcohol on most days, have "
                "sleep apnea, or had an overdose before, we say talk to your doctor soon. We "
                "also say not to stop any of these suddenly."
            ),
            _(
                "Each of these, together with opioids, raises the risk of breathing problems. "
                "Stopping some of them suddenly can be dangerous too."
            ),
            ("cdc-2022", "fda-2019"),
            codes=("sedation_episodes", "overdose_risk"),
            examples=(
                ex(sedation_episodes="yes"),
                ex(overdose_risk=("sedative", "alcohol", "past_overdose")),
            ),
            changed=_("New in version 2."),
        ),
        Rule(
            "9",
            "staying-on-treatment",
            _("Treatment for opioid use disorder"),
            _(
                "If you get methadone or buprenorphine from a clinic or program, every result "
                "starts by saying to stay on it. We still look for the pattern."
            ),
            _(
                "Stopping this treatment raises the risk of overdose and death. Your treatment "
                "team can treat your pain while you stay on it."
            ),
            ("cdc-2022",),
            codes=("oud_treatment", "stay_on_treatment"),
            examples=(ex(oud_treatment="yes"),),
            changed=_("New in version 2."),
        ),
        Rule(
            "",
            "taking-more",
            _("Taking more than prescribed"),
            _(
                "If you took more than prescribed, or sometimes can't control how much you "
                "take, we say to talk to your doctor soon. We say that good treatments exist, "
                "and give a free help line. We never use a label."
            ),
            _("Taking more than prescribed raises the risk of an overdose."),
            ("cdc-2022",),
            codes=("overuse",),
            examples=(ex(control="yes"),),
            changed=_("In version 1, this gave a note but did not change how soon."),
        ),
        Rule(
            "",
            "unsure",
            UNSURE_TITLE,
            UNSURE_SAYS,
            UNSURE_WHY,
            (),
            codes=("unsure",),
            examples=(ex(control="prefer_not"),),
        ),
        Rule(
            "",
            "every-result",
            EVERY_RESULT_TITLE,
            _(
                "Every result says that it is not a diagnosis, and not to stop, cut, skip or "
                "raise a dose on your own. Anyone who may take an opioid is told about "
                "naloxone."
            ),
            EVERY_RESULT_WHY,
            ("fda-2019", "hhs-2019", "cdc-2022"),
            codes=("naloxone", "footer"),
        ),
    ),
)

U, P = Urgency, Pattern
VERSION_1 = Rulebook(
    version="1",
    summary=_(
        "Version 1 was the first version of the check. Screenings saved then keep the "
        "answers, the words and the result their patient saw."
    ),
    rules=(
        Rule(
            "1",
            "emergency",
            EMERGENCY_TITLE,
            EMERGENCY_SAYS,
            EMERGENCY_WHY,
            ("fda-2019", "cdc-2022"),
            examples=(
                ex(U.EMERGENCY, P.NOT_ASSESSED, breathing="overdose_signs"),
                ex(U.EMERGENCY, P.NOT_ASSESSED, self_harm="now"),
            ),
        ),
        Rule(
            "2",
            "today",
            TODAY_TITLE,
            _(
                "A new fever, a fall or an injury, or thoughts of ending your life or hurting "
                "yourself in the past few weeks, meant get help today."
            ),
            TODAY_WHY,
            ("cdc-2022",),
            examples=(ex(U.TODAY, P.NO_PATTERN, self_harm="recent", new_symptoms=("fever",)),),
        ),
        Rule(
            "3",
            "who-the-check-is-for",
            WHO_TITLE,
            WHO_SAYS,
            WHO_WHY,
            ("cdc-2022", "fda-2019", "hhs-2019"),
            examples=(
                ex(U.ROUTINE, P.NOT_ASSESSED, opioid_use="no"),
                ex(U.SOON, P.NOT_ASSESSED, opioid_use="stopped_recently"),
            ),
        ),
        Rule(
            "4",
            "too-early",
            _("Less than 4 weeks"),
            _(
                "If you had taken an opioid on most days for less than 4 weeks, the check did "
                "not look for the pattern, and said to raise your pain at your next visit."
            ),
            _("The pattern is more often seen after months of daily use."),
            ("lee-2011",),
            examples=(
                ex(
                    U.NEXT_VISIT,
                    P.NOT_ASSESSED,
                    duration="lt_4_weeks",
                    dose_change=("raised",),
                    after_increase="worse",
                ),
            ),
        ),
        Rule(
            "5",
            "pattern",
            PATTERN_TITLE,
            PATTERN_SAYS,
            PATTERN_WHY,
            ("lee-2011", "chen-2009", "higgins-2019", "bmj-case-2014"),
            examples=(
                ex(
                    U.SOON,
                    P.POSSIBLE_OIH,
                    dose_change=("raised",),
                    after_increase="worse",
                    pain_spread="yes",
                    touch_hurts="yes",
                ),
                ex(U.NEXT_VISIT, P.SOME_FEATURES, touch_hurts="yes"),
                ex(U.ROUTINE, P.NO_PATTERN),
            ),
        ),
        Rule(
            "6",
            "other-explanations",
            OTHER_TITLE,
            _(
                "A new injury, surgery or illness had to be checked first, so the pattern was "
                "never more than some signs. Pain worst as a dose wears off could be "
                "withdrawal between doses. Relief that faded after a higher dose could be "
                "tolerance. A health change or pain as a dose wears off meant talk to your "
                "doctor soon."
            ),
            _(
                "These look like the pattern but have other causes. A clinician has to rule "
                "them out first."
            ),
            ("lee-2011", "higgins-2019"),
            examples=(
                ex(U.SOON, P.NO_PATTERN, worst_time="before_next_dose"),
                ex(
                    U.ROUTINE,
                    P.NO_PATTERN,
                    dose_change=("raised", "took_more"),
                    after_increase="better_then_back",
                ),
            ),
        ),
        Rule(
            "7",
            "severe-pain",
            SEVERE_TITLE,
            _(
                "Pain of 7 or more out of 10 on average, or 7 or more across the three "
                "questions about pain and daily life, meant raise it at your next visit at "
                "the latest."
            ),
            SEVERE_WHY,
            ("cdc-2022",),
            examples=(
                ex(U.NEXT_VISIT, P.NO_PATTERN, pain_average=8, pain_enjoyment=9, pain_activity=9),
            ),
        ),
        Rule(
            "",
            "every-result",
            EVERY_RESULT_TITLE,
            _(
                "Every result said that it is not a diagnosis, and not to change a dose on "
                "your own. Anyone on or recently off opioids was told about naloxone. Taking "
                "more than prescribed, or losing control, gave a note about a free help line."
            ),
            EVERY_RESULT_WHY,
            ("fda-2019", "hhs-2019", "cdc-2022"),
        ),
    ),
)

RULEBOOKS: Mapping[str, Rulebook] = MappingProxyType({"1": VERSION_1, "2": VERSION_2})

# What each pattern means, in a line.
PATTERN_LINES: Mapping[Pattern, Promise] = MappingProxyType(
    {
        Pattern.POSSIBLE_OIH: _("The answers match a pattern worth discussing."),
        Pattern.SOME_FEATURES: _("Some answers match signs worth discussing."),
        Pattern.NO_PATTERN: _("The answers do not match the pattern."),
        Pattern.NOT_ASSESSED: _("The check does not look for the pattern."),
    }
)


@dataclass(frozen=True)
class Outcome:
    urgency: Urgency
    pattern: Pattern
    assessment: Assessment | None = None  # when worked out by the rules in force


def outcome(example: Example, version: str) -> Outcome:
    """What ``version`` of the rules gives for ``example``: asked of ``rules.assess()`` for
    the rules in force, and as recorded for an earlier version."""
    if version == RULES_VERSION:
        assessment = assess(example.answers(version))
        return Outcome(assessment.urgency, assessment.pattern, assessment)
    if example.urgency is None or example.pattern is None:
        raise ValueError(f"an example for version {version} needs its recorded outcome")
    return Outcome(example.urgency, example.pattern)


def given(example: Example, version: str) -> tuple[tuple[str, str], ...]:
    """The example's own answers as (question id, code) pairs, in the questionnaire's order."""
    answers = example.answers(version)
    pairs: list[tuple[str, str]] = []
    for question_id, value in answers.items():
        if question_id not in example.changes:
            continue
        codes = value if isinstance(value, list) else [value]
        pairs += [(question_id, str(code)) for code in codes]
    return tuple(pairs)
