"""The clinician's summary, the queue's columns, and working one screening after another."""

from __future__ import annotations

import datetime
from http import HTTPStatus
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from screening import admin as screening_admin
from screening.models import ReviewNote, ReviewStatus, Screening, Urgency
from screening.services import new_reference_code
from tests.factories import make_answers, make_screening
from tests.screening.staff import make_clinician, make_editor, signed_in

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
CHANGELIST = reverse("admin:screening_screening_changelist")


def change_url(screening: Screening) -> str:
    return reverse("admin:screening_screening_change", args=[screening.pk])


def at(urgency: Urgency, hours_ago: float, **overrides) -> Screening:
    created = timezone.now() - datetime.timedelta(hours=hours_ago)
    return make_screening(urgency=urgency, created_at=created, **overrides)


# --- The summary ------------------------------------------------------------------------


def test_the_summary_counts_unreviewed_screenings_by_urgency_with_links_to_the_queue():
    at(Urgency.EMERGENCY, 1)
    at(Urgency.EMERGENCY, 2)
    at(Urgency.EMERGENCY, 3, review_status=ReviewStatus.REVIEWED)
    at(Urgency.ROUTINE, 1)
    response = signed_in(make_clinician()).get(INDEX)
    html = response.content.decode()
    counts = html[html.index('<ul class="summary-counts">') :]
    counts = counts[: counts.index("</ul>")]
    assert '<span class="summary-number">2</span> <span class="urgency urgency-0">' in counts
    assert '<span class="summary-number">1</span> <span class="urgency urgency-5">' in counts
    assert '<span class="summary-number">0</span> <span class="urgency urgency-1">' in counts
    assertContains(response, f"{CHANGELIST}?review_status__exact=0&amp;urgency__exact=0")


def test_the_summary_caps_its_counts(monkeypatch):
    monkeypatch.setattr(screening_admin, "COUNT_CAP", 2)
    for hours in range(4):
        at(Urgency.TODAY, hours)
    response = signed_in(make_clinician()).get(INDEX)
    assertContains(response, "more than 2")


def test_the_summary_names_the_oldest_unreviewed_emergency_and_how_long_it_has_waited():
    at(Urgency.EMERGENCY, 1)
    oldest = at(Urgency.EMERGENCY, 50)
    at(Urgency.EMERGENCY, 70, review_status=ReviewStatus.REVIEWED)
    response = signed_in(make_clinician()).get(INDEX)
    html = response.content.decode()
    assert oldest.display_reference in html
    assert change_url(oldest) in html
    assert "2\xa0days, 2\xa0hours" in html


def test_the_summary_charts_twelve_weeks_with_a_table_of_the_same_numbers():
    # A Wednesday noon: an hour earlier is the same week (on a Monday just after midnight it
    # was the week before, and the screenings fell out of the last row).
    wednesday = datetime.datetime(2026, 12, 9, 12, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=wednesday):
        at(Urgency.EMERGENCY, 1)
        at(Urgency.ROUTINE, 1)
        at(Urgency.ROUTINE, 24 * 7 * 20)  # older than the chart
        response = signed_in(make_clinician()).get(INDEX)
    html = response.content.decode()
    assert html.count('<rect class="bar') == 2
    assert 'role="img"' in html
    table = html[html.index('<table class="summary-weeks">') :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row">') == 12
    last_row = table[table.rindex("<tr>") :]
    assert last_row.strip().endswith(
        "<td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>2</td></tr></tbody>"
    )


def test_editors_see_no_screening_summary():
    at(Urgency.EMERGENCY, 1)
    response = signed_in(make_editor()).get(INDEX)
    assert response.status_code == HTTPStatus.OK
    assertNotContains(response, "Screenings waiting for review")


# --- The queue --------------------------------------------------------------------------


def test_the_queue_shows_urgency_as_a_badge_and_how_long_unreviewed_work_has_waited():
    at(Urgency.EMERGENCY, 26)
    response = signed_in(make_clinician()).get(CHANGELIST)
    assertContains(response, '<span class="urgency urgency-0">Emergency</span>', html=True)
    assertContains(response, "1\xa0day")
    assertContains(response, "waiting")


# --- A screening's page -----------------------------------------------------------------


def review(client, screening: Screening, note: str = "", *, status=ReviewStatus.IN_REVIEW, **extra):
    """Post the review form as opened now (with the review's current version)."""
    screening.refresh_from_db()
    opened = screening.reviewed_at.isoformat() if screening.reviewed_at else ""
    data = {"review_status": status, "review_note": note, "opened_version": opened, **extra}
    return client.post(change_url(screening), data)


def test_a_new_note_adds_to_the_earlier_ones_with_who_and_when():
    screening = make_screening()
    alice, bob = make_clinician("alice"), make_clinician("bob")
    review(signed_in(alice), screening, "Left a message.")
    review(signed_in(bob), screening, "Called back, booked.", status=ReviewStatus.REVIEWED)
    notes = list(ReviewNote.objects.filter(screening=screening).order_by("at"))
    assert [(n.author.username, n.text) for n in notes] == [
        ("alice", "Left a message."),
        ("bob", "Called back, booked."),
    ]
    screening.refresh_from_db()
    assert screening.review_note == "Called back, booked."
    page = signed_in(alice).get(change_url(screening)).content.decode()
    assert page.index("Called back, booked.") < page.index("Left a message.")
    assert "alice" in page
    assert "bob" in page


def test_a_review_without_a_note_keeps_the_notes_as_they_were():
    screening = make_screening()
    client = signed_in(make_clinician())
    review(client, screening, "First.")
    review(client, screening, "", status=ReviewStatus.REVIEWED)
    assert ReviewNote.objects.filter(screening=screening).count() == 1
    screening.refresh_from_db()
    assert screening.review_note == "First."


def test_notes_go_with_their_screening():
    screening = make_screening()
    review(signed_in(make_clinician()), screening, "Noted.")
    Screening.objects.filter(pk=screening.pk).delete()
    assert not ReviewNote.objects.exists()


def test_the_review_form_comes_first_on_the_page():
    screening = make_screening()
    html = signed_in(make_clinician()).get(change_url(screening)).content.decode()
    assert html.index('name="review_status"') < html.index('class="answers')


def test_save_and_next_opens_the_next_unreviewed_screening_in_queue_order():
    first = at(Urgency.EMERGENCY, 1)
    at(Urgency.TODAY, 1, review_status=ReviewStatus.REVIEWED)
    second = at(Urgency.TODAY, 2)
    third = at(Urgency.ROUTINE, 1)
    client = signed_in(make_clinician())
    response = review(client, first, status=ReviewStatus.REVIEWED, _savenext="1")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == change_url(second)
    response = review(client, second, status=ReviewStatus.REVIEWED, _savenext="1")
    assert response["Location"] == change_url(third)
    response = review(client, third, status=ReviewStatus.REVIEWED, _savenext="1")
    assert response["Location"] == CHANGELIST


def test_save_and_next_from_the_end_of_the_queue_goes_back_to_its_start():
    first = at(Urgency.EMERGENCY, 1)
    last = at(Urgency.ROUTINE, 1)
    response = review(signed_in(make_clinician()), last, status=ReviewStatus.NEW, _savenext="1")
    assert response["Location"] == change_url(first)


def test_the_screening_page_offers_save_and_next_and_the_fhir_download():
    screening = make_screening()
    response = signed_in(make_clinician()).get(change_url(screening))
    assertContains(response, 'name="_savenext"')
    assertContains(response, reverse("admin:screening_screening_fhir", args=[screening.pk]))


@pytest.mark.parametrize(
    ("country", "number", "crisis"), [("US", "911", "988"), ("GB", "999", "Samaritans")]
)
def test_an_emergency_screening_shows_what_the_patient_was_shown(country, number, crisis):
    screening = make_screening(answers=make_answers(self_harm="now"), country=country)
    assert screening.urgency == Urgency.EMERGENCY
    response = signed_in(make_clinician()).get(change_url(screening))
    assertContains(response, "What the patient was shown for the emergency")
    assertContains(response, f"call {number}")
    assertContains(response, crisis)
    assertContains(response, "Thoughts of self-harm")
    assertNotContains(response, "New weakness, numbness")


def test_a_screening_that_was_no_emergency_has_no_emergency_panel():
    response = signed_in(make_clinician()).get(change_url(make_screening()))
    assertNotContains(response, "What the patient was shown for the emergency")


# --- Reference search stays an index lookup (PostgreSQL) --------------------------------


def fill(count: int) -> None:
    """``count`` screenings with random codes, and fresh planner statistics."""
    template = make_screening()
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Screening._meta.concrete_fields
        if not f.primary_key
    }
    Screening.objects.bulk_create(
        Screening(**fields | {"reference_code": new_reference_code(), "submission_token": f"t{i}"})
        for i in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE screening_screening")


@pytest.mark.parametrize(
    "typed",
    ["ACDE", "ACDE347", "ACDE3479", "ACDE3473"],
    ids=["start-4", "start-7", "exact", "one-typo"],
)
def test_a_reference_search_reads_the_unique_index_not_the_table(typed):
    if connection.vendor != "postgresql":
        pytest.skip("The query plan is PostgreSQL's.")
    fill(20_000)
    make_screening(reference_code="ACDE3479")
    # As the queue asks for it: in the queue's order.
    plan = Screening.objects.codes_like(typed).in_queue_order().explain()
    assert "screening_screening_reference_code" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"].endswith(".svg")


def test_the_chart_counts_this_week_live_and_keeps_finished_weeks_a_while():
    now = timezone.now()
    today = timezone.localtime(now).date()
    this_monday = today - datetime.timedelta(days=today.weekday())
    last_week = timezone.make_aware(
        datetime.datetime.combine(this_monday - datetime.timedelta(days=3), datetime.time(12))
    )
    make_screening(urgency=Urgency.ROUTINE, created_at=last_week)
    first = screening_admin.weekly_chart(now)["weeks"]
    assert [row["total"] for row in first[-2:]] == [1, 0]
    make_screening(urgency=Urgency.ROUTINE, created_at=last_week)
    make_screening(urgency=Urgency.ROUTINE)
    again = screening_admin.weekly_chart(timezone.now())["weeks"]
    assert [row["total"] for row in again[-2:]] == [1, 1]


@pytest.mark.django_db(transaction=True)
def test_migration_0011_makes_each_earlier_review_note_the_first_of_its_history():
    from django.db.migrations.executor import MigrationExecutor

    before = ("screening", "0010_review_notes")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old_apps = executor.loader.project_state([before]).apps
    reviewer = old_apps.get_model("auth", "User").objects.create(username="earlier")
    old_screening = old_apps.get_model("screening", "Screening")
    fields = {
        "questionnaire_version": "2",
        "rules_version": "2",
        "language": "en",
        "country": "US",
        "answers": {},
        "urgency": Urgency.ROUTINE,
        "pattern": "no_pattern",
    }
    reviewed_at = timezone.now() - datetime.timedelta(days=2)
    old_screening.objects.create(
        reference_code="ACDE3479",
        submission_token="a",
        review_note="Called, fine.",
        reviewed_by_id=reviewer.pk,
        reviewed_at=reviewed_at,
        **fields,
    )
    old_screening.objects.create(reference_code="ACDE3476", submission_token="b", **fields)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    note = ReviewNote.objects.get()
    assert (note.screening.reference_code, note.text) == ("ACDE3479", "Called, fine.")
    assert (note.author.username, note.at) == ("earlier", reviewed_at)
