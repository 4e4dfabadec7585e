"""Stored screenings and the audit trail of who looked at them.

A screening holds no name, birth date, email or IP address: only the answers, what the
rules made of them, and the care team's review.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import connection, models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screening import rules

# Unambiguous characters: no 0/O, 1/I/L, 2/Z, 5/S or 8/B to misread over the phone.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
REFERENCE_LENGTH = 8


def format_reference(code: str) -> str:
    """ABCDEFGH -> ABCD-EFGH, the way people read it out."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


# A deletion key: 16 characters of the same alphabet, about 74 bits: it cannot be guessed,
# so a fast hash keeps it safe in the database (unlike a password, which people choose).
DELETION_KEY_LENGTH = 16


def format_deletion_key(key: str) -> str:
    """ABCDEFGHJKMNPQRT -> ABCD-EFGH-JKMN-PQRT."""
    return "-".join(key[start : start + 4] for start in range(0, len(key), 4))


def hash_deletion_key(key: str) -> str:
    """What is stored of a deletion key: its SHA-256, of the key as normalize_reference
    leaves it (any case, spaces or dashes)."""
    return hashlib.sha256(normalize_reference(key).encode()).hexdigest()


# A search shorter than this matches whole codes only: three characters of a code would
# match too many screenings to be a way of finding one.
REFERENCE_PREFIX_MIN = 4


def one_character_off(code: str) -> list[str]:
    """``code`` and every code that differs from it in exactly one character."""
    variants = [code]
    for position, typed in enumerate(code):
        variants += [
            code[:position] + other + code[position + 1 :]
            for other in REFERENCE_ALPHABET
            if other != typed
        ]
    return variants


def normalize_reference(text: str) -> str:
    """What a person typed (any case, spaces, dashes) -> the stored form."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


class Urgency(models.IntegerChoices):
    """The rules' urgency levels; the numbers sort the triage queue, most urgent first.

    Rules version 2 put "within days" between today and soon; migration 0006 moved the
    stored numbers of the levels below it up by one.
    """

    EMERGENCY = 0, _("Emergency")
    TODAY = 1, _("Today")
    DAYS = 2, _("Within days")
    SOON = 3, _("Within 2 weeks")
    NEXT_VISIT = 4, _("Next visit")
    ROUTINE = 5, _("Routine")

    @classmethod
    def from_rules(cls, urgency: rules.Urgency) -> Urgency:
        return cls[urgency.name]

    def to_rules(self) -> rules.Urgency:
        return rules.Urgency[self.name]


class Pattern(models.TextChoices):
    POSSIBLE_OIH = rules.Pattern.POSSIBLE_OIH.value, _("Possible OIH pattern")
    SOME_FEATURES = rules.Pattern.SOME_FEATURES.value, _("Some features")
    NO_PATTERN = rules.Pattern.NO_PATTERN.value, _("No pattern")
    NOT_ASSESSED = rules.Pattern.NOT_ASSESSED.value, _("Not assessed")


class ReviewStatus(models.IntegerChoices):
    """The numbers sort the queue: work still to do first."""

    NEW = 0, _("New")
    IN_REVIEW = 1, _("In review")
    FOLLOW_UP = 2, _("Needs follow-up")
    REVIEWED = 3, _("Reviewed")


class ScreeningQuerySet(models.QuerySet):
    def unreviewed(self) -> ScreeningQuerySet:
        return self.filter(review_status=ReviewStatus.NEW)

    def in_queue_order(self) -> ScreeningQuerySet:
        """The queue's order, total (ties broken by id), as its indexes hold it."""
        return self.order_by("review_status", "urgency", "-created_at", "-id")

    def after_in_queue(self, screening: Screening) -> ScreeningQuerySet:
        """Unreviewed screenings that come after ``screening`` in the queue's order."""
        later = (
            models.Q(urgency__gt=screening.urgency)
            | models.Q(urgency=screening.urgency, created_at__lt=screening.created_at)
            | models.Q(
                urgency=screening.urgency, created_at=screening.created_at, id__lt=screening.pk
            )
        )
        return self.unreviewed().filter(later).in_queue_order()

    def capped_count(self, cap: int) -> int:
        """How many rows match, counting no further than ``cap`` + 1 (read: "more than cap")."""
        return self.order_by()[: cap + 1].count()

    def codes_like(self, typed: str) -> ScreeningQuerySet:
        """Screenings whose reference code is what a person typed, forgiving a little.

        Four to seven characters match the codes that start with them; a whole code also
        matches with any one character mistyped. Both stay lookups in the unique index of
        ``reference_code``: a range for the start (which a btree serves under any
        collation, unlike LIKE), and a list of the 193 codes within one character for a
        whole code that matches none exactly. Anything else must match exactly.
        """
        code = normalize_reference(typed)
        if REFERENCE_PREFIX_MIN <= len(code) < REFERENCE_LENGTH:
            # Every code character sorts below "Z" (digits and letters, in C and in
            # linguistic collations alike), so the range holds exactly the codes that
            # start with ``code``.
            return self.filter(reference_code__gte=code, reference_code__lt=code + "Z")
        if len(code) == REFERENCE_LENGTH and not self.filter(reference_code=code).exists():
            return self.filter(reference_code__in=one_character_off(code))
        return self.filter(reference_code=code)


class Screening(models.Model):
    reference_code = models.CharField(_("reference code"), max_length=16, unique=True)
    created_at = models.DateTimeField(
        _("submitted"), default=timezone.now, editable=False, db_index=True
    )
    questionnaire_version = models.CharField(max_length=16)
    rules_version = models.CharField(max_length=16)
    language = models.CharField(max_length=16)
    country = models.CharField(max_length=2)
    answers = models.JSONField(help_text=_("Keyed by question id; skipped questions absent."))
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices)
    pattern = models.CharField(max_length=16, choices=Pattern.choices)
    findings = models.JSONField(default=list, help_text=_("Finding codes from the rules."))
    notes = models.JSONField(default=list, help_text=_("Note codes the patient was shown."))
    submission_token = models.CharField(max_length=64, unique=True, editable=False)
    # The patient's key to delete these answers later: only its hash (hash_deletion_key).
    deletion_key_hash = models.CharField(max_length=64, blank=True, editable=False)

    review_status = models.PositiveSmallIntegerField(
        choices=ReviewStatus.choices, default=ReviewStatus.NEW
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The latest of the review notes (ReviewNote keeps them all), for the list and exports.
    review_note = models.TextField(blank=True)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["review_status", "urgency", "-created_at"]
        # The queue's order, and the same order within each filter, so that the first page
        # of any view is read straight off an index however many rows there are. The admin
        # adds "-pk" to make the order total, so the indexes end with it too.
        indexes = [
            models.Index(
                fields=["review_status", "urgency", "-created_at", "-id"],
                name="screening_queue_idx",
            ),
            models.Index(
                fields=["urgency", "review_status", "-created_at", "-id"],
                name="screening_urgency_queue_idx",
            ),
            models.Index(
                fields=["pattern", "review_status", "urgency", "-created_at", "-id"],
                name="screening_pattern_queue_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(urgency__in=Urgency.values), name="screening_urgency_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(pattern__in=Pattern.values), name="screening_pattern_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(review_status__in=ReviewStatus.values),
                name="screening_review_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return format_reference(self.reference_code)

    @property
    def display_reference(self) -> str:
        return format_reference(self.reference_code)


class ReviewNote(models.Model):
    """One note a clinician added to a screening's review; earlier notes stay as written.

    Goes with its screening when the screening is deleted or purged.
    """

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="review_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("written"), default=timezone.now)
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["screening", "-at"], name="review_note_screening_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.author}"


class AuditEventQuerySet(models.QuerySet):
    def naming(self, reference_code: str) -> AuditEventQuerySet:
        """The events that name ``reference_code``.

        On PostgreSQL a JSON containment, which the GIN index of migration 0009 serves; on
        SQLite, which has no JSON containment, a text match of the quoted code.
        """
        if connection.vendor == "postgresql":
            return self.filter(reference_codes__contains=[reference_code])
        as_text = Cast("reference_codes", models.TextField())
        return self.annotate(codes_text=as_text).filter(codes_text__contains=f'"{reference_code}"')


class AuditEvent(models.Model):
    """Who did what to which screenings, and when. Append-only; outlives the screenings."""

    class Action(models.TextChoices):
        LIST = "list", _("Listed")
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        CHANGE = "change", _("Changed")
        DELETE = "delete", _("Deleted")
        RECOVERY_CODE_USED = "recovery_used", _("Signed in with a recovery code")
        RECOVERY_CODES_MADE = "recovery_made", _("Made new recovery codes")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=150, help_text=_("Username, or 'patient' or 'system'."))
    action = models.CharField(max_length=16, choices=Action.choices)
    reference_codes = models.JSONField(default=list)
    detail = models.CharField(max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"


class RateBucket(models.Model):
    """How many times the client addresses of one key did one thing in one time window.

    Shared by every app server through the database. A key stands for thousands of
    addresses and never names one (screening/ratelimit.py).
    """

    key = models.CharField(max_length=100, unique=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
