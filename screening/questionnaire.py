"""The questions of the self-check, as data: the one definition everything else reads.

Question ids and answer codes are CLINICAL.md's "Questionnaire v1" as changed by "Version
2", and never change meaning: they are form field names, input values, the keys of stored
answers and FHIR linkIds. The wording may be improved as long as the meaning stays the same;
any change of meaning needs a new ``QUESTIONNAIRE_VERSION``, and the wording an earlier
version used stays here (``earlier_text``, ``earlier_label``), so that a screening stored
under it is read back in the words its patient saw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

QUESTIONNAIRE_VERSION = "2"
VERSIONS = ("1", "2")


class Kind(StrEnum):
    ONE = "one"  # pick one
    MULTI = "multi"  # tick all that apply
    SCALE = "scale"  # a whole number from 0 to 10


@dataclass(frozen=True)
class Choice:
    code: str
    label: Promise
    hint: Promise | str = ""
    # (version, label): the wording an earlier version of the questionnaire used.
    earlier_label: tuple[tuple[str, Promise], ...] = ()

    def label_in(self, version: str) -> Promise:
        return dict(self.earlier_label).get(version, self.label)


@dataclass(frozen=True)
class ShownIf:
    """The question is shown only when ``question_id`` was answered with one of ``codes``."""

    question_id: str
    codes: frozenset[str]

    def holds(self, answers: Mapping[str, object]) -> bool:
        value = answers.get(self.question_id)
        if isinstance(value, list | tuple):
            return bool(self.codes.intersection(value))
        return value in self.codes


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    text: Promise
    # The question in a clinician's words, a few of them: the printout for the doctor lists
    # every answer beside it, to fit one page.
    short: Promise | str = ""
    hint: Promise | str = ""
    choices: tuple[Choice, ...] = ()
    # In a multi-choice question, codes that cannot be ticked together with any other.
    exclusive: frozenset[str] = frozenset()
    shown_if: tuple[ShownIf, ...] = ()
    # The labels of the two ends of a 0-10 scale.
    scale_low: Promise | str = ""
    scale_high: Promise | str = ""
    # Whether answering it can end the check at once (CLINICAL.md rule 1).
    safety: bool = False
    # The questionnaire version that first asked it.
    since: str = "1"
    # (version, text): the wording an earlier version of the questionnaire used.
    earlier_text: tuple[tuple[str, Promise], ...] = ()

    def asked_in(self, version: str) -> bool:
        return int(self.since) <= int(version)

    def text_in(self, version: str) -> Promise:
        return dict(self.earlier_text).get(version, self.text)

    def is_shown(self, answers: Mapping[str, object]) -> bool:
        # A loop, not all() over a generator: this runs for every question on every page.
        for condition in self.shown_if:  # noqa: SIM110
            if not condition.holds(answers):
                return False
        return True

    def choice(self, code: str) -> Choice | None:
        return next((choice for choice in self.choices if choice.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(choice.code for choice in self.choices)

    @property
    def help_text(self) -> Promise | str:
        """The line under the question: its hint, or what the two ends of a scale mean."""
        if self.kind is Kind.SCALE:
            return format_lazy("{}; {}", self.scale_low, self.scale_high)
        return self.hint

    def answer_labels(self, value: object, version: str = QUESTIONNAIRE_VERSION) -> list[str]:
        """The wording of an answer as the person saw it, one item per ticked choice."""
        if self.kind is Kind.SCALE:
            return [str(value)]
        values = value if isinstance(value, list | tuple) else [value]
        chosen = [self.choice(code) for code in values]
        return [str(choice.label_in(version)) for choice in chosen if choice]


SCALE_MIN, SCALE_MAX = 0, 10

_DAILY_USE = ShownIf("opioid_use", frozenset({"most_days"}))
# Anyone who may be on an opioid now is asked about treatment for opioid use disorder.
_MAY_USE = ShownIf("opioid_use", frozenset({"most_days", "sometimes", "unsure"}))

_YES_NO_UNSURE = (
    Choice("yes", _("Yes")),
    Choice("no", _("No")),
    Choice("unsure", _("I'm not sure")),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        id="breathing",
        short=_("Overdose or oversedation signs now"),
        kind=Kind.ONE,
        safety=True,
        # One question, to "you": the signs are in the answers, and the hint covers someone
        # answering for the person (issue 17). The same meaning as the words before it.
        text=_("Right now, do you have any of these signs?"),
        earlier_text=(
            (
                "1",
                _(
                    "Right now, is the person who takes the opioid very hard to wake up, "
                    "breathing very slowly, or do they have blue or gray lips? "
                    "Or are they much sleepier than usual, confused, or slurring their words?"
                ),
            ),
        ),
        hint=_("If you are filling this in for someone who takes an opioid, answer about them."),
        choices=(
            Choice(
                "overdose_signs",
                _("Yes: very hard to wake, very slow breathing, or blue or gray lips"),
            ),
            Choice("oversedated", _("Yes: much sleepier than usual, confused, or slurring")),
            Choice("no", _("No, none of these")),
        ),
    ),
    Question(
        id="self_harm",
        short=_("Thoughts of suicide or self-harm"),
        kind=Kind.ONE,
        safety=True,
        text=_("Have you had thoughts of ending your life or hurting yourself?"),
        hint=_("Many people in long-term pain have these thoughts. You are not alone."),
        choices=(
            Choice("now", _("Yes, I have these thoughts now")),
            Choice("recent", _("Yes, in the past few weeks, but not now")),
            Choice("no", _("No")),
        ),
    ),
    Question(
        id="new_symptoms",
        short=_("New with the pain"),
        kind=Kind.MULTI,
        safety=True,
        text=_("Is any of this new, along with your pain?"),
        hint=_("Tick all that apply."),
        choices=(
            Choice("limb_weakness", _("Weakness in an arm or a leg")),
            Choice("bladder_bowel", _("Trouble controlling your bladder or bowels")),
            Choice(
                "saddle_numbness",
                _("Numbness between your legs or around your bottom"),
            ),
            Choice("chest_breathing", _("Chest pain or trouble breathing")),
            Choice(
                "fever",
                _("A fever in the last few days"),
                earlier_label=(("1", _("A fever")),),
            ),
            Choice(
                "fall_injury",
                _("A fall or an injury in the last few days"),
                earlier_label=(("1", _("A fall or an injury")),),
            ),
            Choice("none", _("None of these")),
        ),
        exclusive=frozenset({"none"}),
    ),
    Question(
        id="opioid_use",
        short=_("Opioid on most days"),
        kind=Kind.ONE,
        text=_("Do you take an opioid pain medicine on most days?"),
        # The drug names are long words: short sentences around them keep the hint at
        # reading grade 8 (tests/screening/test_readability.py).
        hint=_(
            "An opioid is a strong pain medicine. It may be a pill, a patch or an injection. "
            "Here are some of them: morphine, codeine, tramadol, oxycodone, hydrocodone, "
            "fentanyl, methadone, tapentadol, buprenorphine and hydromorphone."
        ),
        choices=(
            Choice("most_days", _("Yes, on most days")),
            Choice("sometimes", _("Only sometimes")),
            Choice("stopped_recently", _("I stopped in the last month")),
            Choice("no", _("No")),
            Choice("unsure", _("I'm not sure")),
        ),
    ),
    Question(
        id="oud_treatment",
        short=_("Methadone or buprenorphine for OUD"),
        kind=Kind.ONE,
        since="2",
        shown_if=(_MAY_USE,),
        text=_(
            "Do you get treatment for opioid use disorder from a clinic or program? We mean "
            "methadone or buprenorphine (like Suboxone)."
        ),
        hint=_("This is private. Your answer helps us give you safe advice."),
        choices=_YES_NO_UNSURE,
    ),
    Question(
        id="duration",
        short=_("Daily use for"),
        kind=Kind.ONE,
        shown_if=(_DAILY_USE,),
        text=_("How long have you taken it on most days?"),
        choices=(
            Choice("lt_4_weeks", _("Less than 4 weeks")),
            Choice("1_to_3_months", _("1 to 3 months")),
            Choice("gt_3_months", _("More than 3 months")),
            Choice("unsure", _("I'm not sure")),
        ),
    ),
    Question(
        id="pain_context",
        short=_("Cancer, sickle cell, hospice or palliative"),
        kind=Kind.ONE,
        since="2",
        shown_if=(_DAILY_USE,),
        text=_(
            "Is your pain from cancer or its treatment, or from sickle cell disease? Or are "
            "you getting hospice or palliative (comfort) care?"
        ),
        choices=_YES_NO_UNSURE,
    ),
    Question(
        id="dose_change",
        short=_("Dose change, last 6 months"),
        kind=Kind.MULTI,
        shown_if=(_DAILY_USE,),
        text=_("In the last 6 months, how has the amount you take changed?"),
        earlier_text=(("1", _("In the last 3 months, how has the amount you take changed?")),),
        hint=_("Tick all that apply."),
        choices=(
            Choice("raised", _("My dose was raised")),
            Choice("took_more", _("I took more than prescribed")),
            Choice("lowered", _("My dose was lowered")),
            Choice("no_change", _("It has not changed")),
            Choice("unsure", _("I'm not sure")),
        ),
        exclusive=frozenset({"no_change", "unsure"}),
    ),
    Question(
        id="after_increase",
        short=_("Pain after dose increase"),
        kind=Kind.ONE,
        shown_if=(_DAILY_USE, ShownIf("dose_change", frozenset({"raised", "took_more"}))),
        text=_("After the dose went up, what happened to your pain?"),
        choices=(
            Choice("better_stayed", _("It got better and stayed better")),
            Choice("better_then_back", _("It got better for a while, then came back")),
            Choice("no_change", _("It did not change")),
            Choice("worse", _("It got worse")),
        ),
    ),
    Question(
        id="after_decrease",
        short=_("Pain after dose decrease"),
        kind=Kind.ONE,
        shown_if=(_DAILY_USE, ShownIf("dose_change", frozenset({"lowered"}))),
        text=_("After the dose went down, what happened to your pain?"),
        choices=(
            Choice("better", _("It got better")),
            Choice("no_change", _("It did not change")),
            Choice("worse", _("It got worse")),
        ),
    ),
    Question(
        id="pain_spread",
        short=_("Pain spread or diffuse"),
        kind=Kind.ONE,
        shown_if=(_DAILY_USE,),
        text=_(
            "Since you started taking it, has your pain spread to new places, "
            "or does it feel like it is all over?"
        ),
        choices=_YES_NO_UNSURE,
    ),
    Question(
        id="touch_hurts",
        short=_("Allodynia"),
        kind=Kind.ONE,
        shown_if=(_DAILY_USE,),
        text=_("Do things that never used to hurt now hurt you?"),
        hint=_("For example a light touch, your clothes, bed sheets, a shower or a hug."),
        choices=_YES_NO_UNSURE,
    ),
    Question(
        id="worst_time",
        short=_("Pain worst"),
        kind=Kind.ONE,
        shown_if=(_DAILY_USE,),
        text=_("When is your pain at its worst?"),
        choices=(
            Choice("steady", _("It is about the same all the time")),
            Choice("before_next_dose", _("Just before my next dose is due")),
            Choice("missed_or_lowered", _("After a late or missed dose, or a lower dose")),
            Choice("no_pattern", _("There is no clear pattern")),
        ),
    ),
    Question(
        id="withdrawal_signs",
        short=_("Withdrawal signs when pain is worse"),
        kind=Kind.ONE,
        shown_if=(_DAILY_USE,),
        text=_(
            "When your pain is worse, do you also yawn a lot? Or do you get a runny nose, "
            "sweats, goosebumps, an upset stomach, or feel restless?"
        ),
        earlier_text=(
            (
                "1",
                _(
                    "When your pain is worse, do you also yawn a lot, or have a runny nose, "
                    "sweating, goosebumps, an upset stomach or restlessness?"
                ),
            ),
        ),
        choices=_YES_NO_UNSURE,
    ),
    Question(
        id="sedation_episodes",
        short=_("Hard to wake or slow breathing, past month"),
        kind=Kind.ONE,
        since="2",
        shown_if=(_DAILY_USE,),
        text=_(
            "In the past month, has anyone found you very hard to wake up after your "
            "medicine? Or seen your breathing get very slow, stop for a while, or turn into "
            "loud snoring with gasps?"
        ),
        choices=_YES_NO_UNSURE,
    ),
    Question(
        id="overdose_risk",
        short=_("Overdose risk factors"),
        kind=Kind.MULTI,
        since="2",
        shown_if=(_DAILY_USE,),
        text=_("Do any of these apply to you?"),
        hint=_("Tick all that apply. Each of these can make opioids more dangerous."),
        choices=(
            Choice(
                "sedative",
                _(
                    "I take a medicine for anxiety or sleep, like alprazolam, diazepam, "
                    "lorazepam, clonazepam or zolpidem"
                ),
            ),
            Choice("gabapentinoid", _("I take gabapentin or pregabalin")),
            Choice("alcohol", _("I drink alcohol on most days")),
            Choice(
                "sleep_apnea",
                _("I have sleep apnea, or I was told I stop breathing in my sleep"),
            ),
            Choice("past_overdose", _("I have had an overdose before")),
            Choice("none", _("None of these")),
            Choice("unsure", _("I'm not sure")),
        ),
        exclusive=frozenset({"none"}),
    ),
    Question(
        id="health_change",
        short=_("New injury, surgery or illness, last 3 months"),
        kind=Kind.ONE,
        shown_if=(_DAILY_USE,),
        text=_(
            "In the last 3 months, have you had a new injury, surgery or illness? Or were "
            "you told that an illness got worse?"
        ),
        earlier_text=(
            (
                "1",
                _(
                    "In the last 3 months, have you had a new injury, surgery or illness, "
                    "or been told that an illness got worse?"
                ),
            ),
        ),
        choices=_YES_NO_UNSURE,
    ),
    Question(
        id="control",
        short=_("Loss of control or cravings"),
        kind=Kind.ONE,
        shown_if=(_DAILY_USE,),
        text=_(
            "Are there times when you can't control how much you take, "
            "or when you have strong cravings for it?"
        ),
        hint=_("This is private. Your answer helps your care team keep you safe."),
        choices=(
            Choice("yes", _("Yes")),
            Choice("no", _("No")),
            Choice("prefer_not", _("I'd rather not say")),
        ),
    ),
    Question(
        id="pain_average",
        short=_("Average pain, past week (0-10)"),
        kind=Kind.SCALE,
        shown_if=(_DAILY_USE,),
        text=_("In the past week, how bad was your pain on average?"),
        scale_low=_("0 = no pain"),
        scale_high=_("10 = pain as bad as you can imagine"),
    ),
    Question(
        id="pain_enjoyment",
        short=_("Pain interfering with enjoyment (0-10)"),
        kind=Kind.SCALE,
        shown_if=(_DAILY_USE,),
        text=_("In the past week, how much did pain get in the way of enjoying life?"),
        scale_low=_("0 = not at all"),
        scale_high=_("10 = completely"),
    ),
    Question(
        id="pain_activity",
        short=_("Pain interfering with activity (0-10)"),
        kind=Kind.SCALE,
        shown_if=(_DAILY_USE,),
        text=_("In the past week, how much did pain get in the way of your usual activities?"),
        scale_low=_("0 = not at all"),
        scale_high=_("10 = completely"),
    ),
)

BY_ID: Mapping[str, Question] = {question.id: question for question in QUESTIONS}

# Where a question page says the person is: a part of the check, never a count that the
# skipped questions would make wrong. The last part says the check is nearly over.
SECTIONS: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    (_("Safety questions"), ("breathing", "self_harm", "new_symptoms")),
    (
        _("About your medicine"),
        (
            "opioid_use",
            "oud_treatment",
            "duration",
            "pain_context",
            "dose_change",
            "after_increase",
            "after_decrease",
        ),
    ),
    (_("About your pain"), ("pain_spread", "touch_hurts", "worst_time", "withdrawal_signs")),
    (
        _("Medicine safety"),
        ("sedation_episodes", "overdose_risk", "health_change", "control"),
    ),
    (_("Almost done: your past week"), ("pain_average", "pain_enjoyment", "pain_activity")),
)
SECTION_OF: Mapping[str, Promise] = {
    question_id: label for label, ids in SECTIONS for question_id in ids
}


def get(question_id: str) -> Question | None:
    return BY_ID.get(question_id)


def most_questions(version: str = QUESTIONNAIRE_VERSION) -> int:
    """The most questions one person can be asked in ``version``: every one it asks, since
    ticking both a raised and a lowered dose shows both follow-up questions. The home and
    start pages say "up to" this many."""
    return sum(question.asked_in(version) for question in QUESTIONS)
