"""The audit trail: who listed, viewed, exported, reviewed or deleted which screenings."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from http import HTTPStatus

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from screening.models import AuditEvent, ReviewStatus, Screening, Urgency
from tests.factories import POSSIBLE_OIH, make_answers, make_screening, submit
from tests.screening.staff import make_clinician, make_editor, make_superuser, signed_in

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:screening_screening_changelist")
AUDIT_CHANGELIST = reverse("admin:screening_auditevent_changelist")


def events_during(do: Callable[[], object]) -> list[AuditEvent]:
    """The audit events written while ``do`` ran, oldest first."""
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    do()
    return list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))


def only_event(do: Callable[[], object]) -> AuditEvent:
    events = events_during(do)
    assert len(events) == 1, [(e.actor, e.action, e.detail) for e in events]
    event = events[0]
    assert timezone.now() - event.at < datetime.timedelta(minutes=1)
    return event


# --- One event for every look and every change -------------------------------------------


def test_listing_the_queue_records_the_codes_on_the_page():
    screenings = [make_screening() for _ in range(55)]
    client = signed_in(make_clinician())

    event = only_event(lambda: client.get(CHANGELIST, {"review_status__exact": 0, "p": 2}))

    assert (event.actor, event.action) == ("clinician", AuditEvent.Action.LIST)
    assert event.detail == "review_status__exact=*&p=2"
    # The second page of 50: the five oldest, in the order shown.
    oldest_five = sorted(screenings, key=lambda s: (s.created_at, s.pk))[:5][::-1]
    assert event.reference_codes == [s.reference_code for s in oldest_five]


def test_a_filtered_listing_records_which_filters_but_not_their_values():
    emergency = make_screening(answers=make_answers(self_harm="now"))
    client = signed_in(make_clinician())
    event = only_event(
        lambda: client.get(CHANGELIST, {"urgency__exact": 0, "pattern__exact": "not_assessed"})
    )
    assert event.reference_codes == [emergency.reference_code]
    assert event.detail == "urgency__exact=*&pattern__exact=*"


def test_a_search_that_finds_nothing_is_still_recorded():
    make_screening()
    client = signed_in(make_clinician())
    event = only_event(lambda: client.get(CHANGELIST, {"q": "zzzz-zzzz"}))
    assert (event.action, event.reference_codes, event.detail) == ("list", [], "q=zzzz-zzzz")


def change_url(screening: Screening) -> str:
    return reverse("admin:screening_screening_change", args=[screening.pk])


def run_action(name: str, *screenings: Screening) -> Callable[[Client], object]:
    def post(client: Client):
        response = client.post(
            CHANGELIST, {"action": name, "_selected_action": [s.pk for s in screenings]}
        )
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response

    return post


# Each: what the clinician does to screenings (a, b), the action and detail recorded, and
# which of the two screenings it names.
CLINICIAN_ACTIONS = {
    "view": (lambda a, b: lambda c: c.get(change_url(a)), "view", "", "a"),
    "csv export": (lambda a, b: run_action("export_csv", a, b), "export", "csv", "ab"),
    "fhir export": (
        lambda a, b: lambda c: c.get(reverse("admin:screening_screening_fhir", args=[a.pk])),
        "export",
        "fhir",
        "a",
    ),
    "fhir bundle export": (
        lambda a, b: run_action("export_fhir", a, b),
        "export",
        "fhir bundle",
        "ab",
    ),
    "review change": (
        lambda a, b: (
            lambda c: c.post(
                change_url(a), {"review_status": ReviewStatus.FOLLOW_UP, "review_note": "Call."}
            )
        ),
        "change",
        "review status: Needs follow-up",
        "a",
    ),
    "bulk mark reviewed": (
        lambda a, b: run_action("mark_reviewed", a, b),
        "change",
        "bulk: marked reviewed",
        "ab",
    ),
}


@pytest.mark.parametrize(
    "name", CLINICIAN_ACTIONS, ids=[name.replace(" ", "-") for name in CLINICIAN_ACTIONS]
)
def test_each_clinician_action_is_recorded_once(name: str):
    a = make_screening(answers=POSSIBLE_OIH, urgency=Urgency.EMERGENCY)
    b = make_screening()
    make_screening()  # never named
    request, action, detail, named = CLINICIAN_ACTIONS[name]
    client = signed_in(make_clinician())

    event = only_event(lambda: request(a, b)(client))

    assert (event.actor, event.action, event.detail) == ("clinician", action, detail)
    expected = {"a": a.reference_code, "b": b.reference_code}
    assert sorted(event.reference_codes) == sorted(expected[key] for key in named)


def test_saving_an_unchanged_review_records_nothing():
    screening = make_screening()
    client = signed_in(make_clinician())
    events = events_during(
        lambda: client.post(change_url(screening), {"review_status": 0, "review_note": ""})
    )
    assert events == []


def test_a_superuser_deleting_a_screening_is_recorded():
    screening = make_screening()
    client = signed_in(make_superuser())
    delete_url = reverse("admin:screening_screening_delete", args=[screening.pk])

    event = only_event(lambda: client.post(delete_url, {"post": "yes"}))

    assert not Screening.objects.filter(pk=screening.pk).exists()
    assert (event.actor, event.action, event.reference_codes) == (
        "admin",
        AuditEvent.Action.DELETE,
        [screening.reference_code],
    )


def test_a_superuser_deleting_in_bulk_records_each_screening_in_one_line():
    doomed = [make_screening(), make_screening()]
    kept = make_screening()
    client = signed_in(make_superuser())

    events = events_during(
        lambda: client.post(
            CHANGELIST,
            {
                "action": "delete_selected",
                "_selected_action": [s.pk for s in doomed],
                "post": "yes",
            },
        )
    )

    assert list(Screening.objects.all()) == [kept]
    [event] = events
    assert (event.actor, event.action, event.detail) == ("admin", "delete", "bulk delete")
    assert sorted(event.reference_codes) == sorted(s.reference_code for s in doomed)


def test_a_bulk_delete_costs_the_same_statements_for_2_screenings_as_for_20():
    client = signed_in(make_superuser())

    def statements_to_delete(count: int) -> int:
        doomed = [make_screening() for _ in range(count)]
        data = {"action": "delete_selected", "_selected_action": [s.pk for s in doomed]}
        with CaptureQueriesContext(connection) as queries:
            client.post(CHANGELIST, {**data, "post": "yes"})
        assert not Screening.objects.exists()
        return len(queries)

    statements_to_delete(1)  # the first request of a session does a few things once
    assert statements_to_delete(2) == statements_to_delete(20)


def test_the_bulk_delete_confirmation_lists_the_screenings_and_deletes_nothing():
    doomed = [make_screening(), make_screening()]
    client = signed_in(make_superuser())
    response = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [s.pk for s in doomed]}
    )
    assert response.status_code == HTTPStatus.OK
    for screening in doomed:
        assertContains(response, screening.display_reference)
    assert Screening.objects.count() == len(doomed)


def test_a_patient_deleting_their_answers_is_recorded(client):
    submit(client, POSSIBLE_OIH, privacy="save")
    screening = Screening.objects.get()

    event = only_event(lambda: client.post("/check/delete/"))

    assert (event.actor, event.action, event.reference_codes) == (
        "patient",
        AuditEvent.Action.DELETE,
        [screening.reference_code],
    )


# --- The trail itself is read-only, and only superusers read it ---------------------------


@pytest.fixture
def event() -> AuditEvent:
    return AuditEvent.objects.create(
        actor="clinician", action=AuditEvent.Action.VIEW, reference_codes=["ACDE3479"]
    )


def test_superusers_read_the_audit_trail(event):
    response = signed_in(make_superuser()).get(AUDIT_CHANGELIST)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "ACDE3479")
    assertContains(response, "clinician")


def test_a_long_audit_trail_is_counted_no_further_than_the_cap(monkeypatch):
    monkeypatch.setattr("screening.admin.COUNT_CAP", 5)
    for _ in range(8):
        AuditEvent.objects.create(actor="clinician", action=AuditEvent.Action.VIEW)
    response = signed_in(make_superuser()).get(AUDIT_CHANGELIST)
    assert response.context["cl"].result_count == 6
    assertContains(response, "More than 5 audit events match")
    assertNotContains(response, "6 audit events")


def test_a_short_audit_trail_says_how_many_events_it_holds(event):
    response = signed_in(make_superuser()).get(AUDIT_CHANGELIST)
    paginator = response.content.decode().split('<nav class="paginator"')[1].split("</nav>")[0]
    assert re.search(r"\b1 audit event\s*$", paginator)


def test_the_audit_trail_is_shown_read_only(event):
    url = reverse("admin:screening_auditevent_change", args=[event.pk])
    response = signed_in(make_superuser()).get(url)
    assert response.status_code == HTTPStatus.OK
    assertNotContains(response, 'name="_save"')
    assertNotContains(response, reverse("admin:screening_auditevent_delete", args=[event.pk]))


AUDIT_WRITES = {
    "add": lambda c, e: c.get(reverse("admin:screening_auditevent_add")),
    "add post": lambda c, e: c.post(
        reverse("admin:screening_auditevent_add"), {"actor": "x", "action": "view"}
    ),
    "change post": lambda c, e: c.post(
        reverse("admin:screening_auditevent_change", args=[e.pk]),
        {"actor": "someone else", "action": "view", "reference_codes": "[]", "detail": ""},
    ),
    "delete": lambda c, e: c.get(reverse("admin:screening_auditevent_delete", args=[e.pk])),
    "delete post": lambda c, e: c.post(
        reverse("admin:screening_auditevent_delete", args=[e.pk]), {"post": "yes"}
    ),
}


@pytest.mark.parametrize("role", ["superuser", "clinician"])
@pytest.mark.parametrize("write", AUDIT_WRITES, ids=[w.replace(" ", "-") for w in AUDIT_WRITES])
def test_nobody_adds_changes_or_deletes_audit_events_in_the_admin(event, role: str, write: str):
    user = make_superuser() if role == "superuser" else make_clinician()
    response = AUDIT_WRITES[write](signed_in(user), event)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert AuditEvent.objects.filter(actor="x").count() == 0
    event.refresh_from_db()
    assert event.actor == "clinician"


def test_the_bulk_delete_action_cannot_remove_audit_events(event):
    client = signed_in(make_superuser())
    client.post(
        AUDIT_CHANGELIST,
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("role", ["clinician", "editor"])
def test_staff_who_are_not_superusers_cannot_read_the_audit_trail(event, role: str):
    user = make_clinician() if role == "clinician" else make_editor()
    client = signed_in(user)
    assert client.get(AUDIT_CHANGELIST).status_code == HTTPStatus.FORBIDDEN
    url = reverse("admin:screening_auditevent_change", args=[event.pk])
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    assertNotContains(client.get(reverse("admin:index")), AUDIT_CHANGELIST)


def test_anonymous_visitors_are_sent_to_log_in(client, event):
    response = client.get(AUDIT_CHANGELIST)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


# --- PostgreSQL refuses to rewrite history ----------------------------------------------


def update_through_queryset(event: AuditEvent) -> None:
    AuditEvent.objects.filter(pk=event.pk).update(actor="someone else")


def update_through_save(event: AuditEvent) -> None:
    event.reference_codes = []
    event.save()


def delete_through_queryset(event: AuditEvent) -> None:
    AuditEvent.objects.filter(pk=event.pk).delete()


def delete_through_instance(event: AuditEvent) -> None:
    AuditEvent.objects.get(pk=event.pk).delete()


def update_through_sql(event: AuditEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE screening_auditevent SET detail = 'x' WHERE id = %s", [event.pk])


@pytest.mark.parametrize(
    "rewrite",
    [
        update_through_queryset,
        update_through_save,
        update_through_sql,
        delete_through_queryset,
        delete_through_instance,
    ],
    ids=["update", "save", "raw-update", "delete", "instance-delete"],
)
def test_postgresql_refuses_to_update_or_delete_an_audit_event(event, rewrite):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    before = AuditEvent.objects.filter(pk=event.pk).values().get()

    # InternalError (PL/pgSQL's RAISE EXCEPTION) is a DatabaseError.
    with (
        pytest.raises(DatabaseError, match="audit events are append-only"),
        transaction.atomic(),
    ):
        rewrite(event)

    assert AuditEvent.objects.filter(pk=event.pk).values().get() == before
