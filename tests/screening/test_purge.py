"""Old screenings are purged on a schedule; everything else is left alone."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from screening.models import AuditEvent, Screening
from tests.factories import make_screening

pytestmark = pytest.mark.django_db


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_screenings", *args, stdout=out)
    return out.getvalue()


def test_screenings_older_than_the_retention_period_are_deleted_in_batches(settings):
    settings.OIH_RETENTION_DAYS = 90
    old = [make_screening(created_at=days_ago(91 + n)) for n in range(5)]
    kept = [make_screening(created_at=days_ago(89)), make_screening()]
    assert "Deleted 5 screenings older than 90 days." in purge("--batch-size", "2")
    assert set(Screening.objects.values_list("pk", flat=True)) == {s.pk for s in kept}
    event = AuditEvent.objects.get(actor="system")
    assert event.reference_codes == []
    assert "5 screenings" in event.detail
    assert not any(s.reference_code in event.detail for s in old)


def test_purging_twice_deletes_nothing_more():
    make_screening(created_at=days_ago(100))
    purge()
    assert "Deleted 0 screenings" in purge()
    assert Screening.objects.count() == 0


def test_a_dry_run_counts_and_deletes_nothing():
    make_screening(created_at=days_ago(100))
    assert "Would delete 1 screenings" in purge("--dry-run")
    assert Screening.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_the_retention_period_can_be_given_on_the_command_line():
    make_screening(created_at=days_ago(10))
    purge("--days", "7")
    assert Screening.objects.count() == 0


def test_expired_sessions_go_with_the_purge(client):
    client.post("/check/", {"privacy": "save"})
    Session.objects.update(expire_date=days_ago(1))
    purge()
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    "args", [["--days", "0"], ["--batch-size", "0"], ["--batch-size", "70000"]]
)
def test_nonsense_settings_are_refused(args):
    make_screening(created_at=days_ago(100))
    with pytest.raises(CommandError):
        purge(*args)
    assert Screening.objects.count() == 1
