"""Dates and times in Spanish (oih_site/formats/es): Django's Spanish dates, and a time that
names its zone on a 12-hour clock."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import formats, timezone, translation

from tests.factories import get_in, make_answers, submit

AFTERNOON = datetime.datetime(2026, 12, 6, 19, 5, tzinfo=datetime.UTC)


def spanish(value: object, format_name: str) -> str:
    with translation.override("es"):
        return formats.date_format(timezone.localtime(value), format_name)


def test_a_spanish_date_reads_day_month_year_in_words():
    assert spanish(AFTERNOON, "DATE_FORMAT") == "6 de diciembre de 2026"


def test_a_spanish_time_is_on_a_12_hour_clock_and_names_the_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    assert spanish(AFTERNOON, "DATETIME_FORMAT") == "6 de diciembre de 2026, 2:05 p.m. EST"
    assert spanish(AFTERNOON, "TIME_FORMAT") == "2:05 p.m. EST"


def test_english_keeps_its_own_formats():
    with translation.override("en"):
        assert formats.date_format(AFTERNOON.date(), "DATE_FORMAT") == "Dec. 6, 2026"


@pytest.mark.django_db
def test_the_spanish_printout_says_when_the_check_was_done_in_spanish(client):
    submit(client, make_answers())
    html = get_in(client, "es", "screening:result").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert re.search(
        r"Cuestionario hecho el \d{1,2} de [a-z]+ de \d{4}, \d{1,2}:\d\d [ap]\.m\.", text
    )
