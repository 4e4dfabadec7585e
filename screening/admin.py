"""The clinician's triage queue, screening page, exports and the audit trail.

Answers and assessments are read-only for everyone; clinicians change only the review.
Every list, view, export, review change and delete is written to the audit trail.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import json
from collections.abc import Iterator
from statistics import fmean
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from oih_site.forms import OpenedVersionForm
from screening import crisis, explain, fhir, flow, services
from screening.models import AuditEvent, ReviewStatus, Screening, Urgency, format_reference
from screening.questionnaire import QUESTIONS
from screening.rules import PAIN_SCORES, Assessment, Finding, Reason

# Counting a million rows on every page load is what makes big admin lists slow. The queue
# counts at most this many matching rows (20 pages of 50) and says "more" beyond it: a
# clinician narrows a long list with the filters rather than paging through it.
COUNT_CAP = 1_000

# One CSV export holds at most this many screenings. The audit line names every screening
# exported, and a bigger set of health answers should leave as an operator's database
# extract, not a browser download.
EXPORT_CAP = 10_000

# A screening's history page shows at most this many audit lines, newest first.
HISTORY_CAP = 200

# The summary shows how long the oldest unreviewed screening of these urgencies has waited.
OLDEST_SHOWN = (Urgency.EMERGENCY, Urgency.TODAY, Urgency.DAYS)

# The summary's chart: weekly volume over this many weeks, drawn this big (SVG units).
CHART_WEEKS = 12
CHART_WIDTH, CHART_HEIGHT, CHART_AXIS = 640, 220, 24
# How long a process keeps the finished weeks' counts.
CHART_CACHE_SECONDS = 15 * 60

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = [
    "reference_code",
    "created_at",
    "urgency",
    "pattern",
    "review_status",
    "reviewed_by",
    "reviewed_at",
    "review_note",
    "questionnaire_version",
    "rules_version",
    "language",
    "country",
]


class CappedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNT_CAP + 1].count()


class CappedCountAdmin(admin.ModelAdmin):
    """A list of a table that only grows: it counts no further than COUNT_CAP rows.

    Its pagination (admin/screening/pagination.html) says "more than" past the cap.
    """

    paginator = CappedCountPaginator
    show_full_result_count = False

    @property
    def count_cap(self) -> int:
        return COUNT_CAP


def _stored_assessment(screening: Screening) -> Assessment:
    """What the patient was shown, from the stored row (whatever its rules version)."""
    return Assessment.from_dict(
        {
            "urgency": Urgency(screening.urgency).to_rules().value,
            "pattern": screening.pattern,
            "findings": screening.findings,
            "notes": screening.notes,
            "version": screening.rules_version,
        }
    )


def language_name(code: str) -> str:
    """A language's name in the active language ("Spanish"), or its code if unknown."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code or "-"


def csv_header() -> list[str]:
    """The export's columns: the screening's, then each question in words and in codes."""
    answers = [name for q in QUESTIONS for name in (q.id, f"{q.id}_code")]
    return CSV_COLUMNS + answers


def csv_answers(screening: Screening) -> list[str]:
    """Each question's answer in words, then as codes ("" if none).

    The words are those of the version the patient saw, in the clinic's language whatever
    language the patient used (the ``language`` column says which).
    """
    values = []
    for question in QUESTIONS:
        answer = screening.answers.get(question.id)
        if answer is None:
            values += ["", ""]
            continue
        with translation.override(settings.LANGUAGE_CODE):
            words = question.answer_labels(answer, screening.questionnaire_version)
        codes = answer if isinstance(answer, list) else [answer]
        values += ["; ".join(words), " ".join(str(code) for code in codes)]
    return values


def spreadsheet_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _local(moment: datetime.datetime | None) -> str:
    """A time as the clinic reads it (settings.TIME_ZONE), to the second, with its offset."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


class _Echo:
    def write(self, value: str) -> str:
        return value


class ReviewForm(OpenedVersionForm):
    """The review on a screening's page, refused if a colleague changed the review since."""

    # Not the model's review_note: a new note is added to the earlier ones, never written
    # over them (services.screening_review).
    review_note = forms.CharField(
        label=_("Add a note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept with your name and the time, below the earlier notes."),
    )

    class Meta:
        model = Screening
        fields = ["review_status"]

    version_field = "reviewed_at"  # every review change sets it

    def changed_since(self, current: Screening) -> forms.ValidationError:
        return forms.ValidationError(
            _(
                "%(who)s changed this review after you opened the page. It is now "
                "“%(status)s”. Your changes were not saved: reload the page to see theirs, "
                "then make yours again."
            ),
            code="changed_since",
            params={
                "who": current.reviewed_by or _("Someone"),
                "status": current.get_review_status_display(),
            },
        )


# A listing's search, page and order are recorded as given; a filter only by its name. A
# filter's value next to the listed codes ("urgency: emergency") would keep each screening's
# triage in the audit trail after the purge has deleted the screening.
LISTING_VALUES_KEPT = frozenset({"q", "p", "o"})


def _listing(request: HttpRequest) -> str:
    shown = [
        (name, value if name in LISTING_VALUES_KEPT else "*") for name, value in request.GET.items()
    ]
    return urlencode(shown, safe="*")


@admin.register(Screening)
class ScreeningAdmin(CappedCountAdmin):
    list_display = [
        "display_reference",
        "created_at",
        "waiting",
        "urgency_label",
        "pattern_label",
        "review_status",
        "reviewed_by",
    ]
    list_filter = ["review_status", "urgency", "pattern", "created_at"]
    list_select_related = ["reviewed_by"]
    list_per_page = 50
    search_fields = ["reference_code"]
    search_help_text = _(
        "Reference code, as the patient gives it (any case, spaces or dashes), or its first "
        "4 or more characters. A whole code that matches none also finds the codes one "
        "character away: read the code back to the patient before you act on a screening."
    )
    actions = ["mark_reviewed", "export_csv", "export_fhir"]
    fieldsets = [
        (
            _("Review"),
            {
                "fields": [
                    "review_status",
                    "review_note",
                    "reviewer",
                    "reviewed_at",
                    "notes_history",
                    "opened_version",
                ]
            },
        ),
        (_("What the patient was shown for the emergency"), {"fields": ["emergency_shown"]}),
        (
            _("Screening"),
            {
                "fields": [
                    "display_reference",
                    "created_at",
                    "urgency_label",
                    "pattern_label",
                    "patient_language",
                    "versions",
                    "pain_scores",
                ]
            },
        ),
        (_("Findings"), {"fields": ["findings_table", "notes_shown"]}),
        (_("Answers"), {"fields": ["answers_table"]}),
    ]
    save_on_top = True
    form = ReviewForm
    editable = ("review_status", "review_note", "opened_version")

    # Every look and change is in the audit trail (AuditEvent), which the purge accounts
    # for. Django's own admin log would keep each screening's reference code for ever.
    def log_addition(self, request: HttpRequest, obj: Screening, message: object) -> None:
        pass

    def log_change(self, request: HttpRequest, obj: Screening, message: object) -> None:
        pass

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Screening]) -> None:
        pass

    # --- Columns and read-only panels ---------------------------------------------------

    @admin.display(description=_("reference code"), ordering="reference_code")
    def display_reference(self, screening: Screening) -> str:
        return screening.display_reference

    @admin.display(description=_("urgency"), ordering="urgency")
    def urgency_label(self, screening: Screening) -> str:
        return format_html(
            '<span class="urgency urgency-{}">{}</span>',
            screening.urgency,
            screening.get_urgency_display(),
        )

    @admin.display(description=_("waiting"), ordering="-created_at")
    def waiting(self, screening: Screening) -> str:
        """How long a screening nobody has reviewed yet has waited since it was submitted."""
        if screening.review_status == ReviewStatus.REVIEWED:
            return "-"
        return timesince(screening.created_at, depth=1)

    @admin.display(description=_("notes"))
    def notes_history(self, screening: Screening) -> str:
        """Every note, newest first, with who wrote it and when."""
        notes = screening.review_notes.select_related("author")
        return render_to_string("admin/screening/review_notes.html", {"notes": notes})

    @admin.display(description=_("emergency help shown"))
    def emergency_shown(self, screening: Screening) -> str:
        """The emergency page's numbers and steps, as the patient's answers chose them."""
        assessment = _stored_assessment(screening)
        context = {
            "country_help": crisis.for_country(screening.country),
            "overdose": assessment.has(Finding.OVERDOSE_SIGNS)
            or assessment.has(Finding.OVERSEDATED),
            "self_harm": assessment.has(Finding.SELF_HARM_NOW),
            "red_flags": assessment.has(Finding.NERVE_OR_HEART_SIGNS),
        }
        return render_to_string("admin/screening/emergency_shown.html", context)

    @admin.display(description=_("reviewed by"))
    def reviewer(self, screening: Screening) -> str:
        """The reviewer's name as text: clinicians may not open user accounts."""
        return screening.reviewed_by.get_username() if screening.reviewed_by else "-"

    @admin.display(description=_("pattern"), ordering="pattern")
    def pattern_label(self, screening: Screening) -> str:
        return screening.get_pattern_display()

    @admin.display(description=_("patient's language"), ordering="language")
    def patient_language(self, screening: Screening) -> str:
        """The language the patient used; the page reads in the clinic's language whatever
        it was (settings.LANGUAGE_CODE)."""
        return language_name(screening.language)

    @admin.display(description=_("versions"))
    def versions(self, screening: Screening) -> str:
        return _("questionnaire %(q)s, rules %(r)s, language %(lang)s, country %(country)s") % {
            "q": screening.questionnaire_version,
            "r": screening.rules_version,
            "lang": screening.language,
            "country": screening.country,
        }

    @admin.display(description=_("pain scores (0-10)"))
    def pain_scores(self, screening: Screening) -> str:
        scores = [screening.answers.get(qid) for qid in PAIN_SCORES]
        if not all(isinstance(score, int) for score in scores):
            return _("Not asked")
        average, enjoyment, activity = scores
        return _("average %(a)s, enjoyment %(e)s, activity %(act)s; mean %(mean).1f") % {
            "a": average,
            "e": enjoyment,
            "act": activity,
            "mean": fmean(scores),
        }

    @admin.display(description=_("findings"))
    def findings_table(self, screening: Screening) -> str:
        version = screening.questionnaire_version
        with translation.override(settings.LANGUAGE_CODE):
            rows = [
                explain.clinical(Reason.from_dict(item), version) for item in screening.findings
            ]
            return render_to_string("admin/screening/findings.html", {"rows": rows})

    @admin.display(description=_("notes the patient was shown"))
    def notes_shown(self, screening: Screening) -> str:
        """The result page's notes, as stored with the screening: never assessed again."""
        notes = explain.listed_notes(_stored_assessment(screening))
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "notes": notes,
                "note_links": explain.note_links(notes),
                "country_help": crisis.for_country(screening.country),
            }
            return render_to_string("admin/screening/notes.html", context)

    @admin.display(description=_("answers"))
    def answers_table(self, screening: Screening) -> str:
        """Every question in the clinic's language and the words of the patient's version,
        with the answer or why none.

        A question the screening's questionnaire version did not have says so; after an
        emergency answer the rest were never reached.
        """
        version = screening.questionnaire_version
        ended = screening.urgency == Urgency.EMERGENCY
        with translation.override(settings.LANGUAGE_CODE):
            answered = {
                row.question.id: row for row in flow.answer_rows(screening.answers, version)
            }
            rows = []
            for question in QUESTIONS:
                row = answered.get(question.id)
                if row is not None:
                    missing = None
                elif not question.asked_in(version):
                    missing = _("Not asked in questionnaire version %(v)s") % {"v": version}
                elif ended:
                    missing = _("Not reached (the check ended at the emergency answer)")
                else:
                    missing = _("Skipped (not shown to the patient)")
                labels = row.labels if row else None
                rows.append((question.text_in(version), labels, missing))
            return render_to_string("admin/screening/answers.html", {"rows": rows})

    # --- Permissions: answers are facts, only the review changes -----------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_fieldsets(self, request: HttpRequest, obj: Screening | None = None):
        if obj is not None and obj.urgency == Urgency.EMERGENCY:
            return self.fieldsets
        return [
            fieldset
            for fieldset in self.fieldsets
            if "emergency_shown" not in fieldset[1]["fields"]
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Screening | None = None):
        every = [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]
        return [field for field in every if field not in self.editable]

    # --- Search: forgiving about case, spaces, dashes, a partial code and one typo ------

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        if not any(ch.isalnum() for ch in search_term):
            return queryset, False
        return queryset.codes_like(search_term), False

    # --- Writes go through the services, which audit them ------------------------------

    def save_model(self, request: HttpRequest, obj: Screening, form, change: bool) -> None:
        if not form.has_changed():
            return
        services.screening_review(
            screening=obj,
            status=obj.review_status,
            note=form.cleaned_data.get("review_note", ""),
            reviewer=request.user,
        )

    def response_change(self, request: HttpRequest, obj: Screening) -> HttpResponse:
        """ "Save and next" opens the next unreviewed screening in the queue's order."""
        if "_savenext" not in request.POST:
            return super().response_change(request, obj)
        following = Screening.objects.after_in_queue(obj).first()
        following = (
            following or Screening.objects.unreviewed().exclude(pk=obj.pk).in_queue_order().first()
        )
        self.message_user(request, _("Saved %(code)s.") % {"code": obj.display_reference})
        if following is None:
            self.message_user(request, _("No unreviewed screenings are left in the queue."))
            return HttpResponseRedirect(reverse("admin:screening_screening_changelist"))
        return HttpResponseRedirect(
            reverse("admin:screening_screening_change", args=[following.pk])
        )

    # --- The summary on the staff site's first page ----------------------------------

    def summary(self, request: HttpRequest) -> str:
        """The clinician's summary: what waits, the oldest urgent work, the weekly volume.

        Every count is capped and read off the queue's indexes; the chart groups the last
        CHART_WEEKS weeks of ``created_at`` (finished weeks kept a while, see
        ``weekly_chart``). Template:
        ``admin/screening/summary.html``.
        """
        queue = reverse("admin:screening_screening_changelist")
        unreviewed = Screening.objects.unreviewed()
        counts = []
        for urgency in Urgency:
            count = unreviewed.filter(urgency=urgency).capped_count(COUNT_CAP)
            query = urlencode({"review_status__exact": 0, "urgency__exact": urgency.value})
            counts.append(
                {
                    "urgency": urgency,
                    "count": min(count, COUNT_CAP),
                    "more": count > COUNT_CAP,
                    "url": f"{queue}?{query}",
                }
            )
        now = timezone.now()
        oldest = []
        for urgency in OLDEST_SHOWN:
            first = (
                unreviewed.filter(urgency=urgency)
                .order_by("created_at", "id")
                .values("pk", "reference_code", "created_at")
                .first()
            )
            if first is not None:
                first["display_reference"] = format_reference(first["reference_code"])
                first["waited"] = timesince(first["created_at"], now, depth=2)
                first["url"] = reverse("admin:screening_screening_change", args=[first["pk"]])
            oldest.append({"urgency": urgency, "screening": first})
        context = {"counts": counts, "oldest": oldest, "cap": COUNT_CAP, **weekly_chart(now)}
        return render_to_string("admin/screening/summary.html", context, request=request)

    def delete_model(self, request: HttpRequest, obj: Screening) -> None:
        services.screening_delete(
            screening_id=obj.pk,
            reference_code=obj.reference_code,
            actor=request.user.get_username(),
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        services.screenings_delete(screenings=queryset, actor=request.user.get_username())

    # --- Audit of reads -----------------------------------------------------------------

    def changelist_view(self, request: HttpRequest, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and request.method == "GET":
            services.audit_record(
                actor=request.user.get_username(),
                action=AuditEvent.Action.LIST,
                reference_codes=[s.reference_code for s in changelist.result_list],
                detail=_listing(request),
            )
        return response

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if original is not None and request.method == "GET":
            services.audit_record(
                actor=request.user.get_username(),
                action=AuditEvent.Action.VIEW,
                reference_codes=[original.reference_code],
            )
        return response

    # --- Actions and exports ------------------------------------------------------------

    def _chosen(self, request: HttpRequest, queryset: QuerySet, cap: int = COUNT_CAP) -> int | None:
        """How many screenings are chosen; None, with a message, when more than ``cap``."""
        count = queryset[: cap + 1].count()
        if count <= cap:
            return count
        self.message_user(
            request,
            _("Choose at most %(cap)s screenings for this action; use the filters to narrow them.")
            % {"cap": f"{cap:,}"},
            level=messages.ERROR,
        )
        return None

    @admin.action(description=_("Mark selected screenings reviewed"), permissions=["change"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet) -> None:
        selected = self._chosen(request, queryset)
        if selected is None:
            return
        count = services.screenings_mark_reviewed(screenings=queryset, reviewer=request.user)
        self.message_user(request, _("%(count)d marked reviewed.") % {"count": count})
        if selected > count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d left as it was: its review had already been changed.",
                    "%(count)d left as they were: their reviews had already been changed.",
                    selected - count,
                )
                % {"count": selected - count},
                level=messages.WARNING,
            )

    @admin.action(description=_("Export selected as CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> StreamingHttpResponse | None:
        if self._chosen(request, queryset, EXPORT_CAP) is None:
            return None
        # The file holds exactly the screenings the audit line names, read now: the rows are
        # streamed after this returns, when a screening saved meanwhile might match too.
        chosen = list(queryset.order_by("-created_at", "-pk").values_list("pk", "reference_code"))
        services.audit_record(
            actor=request.user.get_username(),
            action=AuditEvent.Action.EXPORT,
            reference_codes=[code for _pk, code in chosen],
            detail="csv",
        )
        writer = csv.writer(_Echo())

        def chosen_screenings() -> Iterator[Screening]:
            for batch in itertools.batched((pk for pk, _code in chosen), 2000):
                screenings = Screening.objects.filter(pk__in=batch).select_related("reviewed_by")
                yield from screenings.order_by("-created_at", "-pk")

        def rows() -> Iterator[str]:
            yield writer.writerow(csv_header())
            for screening in chosen_screenings():
                values = [
                    screening.display_reference,
                    _local(screening.created_at),
                    screening.get_urgency_display(),
                    screening.get_pattern_display(),
                    screening.get_review_status_display(),
                    screening.reviewed_by or "",
                    _local(screening.reviewed_at),
                    screening.review_note,
                    screening.questionnaire_version,
                    screening.rules_version,
                    screening.language,
                    screening.country,
                ]
                values += csv_answers(screening)
                yield writer.writerow([spreadsheet_safe(value) for value in values])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="screenings.csv"'
        return response

    @admin.action(description=_("Export selected as FHIR Bundle"), permissions=["view"])
    def export_fhir(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        if self._chosen(request, queryset) is None:
            return None
        screenings = list(queryset)
        services.audit_record(
            actor=request.user.get_username(),
            action=AuditEvent.Action.EXPORT,
            reference_codes=[s.reference_code for s in screenings],
            detail="fhir bundle",
        )
        body = fhir.bundle(screenings, fhir.site_url(request))
        return _fhir_response(body, "screenings.fhir.json")

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        """The screening's history from the audit trail: who looked, exported, reviewed.

        Django's own admin log is not kept for screenings (see log_change), so its history
        page would always be empty. Reading the history is itself audited.
        """
        screening = get_object_or_404(Screening, pk=object_id)
        if not self.has_view_permission(request, screening):
            raise PermissionDenied
        naming = AuditEvent.objects.naming(screening.reference_code)
        events = list(naming.order_by("-at", "-pk")[:HISTORY_CAP])
        services.audit_record(
            actor=request.user.get_username(),
            action=AuditEvent.Action.VIEW,
            reference_codes=[screening.reference_code],
            detail="history",
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of %(code)s") % {"code": screening.display_reference},
            "opts": self.opts,
            "original": screening,
            "events": events,
            "cap": HISTORY_CAP,
        }
        return TemplateResponse(request, "admin/screening/history.html", context)

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/fhir/",
                self.admin_site.admin_view(self.fhir_view),
                name="screening_screening_fhir",
            )
        ]
        return urls + super().get_urls()

    def fhir_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """One screening as a QuestionnaireResponse."""
        screening = get_object_or_404(Screening, pk=object_id)
        if not self.has_view_permission(request, screening):
            raise PermissionDenied
        services.audit_record(
            actor=request.user.get_username(),
            action=AuditEvent.Action.EXPORT,
            reference_codes=[screening.reference_code],
            detail="fhir",
        )
        body = fhir.questionnaire_response(screening, fhir.site_url(request))
        return _fhir_response(body, f"{screening.reference_code}.fhir.json")


def _weekly_volume(
    start: datetime.datetime, end: datetime.datetime | None
) -> dict[tuple[datetime.date, int], int]:
    """Screenings submitted from ``start`` (to ``end``), by week and urgency: one query."""
    submitted = Screening.objects.filter(created_at__gte=start)
    if end is not None:
        submitted = submitted.filter(created_at__lt=end)
    grouped = (
        submitted.annotate(week=TruncWeek("created_at"))
        .values("week", "urgency")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["week"].date(), row["urgency"]): row["n"] for row in grouped}


def weekly_chart(now: datetime.datetime) -> dict:
    """Screenings per week and urgency over the last CHART_WEEKS weeks, as bars and a table.

    Weeks start on Monday in the clinic's time zone; the current week is the last bar.
    """
    this_week = timezone.localtime(now).date()
    this_week -= datetime.timedelta(days=this_week.weekday())
    weeks = [this_week - datetime.timedelta(weeks=n) for n in range(CHART_WEEKS - 1, -1, -1)]
    start = timezone.make_aware(datetime.datetime.combine(weeks[0], datetime.time.min))
    current = timezone.make_aware(datetime.datetime.combine(this_week, datetime.time.min))
    # Finished weeks hardly change (only a deletion or the purge takes from them), and
    # grouping a quarter of a year of rows costs about half a second at a million: each
    # process keeps them for a while. They are counts, naming nobody. The current week is
    # read every time.
    key = f"screening-admin-weeks:{weeks[0].isoformat()}:{this_week.isoformat()}"
    finished = cache.get(key)
    if finished is None:
        finished = _weekly_volume(start, current)
        cache.set(key, finished, CHART_CACHE_SECONDS)
    volume = {**finished, **_weekly_volume(current, None)}
    rows = [
        {"week": week, "counts": [volume.get((week, u.value), 0) for u in Urgency]}
        for week in weeks
    ]
    for row in rows:
        row["total"] = sum(row["counts"])
    top = max([row["total"] for row in rows] + [1])
    plot_height = CHART_HEIGHT - CHART_AXIS
    slot = CHART_WIDTH / CHART_WEEKS
    for index, row in enumerate(rows):
        bottom = float(plot_height)
        bars = []
        for urgency, count in zip(Urgency, row["counts"], strict=True):
            height = plot_height * count / top
            bottom -= height
            if count:
                bars.append({"urgency": urgency, "y": round(bottom, 1), "height": round(height, 1)})
        row["bars"] = bars
        row["x"] = round(index * slot + slot * 0.15, 1)
        row["label_x"] = round(index * slot + slot / 2, 1)
    return {
        "weeks": rows,
        "urgencies": list(Urgency),
        "chart": {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "bar_width": round(slot * 0.7, 1),
            "axis_y": plot_height,
            "label_y": CHART_HEIGHT - 6,
            "top": top,
        },
    }


def _fhir_response(body: dict, filename: str) -> HttpResponse:
    response = HttpResponse(json.dumps(body, indent=2), content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(AuditEvent)
class AuditEventAdmin(CappedCountAdmin):
    """Read-only, and for superusers only."""

    list_display = ["at", "actor", "action", "codes", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["actor"]

    @admin.display(description=_("reference codes"))
    def codes(self, event: AuditEvent) -> str:
        shown = event.reference_codes[:5]
        more = len(event.reference_codes) - len(shown)
        return ", ".join(shown) + (f" (+{more})" if more > 0 else "")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
