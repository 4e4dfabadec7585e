"""The public "How this check works" page agrees with the rules, the rule tables and the
recorded version 1 screenings, and is a patient page like the others.

The page works out each version 2 example with ``rules.assess()`` as it renders. These
tests add that every example is a row of ``test_rules.py``'s tables (so the tables, not this
page, are where the outcome is proven), that each version 1 example is a screening the
version 1 code really stored, and that what the page prints is what the rules give.
"""

from __future__ import annotations

import datetime
import gzip
import json
import re
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
import textstat
from django.test import Client

from education.readability import readable_text
from screening import explain, flow, rulebook
from screening.rulebook import RULEBOOKS, SOURCES, VERSION_1, VERSION_2, Example
from screening.rules import RULES_VERSION, Assessment, Finding, Note, Urgency, assess
from tests.education.pages import parse
from tests.factories import NO_PATTERN
from tests.screening import test_rules
from tests.screening.test_never_say import never_said, page_text

PAGE = "/check/how-it-works/"
V1_PAGE = "/check/how-it-works/version-1/"
FIXTURE = Path(__file__).parent / "v1" / "screenings.json"
RULES_SOURCE = Path(rulebook.__file__).with_name("rules.py")
MAX_GRADE = 8


def table_rows() -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Every answer set of the rule tables: (test and row id, answers, expected or None).

    Most tables give the answers; the opioid_use and severity tables give an answer code or
    three scores, and their tests build the answers with ``test_rules.make_answers``, as here.
    """
    for name in dir(test_rules):
        function = getattr(test_rules, name)
        for mark in getattr(function, "pytestmark", []):
            if mark.name != "parametrize":
                continue
            names = mark.args[0] if isinstance(mark.args[0], str) else ",".join(mark.args[0])
            names = [n.strip() for n in names.split(",")]
            for param in mark.args[1]:
                values = param.values if hasattr(param, "values") else param
                row = dict(zip(names, values if len(names) > 1 else (values,), strict=True))
                label = f"{name}[{getattr(param, 'id', None)}]"
                if "answers" in row:
                    yield label, row["answers"], row.get("expected")
                elif name == "test_opioid_use":
                    yield label, test_rules.make_answers(opioid_use=row["code"]), row["expected"]
                elif name == "test_severity":
                    scores = {
                        "pain_average": row["average"],
                        "pain_enjoyment": row["enjoyment"],
                        "pain_activity": row["activity"],
                    }
                    yield label, test_rules.make_answers(**scores), None


def v2_examples() -> list[tuple[str, Example]]:
    return [
        (f"rule {rule.number} example {n}", example)
        for rule in VERSION_2.rules
        for n, example in enumerate(rule.examples)
    ]


def v1_examples() -> list[tuple[str, Example]]:
    return [
        (f"rule {rule.number} example {n}", example)
        for rule in VERSION_1.rules
        for n, example in enumerate(rule.examples)
    ]


# The examples and the tables.


def test_the_examples_start_from_the_tables_calm_answers():
    as_lists = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in rulebook.BASELINE.items()
    }
    assert as_lists == NO_PATTERN
    assert Example({}).answers(RULES_VERSION) == test_rules.make_answers()


@pytest.mark.parametrize(("name", "example"), v2_examples(), ids=[n for n, _ in v2_examples()])
def test_every_version_2_example_is_a_row_of_the_rule_tables(name, example):
    answers = example.answers("2")
    rows = [(label, expected) for label, given, expected in table_rows() if given == answers]
    assert rows, f"{name}: {answers} is in no rule table of test_rules.py"
    for label, expected in rows:
        if isinstance(expected, Assessment):
            assert assess(answers) == expected, label


@pytest.mark.parametrize(("name", "example"), v1_examples(), ids=[n for n, _ in v1_examples()])
def test_every_version_1_example_is_a_recorded_version_1_screening(name, example):
    answers = example.answers("1")
    recorded = json.loads(FIXTURE.read_text())
    shown = [row["shown"] for row in recorded if row["stored"]["answers"] == answers]
    assert shown, f"{name}: no recorded version 1 screening has {answers}"
    for outcome in shown:
        assert (outcome["urgency"], outcome["pattern"]) == (example.urgency, example.pattern)


def test_every_version_has_examples_and_only_earlier_ones_carry_outcomes():
    assert all(example.urgency is None for _name, example in v2_examples())
    assert all(example.urgency is not None for _name, example in v1_examples())
    assert len(v2_examples()) >= 20
    assert len(v1_examples()) >= 10


def test_the_rules_in_force_explain_every_finding_and_note_they_can_give():
    described = [code for rule in VERSION_2.rules for code in rule.codes]
    assert len(described) == len(set(described)), "a code is described by two rules"
    assert set(described) == {*Finding, *Note}


def test_every_rule_names_known_sources_and_the_rules_docstrings_name_no_other():
    keys = {source.key for source in SOURCES}
    for book in RULEBOOKS.values():
        for rule in book.rules:
            assert set(rule.sources) <= keys, rule.slug
    named = set(re.findall(r"\b[a-z]+-?[a-z]*-20\d\d\b", RULES_SOURCE.read_text()))
    assert named <= keys
    assert len(SOURCES) == len(keys) == 9


def test_the_versions_and_the_dates_they_took_effect():
    assert set(RULEBOOKS) == {"1", "2"}
    assert VERSION_2.version == RULES_VERSION
    assert VERSION_1.took_effect == datetime.date(2026, 11, 25)
    assert VERSION_2.took_effect == datetime.date(2026, 12, 6)
    # Numbered as CLINICAL.md numbers them; what it does not number comes last, unnumbered.
    assert [rule.number for rule in VERSION_2.rules] == [*map(str, range(1, 10)), "", "", ""]
    assert [rule.number for rule in VERSION_1.rules] == [*map(str, range(1, 8)), ""]


# The page.


def cells(response) -> list[tuple[str, str]]:
    """Each example row: (the answers cell, the "we say" cell) as text."""
    rows = []
    for table in parse(response.content).find_all("table", class_="examples"):
        for row in table.find("tbody").find_all("tr"):
            answers, says = row.find_all("td")
            rows.append((answers.text, says.text))
    return rows


@pytest.mark.django_db
def test_the_page_says_for_each_example_what_the_rules_give(client: Client):
    rows = cells(client.get(PAGE))
    examples = [example for _name, example in v2_examples()]
    assert len(rows) == len(examples)
    for (answers_cell, says), example in zip(rows, examples, strict=True):
        assessment = assess(example.answers("2"))
        assert str(explain.headline(assessment)) in says
        assert str(rulebook.PATTERN_LINES[assessment.pattern]) in says
        for quote in explain.quotes(rulebook.given(example, "2")):
            assert quote.question in answers_cell
            assert quote.answer in answers_cell


@pytest.mark.django_db
def test_the_page_would_show_a_changed_rule_at_once(client: Client, monkeypatch):
    """Nothing on the page is stored: change what the rules say, and the page says it."""
    real = rulebook.assess

    def stricter(answers):
        found = real(answers)
        return Assessment(Urgency.TODAY, found.pattern, found.findings, (Note.FOOTER,))

    monkeypatch.setattr(rulebook, "assess", stricter)
    says = [cell for _answers, cell in cells(client.get(PAGE))]
    assert all(str(explain.HEADLINES[Urgency.TODAY]) in cell for cell in says)


@pytest.mark.django_db
def test_the_version_1_page_shows_what_version_1_gave_in_its_own_words(client: Client):
    response = client.get(V1_PAGE)
    rows = cells(response)
    examples = [example for _name, example in v1_examples()]
    assert len(rows) == len(examples)
    for (_answers, says), example in zip(rows, examples, strict=True):
        assert str(explain.HEADLINES[example.urgency]) in says
    text = page_text(response)
    assert "In the last 3 months, how has the amount you take changed?" in text
    assert "In the last 6 months" not in text
    assert "These rules are no longer used for new checks." in text
    assert "November 25, 2026" in text or "Nov. 25, 2026" in text


@pytest.mark.django_db
def test_the_page_names_the_version_its_date_every_version_and_the_fhir_questionnaire(client):
    response = client.get(PAGE)
    text = page_text(response)
    assert "These are the rules of version 2. They took effect on Dec. 6, 2026." in text
    links = {a.attrs.get("href") for a in parse(response.content).find("main").find_all("a")}
    assert V1_PAGE in links
    assert "/fhir/Questionnaire/oih-self-check" in links
    assert client.get("/fhir/Questionnaire/oih-self-check").status_code == HTTPStatus.OK


@pytest.mark.django_db
def test_the_page_lists_every_source_with_its_citation_and_each_rule_links_its_own(client):
    page = parse(client.get(PAGE).content)
    items = page.find("section", class_="references").find_all("li")
    assert [item.attrs["id"] for item in items] == [f"source-{s.key}" for s in SOURCES]
    for item, source in zip(items, SOURCES, strict=True):
        assert source.citation in item.text
    for rule, section in zip(VERSION_2.rules, page.find_all("section", class_="rule"), strict=True):
        cited = {a.attrs["href"] for a in section.find_all("a") if a.text.startswith("[")}
        assert cited == {f"#source-{key}" for key in rule.sources}


@pytest.mark.django_db
@pytest.mark.parametrize("path", [PAGE, V1_PAGE])
def test_the_page_reads_at_grade_8_or_below(client, path):
    # The citations are the sources' own titles, not our words.
    html = client.get(path).content.decode()
    body = html[html.index("<main") : html.index('<section class="references')]
    grade = textstat.flesch_kincaid_grade(readable_text(body))
    assert grade <= MAX_GRADE, f"{path} reads at grade {grade:.1f}"


@pytest.mark.django_db
@pytest.mark.parametrize("country", ["US", "GB"])
@pytest.mark.parametrize("path", [PAGE, V1_PAGE])
def test_the_page_says_nothing_that_must_never_be_said(client, settings, country, path):
    settings.OIH_COUNTRY = country
    assert never_said(page_text(client.get(path)), country=country, emergency=False) == []


@pytest.mark.django_db
def test_the_page_is_findable_and_small(client):
    response = client.get(PAGE)
    assert response.status_code == HTTPStatus.OK
    assert "X-Robots-Tag" not in response
    assert not parse(response.content).find_all("meta", name="robots")
    robots = client.get("/robots.txt").content.decode().splitlines()
    assert "Allow: /check/how-it-works/" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{PAGE}" in sitemap
    assert len(gzip.compress(response.content)) < 15_000


@pytest.mark.django_db
def test_an_unknown_version_is_not_found_and_the_current_one_has_one_address(client):
    assert client.get("/check/how-it-works/version-9/").status_code == HTTPStatus.NOT_FOUND
    response = client.get("/check/how-it-works/version-2/")
    assert (response.status_code, response["Location"]) == (HTTPStatus.FOUND, PAGE)


@pytest.mark.django_db
def test_the_start_page_the_result_page_and_the_footer_link_the_page(client):
    start = parse(client.get("/check/").content)
    assert PAGE in {a.attrs.get("href") for a in start.find("main").find_all("a")}
    assert PAGE in {a.attrs.get("href") for a in start.find("footer").find_all("a")}
    session = client.session
    flow.Result(assess(NO_PATTERN), reference_code=None, screening_id=None).store(session)
    session.save()
    result = parse(client.get("/check/result/").content)
    assert PAGE in {a.attrs.get("href") for a in result.find("main").find_all("a")}
