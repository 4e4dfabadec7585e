"""Reading grade 8 or below (Flesch-Kincaid, textstat) on every patient page, each question's
words and hint included (issue 17). Articles are graded in tests/education/test_content.py,
the rules page in test_rulebook.py."""

from __future__ import annotations

import re

import pytest
import textstat

from education.readability import readable_text
from screening import questionnaire
from tests.education.pages import parse
from tests.education.test_content import MAX_GRADE
from tests.factories import NO_PATTERN, POSSIBLE_OIH, make_answers, submit, walk

pytestmark = pytest.mark.django_db

V2_QUESTIONS = [question for question in questionnaire.QUESTIONS if question.asked_in("2")]


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


@pytest.mark.parametrize("question", V2_QUESTIONS, ids=lambda question: question.id)
def test_each_question_reads_at_grade_8_or_below(question):
    assert grade(str(question.text)) <= MAX_GRADE


@pytest.mark.parametrize(
    "question", [q for q in V2_QUESTIONS if q.hint], ids=lambda question: question.id
)
def test_each_question_hint_reads_at_grade_8_or_below(question):
    assert grade(str(question.hint)) <= MAX_GRADE


# Form parts read as sentences of their own, as headings and list items do in an article.
FORM_BLOCKS = re.compile(r"<(/?)(label|legend|dt|dd|button|summary)\b")


def visible_main_text(response) -> str:
    """The sentences a reader sees in the page's main region, on screen: what only prints
    (the handover for the doctor, in clinicians' words) is left out."""
    main = str(response.content.decode())
    main = main[main.index("<main") : main.index("</main>")]
    document = parse(main)
    for element in document.find_all(class_="print-only"):
        element.children = []
    html = FORM_BLOCKS.sub(r"<\1li", render(document.root))
    return readable_text(html)


def render(element) -> str:
    """An element parsed by tests.education.pages back to markup (tags and text only)."""
    if isinstance(element, str):
        return element.replace("<", "&lt;")
    inner = "".join(render(child) for child in element.children)
    if element.tag.startswith("#"):  # the document itself
        return inner
    return f"<{element.tag}>{inner}</{element.tag}>"


PAGES = ["/", "/check/", "/help/", "/delete-saved/", "/check/expired/", "/check/deleted/"]


@pytest.mark.parametrize("url", PAGES)
def test_each_page_reads_at_grade_8_or_below(client, url, seed_content):
    assert grade(visible_main_text(client.get(url))) <= MAX_GRADE


@pytest.mark.parametrize("question", V2_QUESTIONS, ids=lambda question: question.id)
def test_each_question_page_reads_at_grade_8_or_below(client, question):
    # Answers that lead to every question: daily use, a dose raised and lowered.
    answers = make_answers(
        dose_change=["raised", "lowered"], after_increase="worse", after_decrease="better"
    )
    before = {}
    for earlier in questionnaire.QUESTIONS:
        if earlier is question:
            break
        before[earlier.id] = answers[earlier.id]
    client.post("/check/", {"privacy": "show_only"})
    session = client.session
    session["oih_check"] = {"save": False, "token": "t", "answers": before}
    session.save()
    response = client.get(f"/check/{question.id}/")
    assert response.status_code == 200
    assert grade(visible_main_text(response)) <= MAX_GRADE


def test_the_answers_page_reads_at_grade_8_or_below(client):
    walk(client, POSSIBLE_OIH)
    assert grade(visible_main_text(client.get("/check/answers/"))) <= MAX_GRADE


@pytest.mark.parametrize(
    "answers",
    [
        NO_PATTERN,
        POSSIBLE_OIH,
        make_answers(self_harm="recent", control="yes", overdose_risk=["sedative"]),
        make_answers(opioid_use="stopped_recently"),
    ],
    ids=["no_pattern", "possible_oih", "today", "stopped"],
)
def test_each_kind_of_result_page_reads_at_grade_8_or_below(client, answers):
    assert grade(visible_main_text(submit(client, answers))) <= MAX_GRADE


def test_the_emergency_page_reads_at_grade_8_or_below(client):
    walk(client, make_answers(breathing="overdose_signs"))
    assert grade(visible_main_text(client.get("/check/emergency/"))) <= MAX_GRADE
