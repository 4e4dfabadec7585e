"""Words for the rules' codes: what the result page and the admin say about an assessment.

The rules return codes; this module and the note templates (``templates/screening/notes/``)
turn them into plain language. Answers are quoted with the questionnaire's own wording.
Nothing here diagnoses, names a dose change, or labels anyone (CLINICAL.md, "Never say").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.template.loader import get_template
from django.urls import reverse
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from education.pinned import Link
from screening import questionnaire
from screening.rules import RULES_VERSION, Assessment, Finding, Note, Pattern, Reason, Urgency

HEADLINES: Mapping[Urgency, Promise] = {
    Urgency.EMERGENCY: _("Get emergency help now"),
    Urgency.TODAY: _("Get help today"),
    Urgency.DAYS: _("Talk to your doctor in the next 2 or 3 days"),
    Urgency.SOON: _("Talk to your doctor soon, within about 2 weeks"),
    Urgency.NEXT_VISIT: _("Talk about this at your next visit"),
    Urgency.ROUTINE: _("Keep talking with your care team about your pain"),
}

# CLINICAL.md, rule 5: "soon" is about two weeks, sooner if the pain is severe (in version 2,
# severe pain with the full pattern, a hard taper or specialist care is "days" instead).
SOONER_HEADLINE = _("Talk to your doctor soon. Your pain is severe, so try not to wait 2 weeks.")


def headline(assessment: Assessment) -> Promise:
    """The result's first line: how soon to talk to someone about it."""
    if assessment.urgency is Urgency.SOON and assessment.has(Finding.SEVERE_PAIN):
        return SOONER_HEADLINE
    return HEADLINES[assessment.urgency]


PATTERN_SUMMARIES: Mapping[Pattern, Promise] = {
    Pattern.POSSIBLE_OIH: _(
        "Your answers match a pattern worth discussing with your doctor. Some of what you "
        "describe is also seen in opioid-induced hyperalgesia (OIH). That is when long-term "
        "opioid use makes the body more sensitive to pain. This check can't tell what is "
        "behind your pain. Only a clinician can, after looking at other causes first."
    ),
    Pattern.SOME_FEATURES: _(
        "Some of your answers match features worth discussing with your doctor. This check "
        "can't tell what is behind your pain. A clinician can look at it with you."
    ),
    Pattern.NO_PATTERN: _(
        "Your answers do not match the pattern this check looks for. Your pain is still "
        "real. If it changes or is hard to manage, it is worth talking about with your "
        "care team."
    ),
    Pattern.NOT_ASSESSED: _("This check did not look for the pattern, for the reason below."),
}

FINDING_SENTENCES: Mapping[Finding, Promise] = {
    Finding.OVERDOSE_SIGNS: _("You said there are signs of an overdose right now."),
    Finding.OVERSEDATED: _("You said the person is much sleepier than usual or confused."),
    Finding.SELF_HARM_NOW: _("You said you have thoughts of ending your life now."),
    Finding.NERVE_OR_HEART_SIGNS: _("You said you have a new sign that needs care right away."),
    Finding.SELF_HARM_RECENT: _(
        "You said you had thoughts of ending your life or hurting yourself in the past few weeks."
    ),
    Finding.FEVER_OR_FALL: _("You said you have a new fever, or had a fall or an injury."),
    Finding.NOT_DAILY_USE: _(
        "This check is made for people who take an opioid on most days. Your answer did not "
        "say that you do."
    ),
    Finding.STOPPED_RECENTLY: _("You said you stopped taking an opioid in the last month."),
    Finding.TOO_EARLY: _(
        "You said you have taken it on most days for less than 4 weeks. That is too soon "
        "for this check to look for the pattern."
    ),
    Finding.WORSE_AFTER_INCREASE: _("You said your pain got worse after your dose went up."),
    Finding.BETTER_AFTER_DECREASE: _("You said your pain got better after your dose went down."),
    Finding.PAIN_SPREAD: _("You said your pain has spread to new places or feels all over."),
    Finding.TOUCH_HURTS: _("You said things that never used to hurt now hurt you."),
    Finding.HEALTH_CHANGE: _(
        "You said you had a new injury, surgery or illness, or an illness got worse. "
        "That needs to be checked first."
    ),
    Finding.WEAR_OFF: _(
        "You said your pain is worst when a dose is wearing off or was late, missed or lower. "
        "This can happen when the body goes into withdrawal between doses."
    ),
    Finding.TOLERANCE: _(
        "You said a higher dose helped only for a while, or not at all. This can happen when "
        "the body gets used to a dose. That is called tolerance."
    ),
    Finding.HARD_TAPER: _(
        "You said your dose was lowered, and since then you have felt much worse. A dose cut "
        "that makes you feel this way needs a talk with your prescriber."
    ),
    Finding.SPECIALIST_CONTEXT: _(
        "You said your pain is from cancer or sickle cell disease, or that you get hospice "
        "or comfort care. This check was not made for that kind of pain."
    ),
    Finding.SEVERE_PAIN: _("You rated your pain as severe."),
    Finding.SEDATION_EPISODES: _(
        "You said that in the past month someone found you very hard to wake, or saw your "
        "breathing get very slow or stop. That can be a sign of a near overdose."
    ),
    Finding.OVERDOSE_RISK: _(
        "You said some things apply to you that, together with opioids, raise the risk of "
        "breathing problems."
    ),
    Finding.OUD_TREATMENT: _(
        "You said you get methadone or buprenorphine as treatment. It comes from a clinic or "
        "program."
    ),
    Finding.UNSURE: _(
        "You were not sure about some answers, or chose not to say. The check counted "
        "those as 'no'."
    ),
}


# The same findings as a clinician reads them in the admin: terms, not "You said".
CLINICIAN_FINDINGS: Mapping[Finding, Promise] = {
    Finding.OVERDOSE_SIGNS: _("Signs of overdose now"),
    Finding.OVERSEDATED: _("Oversedated now (much sleepier, confused or slurring)"),
    Finding.SELF_HARM_NOW: _("Thoughts of suicide or self-harm now"),
    Finding.NERVE_OR_HEART_SIGNS: _("New neurological, cardiac or respiratory red flag"),
    Finding.SELF_HARM_RECENT: _("Thoughts of suicide or self-harm in recent weeks"),
    Finding.FEVER_OR_FALL: _("New fever, fall or injury"),
    Finding.NOT_DAILY_USE: _("Not on opioids most days: pattern not assessed"),
    Finding.STOPPED_RECENTLY: _("Stopped opioids in the last month: pattern not assessed"),
    Finding.TOO_EARLY: _("Under 4 weeks of daily use"),
    Finding.WORSE_AFTER_INCREASE: _("Pain worse after dose increase"),
    Finding.BETTER_AFTER_DECREASE: _("Pain better after dose decrease"),
    Finding.PAIN_SPREAD: _("Pain spread or diffuse"),
    Finding.TOUCH_HURTS: _("Allodynia (things that never hurt now hurt)"),
    Finding.HEALTH_CHANGE: _("New injury, surgery or illness, or worsening illness"),
    Finding.WEAR_OFF: _("Pain worst as doses wear off (withdrawal between doses)"),
    Finding.TOLERANCE: _("Relief faded after increase, or none (tolerance)"),
    Finding.HARD_TAPER: _("Much worse since dose lowered (hard taper)"),
    Finding.SPECIALIST_CONTEXT: _("Cancer, sickle cell, hospice or palliative pain"),
    Finding.SEVERE_PAIN: _("Severe pain (average or mean of three 7 or more)"),
    Finding.SEDATION_EPISODES: _("Near-miss overdose in the past month"),
    Finding.OVERDOSE_RISK: _("Overdose risk factors"),
    Finding.OUD_TREATMENT: _("In methadone or buprenorphine treatment for OUD"),
    Finding.UNSURE: _("Answers unsure or not given (counted as no)"),
}


@dataclass(frozen=True)
class ClinicalFinding:
    """A finding for the admin: its clinical name and the answers as codes and words."""

    name: str
    codes: str  # "after_increase=worse"
    quotes: list[Quote]


def clinical(reason: Reason, version: str) -> ClinicalFinding:
    codes = ", ".join(f"{question_id}={code}" for question_id, code in reason.evidence)
    return ClinicalFinding(
        str(CLINICIAN_FINDINGS[reason.finding]), codes, quotes(reason.evidence, version)
    )


# Where each finding is explained: (article slug, heading anchor) in the education app.
MAIN_ARTICLE = "opioid-induced-hyperalgesia"
READ_MORE: Mapping[Finding, tuple[str, str]] = {
    Finding.SELF_HARM_RECENT: ("getting-help", "if-you-are-thinking-about-hurting-yourself"),
    Finding.FEVER_OR_FALL: ("getting-help", "get-medical-help-today-if"),
    Finding.NOT_DAILY_USE: ("pain-care-beyond-opioids", "start-with-a-full-pain-evaluation"),
    Finding.STOPPED_RECENTLY: ("changing-opioid-doses-safely", "why-an-old-dose-can-become-unsafe"),
    Finding.TOO_EARLY: (MAIN_ARTICLE, "signs-of-oih"),
    Finding.WORSE_AFTER_INCREASE: (MAIN_ARTICLE, "signs-of-oih"),
    Finding.BETTER_AFTER_DECREASE: (MAIN_ARTICLE, "the-good-news"),
    Finding.PAIN_SPREAD: (MAIN_ARTICLE, "signs-of-oih"),
    Finding.TOUCH_HURTS: (MAIN_ARTICLE, "signs-of-oih"),
    Finding.HEALTH_CHANGE: (MAIN_ARTICLE, "a-new-injury-or-illness"),
    Finding.WEAR_OFF: (MAIN_ARTICLE, "withdrawal-between-doses"),
    Finding.TOLERANCE: (MAIN_ARTICLE, "tolerance"),
    Finding.SEVERE_PAIN: ("pain-care-beyond-opioids", "start-with-a-full-pain-evaluation"),
    Finding.HARD_TAPER: ("changing-opioid-doses-safely", "if-a-lower-dose-makes-you-feel-worse"),
    Finding.SPECIALIST_CONTEXT: (MAIN_ARTICLE, "when-this-check-does-not-fit"),
    Finding.SEDATION_EPISODES: ("changing-opioid-doses-safely", "signs-of-a-near-overdose"),
    Finding.OVERDOSE_RISK: ("changing-opioid-doses-safely", "medicines-that-add-to-the-risk"),
    Finding.OUD_TREATMENT: ("getting-help", "if-you-are-in-treatment-for-opioid-use"),
}


# Where notes send the reader further, in the same form.
NOTE_READ_MORE: Mapping[Note, tuple[str, str]] = {
    Note.NALOXONE: ("changing-opioid-doses-safely", "naloxone-can-save-a-life"),
    Note.OVERUSE: ("getting-help", "confidential-help-with-opioid-use"),
    Note.MEANS_SAFETY: ("getting-help", "if-you-are-thinking-about-hurting-yourself"),
    Note.TAPER_PAUSE: ("changing-opioid-doses-safely", "if-a-lower-dose-makes-you-feel-worse"),
    Note.SEDATION_EPISODES: ("changing-opioid-doses-safely", "signs-of-a-near-overdose"),
    Note.OVERDOSE_RISK: ("changing-opioid-doses-safely", "medicines-that-add-to-the-risk"),
    Note.STAY_ON_TREATMENT: ("getting-help", "if-you-are-in-treatment-for-opioid-use"),
    Note.SPECIALIST_CONTEXT: (MAIN_ARTICLE, "when-this-check-does-not-fit"),
}


def doctor_points(assessment: Assessment) -> list[Promise]:
    """Points to raise with the doctor, following the findings and notes (CLINICAL.md v2).

    With a hard taper, the point about OIH gives way to asking about the taper: worse pain
    after a dose cut counts against OIH.
    """
    points = []
    if Note.STAY_ON_TREATMENT in assessment.notes:
        points.append(
            _(
                "Tell them about your pain. Ask how it can be treated while you stay on "
                "your treatment."
            )
        )
    points += [
        _("How your pain has changed, and when it is worst."),
        _("Every medicine you take, with the amounts, including any you buy yourself."),
    ]
    if assessment.has(Finding.SEDATION_EPISODES):
        points.append(_("Tell them about the times you were hard to wake."))
    if assessment.has(Finding.OVERDOSE_RISK):
        points.append(_("Ask whether your medicines are safe together."))
    if assessment.has(Finding.HARD_TAPER):
        points.append(_("Ask whether the taper can be paused or slowed."))
    elif assessment.pattern in (Pattern.POSSIBLE_OIH, Pattern.SOME_FEATURES):
        points.append(
            _(
                "Ask whether opioid-induced hyperalgesia could play a part, and what else "
                "could explain your pain."
            )
        )
    points.append(
        _("Ask about other kinds of pain care, like physical therapy, exercise or other medicines.")
    )
    if Note.NALOXONE in assessment.notes:
        points.append(_("Ask about naloxone."))
    return points


def _note_words(code: str) -> str:
    """A note's template as written: the words it shows, before translation."""
    return get_template(f"screening/notes/{code}.html").template.source


# Read when first needed, not while the site starts.
_lazy_note_words = lazy(_note_words, str)


def article_links() -> list[tuple[str, str, Link]]:
    """Every link from the result page into an article: (slug, anchor, what links there)."""
    found = [
        (slug, anchor, Link(anchor, "finding", code.value, FINDING_SENTENCES[code], RULES_VERSION))
        for code, (slug, anchor) in READ_MORE.items()
    ]
    found += [
        (
            slug,
            anchor,
            Link(anchor, "note", code.value, _lazy_note_words(code.value), RULES_VERSION),
        )
        for code, (slug, anchor) in NOTE_READ_MORE.items()
    ]
    return found


def read_more_links() -> set[tuple[str, str]]:
    """Every (article slug, heading anchor) the result page links to."""
    return {*READ_MORE.values(), *NOTE_READ_MORE.values()}


def article_url(slug: str, anchor: str) -> str:
    return f"{reverse('education:article', args=[slug])}#{anchor}"


def read_more_url(finding: Finding) -> str | None:
    if finding not in READ_MORE:
        return None
    return article_url(*READ_MORE[finding])


def listed_notes(assessment: Assessment) -> list[Note]:
    """The notes shown in a list under the findings; the footer closes every result apart."""
    return [note for note in assessment.notes if note is not Note.FOOTER]


def note_links(notes: Iterable[Note]) -> dict[str, str]:
    """The "read more" address of each of these notes that has one, by note code."""
    return {
        note.value: article_url(*NOTE_READ_MORE[note]) for note in notes if note in NOTE_READ_MORE
    }


@dataclass(frozen=True)
class Quote:
    question: str
    answer: str


@dataclass(frozen=True)
class Explanation:
    finding: Finding
    sentence: str
    quotes: list[Quote]
    read_more_url: str | None


def quotes(
    evidence: tuple[tuple[str, str], ...], version: str = questionnaire.QUESTIONNAIRE_VERSION
) -> list[Quote]:
    """The questions and answers behind a finding, in the words the person saw.

    Several ticks of one question make one quote.
    """
    by_question: dict[str, list[str]] = {}
    for question_id, code in evidence:
        by_question.setdefault(question_id, []).append(code)
    result = []
    for question_id, codes in by_question.items():
        question = questionnaire.get(question_id)
        if question is None:
            continue
        value: object = int(codes[0]) if question.kind is questionnaire.Kind.SCALE else codes
        answer = "; ".join(question.answer_labels(value, version))
        result.append(Quote(str(question.text_in(version)), answer))
    return result


def explain(reason: Reason, version: str = questionnaire.QUESTIONNAIRE_VERSION) -> Explanation:
    """A finding in words, with the answers behind it as the questionnaire ``version`` put
    them."""
    return Explanation(
        reason.finding,
        str(FINDING_SENTENCES[reason.finding]),
        quotes(reason.evidence, version),
        read_more_url(reason.finding),
    )


def explanations(assessment: Assessment) -> list[Explanation]:
    return [explain(reason) for reason in assessment.findings]


# --- The first screen: how soon, in words as well as colour ------------------------------

URGENCY_LABELS: Mapping[Urgency, Promise] = {
    Urgency.EMERGENCY: _("Emergency: now"),
    Urgency.TODAY: _("Urgent: today"),
    Urgency.DAYS: _("Soon: in 2 or 3 days"),
    Urgency.SOON: _("Soon: within 2 weeks"),
    Urgency.NEXT_VISIT: _("At your next visit"),
    Urgency.ROUTINE: _("At your usual visits"),
}

# Who to talk to, most fitting first: the treatment team for someone in treatment for opioid
# use (CLINICAL.md rule 9), the team that treats cancer or sickle cell pain, else the
# prescriber (or, when the check did not apply, any clinician who knows the pain).
CONTACTS: Mapping[str, Promise] = {
    "treatment_team": _("Your treatment team at the clinic or program."),
    "specialist_team": _(
        "The care team that treats your cancer or sickle cell pain, or your hospice or "
        "comfort care team."
    ),
    "prescriber": _("The person who prescribes your opioid pain medicine."),
    "clinician": _("A doctor or nurse who knows about your pain."),
}


def contact(assessment: Assessment) -> Promise:
    """Whom the result asks the person to talk to."""
    if Note.STAY_ON_TREATMENT in assessment.notes:
        return CONTACTS["treatment_team"]
    if assessment.has(Finding.SPECIALIST_CONTEXT):
        return CONTACTS["specialist_team"]
    if assessment.has(Finding.NOT_DAILY_USE):
        return CONTACTS["clinician"]
    return CONTACTS["prescriber"]


# The notes that ask the person to act, or to tell the prescriber, come first; then those
# that explain; naloxone last, unless a near overdose makes it the point (CLINICAL.md v2,
# rule 8). The treatment note always leads (rule 9).
_ACT_FIRST = (
    Note.STAY_ON_TREATMENT,
    Note.MEANS_SAFETY,
    Note.SEDATION_EPISODES,
    Note.TAPER_PAUSE,
    Note.OVERDOSE_RISK,
    Note.OVERUSE,
    Note.RESTART_DANGER,
)


def ordered_notes(assessment: Assessment) -> list[Note]:
    """The listed notes in the order that matters for this person (footer apart)."""
    notes = listed_notes(assessment)
    naloxone_is_the_point = Note.SEDATION_EPISODES in notes

    def rank(note: Note) -> tuple[int, int]:
        if note in _ACT_FIRST:
            return (0, _ACT_FIRST.index(note))
        if note is Note.NALOXONE:
            if naloxone_is_the_point:
                return (0, _ACT_FIRST.index(Note.SEDATION_EPISODES))
            return (2, 0)
        return (1, list(Note).index(note))

    # sorted() is stable: naloxone after a near overdose follows that note.
    return sorted(notes, key=rank)


# --- Why a "no pattern" result says so ----------------------------------------------------

# The answers that would make up the pattern (CLINICAL.md rule 5): kept with a no-pattern
# result (never in a URL) so the page can say which of them counted against it.
PATTERN_QUESTIONS = ("after_increase", "after_decrease", "pain_spread", "touch_hurts")

AGAINST_PATTERN: Mapping[tuple[str, str], Promise] = {
    ("after_increase", "better_stayed"): _(
        "You said your pain got better after your dose went up."
    ),
    ("after_increase", "better_then_back"): _(
        "You said your pain did not get worse after your dose went up."
    ),
    ("after_increase", "no_change"): _(
        "You said your pain did not get worse after your dose went up."
    ),
    ("after_decrease", "no_change"): _(
        "You said your pain did not get better after your dose went down."
    ),
    ("after_decrease", "worse"): _(
        "You said your pain did not get better after your dose went down."
    ),
    ("pain_spread", "no"): _("You said your pain did not spread to new places."),
    ("pain_spread", "unsure"): _("You were not sure if your pain spread to new places."),
    ("touch_hurts", "no"): _("You said things that never hurt before do not hurt you now."),
    ("touch_hurts", "unsure"): _(
        "You were not sure if things that never hurt before now hurt you."
    ),
}
NO_DOSE_CHANGE = _(
    "You did not say that your dose went up or down, so the check could not see how your "
    "pain changes with your dose."
)


def pattern_answers(answers: Mapping[str, object]) -> dict[str, str]:
    """The few answers a no-pattern result explains itself with."""
    return {
        question_id: answers[question_id]
        for question_id in PATTERN_QUESTIONS
        if isinstance(answers.get(question_id), str)
    }


def against_pattern(kept: Mapping[str, str]) -> list[Promise]:
    """What the person said that counts against the pattern, in their answers' order."""
    sentences = []
    if "after_increase" not in kept and "after_decrease" not in kept:
        sentences.append(NO_DOSE_CHANGE)
    for question_id in PATTERN_QUESTIONS:
        sentence = AGAINST_PATTERN.get((question_id, kept.get(question_id, "")))
        if sentence is not None and sentence not in sentences:
            sentences.append(sentence)
    return sentences
