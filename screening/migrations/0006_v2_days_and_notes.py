"""Rules version 2: the "within days" urgency, and the notes each patient was shown.

"Within days" sits between today and soon, so the stored numbers of soon, next visit and
routine move up by one (2, 3, 4 become 3, 4, 5) and the queue keeps sorting on one integer.

Version 2 screenings store the notes their result showed. Version 1 screenings did not:
``v1_notes`` works them out from what each row stored, by rules version 1 as it was (frozen
here, as a migration is), so the admin can show what those patients read without assessing
their answers again. tests/screening/test_v1_screenings.py checks it against 167 screenings
recorded through the version 1 code.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import F

# Stored urgency numbers of version 1 at and below "soon" (2), and where they go.
V1_SOON = 2
V2_DAYS = 2
V2_TODAY = 1
BATCH = 2000

V1_DOSE_RESPONSE = {"worse_after_increase", "better_after_decrease"}
V1_SUPPORTING = {"pain_spread", "touch_hurts"}


def v1_notes(*, answers: dict, urgency: int, pattern: str, findings: list) -> list[str]:
    """The notes rules version 1 listed for this stored result, in its order."""
    if urgency == 0:  # an emergency result has no notes
        return []
    found = {item["finding"] for item in findings}
    use = answers.get("opioid_use")
    dose_change = answers.get("dose_change") or []
    pattern_met = bool(found & V1_DOSE_RESPONSE) and bool(found & V1_SUPPORTING)
    notes = []
    if use == "stopped_recently":
        notes.append("restart_danger")
    elif use is not None and use != "most_days":
        notes.append("not_daily_use")
    if "too_early" in found:
        notes.append("too_early")
    if "health_change" in found:
        notes.append("health_change_first")
        if pattern_met:
            notes.append("health_change_also_matches")
    if "wear_off" in found:
        if pattern_met:
            notes.append("withdrawal_may_add")
        elif pattern != "not_assessed":
            notes.append("wear_off_fits_better")
    if pattern == "possible_oih" and answers.get("duration") == "1_to_3_months":
        notes.append("earlier_than_typical")
    if "severe_pain" in found:
        notes.append("severe_pain")
    if "took_more" in dose_change or answers.get("control") == "yes":
        notes.append("overuse")
    if use in ("most_days", "sometimes", "stopped_recently"):
        notes.append("naloxone")
    notes.append("footer")
    return notes


def forwards(apps, schema_editor):
    Screening = apps.get_model("screening", "Screening")
    Screening.objects.filter(urgency__gte=V1_SOON).update(urgency=F("urgency") + 1)
    version_1 = Screening.objects.filter(rules_version="1").order_by("pk")
    last = 0
    while batch := list(version_1.filter(pk__gt=last)[:BATCH]):
        for screening in batch:
            screening.notes = v1_notes(
                answers=screening.answers,
                urgency=screening.urgency,
                pattern=screening.pattern,
                findings=screening.findings,
            )
        Screening.objects.bulk_update(batch, ["notes"])
        last = batch[-1].pk
    _check_now(schema_editor)


def backwards(apps, schema_editor):
    # Version 1 had no "within days": such a screening goes back as "today", the nearer
    # level, so that going back never makes a screening look less urgent.
    Screening = apps.get_model("screening", "Screening")
    Screening.objects.filter(urgency=V2_DAYS).update(urgency=V2_TODAY)
    Screening.objects.filter(urgency__gt=V2_DAYS).update(urgency=F("urgency") - 1)
    _check_now(schema_editor)


def _check_now(schema_editor):
    """Run PostgreSQL's deferred foreign-key checks of the rows just updated, now.

    Left pending, they stop the ALTER TABLE that follows in this migration's transaction
    ("cannot ALTER TABLE ... because it has pending trigger events").
    """
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0005_rate_buckets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="screening",
            name="screening_urgency_valid",
        ),
        migrations.AddField(
            model_name="screening",
            name="notes",
            field=models.JSONField(default=list, help_text="Note codes the patient was shown."),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="screening",
            name="urgency",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "Emergency"),
                    (1, "Today"),
                    (2, "Within days"),
                    (3, "Within 2 weeks"),
                    (4, "Next visit"),
                    (5, "Routine"),
                ]
            ),
        ),
        migrations.AddConstraint(
            model_name="screening",
            constraint=models.CheckConstraint(
                condition=models.Q(("urgency__in", [0, 1, 2, 3, 4, 5])),
                name="screening_urgency_valid",
            ),
        ),
    ]
