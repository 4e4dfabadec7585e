"""Words for the rules' codes: what the result page and the admin say about an assessment.

The rules return codes; this module and the note templates (``templates/screening/notes/``)
turn them into plain language. Answers are quoted with the questionnaire's own wording.
Nothing here diagnoses, names a dose change, or labels anyone (CLINICAL.md, "Never say").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from screening import questionnaire
from screening.rules import Assessment, Finding, Note, Pattern, Reason, Urgency

HEADLINES: Mapping[Urgency, Promise] = {
    Urgency.EMERGENCY: _("Get emergency help now"),
    Urgency.TODAY: _("Get help today"),
    Urgency.SOON: _("Talk to your doctor soon, within about 2 weeks"),
    Urgency.NEXT_VISIT: _("Talk about this at your next visit"),
    Urgency.ROUTINE: _("Keep talking with your care team about your pain"),
}

# CLINICAL.md, rule 5: "soon" is about two weeks, sooner if the pain is severe.
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
    Finding.SEVERE_PAIN: _("You rated your pain as severe."),
    Finding.UNSURE: _(
        "You were not sure about some answers, or chose not to say. The check counted "
        "those as 'no'."
    ),
}


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
}


# Where two notes send the reader further, in the same form.
NOTE_READ_MORE: Mapping[Note, tuple[str, str]] = {
    Note.NALOXONE: ("changing-opioid-doses-safely", "naloxone-can-save-a-life"),
    Note.OVERUSE: ("getting-help", "confidential-help-with-opioid-use"),
}


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


def quotes(evidence: tuple[tuple[str, str], ...]) -> list[Quote]:
    """The questions and answers behind a finding, in the words the person saw."""
    result = []
    for question_id, code in evidence:
        question = questionnaire.get(question_id)
        if question is None:
            continue
        value: object = int(code) if question.kind is questionnaire.Kind.SCALE else code
        result.append(Quote(str(question.text), ", ".join(question.answer_labels(value))))
    return result


def explain(reason: Reason) -> Explanation:
    return Explanation(
        reason.finding,
        str(FINDING_SENTENCES[reason.finding]),
        quotes(reason.evidence),
        read_more_url(reason.finding),
    )


def explanations(assessment: Assessment) -> list[Explanation]:
    return [explain(reason) for reason in assessment.findings]
