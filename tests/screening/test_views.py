"""The self-check as a patient's browser sees it, through Django's test client."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
import textstat
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.test import Client
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from screening import crisis, explain, flow, questionnaire
from screening.apps import ScreeningConfig
from screening.explain import FINDING_SENTENCES
from screening.models import AuditEvent, Screening
from screening.questionnaire import QUESTIONS
from screening.rules import Finding, Note, assess
from tests.education.test_content import MAX_GRADE
from tests.factories import (
    NO_PATTERN,
    POSSIBLE_OIH,
    SOME_FEATURES,
    expire_all_sessions,
    make_answers,
    submit,
    walk,
)

pytestmark = pytest.mark.django_db


def visible_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


def start(client: Client, privacy: str = "show_only") -> None:
    client.post("/check/", {"privacy": privacy})


def answer(client: Client, question_id: str, value, *, change: bool = False):
    url = f"/check/{question_id}/" + ("?change" if change else "")
    return client.post(url, {question_id: value})


def stored_answers(client: Client) -> dict:
    return client.session[flow.CHECK_KEY]["answers"]


# --- Start page and privacy choice ------------------------------------------------------


def test_home_page_leads_to_the_check(client):
    response = client.get("/")
    assertContains(response, 'href="/check/"')
    assertContains(response, 'href="/help/"')


def test_start_page_explains_the_check_and_has_no_privacy_default(client):
    response = client.get("/check/")
    text = visible_text(response)
    assert "not a diagnosis" in text
    assert "not for emergencies" in text
    assert "5 minutes" in text
    # Honest about the session: unsaved answers still wait on the server for a while.
    assert "they are deleted within 2 days after you stop" in text
    assertContains(response, 'name="privacy"', count=2)
    assertNotContains(response, "checked")


def test_one_person_can_be_asked_every_question_the_pages_count():
    # Daily use, and a dose both raised and lowered: both follow-up questions are asked.
    answers = {"opioid_use": "most_days", "dose_change": ["raised", "lowered"]}
    assert len(flow.shown_questions(answers)) == questionnaire.most_questions()


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/", "Answer up to {} short questions."),
        ("/check/", "Up to {} short questions."),
        ("/es/", "Responda hasta {} preguntas cortas."),
        ("/es/check/", "Hasta {} preguntas cortas."),
    ],
)
def test_the_home_and_start_pages_say_the_same_number_of_questions(client, path, words):
    text = visible_text(client.get(path))
    assert words.format(questionnaire.most_questions()) in text
    assert len(re.findall(r"\b(\d+) (short questions|preguntas cortas)", text)) == 1


def test_start_without_a_privacy_choice_shows_an_error_and_starts_nothing(client):
    response = client.post("/check/", {})
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "There is a problem")
    assertContains(response, 'href="#id_privacy_0"')
    assert flow.CHECK_KEY not in client.session


def test_a_tampered_privacy_choice_is_refused(client):
    response = client.post("/check/", {"privacy": "save_everything"})
    assertContains(response, "Choose one of the two options shown.")
    assert flow.CHECK_KEY not in client.session


def test_choosing_starts_at_the_first_question(client):
    response = client.post("/check/", {"privacy": "save"})
    assertRedirects(response, "/check/breathing/")
    assert client.session[flow.CHECK_KEY]["save"] is True


# --- Question pages ---------------------------------------------------------------------


def test_question_page_without_a_started_check_goes_to_the_start(client):
    assertRedirects(client.get("/check/breathing/"), "/check/")


def test_unknown_question_is_not_found(client):
    start(client)
    assert client.get("/check/favourite_colour/").status_code == HTTPStatus.NOT_FOUND


def test_question_is_a_fieldset_with_the_question_as_legend_and_codes_as_values(client):
    start(client)
    response = client.get("/check/breathing/")
    html = response.content.decode()
    assert "<fieldset" in html
    legend = re.search(r"<legend[^>]*>(.*?)</legend>", html, re.S).group(1)
    assert "Right now, do you have any of these signs?" in legend
    assert "very hard to wake" in html
    for code in ("overdose_signs", "oversedated", "no"):
        assert f'name="breathing" value="{code}"' in html
    assertContains(response, 'href="/help/"')
    assertContains(response, "Safety questions")


def test_later_question_redirects_to_the_first_undone_one(client):
    start(client)
    answer(client, "breathing", "no")
    assertRedirects(client.get("/check/duration/"), "/check/self_harm/")
    assertRedirects(client.get("/check/answers/"), "/check/self_harm/")


def test_each_answer_leads_to_the_next_question_in_order(client):
    answers = make_answers()
    response = walk(client, answers)
    assertRedirects(response, "/check/answers/", fetch_redirect_response=False)
    assert stored_answers(client) == answers


def test_back_link_returns_to_the_previous_question_with_the_answer_kept(client):
    start(client)
    answer(client, "breathing", "no")
    response = client.get("/check/self_harm/")
    assertContains(response, 'href="/check/breathing/"')
    previous = client.get("/check/breathing/")
    assert re.search(r'value="no"[^>]*checked|checked[^>]*value="no"', previous.content.decode())


def checked(response) -> set[str]:
    """The values of the ticked or chosen inputs on a page."""
    inputs = re.findall(r"<input[^>]*>", response.content.decode())
    return {re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs if " checked" in tag}


def test_going_back_everyone_sees_their_own_answer_however_many_have_been_there():
    """Each person sees the answer they gave, whoever else answered the same page before."""
    people = {
        ("none",): Client(),
        ("fever", "fall_injury"): Client(),
        (): Client(),  # has not answered it yet
    }
    for ticked, person in people.items():
        start(person)
        answer(person, "breathing", "no")
        answer(person, "self_harm", "no")
        if ticked:
            answer(person, "new_symptoms", list(ticked))
    for _round in range(2):
        for ticked, person in people.items():
            assert checked(person.get("/check/new_symptoms/")) == set(ticked)


@pytest.mark.parametrize(
    ("opioid_use", "asks_about_treatment", "after_treatment"),
    [
        pytest.param("most_days", True, "/check/duration/", id="most-days-goes-on"),
        pytest.param("sometimes", True, "/check/answers/", id="sometimes-skips-the-rest"),
        pytest.param("no", False, "/check/answers/", id="no-skips-the-rest"),
        pytest.param("unsure", True, "/check/answers/", id="unsure-skips-the-rest"),
        pytest.param("stopped_recently", False, "/check/answers/", id="stopped-skips-the-rest"),
    ],
)
def test_questions_after_opioid_use_apply_only_to_use_on_most_days(
    client, opioid_use, asks_about_treatment, after_treatment
):
    """Anyone who may take an opioid now is asked about treatment for opioid use disorder
    (CLINICAL.md v2); the rest of the check is for use on most days."""
    start(client)
    answer(client, "breathing", "no")
    answer(client, "self_harm", "no")
    answer(client, "new_symptoms", ["none"])
    response = answer(client, "opioid_use", opioid_use)
    if asks_about_treatment:
        assertRedirects(response, "/check/oud_treatment/", fetch_redirect_response=False)
        response = answer(client, "oud_treatment", "no")
    assertRedirects(response, after_treatment, fetch_redirect_response=False)
    if after_treatment == "/check/answers/":
        assertRedirects(client.get("/check/duration/"), "/check/answers/")


@pytest.mark.parametrize(
    ("dose_change", "follow_ups"),
    [
        pytest.param(["raised"], ["after_increase"], id="raised-asks-after-increase"),
        pytest.param(["took_more"], ["after_increase"], id="took-more-asks-after-increase"),
        pytest.param(["lowered"], ["after_decrease"], id="lowered-asks-after-decrease"),
        pytest.param(["raised", "lowered"], ["after_increase", "after_decrease"], id="both"),
        pytest.param(["no_change"], [], id="no-change-asks-neither"),
        pytest.param(["unsure"], [], id="unsure-asks-neither"),
    ],
)
def test_dose_change_decides_the_follow_up_questions(client, dose_change, follow_ups):
    answers = make_answers(
        dose_change=dose_change, after_increase="no_change", after_decrease="no_change"
    )
    walk(client, answers)
    asked = [q.id for q in flow.shown_questions(stored_answers(client))]
    assert [q for q in ("after_increase", "after_decrease") if q in asked] == follow_ups
    assert [q for q in ("after_increase", "after_decrease") if q in stored_answers(client)] == (
        follow_ups
    )


def test_changing_an_answer_drops_answers_that_no_longer_apply(client):
    walk(client, make_answers(dose_change=["raised"], after_increase="worse"))
    assert stored_answers(client)["after_increase"] == "worse"
    answer(client, "dose_change", ["no_change"], change=True)
    assert "after_increase" not in stored_answers(client)


def test_change_link_returns_to_the_answers_page(client):
    walk(client, make_answers())
    response = client.get("/check/answers/")
    assertContains(response, 'href="/check/touch_hurts/?change"')
    page = client.get("/check/touch_hurts/?change")
    assertContains(page, 'href="/check/answers/"')
    assertContains(page, "Save and go back to your answers")
    response = answer(client, "touch_hurts", "yes", change=True)
    assertRedirects(response, "/check/answers/")
    assert stored_answers(client)["touch_hurts"] == "yes"


def test_a_change_that_opens_a_new_question_asks_it_before_returning(client):
    walk(client, make_answers())
    response = answer(client, "dose_change", ["lowered"], change=True)
    assertRedirects(response, "/check/after_decrease/?change", fetch_redirect_response=False)
    response = answer(client, "after_decrease", "better", change=True)
    assertRedirects(response, "/check/answers/")


# --- Hostile and invalid input ----------------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "data", "message"),
    [
        pytest.param("breathing", {}, "Choose an answer.", id="missing"),
        pytest.param("breathing", {"breathing": "fine"}, "Choose one of the answers", id="unknown"),
        pytest.param("breathing", {"breathing": ""}, "Choose an answer.", id="empty"),
        pytest.param("breathing", {"breathing": "no\x00"}, "Choose one of the answers", id="nul"),
        pytest.param(
            "breathing", {"breathing": "<script>alert(1)</script>"}, "Choose one", id="script"
        ),
        pytest.param(
            "new_symptoms",
            {"new_symptoms": ["none", "fever"]},
            "can&#x27;t be ticked together",
            id="none-with-another",
        ),
        pytest.param(
            "new_symptoms", {"new_symptoms": ["fever", "rash"]}, "Tick only the answers", id="multi"
        ),
        pytest.param("pain_average", {"pain_average": "11"}, "0 to 10", id="above-scale"),
        pytest.param("pain_average", {"pain_average": "-1"}, "0 to 10", id="below-scale"),
        pytest.param("pain_average", {"pain_average": "7.5"}, "0 to 10", id="fraction"),
        pytest.param("pain_average", {"pain_average": "seven"}, "0 to 10", id="words"),
    ],
)
def test_bad_answers_get_a_clear_error_and_change_nothing(client, question_id, data, message):
    answers = make_answers()
    order = [q.id for q in QUESTIONS]
    walk_to = {k: v for k, v in answers.items() if order.index(k) < order.index(question_id)}
    start(client)
    for qid, value in walk_to.items():
        answer(client, qid, value)
    before = dict(stored_answers(client))
    response = client.post(f"/check/{question_id}/", data)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "There is a problem")
    assertContains(response, message)
    assertContains(response, f'href="#id_{question_id}_0"')
    assert stored_answers(client) == before
    assert Screening.objects.count() == 0


def test_repeated_ticks_are_stored_once_in_questionnaire_order(client):
    start(client)
    answer(client, "breathing", "no")
    answer(client, "self_harm", "no")
    answer(client, "new_symptoms", ["none"])
    answer(client, "opioid_use", "most_days")
    answer(client, "oud_treatment", "no")
    answer(client, "duration", "gt_3_months")
    answer(client, "pain_context", "no")
    answer(client, "dose_change", ["lowered", "raised", "raised"])
    assert stored_answers(client)["dose_change"] == ["raised", "lowered"]


def test_answers_in_the_query_string_are_ignored(client):
    start(client)
    client.get("/check/breathing/?breathing=overdose_signs")
    assert stored_answers(client) == {}


def test_unknown_extra_fields_are_not_stored(client):
    start(client)
    client.post("/check/breathing/", {"breathing": "no", "name": "Jane Doe", "self_harm": "now"})
    assert stored_answers(client) == {"breathing": "no"}


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused(client, method):
    start(client)
    assert getattr(client, method)("/check/breathing/").status_code == 405
    assert getattr(client, method)("/check/answers/").status_code == 405


def test_a_post_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/check/", {"privacy": "save"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Your form could not be sent, and nothing was saved." in visible_text(response)
    assert "call 911" in visible_text(response)
    assert flow.CHECK_KEY not in client.session


def test_a_refused_emergency_answer_still_gets_the_emergency_page_and_saves_nothing():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/check/breathing/", {"breathing": "overdose_signs"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    text = visible_text(response)
    for phrase in ("Get emergency help now", "Give naloxone", "may not have been saved"):
        assert phrase in text
    assert not client.session.keys()


# --- Emergencies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "value", "shows", "hides"),
    [
        pytest.param(
            "breathing", "overdose_signs", ["naloxone", "Stay with them"], ["988"], id="overdose"
        ),
        pytest.param("breathing", "oversedated", ["naloxone"], ["988"], id="oversedated"),
        pytest.param(
            "self_harm", "now", ["988", "call or text", "Give naloxone"], [], id="self-harm"
        ),
        pytest.param(
            "new_symptoms",
            ["saddle_numbness"],
            ["nerves in your back", "Do not drive yourself", "Give naloxone", "Stay with them"],
            ["988"],
            id="red-flag",
        ),
    ],
)
def test_an_emergency_answer_stops_the_check_at_once(client, question_id, value, shows, hides):
    answers = make_answers(**{question_id: value})
    response = walk(client, answers)
    assertRedirects(response, "/check/emergency/", fetch_redirect_response=False)
    page = client.get("/check/emergency/")
    text = visible_text(page)
    assert "Call 911" in text
    for phrase in shows:
        assert phrase in text
    for phrase in hides:
        assert phrase not in text
    for phrase in ("call your doctor", "wait and see", "next visit"):
        assert phrase not in text.lower()
    # Every emergency page has the overdose steps; the answer's own section comes first.
    first = "Give naloxone" if question_id == "breathing" else shows[0]
    assert text.index(first) <= text.index("Give naloxone")
    # Nothing more is asked.
    assert flow.CHECK_KEY not in client.session
    assertRedirects(client.get("/check/opioid_use/"), "/check/emergency/")
    assertRedirects(client.get("/check/result/"), "/check/emergency/")


def with_a_check_that_expired(client: Client) -> None:
    start(client, "save")
    expire_all_sessions()


def with_a_check_ended_in_another_tab(client: Client) -> None:
    submit(client, POSSIBLE_OIH, privacy="save")


@pytest.mark.parametrize(
    "session",
    [lambda client: None, with_a_check_that_expired, with_a_check_ended_in_another_tab],
    ids=["no session", "expired", "ended in another tab"],
)
@pytest.mark.parametrize(
    ("question_id", "value", "shows"),
    [
        ("breathing", "overdose_signs", "Give naloxone"),
        ("self_harm", "now", "call or text 988"),
        ("new_symptoms", ["chest_breathing"], "nerves in your back"),
    ],
)
def test_an_emergency_answer_is_heard_whatever_the_session_holds(
    client, session, question_id, value, shows
):
    session(client)
    before = Screening.objects.count()
    response = answer(client, question_id, value)
    assertRedirects(response, "/check/emergency/", fetch_redirect_response=False)
    assert shows in visible_text(client.get("/check/emergency/"))
    # Whether to save was the lost check's choice: with no check, nothing is saved.
    assert Screening.objects.count() == before


def test_an_emergency_answer_sent_twice_keeps_the_saved_screenings_code(client):
    start(client, "save")
    answer(client, "breathing", "overdose_signs")
    code = Screening.objects.get().display_reference
    response = answer(client, "breathing", "overdose_signs")  # a double tap, or the back button
    assertRedirects(response, "/check/emergency/", fetch_redirect_response=False)
    assertContains(client.get("/check/emergency/"), code)
    assert Screening.objects.count() == 1
    # The patient can still delete what was saved.
    client.post("/check/delete/")
    assert Screening.objects.count() == 0


def test_an_emergency_answer_after_a_saved_check_keeps_its_code_for_deleting(client):
    submit(client, POSSIBLE_OIH, privacy="save")
    response = answer(client, "self_harm", "now")
    assertRedirects(response, "/check/emergency/", fetch_redirect_response=False)
    assert "call or text 988" in visible_text(client.get("/check/emergency/"))
    client.post("/check/delete/")
    assert Screening.objects.count() == 0


def test_an_emergency_answer_on_a_page_out_of_turn_ends_the_check_and_keeps_its_choice(client):
    start(client, "save")
    response = answer(client, "self_harm", "now")  # "breathing" has no answer yet
    assertRedirects(response, "/check/emergency/", fetch_redirect_response=False)
    screening = Screening.objects.get()
    assert (screening.answers, screening.get_urgency_display()) == (
        {"self_harm": "now"},
        "Emergency",
    )
    assertContains(client.get("/check/emergency/"), screening.display_reference)


def test_a_danger_sign_ticked_with_none_of_these_still_gets_the_help(client):
    walk(client, make_answers(new_symptoms=["none"]))
    response = answer(client, "new_symptoms", ["chest_breathing", "none"])
    assertRedirects(response, "/check/emergency/", fetch_redirect_response=False)
    assert "Do not drive yourself" in visible_text(client.get("/check/emergency/"))


def test_a_sign_that_is_not_an_emergency_ticked_with_none_is_still_an_error(client):
    walk(client, make_answers(new_symptoms=["none"]))
    response = answer(client, "new_symptoms", ["fever", "none"])
    assertContains(response, "can&#x27;t be ticked together with other answers")
    assert stored_answers(client)["new_symptoms"] == ["none"]


def test_an_emergency_is_saved_with_emergency_urgency_when_saving_was_chosen(client):
    walk(client, make_answers(self_harm="now"), privacy="save")
    screening = Screening.objects.get()
    assert screening.get_urgency_display() == "Emergency"
    assert screening.answers == {"breathing": "no", "self_harm": "now"}
    assertContains(client.get("/check/emergency/"), screening.display_reference)


def test_an_emergency_is_not_saved_when_only_showing_the_result(client):
    walk(client, make_answers(breathing="overdose_signs"), privacy="show_only")
    assert Screening.objects.count() == 0


def test_the_emergency_page_reached_directly_covers_every_emergency(client):
    text = visible_text(client.get("/check/emergency/"))
    assert "Give naloxone" in text
    assert "988" in text
    assert "nerves in your back" in text


@pytest.mark.parametrize(
    ("country", "present", "absent"),
    [
        pytest.param("US", ["911", "988", "1-800-662-4357", "1-800-222-1222"], ["999"], id="US"),
        pytest.param("GB", ["999", "116 123", "111"], ["911", "988"], id="GB"),
    ],
)
def test_numbers_come_from_the_country_setting(client, settings, country, present, absent):
    settings.OIH_COUNTRY = country
    pages = [client.get("/help/"), client.get("/check/emergency/")]
    text = " ".join(visible_text(page) for page in pages)
    for number in present[:2]:
        assert number in text
    help_text = visible_text(pages[0])
    for number in present:
        assert number in help_text
    for number in absent:
        assert number not in text


def test_an_unknown_country_stops_the_app_from_starting(settings):
    settings.OIH_COUNTRY = "FR"
    with pytest.raises(ImproperlyConfigured, match="OIH_COUNTRY='FR'"):
        ScreeningConfig("screening", __import__("screening")).ready()


# --- Submitting -------------------------------------------------------------------------


def test_the_answers_page_lists_every_answer_in_the_patients_words(client):
    walk(client, POSSIBLE_OIH)
    text = visible_text(client.get("/check/answers/"))
    assert "After the dose went up, what happened to your pain? It got worse" in text
    assert "My dose was raised" in text
    assert text.count("Change") == len(POSSIBLE_OIH)


def test_submitting_saves_one_screening_with_the_servers_assessment(client):
    walk(client, POSSIBLE_OIH, privacy="save")
    response = client.post("/check/answers/")
    assertRedirects(response, "/check/result/")
    screening = Screening.objects.get()
    assert screening.pattern == "possible_oih"
    assert screening.get_urgency_display() == "Within 2 weeks"
    assert screening.answers == POSSIBLE_OIH
    assert screening.rules_version == "2"
    assert screening.questionnaire_version == "2"
    assert screening.notes == ["naloxone", "footer"]
    assert (screening.country, screening.language) == ("US", "en")
    assert flow.CHECK_KEY not in client.session
    assertContains(client.get("/check/result/"), screening.display_reference)


def test_a_double_click_yields_one_screening(client):
    walk(client, POSSIBLE_OIH, privacy="save")
    # The second click's request read the session before the first one finished.
    before = client.session[flow.CHECK_KEY]
    client.post("/check/answers/")
    session = client.session
    session[flow.CHECK_KEY] = before
    session.save()
    client.post("/check/answers/")
    assert Screening.objects.count() == 1
    code = Screening.objects.get().display_reference
    assertContains(client.get("/check/result/"), code)


def test_back_and_resubmit_yields_one_screening(client):
    walk(client, POSSIBLE_OIH, privacy="save")
    client.post("/check/answers/")
    assertRedirects(client.get("/check/answers/"), "/check/result/")
    assertRedirects(client.post("/check/answers/"), "/check/result/")
    assert Screening.objects.count() == 1


def test_only_show_me_stores_nothing(client):
    response = submit(client, POSSIBLE_OIH, privacy="show_only")
    assert Screening.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assertNotContains(response, "reference code")
    assertContains(response, "Clear my result")


def test_an_incomplete_check_cannot_be_submitted(client):
    start(client, "save")
    answer(client, "breathing", "no")
    assertRedirects(client.post("/check/answers/"), "/check/self_harm/")
    assert Screening.objects.count() == 0


# --- The result page --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "headline", "phrases"),
    [
        pytest.param(
            POSSIBLE_OIH,
            "Talk to your doctor soon, within about 2 weeks",
            [
                "match a pattern worth discussing",
                "You said your pain got worse after your dose went up.",
                "After the dose went up, what happened to your pain? It got worse",
                "things that never used to hurt now hurt you",
            ],
            id="possible-oih",
        ),
        pytest.param(
            SOME_FEATURES,
            "Talk about this at your next visit",
            ["Some of your answers match features worth discussing"],
            id="some-features",
        ),
        pytest.param(
            make_answers(),
            "Keep talking with your care team about your pain",
            ["do not match the pattern", "Your pain is still real"],
            id="no-pattern",
        ),
        pytest.param(
            make_answers(self_harm="recent"),
            "Get help today",
            ["988", "in the past few weeks"],
            id="today-self-harm",
        ),
        pytest.param(
            make_answers(opioid_use="no"),
            "Keep talking with your care team about your pain",
            ["made for people who take an opioid on most days"],
            id="not-daily-use",
        ),
        pytest.param(
            make_answers(opioid_use="stopped_recently"),
            "Talk to your doctor soon",
            ["Do not start taking your old dose again on your own", "naloxone"],
            id="stopped-recently",
        ),
        pytest.param(
            make_answers(dose_change=["took_more"], after_increase="better_stayed"),
            "Talk to your doctor soon",
            ["Taking more than prescribed raises the risk", "1-800-662-4357"],
            id="overuse",
        ),
        pytest.param(
            make_answers(worst_time="before_next_dose", withdrawal_signs="yes"),
            "Talk to your doctor soon",
            ["fits withdrawal between doses better", "Just before my next dose is due"],
            id="wear-off",
        ),
        pytest.param(
            make_answers(touch_hurts="unsure", control="prefer_not"),
            "Keep talking with your care team",
            ["counted those as 'no'", "I'm not sure", "I'd rather not say"],
            id="unsure-echoed",
        ),
    ],
)
def test_result_page_explains_the_outcome(client, answers, headline, phrases):
    text = visible_text(submit(client, answers))
    assert headline in text
    for phrase in phrases:
        assert phrase in text
    assert "This is not a diagnosis." in text
    assert "Do not stop, cut, skip or raise your dose on your own" in text


# Version 2's findings and notes, each with its answers quoted and a point for the doctor.

WORSE_SPREADING_TENDER = {"dose_change": ["raised"], "after_increase": "worse"}


@pytest.mark.parametrize(
    ("answers", "headline", "phrases"),
    [
        pytest.param(
            make_answers(sedation_episodes="yes"),
            "Get help today",
            [
                "Call the person who prescribes your medicine today.",
                "someone found you very hard to wake",
                "has anyone found you very hard to wake up after your medicine?",
                "Keep naloxone near you",
                "Tell them about the times you were hard to wake.",
            ],
            id="near-miss-overdose-is-today",
        ),
        pytest.param(
            make_answers(overdose_risk=["sedative", "alcohol"]),
            "Talk to your doctor soon",
            [
                "I take a medicine for anxiety or sleep",
                "I drink alcohol on most days",
                "Do not stop any of your medicines, or alcohol, all at once on your own.",
                "Ask whether your medicines are safe together.",
            ],
            id="overdose-risk",
        ),
        pytest.param(
            make_answers(dose_change=["lowered"], after_decrease="worse", pain_average=8),
            "Talk to your doctor in the next 2 or 3 days",
            [
                "You said your dose was lowered, and since then you have felt much worse.",
                "the plan can often be paused or slowed",
                "Do not take extra, and do not get opioids from anyone else.",
                "Ask whether the taper can be paused or slowed.",
            ],
            id="hard-taper-with-severe-pain",
        ),
        pytest.param(
            make_answers(pain_context="yes", touch_hurts="yes"),
            "Talk to your doctor soon",
            ["This check was not made for pain from cancer or sickle cell disease"],
            id="specialist-context",
        ),
        pytest.param(
            {**POSSIBLE_OIH, "oud_treatment": "yes"},
            "Talk to your doctor soon",
            [
                "Stay on your methadone or buprenorphine treatment.",
                "Do not stop it or lower it on your own.",
                "Ask how it can be treated while you stay on your treatment.",
                "match a pattern worth discussing",
            ],
            id="in-treatment-with-possible-oih",
        ),
        pytest.param(
            make_answers(
                duration="lt_4_weeks",
                pain_spread="yes",
                touch_hurts="yes",
                **WORSE_SPREADING_TENDER,
            ),
            "Talk to your doctor soon",
            [
                "You said your pain got worse after your dose went up.",
                "You said your pain has spread to new places or feels all over.",
                "You said things that never used to hurt now hurt you.",
                "less than 4 weeks",
            ],
            id="two-weeks-into-a-doubled-dose-sees-her-answers",
        ),
    ],
)
def test_result_page_explains_the_v2_outcomes(client, answers, headline, phrases):
    text = visible_text(submit(client, answers))
    assert headline in text
    for phrase in phrases:
        assert phrase in text, phrase


def test_with_a_hard_taper_the_result_never_suggests_asking_about_oih(client):
    answers = make_answers(
        dose_change=["raised", "lowered"],
        after_increase="worse",
        after_decrease="worse",
        pain_spread="yes",
    )
    text = visible_text(submit(client, answers))
    assert "match a pattern worth discussing" in text
    assert "Ask whether the taper can be paused or slowed." in text
    assert "Ask whether opioid-induced hyperalgesia could play a part" not in text


def test_the_treatment_note_comes_before_every_other_note(client):
    answers = make_answers(oud_treatment="yes", self_harm="recent", control="yes")
    html = submit(client, answers).content.decode()
    first = html.index("Stay on your methadone or buprenorphine treatment.")
    assert first < html.index("Keep your medicines locked away")
    assert first < html.index("Taking more than prescribed raises the risk")


@pytest.mark.parametrize(
    ("country", "present", "absent"),
    [
        pytest.param(
            "US",
            ["988", "call or text 988", "Call your doctor's office today."],
            ["NHS 111", "urgent care"],
            id="us",
        ),
        pytest.param(
            "GB",
            [
                "Call NHS 111 on 111 and choose option 2 for mental health, or call your GP today.",
                "116 123",
            ],
            ["urgent care", "988"],
            id="gb-leads-with-nhs-111-option-2",
        ),
    ],
)
def test_recent_self_harm_thoughts_get_means_safety_and_the_countrys_lines(
    client, settings, country, present, absent
):
    settings.OIH_COUNTRY = country
    text = visible_text(submit(client, make_answers(self_harm="recent")))
    assert "Get help today" in text
    assert "Keep your medicines locked away, or ask someone you trust to keep them for you." in text
    for phrase in present:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase


@pytest.mark.parametrize("opioid_use", ["no", "sometimes", "unsure"])
def test_an_answer_other_than_most_days_is_read_back_as_it_was_given(client, opioid_use):
    text = visible_text(submit(client, make_answers(opioid_use=opioid_use)))
    assert "Your answer did not say that you do." in text
    assert str(questionnaire.get("opioid_use").choice(opioid_use).label) in text


# What must never be said is scanned on thousands of rendered results: test_never_say.py.


def test_result_without_a_finished_check_goes_to_the_start(client):
    assertRedirects(client.get("/check/result/"), "/check/")


# --- Deleting ---------------------------------------------------------------------------


def test_delete_my_answers_removes_the_screening_after_confirmation(client):
    submit(client, POSSIBLE_OIH, privacy="save")
    screening = Screening.objects.get()
    confirm = client.get("/check/delete/")
    assertContains(confirm, screening.display_reference)
    assert Screening.objects.count() == 1
    response = client.post("/check/delete/")
    assertRedirects(response, "/check/deleted/")
    assert Screening.objects.count() == 0
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.reference_codes) == (
        "patient",
        "delete",
        [screening.reference_code],
    )
    assertRedirects(client.get("/check/result/"), "/check/")


def test_delete_only_touches_the_patients_own_screening(client):
    other = Client()
    submit(other, SOME_FEATURES, privacy="save")
    submit(client, POSSIBLE_OIH, privacy="save")
    client.post("/check/delete/")
    assert list(Screening.objects.values_list("pattern", flat=True)) == ["some_features"]


def test_clearing_a_result_that_was_not_saved(client):
    submit(client, POSSIBLE_OIH)
    client.post("/check/delete/")
    assert flow.RESULT_KEY not in client.session
    assertRedirects(client.get("/check/result/"), "/check/")


# --- Privacy and caching ----------------------------------------------------------------


def test_pages_with_answers_are_never_cached(client):
    start(client)
    pages = ["/check/", "/check/breathing/"]
    walk(client, POSSIBLE_OIH)
    pages += ["/check/answers/"]
    responses = [client.get(url) for url in pages]
    client.post("/check/answers/")
    responses += [client.get("/check/result/"), client.get("/check/emergency/")]
    for response in responses:
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]


def test_no_url_ever_carries_an_answer(client):
    codes = {code for q in QUESTIONS for code in q.codes} - {"no", "yes", "none"}
    locations = []
    response = client.post("/check/", {"privacy": "save"})
    answers = POSSIBLE_OIH
    while response.status_code == 302 and response["Location"] != "/check/answers/":
        locations.append(response["Location"])
        qid = response["Location"].split("/")[2]
        value = answers[qid]
        response = answer(client, qid, value if isinstance(value, list) else str(value))
    locations.append(client.post("/check/answers/")["Location"])
    for location in locations:
        assert "=" not in location
        assert not any(code in location.split("/")[-1] for code in codes)


# --- Query budget -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/help/",
        "/check/",
        "/check/breathing/",
        "/check/emergency/",
        "/check/deleted/",
        "/check/how-it-works/",
        "/check/how-it-works/version-1/",
    ],
)
def test_simple_patient_pages_run_few_queries(client, assert_max_queries, url):
    """The reading pages' budget, with their cache, is in tests/education/test_views.py."""
    start(client)
    with assert_max_queries(4):
        assert client.get(url).status_code == HTTPStatus.OK


@pytest.mark.django_db(transaction=True)
def test_every_step_of_a_saved_check_runs_a_few_queries(client, assert_max_queries):
    with assert_max_queries(4):
        client.post("/check/", {"privacy": "save"})
    for question in flow.shown_questions(POSSIBLE_OIH):
        value = POSSIBLE_OIH[question.id]
        with assert_max_queries(4):
            client.get(f"/check/{question.id}/")
        with assert_max_queries(4):
            answer(client, question.id, value if isinstance(value, list) else str(value))
    for method, url, limit in [
        ("get", "/check/answers/", 4),
        # The session, the rate limit, the insert (that never fails: no log of its values),
        # the row read back, the session again.
        ("post", "/check/answers/", 5),
        ("get", "/check/result/", 4),
        ("get", "/check/delete/", 4),
        # The session, the screening found by id and code, its review notes and itself
        # deleted (ReviewNote cascades in Python), the audit line, the session again.
        ("post", "/check/delete/", 6),
    ]:
        with assert_max_queries(limit):
            getattr(client, method)(url)
    assert Screening.objects.count() == 0  # deleted at the end


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(make_answers(duration="lt_4_weeks", health_change="yes"), id="too-early"),
        pytest.param(make_answers(pain_average=9), id="severe-pain"),
        pytest.param({**POSSIBLE_OIH, "pain_average": 9}, id="severe-pain-with-pattern"),
    ],
)
def test_notes_never_contradict_the_headlines_timing(client, answers):
    text = visible_text(submit(client, answers))
    headline_is_soon = "Talk to your doctor soon" in text
    assert not (headline_is_soon and "next visit" in text.lower())
    assert "don't wait" not in text


def test_with_the_pattern_and_severe_pain_the_headline_says_within_days(client):
    severe = visible_text(submit(client, {**POSSIBLE_OIH, "pain_average": 9}))
    assert "Talk to your doctor in the next 2 or 3 days" in severe
    mild = visible_text(submit(Client(), {**POSSIBLE_OIH, "pain_average": 4}))
    assert "Talk to your doctor soon, within about 2 weeks" in mild
    assert "try not to wait" not in mild


def test_severe_pain_alone_says_soon_and_not_to_wait_two_weeks(client):
    text = visible_text(submit(client, make_answers(pain_average=8)))
    assert "Talk to your doctor soon. Your pain is severe, so try not to wait 2 weeks." in text


def test_the_safety_notes_link_to_where_the_articles_explain_them(client):
    page = submit(client, make_answers(opioid_use="most_days", control="yes"))
    assertContains(
        page,
        '<a class="no-print" href="/learn/changing-opioid-doses-safely/#naloxone-can-save-a-life">'
        "How to use naloxone</a>",
    )
    assertContains(
        page,
        '<a class="no-print" href="/learn/getting-help/#confidential-help-with-opioid-use">'
        "More about getting help</a>",
    )


# --- Reading level of what version 2 added ------------------------------------------------

V2_QUESTIONS = ["oud_treatment", "pain_context", "sedation_episodes", "overdose_risk"]
V2_FINDINGS = ["hard_taper", "specialist_context", "sedation_episodes", "overdose_risk"]
V2_NOTES = [
    "stay_on_treatment",
    "means_safety",
    "sedation_episodes",
    "taper_pause",
    "specialist_context",
    "overdose_risk",
    "overuse",
]


@pytest.mark.parametrize("question_id", V2_QUESTIONS)
def test_each_new_question_page_reads_at_grade_8_or_below(question_id):
    question = questionnaire.get(question_id)
    sentences = [str(question.text), str(question.hint)]
    sentences += [f"{choice.label}." for choice in question.choices]
    assert textstat.flesch_kincaid_grade(" ".join(sentences)) <= MAX_GRADE


@pytest.mark.parametrize("finding", [*V2_FINDINGS, "oud_treatment"])
def test_each_new_finding_reads_at_grade_8_or_below(finding):
    assert textstat.flesch_kincaid_grade(str(FINDING_SENTENCES[Finding(finding)])) <= MAX_GRADE


@pytest.mark.parametrize("country", ["US", "GB"])
@pytest.mark.parametrize("note", V2_NOTES)
def test_each_new_note_reads_at_grade_8_or_below(note, country):
    html = render_to_string(
        f"screening/notes/{note}.html",
        {"country_help": crisis.for_country(country), "note_links": {}},
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE


def test_back_from_a_follow_up_that_a_change_opened_never_loops(client):
    """Change the dose answer from the answers page, so that a follow-up question appears,
    then press Back: the dose question comes back, not the same follow-up again."""
    walk(client, make_answers())
    response = answer(client, "dose_change", ["raised"], change=True)
    assertRedirects(response, "/check/after_increase/?change", fetch_redirect_response=False)
    page = client.get("/check/after_increase/?change")
    back = re.search(r'class="back-link[^"]*" href="([^"]+)"', page.content.decode()).group(1)
    assert back == "/check/dose_change/?change"
    again = client.get(back)
    assert again.status_code == HTTPStatus.OK
    back_again = re.search(r'class="back-link[^"]*" href="([^"]+)"', again.content.decode())
    assert back_again.group(1) != "/check/after_increase/?change"
    # With the check complete again, Back from a change returns to the answers page.
    answer(client, "after_increase", "worse", change=True)
    page = client.get("/check/dose_change/?change").content.decode()
    assert re.search(r'class="back-link[^"]*" href="/check/answers/"', page)


# --- The result's first screen (issue 17) -------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "label", "contact"),
    [
        pytest.param(make_answers(self_harm="recent"), "Urgent: today", "any time", id="today"),
        pytest.param(
            {**POSSIBLE_OIH, "pain_average": 8, "pain_enjoyment": 8, "pain_activity": 8},
            "Soon: in 2 or 3 days",
            "The person who prescribes your opioid pain medicine.",
            id="days",
        ),
        pytest.param(
            POSSIBLE_OIH,
            "Soon: within 2 weeks",
            "The person who prescribes your opioid pain medicine.",
            id="soon",
        ),
        pytest.param(
            SOME_FEATURES,
            "At your next visit",
            "The person who prescribes your opioid pain medicine.",
            id="next-visit",
        ),
        pytest.param(
            make_answers(opioid_use="no"),
            "At your usual visits",
            "A doctor or nurse who knows about your pain.",
            id="routine",
        ),
        pytest.param(
            {**POSSIBLE_OIH, "oud_treatment": "yes"},
            "Soon: within 2 weeks",
            "Your treatment team at the clinic or program.",
            id="in-treatment",
        ),
    ],
)
def test_the_result_opens_with_how_soon_and_whom_to_contact(client, answers, label, contact):
    html = submit(client, answers).content.decode()
    box = html[html.index('<section class="urgency-box') : html.index("</section>")]
    urgency = assess(answers).urgency
    assert f"urgency-box-{urgency}" in box
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", box))
    assert label in text
    assert "Who to contact:" in text
    assert contact in text
    assert "<h1" in box


@pytest.mark.parametrize("country", ["US", "GB"])
def test_recent_self_harm_thoughts_put_the_crisis_line_to_tap_in_the_first_box(
    client, settings, country
):
    settings.OIH_COUNTRY = country
    html = submit(client, make_answers(self_harm="recent")).content.decode()
    box = html[html.index('<section class="urgency-box') : html.index("</section>")]
    assert f'href="tel:{crisis.for_country(country).crisis.tel}"' in box


@pytest.mark.parametrize("country", ["US", "GB"])
@pytest.mark.parametrize("answers", [NO_PATTERN, POSSIBLE_OIH, make_answers(opioid_use="no")])
def test_every_result_offers_the_countrys_emergency_and_crisis_numbers_to_tap(
    client, settings, country, answers
):
    settings.OIH_COUNTRY = country
    help_ = crisis.for_country(country)
    html = submit(client, answers).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert f'href="tel:{help_.emergency.tel}"' in main
    assert f'href="tel:{help_.crisis.tel}"' in main


def test_the_reference_code_and_deletion_key_follow_the_first_box(client):
    html = submit(client, POSSIBLE_OIH, privacy="save").content.decode()
    box_end = html.index("</section>", html.index('<section class="urgency-box'))
    code = html.index("Your reference code")
    assert box_end < code < html.index("Your deletion key") < html.index("What your answers show")


def test_a_no_pattern_result_says_which_answers_counted_against_it(client):
    answers = make_answers(
        dose_change=["raised"], after_increase="no_change", pain_spread="no", touch_hurts="unsure"
    )
    text = visible_text(submit(client, answers))
    assert "You said your pain did not get worse after your dose went up." in text
    assert "You said your pain did not spread to new places." in text
    assert "You were not sure if things that never hurt before now hurt you." in text
    assert "could not see how your pain changes with your dose" not in text


def test_a_no_pattern_result_without_a_dose_change_says_so(client):
    text = visible_text(submit(client, NO_PATTERN))
    assert "could not see how your pain changes with your dose" in text


def test_the_result_keeps_the_answers_for_its_printout_until_it_is_cleared(client):
    submit(client, POSSIBLE_OIH)
    assert client.session[flow.RESULT_KEY]["answers"] == POSSIBLE_OIH
    client.post("/check/delete/")
    assert flow.RESULT_KEY not in client.session


def test_the_printout_lists_every_question_with_its_answer_in_order(client):
    html = submit(client, POSSIBLE_OIH).content.decode()
    printed = html[html.index('class="print-answers"') : html.index("</dl>")]
    position = 0
    for row in flow.answer_rows(POSSIBLE_OIH):
        entry = f"<dt>{escape(row.question.short)}:</dt> <dd>{escape('; '.join(row.labels))}</dd>"
        position = printed.index(entry, position)


def test_every_question_has_a_short_name_for_the_printout():
    assert all(str(question.short) for question in questionnaire.QUESTIONS)


def test_telling_the_prescriber_comes_before_naloxone(client):
    html = submit(client, make_answers(control="yes")).content.decode()
    assert html.index("Taking more than prescribed raises the risk") < html.index(
        "Keep naloxone at home"
    )


def test_after_a_near_overdose_naloxone_comes_right_after_it_below_the_treatment_note():
    assessment = assess(make_answers(sedation_episodes="yes", oud_treatment="yes", control="yes"))
    notes = explain.ordered_notes(assessment)
    assert notes[0] is Note.STAY_ON_TREATMENT
    assert notes.index(Note.NALOXONE) == notes.index(Note.SEDATION_EPISODES) + 1
    assert notes.index(Note.NALOXONE) < notes.index(Note.OVERUSE)


@pytest.mark.parametrize(
    "words",
    [*explain.CONTACTS.values(), *explain.AGAINST_PATTERN.values(), explain.NO_DOSE_CHANGE],
)
def test_the_first_box_and_the_no_pattern_reasons_read_at_grade_8_or_below(words):
    assert textstat.flesch_kincaid_grade(str(words)) <= MAX_GRADE


def test_the_urgency_labels_read_at_grade_8_or_below_together():
    # Two or three words each: too short to grade one by one.
    text = " ".join(f"{label}." for label in explain.URGENCY_LABELS.values())
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE


# --- Question pages (issue 17) ------------------------------------------------------------


def walk_to(client: Client, question_id: str) -> None:
    """Start a no-pattern check and answer it up to ``question_id``."""
    answers = make_answers()
    start(client)
    for question in flow.shown_questions(answers):
        if question.id == question_id:
            return
        value = answers[question.id]
        answer(client, question.id, value if isinstance(value, list) else str(value))


@pytest.mark.parametrize("question_id", ["breathing", "new_symptoms", "pain_average"])
def test_the_hint_sits_under_the_question_and_above_the_choices(client, question_id):
    walk_to(client, question_id)
    html = client.get(f"/check/{question_id}/").content.decode()
    hint = html.index(f'id="id_{question_id}_helptext"')
    assert html.index("</legend>") < hint < html.index(f'id="id_{question_id}_0"')
    assert f'aria-describedby="id_{question_id}_helptext"' in html
    assert 'for=""' not in html


def test_on_error_the_message_comes_before_the_choices_and_the_choices_stay_plain(client):
    start(client)
    response = client.post("/check/breathing/", {})
    html = response.content.decode()
    error = html.index('id="id_breathing_error"')
    assert html.index('id="id_breathing_helptext"') < error < html.index('id="id_breathing_0"')
    assert "is-invalid" not in html
    assert 'aria-invalid="true"' in html
    assert "<title>Error:" in html


def test_the_last_questions_say_the_check_is_almost_done(client):
    walk_to(client, "pain_average")
    response = client.get("/check/pain_average/")
    assertContains(response, "Almost done")
    assertNotContains(response, "of up to")


def test_every_question_belongs_to_a_part_of_the_check():
    assert set(questionnaire.SECTION_OF) == {question.id for question in QUESTIONS}


def test_the_start_page_offers_to_continue_a_check_in_progress(client):
    start(client)
    answer(client, "breathing", "no")
    response = client.get("/check/")
    assertContains(
        response, '<a class="btn btn-primary" href="/check/self_harm/">Continue your check</a>'
    )


def test_a_failed_start_says_error_in_the_title(client):
    response = client.post("/check/", {})
    assertContains(response, "<title>Error:")


def test_the_first_question_reads_at_grade_8_or_below():
    question = questionnaire.get("breathing")
    text = " ".join([str(question.text), str(question.hint)])
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE


def test_the_printout_names_the_site_and_when_the_check_was_done(client, settings):
    settings.OIH_PUBLIC_URL = "https://oih.example.org"
    html = submit(client, POSSIBLE_OIH).content.decode()
    header = html[html.index('class="print-only print-header') :]
    header = header[: header.index("</p>")]
    assert "https://oih.example.org" in header
    assert "Check done" in header
    assert client.session[flow.RESULT_KEY]["checked_at"]


def printout_header(client: Client, path: str) -> str:
    html = client.get(path).content.decode()
    header = html[html.index('class="print-only print-header') :]
    return re.sub(r"\s+", " ", header[: header.index("<br>")])


@pytest.mark.parametrize(
    ("zone", "path", "when"),
    [
        # 03:30 UTC is still the evening before in New York, and the printout says so.
        ("America/New_York", "/check/result/", "Nov. 24, 2026, 10:30 p.m. EST"),
        ("America/New_York", "/es/check/result/", "24 de noviembre de 2026, 10:30 p.m. EST"),
        ("Europe/London", "/check/result/", "Nov. 25, 2026, 3:30 a.m. GMT"),
        ("UTC", "/check/result/", "Nov. 25, 2026, 3:30 a.m. UTC"),
    ],
)
def test_the_printout_gives_the_time_in_the_clinics_time_zone_and_names_it(
    client, settings, zone, path, when
):
    settings.TIME_ZONE = zone
    submit(client, POSSIBLE_OIH)
    session = client.session
    session[flow.RESULT_KEY]["checked_at"] = "2026-11-25T03:30:00+00:00"
    session.save()
    assert when in printout_header(client, path)
