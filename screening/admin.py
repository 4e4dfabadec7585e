"""The clinician's side of the admin. The triage queue grows in its own issue."""

from django.contrib import admin

from screening.models import Screening


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "urgency", "pattern", "review_status"]
    list_filter = ["urgency", "pattern", "review_status"]
    readonly_fields = [
        "reference_code",
        "created_at",
        "questionnaire_version",
        "rules_version",
        "language",
        "country",
        "answers",
        "urgency",
        "pattern",
        "findings",
    ]
    show_full_result_count = False
