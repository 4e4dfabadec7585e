"""Record real v1 screenings, made by the v1 code path, for the tests of stored v1 rows.

This script was run once, at commit 8846ffe (the last commit with questionnaire and rules
version 1), and wrote ``screenings.json`` beside it. Run today it would record version 2,
so it is kept only to show how the file was made:

    git worktree add /tmp/v1 8846ffe && cd /tmp/v1 && make install
    DATABASE_URL=sqlite:////tmp/v1.sqlite3 .venv/bin/python tests/screening/v1/record.py

Each row is what ``screening_submit`` stored (the database's own values, urgency as the v1
integer) plus what the patient was shown (the v1 assessment, notes included), and for some
rows the review a clinician recorded through ``screening_review``.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oih_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402

from screening import flow  # noqa: E402
from screening.demo import random_answers  # noqa: E402
from screening.models import ReviewStatus, Screening  # noqa: E402
from screening.services import screening_review, screening_submit  # noqa: E402
from tests.factories import NO_PATTERN, POSSIBLE_OIH, SOME_FEATURES  # noqa: E402

NAMED = [
    NO_PATTERN,
    POSSIBLE_OIH,
    SOME_FEATURES,
    {**POSSIBLE_OIH, "duration": "1_to_3_months"},
    {**POSSIBLE_OIH, "health_change": "yes"},
    {**POSSIBLE_OIH, "worst_time": "missed_or_lowered", "withdrawal_signs": "yes"},
    {**NO_PATTERN, "worst_time": "before_next_dose"},
    {**NO_PATTERN, "dose_change": ["raised", "took_more"], "after_increase": "better_then_back"},
    {**NO_PATTERN, "dose_change": ["lowered"], "after_decrease": "worse", "control": "yes"},
    {**NO_PATTERN, "duration": "lt_4_weeks", "dose_change": ["raised"], "after_increase": "worse"},
    {**NO_PATTERN, "pain_average": 8, "pain_enjoyment": 9, "pain_activity": 9},
    {**NO_PATTERN, "self_harm": "recent", "new_symptoms": ["fever"]},
    {key: NO_PATTERN[key] for key in ("breathing", "self_harm", "new_symptoms")}
    | {"opioid_use": "stopped_recently"},
    {key: NO_PATTERN[key] for key in ("breathing", "self_harm", "new_symptoms")}
    | {"opioid_use": "unsure"},
    {"breathing": "overdose_signs"},
    {"breathing": "no", "self_harm": "now"},
    {"breathing": "no", "self_harm": "no", "new_symptoms": ["limb_weakness", "fever"]},
]
RANDOM_WALKS = 150


def main() -> None:
    call_command("migrate", verbosity=0)
    rng = random.Random(20261206)
    cases = [flow.prune(answers) for answers in NAMED]
    cases += [random_answers(rng) for _ in range(RANDOM_WALKS)]
    clinician, _created = User.objects.get_or_create(username="v1-clinician")
    rows = []
    for number, answers in enumerate(cases):
        screening, assessment = screening_submit(
            answers=answers,
            submission_token=f"v1-record-{number}",
            language="en",
            country="GB" if number % 5 == 4 else "US",
        )
        if number % 3 == 0:
            screening_review(
                screening=screening,
                status=ReviewStatus.REVIEWED if number % 2 else ReviewStatus.FOLLOW_UP,
                note=f"Reviewed in v1 ({number}).",
                reviewer=clinician,
            )
        stored = Screening.objects.filter(pk=screening.pk).values().get()
        stored.pop("id")
        stored["reviewed_by"] = clinician.username if stored.pop("reviewed_by_id") else None
        for moment in ("created_at", "reviewed_at"):
            stored[moment] = stored[moment].isoformat() if stored[moment] else None
        rows.append({"stored": stored, "shown": assessment.to_dict()})
    out = HERE / "screenings.json"
    out.write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n")
    print(f"{len(rows)} v1 screenings written to {out}")


if __name__ == "__main__":
    main()
