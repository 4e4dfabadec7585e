"""Writes to stored screenings. Each runs in one transaction: all of it happens, or none."""

from __future__ import annotations

import datetime
import hmac
import secrets
from collections.abc import Iterable, Mapping
from importlib import import_module

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from screening import ratelimit
from screening.models import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    AuditEvent,
    ReviewNote,
    ReviewStatus,
    Screening,
    Urgency,
    hash_deletion_key,
    normalize_reference,
)
from screening.questionnaire import QUESTIONNAIRE_VERSION
from screening.rules import Assessment, assess

# A clash between two random codes is a one-in-a-hundred-billion event; a few retries are
# more than enough, and the loop still ends if something else is wrong.
_CODE_ATTEMPTS = 5


def new_reference_code() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def screening_submit(
    *,
    answers: Mapping[str, object],
    submission_token: str,
    language: str,
    country: str,
    deletion_key: str = "",
) -> tuple[Screening, Assessment]:
    """Assess the answers and store them, once per submission token.

    Only the hash of ``deletion_key`` is stored: with it and the reference code, the patient
    can delete the screening later (``screening_delete_with_key``).

    The assessment is always recomputed here from the answers, never taken from the client.
    A second call with the same token (a double click, a replayed form) returns the screening
    the first call stored instead of making another.
    """
    assessment = assess(answers)
    for _attempt in range(_CODE_ATTEMPTS):
        # INSERT ... ON CONFLICT DO NOTHING: a second submission, or a clash of codes, is no
        # error, so the database never writes this statement, answers and all, to its log.
        Screening.objects.bulk_create(
            [
                Screening(
                    reference_code=new_reference_code(),
                    submission_token=submission_token,
                    questionnaire_version=QUESTIONNAIRE_VERSION,
                    rules_version=assessment.version,
                    language=language,
                    country=country,
                    answers=dict(answers),
                    urgency=Urgency.from_rules(assessment.urgency),
                    pattern=assessment.pattern.value,
                    findings=[reason.to_dict() for reason in assessment.findings],
                    notes=[note.value for note in assessment.notes],
                    deletion_key_hash=hash_deletion_key(deletion_key) if deletion_key else "",
                )
            ],
            ignore_conflicts=True,
        )
        # This call's row, or the one an earlier call with the same token stored.
        screening = Screening.objects.filter(submission_token=submission_token).first()
        if screening is not None:
            return screening, assessment
        # Nothing stored and nothing there: the reference code clashed; draw another.
    raise RuntimeError("Could not draw a free reference code.")


def screening_delete(*, screening_id: int, reference_code: str, actor: str) -> bool:
    """Delete one screening and record who asked; False when it was already gone.

    Both the id and the reference code must match, so a stale session can never delete
    another person's screening.
    """
    with transaction.atomic():
        deleted, _by_model = Screening.objects.filter(
            pk=screening_id, reference_code=reference_code
        ).delete()
        if not deleted:
            return False
        audit_record(actor=actor, action=AuditEvent.Action.DELETE, reference_codes=[reference_code])
    return True


def screening_delete_with_key(*, reference_code: str, deletion_key: str) -> bool:
    """Delete the screening whose reference code and deletion key both match, if any.

    Whether a code exists is never told apart from a wrong key: both return False, after
    the same work. A deletion is audited with the code; a refusal without one.
    """
    code = normalize_reference(reference_code)
    given = hash_deletion_key(deletion_key)
    with transaction.atomic():
        stored = (
            Screening.objects.select_for_update()
            .filter(reference_code=code)
            .values_list("pk", "deletion_key_hash")
            .first()
        )
        pk, expected = stored or (None, "")
        # An empty stored hash (saved before keys existed) matches nothing.
        matches = hmac.compare_digest(given, expected or "-" * len(given)) and bool(expected)
        if not matches:
            audit_record(
                actor="patient",
                action=AuditEvent.Action.DELETE,
                detail="refused: reference code and deletion key did not match",
            )
            return False
        Screening.objects.filter(pk=pk).delete()
        audit_record(
            actor="patient",
            action=AuditEvent.Action.DELETE,
            reference_codes=[code],
            detail="with the deletion key",
        )
    return True


def screenings_delete(*, screenings: QuerySet[Screening], actor: str) -> int:
    """Delete many screenings at once, with one audit line naming each one deleted.

    The rows are locked first (in id order, so two deletes that overlap cannot deadlock),
    so the line names exactly the screenings this call removed.
    """
    with transaction.atomic():
        locked = screenings.select_for_update(of=("self",)).order_by("pk")
        codes = list(locked.values_list("reference_code", flat=True))
        _total, by_model = Screening.objects.filter(reference_code__in=codes).delete()
        deleted = by_model.get(Screening._meta.label, 0)
        if deleted:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.DELETE,
                reference_codes=codes,
                detail="bulk delete",
            )
    return deleted


def audit_record(
    *, actor: str, action: str, reference_codes: Iterable[str] = (), detail: str = ""
) -> AuditEvent:
    """Append one line to the audit trail."""
    return AuditEvent.objects.create(
        actor=actor, action=action, reference_codes=list(reference_codes), detail=detail[:200]
    )


def screening_review(
    *, screening: Screening, status: int, note: str, reviewer: AbstractBaseUser
) -> Screening:
    """Record a clinician's review: who and when are set here, never typed in.

    A note is added to the screening's earlier notes (``ReviewNote``), never written over
    them; ``review_note`` keeps the latest for the list and the exports. An empty note
    leaves the notes as they were.
    """
    now = timezone.now()
    with transaction.atomic():
        screening.review_status = status
        screening.reviewed_by = reviewer
        screening.reviewed_at = now
        changed = ["review_status", "reviewed_by", "reviewed_at"]
        note = note.strip()
        if note:
            ReviewNote.objects.create(screening=screening, author=reviewer, at=now, text=note)
            screening.review_note = note
            changed.append("review_note")
        screening.save(update_fields=changed)
        audit_record(
            actor=reviewer.get_username(),
            action=AuditEvent.Action.CHANGE,
            reference_codes=[screening.reference_code],
            detail=f"review status: {screening.get_review_status_display()}",
        )
    return screening


def screenings_mark_reviewed(*, screenings: QuerySet[Screening], reviewer: AbstractBaseUser) -> int:
    """Mark the new screenings among ``screenings`` reviewed, with one audit line naming them.

    Screenings whose review someone already changed (reviewed, or set for follow-up) are
    left as they are: a bulk action must not undo a colleague's decision. Returns how many
    were marked.
    """
    with transaction.atomic():
        locked = screenings.filter(review_status=ReviewStatus.NEW)
        locked = locked.select_for_update(of=("self",)).order_by("pk")
        codes = list(locked.values_list("reference_code", flat=True))
        if not codes:
            return 0
        count = Screening.objects.filter(reference_code__in=codes).update(
            review_status=ReviewStatus.REVIEWED, reviewed_by=reviewer, reviewed_at=timezone.now()
        )
        audit_record(
            actor=reviewer.get_username(),
            action=AuditEvent.Action.CHANGE,
            reference_codes=codes,
            detail="bulk: marked reviewed",
        )
    return count


def screenings_purge(*, older_than_days: int, batch_size: int = 1000, dry_run: bool = False) -> int:
    """Delete screenings older than the retention period, in small batches.

    Safe to run again at any time (it only deletes what is old enough), and each batch is
    its own transaction, so a long purge never holds one big lock. Writes one audit line
    with the count (never the codes: the point is to forget them). Expired sessions, which
    may still hold answers in progress, go with it.
    """
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    old = Screening.objects.filter(created_at__lt=cutoff)
    if dry_run:
        return old.count()
    purged = 0
    while batch := list(old.values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            deleted, _by_model = Screening.objects.filter(pk__in=batch).delete()
        purged += deleted
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    ratelimit.expired_buckets_delete()
    audit_record(
        actor="system",
        action=AuditEvent.Action.DELETE,
        detail=f"purge: {purged} screenings older than {older_than_days} days",
    )
    return purged
