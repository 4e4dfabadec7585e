"""Where a person is in the self-check: which page comes next, which are skipped, which are done.

The state of a check in progress lives in the server-side session under one key, so that
answers never travel in a URL, a cookie or a log line. Once a check ends (submitted, or
stopped by an emergency answer) the answers leave the session and only the result stays,
for the result page to show. The result keeps the answers for its printout, the handover for
the doctor (docs/decisions/0004-check-state-in-the-session.md), until the session ends or
the person clears it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from screening.models import (
    DELETION_KEY_LENGTH,
    REFERENCE_ALPHABET,
    format_deletion_key,
    format_reference,
)
from screening.questionnaire import QUESTIONNAIRE_VERSION, QUESTIONS, Question
from screening.rules import Assessment, Urgency, assess

CHECK_KEY = "oih_check"
RESULT_KEY = "oih_result"


def shown_questions(answers: Mapping[str, object]) -> list[Question]:
    """The questions that apply, in order, given the answers so far."""
    return [question for question in QUESTIONS if question.is_shown(answers)]


def shown_before(question: Question, answers: Mapping[str, object]) -> list[Question]:
    """The questions that apply before ``question``, in order: the pages a Back link walks."""
    shown = []
    for earlier in QUESTIONS:
        if earlier is question:
            break
        if earlier.is_shown(answers):
            shown.append(earlier)
    return shown


def first_undone(answers: Mapping[str, object]) -> Question | None:
    """The first question that applies and has no answer yet; None when all are done."""
    return next((q for q in shown_questions(answers) if q.id not in answers), None)


def prune(answers: Mapping[str, object]) -> dict[str, object]:
    """Drop answers to questions that a changed answer has made skipped.

    Conditions only look back to earlier questions, so a single pass in order is enough.
    """
    kept: dict[str, object] = {}
    for question in QUESTIONS:
        if question.id in answers and question.is_shown(kept):
            kept[question.id] = answers[question.id]
    return kept


def in_turn(question: Question, answers: Mapping[str, object]) -> list[Question] | None:
    """The pages before ``question`` that apply, if its page may be shown now; else None.

    A question page may be shown once it applies and every page before it is done.
    """
    if not question.is_shown(answers):
        return None
    before = shown_before(question, answers)
    return before if all(earlier.id in answers for earlier in before) else None


def ends_check(question: Question, answers: Mapping[str, object]) -> bool:
    """An answer to a safety question that makes this an emergency ends the check at once."""
    return question.safety and assess(answers).urgency is Urgency.EMERGENCY


def answer_ends_check(question: Question, answer: object) -> bool:
    """Whether this one answer to ``question``, on its own, ends the check."""
    return ends_check(question, {question.id: answer})


@dataclass
class Check:
    """A self-check in progress, as kept in the session."""

    save: bool
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    answers: dict[str, Any] = field(default_factory=dict)
    # Drawn with the check, so that a replayed submit stores the same key's hash.
    deletion_key: str = field(default_factory=lambda: new_deletion_key())

    @classmethod
    def load(cls, session: Any) -> Check | None:
        data = session.get(CHECK_KEY)
        if not isinstance(data, dict):
            return None
        return cls(
            save=bool(data["save"]),
            token=data["token"],
            answers=dict(data["answers"]),
            deletion_key=data.get("deletion_key") or new_deletion_key(),
        )

    def store(self, session: Any) -> None:
        session[CHECK_KEY] = {
            "save": self.save,
            "token": self.token,
            "answers": self.answers,
            "deletion_key": self.deletion_key,
        }

    def answer(self, question: Question, value: object) -> None:
        self.answers = prune({**self.answers, question.id: value})

    @property
    def complete(self) -> bool:
        return first_undone(self.answers) is None


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    labels: list[str]
    text: str  # the question as the person saw it


def answer_rows(
    answers: Mapping[str, object], version: str = QUESTIONNAIRE_VERSION
) -> list[AnswerRow]:
    """Each answered question with the wording of its answer, in questionnaire order.

    ``version`` is the questionnaire version the answers were given under: a stored
    screening is read back in the words its patient saw.
    """
    return [
        AnswerRow(
            question,
            question.answer_labels(answers[question.id], version),
            str(question.text_in(version)),
        )
        for question in shown_questions(answers)
        if question.id in answers
    ]


@dataclass(frozen=True)
class Result:
    """What the result page shows after a check ends, and prints for the doctor."""

    assessment: Assessment
    reference_code: str | None = None
    screening_id: int | None = None
    # Shown with the reference code while this session lasts; never again.
    deletion_key: str | None = None
    # Every answer, for the printout's list of questions and answers (and for a no-pattern
    # result, the few that counted against it). Gone with the session or "Clear my result".
    answers: dict[str, Any] = field(default_factory=dict)
    # When the check ended (ISO 8601, UTC), for the printout.
    checked_at: str | None = None

    @property
    def display_reference(self) -> str | None:
        return format_reference(self.reference_code) if self.reference_code else None

    @property
    def answer_rows(self) -> list[AnswerRow]:
        return answer_rows(self.answers)

    @property
    def display_deletion_key(self) -> str | None:
        return format_deletion_key(self.deletion_key) if self.deletion_key else None

    @classmethod
    def load(cls, session: Any) -> Result | None:
        data = session.get(RESULT_KEY)
        if not isinstance(data, dict):
            return None
        return cls(
            assessment=Assessment.from_dict(data["assessment"]),
            reference_code=data.get("reference_code"),
            screening_id=data.get("screening_id"),
            deletion_key=data.get("deletion_key"),
            answers=dict(data.get("answers") or {}),
            checked_at=data.get("checked_at"),
        )

    def store(self, session: Any) -> None:
        session.pop(CHECK_KEY, None)
        session[RESULT_KEY] = {
            "assessment": self.assessment.to_dict(),
            "reference_code": self.reference_code,
            "screening_id": self.screening_id,
            "deletion_key": self.deletion_key,
            "answers": self.answers,
            "checked_at": self.checked_at,
        }


def new_deletion_key() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(DELETION_KEY_LENGTH))


def forget(session: Any) -> None:
    """Remove every trace of a check from the session."""
    session.pop(CHECK_KEY, None)
    session.pop(RESULT_KEY, None)
