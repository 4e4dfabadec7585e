"""Fake screenings for demos and benchmarks: realistic answers across every outcome.

Only the seed_demo command (which refuses to run unless DEBUG is on) and the benchmarks use
this. Answers are random walks through questionnaire.py, assessed by the real rules.
"""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from screening import flow
from screening.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, ReviewStatus, Screening, Urgency
from screening.questionnaire import QUESTIONNAIRE_VERSION, Kind, Question
from screening.rules import RULES_VERSION, assess

# Most people answer "no" to the safety questions; a few do not.
SAFE_ANSWER_WEIGHT = 0.93
POOL_SIZE = 3000
BATCH_SIZE = 5000
SPREAD_DAYS = 365


def _pick(question: Question, rng: random.Random) -> Any:
    if question.kind is Kind.SCALE:
        return rng.randint(0, 10)
    codes = list(question.codes)
    if question.safety:
        safe = "none" if question.kind is Kind.MULTI else "no"
        if rng.random() < SAFE_ANSWER_WEIGHT:
            return [safe] if question.kind is Kind.MULTI else safe
        codes.remove(safe)
    if question.id == "opioid_use" and rng.random() < 0.8:
        return "most_days"
    if question.kind is Kind.MULTI:
        ordinary = [code for code in codes if code not in question.exclusive]
        if question.exclusive and rng.random() < 0.3:
            return [rng.choice(sorted(question.exclusive))]
        return sorted(rng.sample(ordinary, rng.randint(1, 2)), key=codes.index)
    return rng.choice(codes)


def random_answers(
    rng: random.Random, pick: Callable[[Question, random.Random], Any] = _pick
) -> dict[str, Any]:
    """One person's walk through the check, stopping where an emergency would stop it.

    ``pick`` chooses each answer; by default as most people answer.
    """
    answers: dict[str, Any] = {}
    while (question := flow.first_undone(answers)) is not None:
        answers[question.id] = pick(question, rng)
        if flow.ends_check(question, answers):
            break
    return answers


def _pool(rng: random.Random) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    pool = []
    for _ in range(POOL_SIZE):
        answers = random_answers(rng)
        assessment = assess(answers)
        pool.append(
            (
                answers,
                {
                    "urgency": Urgency.from_rules(assessment.urgency),
                    "pattern": assessment.pattern.value,
                    "findings": [reason.to_dict() for reason in assessment.findings],
                    "notes": [note.value for note in assessment.notes],
                },
            )
        )
    return pool


def _codes(rng: random.Random, count: int) -> Iterator[str]:
    seen = set(Screening.objects.values_list("reference_code", flat=True))
    while count:
        code = "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if code not in seen:
            seen.add(code)
            count -= 1
            yield code


def screenings_create_demo(*, count: int, seed: int | None = None) -> int:
    """Bulk-insert ``count`` fake screenings, spread over the last year."""
    rng = random.Random(seed)  # noqa: S311 (fake data, repeatable from a seed)
    pool = _pool(rng)
    now = timezone.now()
    statuses = [ReviewStatus.NEW] * 5 + [
        ReviewStatus.IN_REVIEW,
        ReviewStatus.FOLLOW_UP,
        ReviewStatus.REVIEWED,
        ReviewStatus.REVIEWED,
        ReviewStatus.REVIEWED,
    ]
    codes = _codes(rng, count)
    batch: list[Screening] = []
    made = 0
    for number, code in enumerate(codes):
        answers, outcome = rng.choice(pool)
        batch.append(
            Screening(
                reference_code=code,
                created_at=now - datetime.timedelta(seconds=rng.randint(0, SPREAD_DAYS * 86400)),
                questionnaire_version=QUESTIONNAIRE_VERSION,
                rules_version=RULES_VERSION,
                language="en",
                country="US",
                answers=answers,
                submission_token=f"demo-{code}-{number}",
                review_status=rng.choice(statuses),
                **outcome,
            )
        )
        if len(batch) == BATCH_SIZE:
            made += _insert(batch)
            batch = []
    return made + _insert(batch)


def _insert(batch: list[Screening]) -> int:
    with transaction.atomic():
        Screening.objects.bulk_create(batch)
    return len(batch)


def demo_staff_create() -> dict[str, str]:
    """A demo clinician and a demo editor with new random passwords: {username: password}."""
    made = {}
    for username, group in [("demo-clinician", "Clinicians"), ("demo-editor", "Content editors")]:
        password = secrets.token_urlsafe(12)
        user, _created = User.objects.get_or_create(username=username)
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=group)])
        made[username] = password
    return made
