"""The clinician's triage queue and screening page in the Django admin."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from screening import questionnaire
from screening.admin import CSV_COLUMNS, csv_header, spreadsheet_safe
from screening.explain import CLINICIAN_FINDINGS
from screening.models import (
    AuditEvent,
    Pattern,
    ReviewStatus,
    Screening,
    Urgency,
    normalize_reference,
)
from screening.questionnaire import QUESTIONS
from screening.rules import Finding
from screening.services import new_reference_code
from tests.factories import NO_PATTERN, POSSIBLE_OIH, make_answers, make_screening
from tests.races import all_at_once
from tests.screening.staff import (
    CLINICIANS,
    make_clinician,
    make_editor,
    make_superuser,
    signed_in,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:screening_screening_changelist")
ARTICLES = reverse("admin:education_article_changelist")


def change_url(screening: Screening) -> str:
    return reverse("admin:screening_screening_change", args=[screening.pk])


def delete_url(screening: Screening) -> str:
    return reverse("admin:screening_screening_delete", args=[screening.pk])


def fhir_url(screening: Screening) -> str:
    return reverse("admin:screening_screening_fhir", args=[screening.pk])


def action(name: str, *screenings: Screening, **extra: str) -> dict:
    return {"action": name, "_selected_action": [s.pk for s in screenings], **extra}


def listed(response) -> list[Screening]:
    return list(response.context["cl"].result_list)


FACTS = ["answers", "urgency", "pattern", "findings", "reference_code", "created_at"]


def facts(screening: Screening) -> dict:
    screening.refresh_from_db()
    return {name: getattr(screening, name) for name in FACTS}


def tampering_post() -> dict:
    """A review change that also tries to rewrite everything the patient and the rules said."""
    return {
        "review_status": ReviewStatus.IN_REVIEW,
        "review_note": "Booked a call.",
        "answers": json.dumps(NO_PATTERN),
        "urgency": Urgency.EMERGENCY,
        "pattern": Pattern.NO_PATTERN,
        "findings": "[]",
        "reference_code": "ACDE3479",
        "created_at": "2020-01-01 00:00:00",
        "rules_version": "99",
        "reviewed_at": "2020-01-01 00:00:00",
    }


# --- Who may do what --------------------------------------------------------------------

REQUESTS: dict[str, Callable[[Client, Screening], object]] = {
    "list": lambda client, s: client.get(CHANGELIST),
    "view": lambda client, s: client.get(change_url(s)),
    "change review": lambda client, s: client.post(
        change_url(s), {"review_status": ReviewStatus.IN_REVIEW, "review_note": "Called."}
    ),
    "change answers": lambda client, s: client.post(change_url(s), tampering_post()),
    "delete": lambda client, s: client.get(delete_url(s)),
    "export csv": lambda client, s: client.post(CHANGELIST, action("export_csv", s)),
    "export fhir": lambda client, s: client.get(fhir_url(s)),
    "article admin": lambda client, s: client.get(ARTICLES),
}

OK, FOUND, FORBIDDEN = HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.FORBIDDEN

EXPECTED = {
    "clinician": {
        "list": OK,
        "view": OK,
        "change review": FOUND,  # saved, back to the queue
        "change answers": FOUND,  # the review is saved; the answers are not (below)
        "delete": FORBIDDEN,
        "export csv": OK,
        "export fhir": OK,
        "article admin": FORBIDDEN,
    },
    "editor": {name: FORBIDDEN for name in REQUESTS} | {"article admin": OK},
}

# Each role's browser.
ROLES = {
    "clinician": lambda: signed_in(make_clinician()),
    "editor": lambda: signed_in(make_editor()),
    "anonymous": Client,
}

MATRIX = [
    pytest.param(role, name, id=f"{role}-{name.replace(' ', '-')}")
    for role in ROLES
    for name in REQUESTS
]


@pytest.mark.parametrize(("role", "request_name"), MATRIX)
def test_role_matrix(role: str, request_name: str):
    screening = make_screening(answers=POSSIBLE_OIH)
    before = facts(screening)
    client = ROLES[role]()

    response = REQUESTS[request_name](client, screening)

    if role == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("admin:login") + "?next=")
    else:
        assert response.status_code == EXPECTED[role][request_name]
    # Whatever anyone sent, the screening is still there and says what the patient said.
    assert facts(screening) == before


@pytest.mark.parametrize("role", ["editor", "anonymous"])
def test_only_clinicians_change_the_review(role: str):
    screening = make_screening()
    ROLES[role]().post(change_url(screening), {"review_status": ReviewStatus.REVIEWED})
    screening.refresh_from_db()
    assert screening.review_status == ReviewStatus.NEW
    assert screening.reviewed_by is None


@pytest.mark.parametrize("role", ["clinician", "superuser"])
def test_answers_and_assessment_are_read_only_even_for_superusers(role: str):
    user = make_clinician() if role == "clinician" else make_superuser()
    other = make_superuser("someone_else")
    screening = make_screening(answers=POSSIBLE_OIH)
    before = facts(screening)

    response = signed_in(user).post(
        change_url(screening), tampering_post() | {"reviewed_by": other.pk}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert facts(screening) == before
    assert screening.review_status == ReviewStatus.IN_REVIEW
    assert screening.reviewed_by == user  # typed-in reviewer ignored
    assert screening.reviewed_at > timezone.now() - datetime.timedelta(minutes=1)
    assert screening.rules_version != "99"


@pytest.mark.parametrize("role", ["clinician", "superuser"])
def test_the_change_form_offers_only_the_review_fields(role: str):
    user = make_clinician() if role == "clinician" else make_superuser()
    response = signed_in(user).get(change_url(make_screening()))
    # opened_version is hidden: it only remembers which review the page showed.
    assert set(response.context["adminform"].form.fields) == {
        "review_status",
        "review_note",
        "opened_version",
    }


def test_nobody_adds_screenings_in_the_admin_not_even_a_superuser():
    client = signed_in(make_superuser())
    response = client.get(reverse("admin:screening_screening_add"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assertNotContains(client.get(CHANGELIST), reverse("admin:screening_screening_add"))


def test_a_superuser_may_open_the_delete_page():
    response = signed_in(make_superuser()).get(delete_url(make_screening()))
    assert response.status_code == HTTPStatus.OK


def test_the_clinicians_group_may_view_and_change_screenings_and_nothing_else():
    group = Group.objects.get(name=CLINICIANS)
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("screening", "view_screening"),
        ("screening", "change_screening"),
    }


@pytest.mark.parametrize("role", ["clinician", "editor"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:screening_auditevent_changelist"),
    ],
    ids=["users", "groups", "audit-trail"],
)
def test_clinicians_and_editors_see_no_users_groups_or_audit_trail(role: str, url: str):
    response = ROLES[role]().get(url)
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_clinicians_are_offered_no_delete_action():
    response = signed_in(make_clinician()).get(CHANGELIST)
    offered = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert offered == ["", "mark_reviewed", "export_csv", "export_fhir"]


def test_clinicians_cannot_delete_through_the_bulk_delete_action():
    screening = make_screening()
    client = signed_in(make_clinician())
    client.post(CHANGELIST, action("delete_selected", screening, post="yes"))
    assert Screening.objects.filter(pk=screening.pk).exists()


# --- The queue --------------------------------------------------------------------------


def test_the_queue_opens_on_unreviewed_work_then_urgency_then_newest():
    now = timezone.now()

    def at(days_ago: int, **overrides) -> Screening:
        return make_screening(created_at=now - datetime.timedelta(days=days_ago), **overrides)

    reviewed_emergency = at(0, urgency=Urgency.EMERGENCY, review_status=ReviewStatus.REVIEWED)
    follow_up_today = at(0, urgency=Urgency.TODAY, review_status=ReviewStatus.FOLLOW_UP)
    in_review_routine = at(9, urgency=Urgency.ROUTINE, review_status=ReviewStatus.IN_REVIEW)
    in_review_emergency = at(1, urgency=Urgency.EMERGENCY, review_status=ReviewStatus.IN_REVIEW)
    new_routine_older = at(3, urgency=Urgency.ROUTINE)
    new_routine_newer = at(1, urgency=Urgency.ROUTINE)
    new_next_visit = at(0, urgency=Urgency.NEXT_VISIT)
    new_soon = at(2, urgency=Urgency.SOON)
    new_today = at(5, urgency=Urgency.TODAY)
    new_emergency = at(10, urgency=Urgency.EMERGENCY)

    response = signed_in(make_clinician()).get(CHANGELIST)

    assert listed(response) == [
        new_emergency,
        new_today,
        new_soon,
        new_next_visit,
        new_routine_newer,
        new_routine_older,
        in_review_emergency,
        in_review_routine,
        follow_up_today,
        reviewed_emergency,
    ]


def test_the_queue_shows_urgency_and_pattern_in_words():
    clinician = make_clinician()
    screening = make_screening(answers=POSSIBLE_OIH, urgency=Urgency.EMERGENCY)
    make_screening(
        review_status=ReviewStatus.REVIEWED, reviewed_by=clinician, reviewed_at=timezone.now()
    )

    response = signed_in(clinician).get(CHANGELIST)

    for heading in ["Reference code", "Submitted", "Urgency", "Pattern", "Review status"]:
        assertContains(response, f">{heading}</a>")
    assertContains(response, "Reviewed by")
    assertContains(response, screening.display_reference)
    assertContains(response, '<span class="urgency urgency-0">Emergency</span>', html=True)
    assertContains(response, '<td class="field-pattern_label">Possible OIH pattern</td>', html=True)
    assertContains(response, '<td class="field-pattern_label">No pattern</td>', html=True)
    assertContains(response, '<td class="field-review_status">Reviewed</td>', html=True)
    assertContains(response, '<td class="field-reviewed_by nowrap">clinician</td>', html=True)


@pytest.fixture
def varied_screenings() -> dict[str, Screening]:
    """Four screenings that differ in urgency, pattern, review status and date."""
    now = timezone.now()
    return {
        "old emergency": make_screening(
            answers=make_answers(breathing="overdose_signs"),
            created_at=now - datetime.timedelta(days=40),
        ),
        "new possible oih": make_screening(answers=POSSIBLE_OIH, created_at=now),
        "reviewed no pattern": make_screening(
            review_status=ReviewStatus.REVIEWED,
            created_at=now - datetime.timedelta(days=2),
        ),
        "follow-up no pattern": make_screening(
            review_status=ReviewStatus.FOLLOW_UP,
            created_at=now - datetime.timedelta(days=20),
        ),
    }


FILTERS = [
    pytest.param({"urgency__exact": Urgency.EMERGENCY}, {"old emergency"}, id="urgency"),
    pytest.param({"urgency__exact": Urgency.SOON}, {"new possible oih"}, id="urgency-soon"),
    pytest.param({"pattern__exact": Pattern.POSSIBLE_OIH}, {"new possible oih"}, id="pattern"),
    pytest.param(
        {"pattern__exact": Pattern.NO_PATTERN},
        {"reviewed no pattern", "follow-up no pattern"},
        id="pattern-no-pattern",
    ),
    pytest.param(
        {"review_status__exact": ReviewStatus.NEW},
        {"old emergency", "new possible oih"},
        id="review-status-new",
    ),
    pytest.param(
        {"review_status__exact": ReviewStatus.FOLLOW_UP},
        {"follow-up no pattern"},
        id="review-status-follow-up",
    ),
    pytest.param(
        {"created_at__gte": "DAYS_AGO_7"},
        {"new possible oih", "reviewed no pattern"},
        id="submitted-last-7-days",
    ),
    pytest.param(
        {"pattern__exact": Pattern.NO_PATTERN, "review_status__exact": ReviewStatus.REVIEWED},
        {"reviewed no pattern"},
        id="pattern-and-review-status",
    ),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_filters_narrow_the_queue(varied_screenings, params: dict, expected: set[str]):
    if params.get("created_at__gte") == "DAYS_AGO_7":
        week_ago = timezone.now() - datetime.timedelta(days=7)
        params = {"created_at__gte": week_ago.isoformat(sep=" ", timespec="seconds")}

    response = signed_in(make_clinician()).get(CHANGELIST, params)

    assert response.status_code == HTTPStatus.OK
    names = {name for name, s in varied_screenings.items() if s in listed(response)}
    assert names == expected


def test_the_filters_include_every_urgency_and_review_status_by_name(varied_screenings):
    response = signed_in(make_clinician()).get(CHANGELIST)
    for label in [*Urgency.labels, *ReviewStatus.labels, *Pattern.labels]:
        assertContains(response, escape(label))


@pytest.fixture
def coded() -> Screening:
    """The screening to find, beside one whose code differs in the last character."""
    make_screening(reference_code="ACDE3476")
    return make_screening(reference_code="ACDE3479")


@pytest.mark.parametrize(
    "typed",
    ["ACDE3479", "acde 3479", "ACDE-3479", " acde-3479 ", "a c d e - 3 4 7 9", "acde\t3479"],
    ids=["as-stored", "lower-case-space", "dash", "padded", "spread-out", "tab"],
)
def test_search_by_reference_code_forgives_case_spaces_and_dashes(coded, typed: str):
    response = signed_in(make_clinician()).get(CHANGELIST, {"q": typed})
    assert response.status_code == HTTPStatus.OK
    assert listed(response) == [coded]


@pytest.mark.parametrize(
    "typed",
    [
        "zzzz-9999",
        "ACD",
        "ACDF347",
        "ACDE34799",
        "ACFF3479",
        "'; DROP TABLE screening_screening; --",
        "x" * 300,
    ],
    ids=["nonsense", "too-short", "wrong-start", "too-long", "two-typos", "sql", "very-long"],
)
def test_a_search_that_matches_no_code_finds_nothing(coded, typed: str):
    response = signed_in(make_clinician()).get(CHANGELIST, {"q": typed})
    assert response.status_code == HTTPStatus.OK
    assert listed(response) == []


@pytest.mark.parametrize(
    "typed",
    ["ACDE", "acde-3", "ACDE 347", "ACDE-347"],
    ids=["four", "five-with-dash", "seven-spaced", "seven-dashed"],
)
def test_the_start_of_a_code_from_four_characters_finds_every_code_it_starts(coded, typed: str):
    make_screening(reference_code="ACDF3479")  # starts differently
    response = signed_in(make_clinician()).get(CHANGELIST, {"q": typed})
    assert {s.reference_code for s in listed(response)} == {"ACDE3476", "ACDE3479"}


@pytest.mark.parametrize(
    "typed",
    ["XCDE3479", "acde-34x9", "ACDE347Y", "ACOE3479"],
    ids=["first", "middle", "last", "not-in-the-alphabet"],
)
def test_a_whole_code_with_one_mistyped_character_finds_the_screening(typed: str):
    wanted = make_screening(reference_code="ACDE3479")
    make_screening(reference_code="ACDE4479")  # two characters off "ACDE347Y" etc.
    response = signed_in(make_clinician()).get(CHANGELIST, {"q": typed})
    assert listed(response) == [wanted]


def test_an_exact_code_finds_only_itself_not_its_one_character_neighbours(coded):
    response = signed_in(make_clinician()).get(CHANGELIST, {"q": "ACDE-3479"})
    assert listed(response) == [coded]


def test_a_mistyped_code_finds_every_code_one_character_away(coded):
    response = signed_in(make_clinician()).get(CHANGELIST, {"q": "ACDE3473"})
    assert {s.reference_code for s in listed(response)} == {"ACDE3476", "ACDE3479"}


@pytest.mark.parametrize("typed", ["", "   ", "-", "%", "_"])
def test_a_search_with_no_letters_or_digits_is_the_empty_search(coded, typed: str):
    # Spaces and dashes are forgiven, so nothing but them is no search at all: the whole
    # queue, as Django shows for a blank search.
    response = signed_in(make_clinician()).get(CHANGELIST, {"q": typed})
    assert response.status_code == HTTPStatus.OK
    assert len(listed(response)) == 2


# --- Reviewing --------------------------------------------------------------------------


def test_saving_a_review_records_who_and_when():
    clinician = make_clinician()
    screening = make_screening()
    before = timezone.now()

    response = signed_in(clinician).post(
        change_url(screening),
        {"review_status": ReviewStatus.FOLLOW_UP, "review_note": "Call back on Monday."},
    )

    assert response.status_code == HTTPStatus.FOUND
    screening.refresh_from_db()
    assert screening.review_status == ReviewStatus.FOLLOW_UP
    assert screening.review_note == "Call back on Monday."
    assert screening.reviewed_by == clinician
    assert before <= screening.reviewed_at <= timezone.now()


def test_reviews_and_deletions_leave_no_reference_code_in_the_admin_log_or_a_cookie():
    reviewed, deleted = make_screening(), make_screening()
    clinician = signed_in(make_clinician())
    response = clinician.post(
        change_url(reviewed), {"review_status": ReviewStatus.FOLLOW_UP, "review_note": ""}
    )
    assert response.status_code == HTTPStatus.FOUND
    assertContains(clinician.get(response["Location"]), reviewed.display_reference)
    superuser = signed_in(make_superuser())
    response = superuser.post(delete_url(deleted), {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert not Screening.objects.filter(pk=deleted.pk).exists()

    assert not LogEntry.objects.exists()
    for browser in (clinician, superuser):
        assert "messages" not in browser.cookies
    # The audit trail still says who did what.
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).exists()


def test_saving_without_changes_records_no_review():
    screening = make_screening()
    response = signed_in(make_clinician()).post(
        change_url(screening), {"review_status": ReviewStatus.NEW, "review_note": ""}
    )
    assert response.status_code == HTTPStatus.FOUND
    screening.refresh_from_db()
    assert screening.reviewed_by is None
    assert screening.reviewed_at is None


def test_an_unknown_review_status_is_refused():
    screening = make_screening()
    response = signed_in(make_clinician()).post(change_url(screening), {"review_status": 9})
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["review_status"]
    screening.refresh_from_db()
    assert screening.review_status == ReviewStatus.NEW


def test_a_filtered_queue_survives_saving_a_review():
    emergency = make_screening(urgency=Urgency.EMERGENCY)
    other_emergency = make_screening(urgency=Urgency.EMERGENCY)
    make_screening(urgency=Urgency.ROUTINE)
    client = signed_in(make_clinician())
    filters = urlencode({"urgency__exact": Urgency.EMERGENCY})
    # The admin carries the list's filters on the link to the screening page.
    queue = client.get(f"{CHANGELIST}?{filters}")
    preserved = urlencode({"_changelist_filters": filters})
    assertContains(queue, escape(f"{change_url(emergency)}?{preserved}"))

    response = client.post(
        f"{change_url(emergency)}?{preserved}",
        {"review_status": ReviewStatus.REVIEWED, "review_note": ""},
        follow=True,
    )

    assert response.redirect_chain == [(f"{CHANGELIST}?{filters}", HTTPStatus.FOUND)]
    assert set(listed(response)) == {emergency, other_emergency}
    assert response.context["cl"].get_filters_params() == {
        "urgency__exact": [str(Urgency.EMERGENCY.value)]
    }


def test_mark_reviewed_marks_only_the_selected_screenings():
    clinician = make_clinician()
    first, second, untouched = make_screening(), make_screening(), make_screening()

    response = signed_in(clinician).post(CHANGELIST, action("mark_reviewed", first, second))

    assert response.status_code == HTTPStatus.FOUND
    for screening in (first, second):
        screening.refresh_from_db()
        assert screening.review_status == ReviewStatus.REVIEWED
        assert screening.reviewed_by == clinician
        assert screening.reviewed_at is not None
    untouched.refresh_from_db()
    assert untouched.review_status == ReviewStatus.NEW
    assert untouched.reviewed_by is None


def opened(client: Client, screening: Screening) -> dict[str, str]:
    """The review form as the screening's page shows it, to be filled in and sent later."""
    form = client.get(change_url(screening)).context["adminform"].form
    return {"opened_version": form["opened_version"].value()}


def test_a_review_saved_from_a_page_opened_before_a_colleagues_review_is_refused():
    screening = make_screening()
    alice, bob = signed_in(make_clinician("alice")), signed_in(make_clinician("bob"))
    alices_page, bobs_page = opened(alice, screening), opened(bob, screening)
    alice.post(
        change_url(screening),
        {**alices_page, "review_status": ReviewStatus.FOLLOW_UP, "review_note": "Call today."},
    )

    response = bob.post(
        change_url(screening), {**bobs_page, "review_status": ReviewStatus.REVIEWED}
    )

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "alice changed this review after you opened the page.")
    assertContains(response, "It is now “Needs follow-up”.")
    screening.refresh_from_db()
    assert (screening.review_status, screening.review_note, screening.reviewed_by.username) == (
        ReviewStatus.FOLLOW_UP,
        "Call today.",
        "alice",
    )
    # Reloaded, Bob's page shows Alice's review, and his change then goes through.
    response = bob.post(
        change_url(screening),
        {**opened(bob, screening), "review_status": ReviewStatus.REVIEWED, "review_note": "Done."},
    )
    assert response.status_code == HTTPStatus.FOUND
    screening.refresh_from_db()
    assert (screening.review_status, screening.reviewed_by.username) == (
        ReviewStatus.REVIEWED,
        "bob",
    )


@pytest.mark.django_db(transaction=True)
def test_two_reviews_sent_at_the_same_moment_from_one_page_version_save_one(seed_content):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writes; the race needs PostgreSQL.")
    screening = make_screening()
    clients = [signed_in(make_clinician(name)) for name in ("alice", "bob")]
    pages = [opened(client, screening) for client in clients]
    posts = iter(zip(clients, pages, ["From alice.", "From bob."], strict=True))

    def review() -> int:
        client, page, note = next(posts)
        form = {**page, "review_status": ReviewStatus.REVIEWED, "review_note": note}
        return client.post(change_url(screening), form).status_code

    assert sorted(all_at_once(review, times=2)) == [HTTPStatus.OK, HTTPStatus.FOUND]
    screening.refresh_from_db()
    assert screening.review_note == f"From {screening.reviewed_by.username}."


def test_mark_reviewed_leaves_a_colleagues_review_as_it_was():
    followed_up, new = make_screening(), make_screening()
    alice = make_clinician("alice")
    signed_in(alice).post(
        change_url(followed_up),
        {"review_status": ReviewStatus.FOLLOW_UP, "review_note": "Call today."},
    )

    response = signed_in(make_clinician("bob")).post(
        CHANGELIST, action("mark_reviewed", followed_up, new), follow=True
    )

    assertContains(response, "1 marked reviewed.")
    assertContains(response, "1 left as it was: its review had already been changed.")
    followed_up.refresh_from_db()
    new.refresh_from_db()
    assert (followed_up.review_status, followed_up.reviewed_by) == (ReviewStatus.FOLLOW_UP, alice)
    assert new.review_status == ReviewStatus.REVIEWED


# --- The screening page -----------------------------------------------------------------

SEVERE_POSSIBLE_OIH = {**POSSIBLE_OIH, "pain_average": 8, "pain_enjoyment": 7, "pain_activity": 7}


def test_the_screening_page_shows_answers_in_the_patients_words():
    screening = make_screening(answers=SEVERE_POSSIBLE_OIH)

    response = signed_in(make_clinician()).get(change_url(screening))

    answered = [q for q in QUESTIONS if q.id in screening.answers]
    skipped = [q for q in QUESTIONS if q.id not in screening.answers]
    assert skipped, "the example should leave a question out"
    for question in answered:
        labels = "; ".join(question.answer_labels(screening.answers[question.id]))
        assertContains(
            response,
            f"<tr><td>{escape(question.text)}</td><td>{escape(labels)}</td></tr>",
            html=True,
        )
    for question in skipped:
        assertContains(
            response,
            f"<tr><td>{escape(question.text)}</td>"
            "<td><em>Skipped (not shown to the patient)</em></td></tr>",
            html=True,
        )
    assertContains(response, "Skipped (not shown to the patient)", count=len(skipped))
    # Codes are never what a clinician reads.
    assertNotContains(response, "before_next_dose")


def test_the_screening_page_shows_findings_assessment_versions_and_pain_scores():
    screening = make_screening(answers=SEVERE_POSSIBLE_OIH)

    response = signed_in(make_clinician()).get(change_url(screening))

    findings = [Finding(item["finding"]) for item in screening.findings]
    assert Finding.WORSE_AFTER_INCREASE in findings
    for finding in findings:
        assertContains(response, escape(CLINICIAN_FINDINGS[finding]))
    # Worded for clinicians, with the codes behind it; not "You said...".
    assertContains(response, "Pain worse after dose increase")
    assertContains(response, "(after_increase=worse)")
    assertNotContains(response, "You said your pain got worse")
    assertContains(response, screening.display_reference)
    assertContains(response, screening.get_urgency_display())
    assertContains(response, "Possible OIH pattern")
    assertContains(response, "questionnaire 2, rules 2, language en, country US")
    assertContains(response, "average 8, enjoyment 7, activity 7; mean 7.3")


def test_the_screening_page_shows_the_notes_the_patient_was_shown():
    answers = {**SEVERE_POSSIBLE_OIH, "health_change": "yes", "control": "yes"}
    screening = make_screening(answers=answers)
    response = signed_in(make_clinician()).get(change_url(screening))
    for note in (
        "Taking more than prescribed raises the risk of an overdose.",
        "Severe pain deserves a plan made with a clinician.",
        "1-800-662-4357",  # the confidential help line of the screening's country
    ):
        assertContains(response, note)


def test_the_notes_shown_are_read_from_the_screening_never_worked_out_again():
    """A screening keeps the notes its patient read, whatever the rules say today."""
    screening = make_screening(answers=SEVERE_POSSIBLE_OIH)
    Screening.objects.filter(pk=screening.pk).update(notes=["health_change_first", "footer"])
    response = signed_in(make_clinician()).get(change_url(screening))
    assertContains(response, "Ask your doctor to check this first.")
    assertNotContains(response, "Severe pain deserves a plan made with a clinician.")


def test_times_are_shown_in_the_clinics_time_zone_and_name_it(settings):
    settings.TIME_ZONE = "America/New_York"
    screening = make_screening()
    Screening.objects.filter(pk=screening.pk).update(
        created_at=datetime.datetime(2026, 11, 25, 3, 30, tzinfo=datetime.UTC)
    )
    response = signed_in(make_clinician()).get(change_url(screening))
    # 03:30 UTC is still the evening before in New York.
    assertContains(response, "Nov. 24, 2026, 10:30 p.m. EST")


def test_the_screening_page_says_when_pain_was_not_asked():
    screening = make_screening(answers=make_answers(opioid_use="sometimes"))
    response = signed_in(make_clinician()).get(change_url(screening))
    assertContains(response, "Not asked")


# --- Queries per page do not grow with rows ---------------------------------------------


def add_screenings(count: int, reviewer: User) -> None:
    """``count`` more stored screenings across every status, urgency and pattern."""
    template = make_screening(answers=POSSIBLE_OIH)
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Screening._meta.concrete_fields
        if not f.primary_key
    }
    now = timezone.now()
    Screening.objects.bulk_create(
        Screening(
            **fields
            | {
                "reference_code": new_reference_code(),
                "submission_token": f"bulk-{i}-{new_reference_code()}",
                "created_at": now - datetime.timedelta(hours=i),
                "urgency": Urgency.values[i % len(Urgency.values)],
                "pattern": Pattern.values[i % len(Pattern.values)],
                "review_status": ReviewStatus.values[i % len(ReviewStatus.values)],
                "reviewed_by_id": reviewer.pk if i % 2 else None,
            }
        )
        for i in range(count - 1)
    )


PAGES = {
    "queue": lambda first: CHANGELIST,
    "filtered queue": lambda first: f"{CHANGELIST}?review_status__exact=0",
    "searched queue": lambda first: f"{CHANGELIST}?q={first.reference_code.lower()}",
    "partly searched queue": lambda first: f"{CHANGELIST}?q={first.reference_code[:5]}",
    "screening page": lambda first: change_url(first),
    "summary": lambda first: reverse("admin:index"),
}

# Session, user, the authenticator app that verified the session, two permission lookups,
# the count and the rows (or the screening and its reviewer), and the audit line: 8
# statements per page with 10 rows and with 200. A whole code first looks for itself
# before its one-character neighbours; the screening page reads the reviewer and the
# notes; the summary counts each urgency (6), finds the oldest of three (3) and reads the
# weekly chart (1), and Django reads its recent actions, with no audit line.
QUERY_LIMIT = 8
QUERY_LIMITS = {"searched queue": 9, "screening page": 10, "summary": 16}


# Not named "page": that is pytest-playwright's fixture, and using it would make this a
# browser test, ordered among the transactional ones.
@pytest.mark.parametrize("admin_page", PAGES, ids=[name.replace(" ", "-") for name in PAGES])
def test_queries_per_admin_page_do_not_grow_with_rows(admin_page: str, assert_max_queries):
    clinician = make_clinician()
    client = signed_in(clinician)

    def statements(url: str) -> int:
        client.get(url)  # warm the per-process caches (content types, templates)
        with assert_max_queries(QUERY_LIMITS.get(admin_page, QUERY_LIMIT)) as captured:
            response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        return sum(
            1
            for query in captured.captured_queries
            if not query["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"))
        )

    add_screenings(10, clinician)
    first = Screening.objects.order_by("created_at").first()
    Screening.objects.filter(pk=first.pk).update(reviewed_by=clinician)
    with_10 = statements(PAGES[admin_page](first))
    add_screenings(190, clinician)
    assert Screening.objects.count() == 200
    with_200 = statements(PAGES[admin_page](first))

    assert with_10 == with_200, f"{admin_page}: {with_10} with 10 rows, {with_200} with 200"


def test_the_queue_pages_through_200_rows():
    clinician = make_clinician()
    add_screenings(200, clinician)
    client = signed_in(clinician)
    response = client.get(CHANGELIST, {"p": 4})
    assert response.context["cl"].result_count == 200
    assert len(listed(response)) == 50


def test_the_queue_counts_no_further_than_the_cap(monkeypatch):
    monkeypatch.setattr("screening.admin.COUNT_CAP", 5)
    add_screenings(8, make_clinician())
    response = signed_in(make_clinician("other")).get(CHANGELIST)
    assert response.context["cl"].result_count == 6  # "more than 5"
    assert len(listed(response)) == 8


def test_a_queue_longer_than_the_cap_does_not_claim_an_exact_count(monkeypatch):
    monkeypatch.setattr("screening.admin.COUNT_CAP", 5)
    add_screenings(8, make_clinician())
    response = signed_in(make_clinician("other")).get(CHANGELIST)
    html = response.content.decode()
    paginator = html[html.index('<nav class="paginator"') :]
    paginator = paginator[: paginator.index("</nav>")]
    assert "6 screenings" not in paginator
    assert "More than 5 screenings match" in paginator


# --- CSV export -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("most_days", "most_days"),
        ("a=b", "a=b"),
        (7, "7"),
        (None, ""),
        ("", ""),
    ],
    ids=[
        "equals",
        "plus",
        "minus",
        "at",
        "tab",
        "carriage-return",
        "plain",
        "equals-inside",
        "number",
        "none",
        "empty",
    ],
)
def test_spreadsheet_safe_defuses_formulas(value, expected: str):
    assert spreadsheet_safe(value) == expected


def export_csv(client: Client, *screenings: Screening, url: str = CHANGELIST, **extra):
    response = client.post(url, action("export_csv", *screenings, **extra))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="screenings.csv"'
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_has_a_header_and_one_row_per_selected_screening():
    first = make_screening(answers=SEVERE_POSSIBLE_OIH)
    second = make_screening(urgency=Urgency.EMERGENCY)
    not_selected = make_screening()

    header, *rows = export_csv(signed_in(make_clinician()), first, second)

    assert header == csv_header()
    assert header[: len(CSV_COLUMNS)] == CSV_COLUMNS
    assert header[len(CSV_COLUMNS) :][:2] == ["breathing", "breathing_code"]
    # The code as patients read it out, with its dash.
    assert sorted(row[0] for row in rows) == sorted(
        [first.display_reference, second.display_reference]
    )
    assert not_selected.display_reference not in {row[0] for row in rows}
    by_code = {normalize_reference(row[0]): dict(zip(header, row, strict=True)) for row in rows}
    first_row = by_code[first.reference_code]
    assert first_row["urgency"] == "Within days"
    assert first_row["pattern"] == "Possible OIH pattern"
    assert first_row["review_status"] == "New"
    assert (first_row["rules_version"], first_row["language"], first_row["country"]) == (
        "2",
        "en",
        "US",
    )
    # Answers in words, codes in their own columns.
    assert (first_row["dose_change"], first_row["dose_change_code"]) == (
        "My dose was raised",
        "raised",
    )
    assert (first_row["pain_average"], first_row["pain_average_code"]) == ("8", "8")
    assert (first_row["after_decrease"], first_row["after_decrease_code"]) == ("", "")  # skipped
    assert by_code[second.reference_code]["urgency"] == "Emergency"


def test_csv_export_carries_the_review_and_local_times(settings):
    settings.TIME_ZONE = "America/New_York"
    screening = make_screening()
    alice = make_clinician("alice")
    client = signed_in(alice)
    client.post(
        change_url(screening),
        {"review_status": ReviewStatus.FOLLOW_UP, "review_note": "=Call back Monday."},
    )
    Screening.objects.filter(pk=screening.pk).update(
        created_at=datetime.datetime(2026, 11, 25, 3, 30, tzinfo=datetime.UTC)
    )
    header, row = export_csv(client, screening)
    exported = dict(zip(header, row, strict=True))
    assert exported["created_at"] == "2026-11-24T22:30:00-05:00"
    assert (exported["review_status"], exported["reviewed_by"]) == ("Needs follow-up", "alice")
    assert exported["review_note"] == "'=Call back Monday."  # never run as a formula
    assert exported["reviewed_at"].endswith("-05:00")


def test_csv_export_of_a_filtered_selection_holds_every_matching_row():
    emergencies = {make_screening(urgency=Urgency.EMERGENCY).reference_code for _ in range(3)}
    make_screening(urgency=Urgency.ROUTINE)
    url = f"{CHANGELIST}?urgency__exact={Urgency.EMERGENCY.value}"

    # "Select all" across the filtered list: the action gets the whole filtered queryset.
    first = Screening.objects.filter(reference_code__in=emergencies).first()
    _header, *rows = export_csv(signed_in(make_clinician()), first, url=url, select_across="1")

    assert {normalize_reference(row[0]) for row in rows} == emergencies
    assert len(rows) == len(emergencies)


def test_a_csv_export_holds_exactly_the_screenings_its_audit_line_names():
    emergencies = [make_screening(urgency=Urgency.EMERGENCY) for _ in range(2)]
    url = f"{CHANGELIST}?urgency__exact={Urgency.EMERGENCY.value}"
    selection = action("export_csv", emergencies[0], select_across="1")
    response = signed_in(make_clinician()).post(url, selection)
    # A matching screening saved while the file is still streaming is not in it.
    late = make_screening(urgency=Urgency.EMERGENCY)

    text = b"".join(response.streaming_content).decode()
    exported = {normalize_reference(row[0]) for row in list(csv.reader(io.StringIO(text)))[1:]}
    audited = set(AuditEvent.objects.get(action=AuditEvent.Action.EXPORT).reference_codes)
    assert exported == audited == {s.reference_code for s in emergencies}
    assert late.reference_code not in exported


def test_a_csv_export_larger_than_the_cap_is_refused_and_not_audited(monkeypatch):
    monkeypatch.setattr("screening.admin.EXPORT_CAP", 3)
    screenings = [make_screening() for _ in range(4)]
    client = signed_in(make_clinician())
    response = client.post(CHANGELIST, action("export_csv", screenings[0], select_across="1"))
    assert response.status_code == HTTPStatus.FOUND
    page = client.get(response["Location"])
    assertContains(page, "Choose at most 3 screenings for this action")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    # At the cap, the export goes through and names each screening in the audit line.
    _header, *rows = export_csv(client, *screenings[:3])
    assert len(rows) == 3
    exported = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert sorted(exported.reference_codes) == sorted(s.reference_code for s in screenings[:3])


def test_csv_export_defuses_a_stored_value_that_looks_like_a_formula():
    screening = make_screening(answers=POSSIBLE_OIH)
    # Answers are codes; a row altered outside the site must still not run in a spreadsheet.
    Screening.objects.filter(pk=screening.pk).update(
        answers={**POSSIBLE_OIH, "control": '=HYPERLINK("http://evil.example")'}
    )

    header, row = export_csv(signed_in(make_clinician()), screening)

    assert (
        dict(zip(header, row, strict=True))["control_code"] == '\'=HYPERLINK("http://evil.example")'
    )


# --- The reviewer, the history and refused pages ------------------------------------------


def test_the_reviewer_is_named_as_text_that_a_clinician_need_not_open():
    screening = make_screening()
    alice = make_clinician("alice")
    client = signed_in(alice)
    client.post(
        change_url(screening),
        {"review_status": ReviewStatus.REVIEWED, "review_note": "Seen.", "opened_version": ""},
    )
    response = client.get(change_url(screening))
    assertContains(response, '<div class="readonly">alice</div>', html=True)
    assertNotContains(response, "/admin/auth/user/")


def test_a_refused_staff_page_is_the_sites_styled_page_not_a_bare_403():
    client = signed_in(make_clinician())
    response = client.get(reverse("admin:auth_user_change", args=[make_clinician("bob").pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assertContains(response, "You can't open this page", status_code=403)
    assertContains(response, 'href="/admin/"', status_code=403)


def test_the_history_page_lists_reviews_and_looks_from_the_audit_trail():
    screening = make_screening()
    other = make_screening()
    alice = make_clinician("alice")
    client = signed_in(alice)
    client.get(change_url(screening))
    client.post(
        change_url(screening),
        {"review_status": ReviewStatus.FOLLOW_UP, "review_note": "Call.", "opened_version": ""},
    )
    client.get(change_url(other))
    response = client.get(reverse("admin:screening_screening_history", args=[screening.pk]))
    assert response.status_code == HTTPStatus.OK
    rows = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert "review status: Needs follow-up" in rows
    assert rows.count("<tr>") == 2  # the look and the review; not the other screening's look
    assert "alice" in rows
    # Reading the history is itself in the audit trail.
    assert AuditEvent.objects.naming(screening.reference_code).filter(detail="history").exists()


# --- A screening a patient did in Spanish -------------------------------------------------


def test_a_spanish_screening_reads_in_the_clinics_language_and_names_the_patients(
    pseudo_spanish,
):
    """Pseudo-Spanish (tests/languages.py) tells the two languages apart whatever the
    catalogue holds: every Spanish string has accented vowels."""
    screening = make_screening(answers=POSSIBLE_OIH, language="es")
    client = signed_in(make_clinician())

    response = client.get(change_url(screening))
    assertContains(response, "Spanish")
    assertContains(response, "language es")
    for question in QUESTIONS:
        if question.id in POSSIBLE_OIH:
            with translation.override("en"):
                english = str(question.text)
            with translation.override("es"):
                spanish = str(question.text)
            assertContains(response, escape(english))
            assertNotContains(response, escape(spanish))
    assertContains(response, "Pain worse after dose increase")

    # The queue keeps to the columns that fit a tablet; the language is on the screening's
    # page and in the export.
    header, row = export_csv(client, screening)
    assert row[header.index("language")] == "es"
    dose_change = questionnaire.get("dose_change")
    with translation.override("en"):
        assert row[header.index("dose_change")] == "; ".join(dose_change.answer_labels(["raised"]))


def test_a_spanish_screening_exports_to_fhir_in_the_clinics_language(pseudo_spanish):
    screening = make_screening(answers=POSSIBLE_OIH, language="es")
    client = signed_in(make_clinician())
    response = client.get(reverse("admin:screening_screening_fhir", args=[screening.pk]))
    body = json.loads(response.content)
    assert body["language"] == "en"
    with translation.override("en"):
        assert body["item"][0]["text"] == str(QUESTIONS[0].text)
