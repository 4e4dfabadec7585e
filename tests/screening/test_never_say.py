"""What must never be said to a patient (CLINICAL.md, "Never say"), checked on real pages.

The result and emergency pages are rendered through the site, as a patient gets them, for
2,000 random walks through the questionnaire (seeded: a failure names its walk number, and
``walk(number)`` gives the same answers again) and for every answer set in the rule tables of
``test_rules.py``, in both countries. The visible text of each page is then scanned.

The Spanish pages are scanned too, with Spanish patterns for each rule as well as the
English ones (an English sentence left on a Spanish page must obey them as well): every rule
table case, and a third of the walks.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from screening import flow
from screening.demo import random_answers
from screening.questionnaire import QUESTIONS, Kind, Question
from screening.rules import Urgency, assess
from tests.screening import test_rules

SEED = 20261206
WALKS = 2000
# Most people answer no to the safety questions; a walk that always stopped there would
# never reach the rest of the check.
SAFE_SAFETY_ANSWER = 0.85

LABELS = [r"\baddict", r"\babus(e|es|ed|er|ers|ing)\b", r"drug[- ]seeking", r"\bjunkie", r"\bmisus"]
DIAGNOSIS = [
    r"\byou (probably |likely |may )?have (oih|opioid-induced|hyperalgesia)",
    r"\byou have been diagnosed",
    r"\b(your|the) (opioid|opioids|medicine|medicines|dose) (is|are) (causing|the cause)",
    r"\b(oih|hyperalgesia|risk) score\b",
]
DISMISSAL = [
    r"in your head",
    r"\bimagin(ed|ing) (it|your pain)",
    r"nothing to worry",
    r"pain is not real",
]
# An instruction to change a dose: a verb of change with a medicine as its object.
DOSE_CHANGE = [
    r"\b(stop|stopping|cut|skip|lower|reduce|raise|increase|taper|wean|space out|come off|go off)"
    r" (taking )?(your|the|any of your|all of your) (dose|doses|opioid|opioids|medicine|medicines"
    r"|pills|methadone|buprenorphine|treatment|sedative|sedatives|gabapentin|pregabalin)\b",
    r"\bgo back to (your|the) old dose",
    r"\b(take|start taking|restart) (your |the )?old dose",
    r"\btake (more|extra|less|fewer|an extra)\b",
    r"\b\d+ ?(mg|milligrams?|percent|%)",
    r"\bevery \d+ (hours|days|weeks)",
    # "Taper" as a thing to do, with no medicine named. As a noun it is the contract's own
    # word ("Ask whether the taper can be paused or slowed").
    r"\btaper(ing)? (off|down|slowly|it|them)\b",
    r"\b(start|begin|try) (a |to )?taper",
    r"\b(should|could|can|must|need to) taper\b",
]
# A named drug to ask for: naloxone, which the contract asks for, is the one exception.
DRUGS = (
    r"(methadone|buprenorphine|suboxone|oxycodone|hydrocodone|morphine|codeine|tramadol|"
    r"fentanyl|tapentadol|hydromorphone|gabapentin|pregabalin|alprazolam|diazepam|lorazepam|"
    r"clonazepam|zolpidem|naltrexone|ketamine)"
)
ASK_FOR_A_DRUG = [rf"\bask (\w+ ){{0,4}}(for|about|to (try|get|start)) (\w+ ){{0,2}}{DRUGS}"]
EMERGENCY_DELAY = [r"call your doctor", r"wait and see", r"next visit", r"make an appointment"]
WRONG_COUNTRY = {
    "US": [r"\b999\b", r"\b111\b", r"116 123", r"samaritans", r"\bnhs\b", r"\bgp\b"],
    "GB": [r"\b911\b", r"\b988\b", r"1-800", r"samhsa", r"urgent care"],
}
EMERGENCY_NUMBER = {"US": "911", "GB": "999"}

# A sentence that forbids a change ("Do not stop it on your own") is the advice the contract
# asks for, not an instruction to change: the dose patterns skip it.
FORBIDS = re.compile(r"\b(do not|don't|never|not on your own|without your clinician)\b")

# The same rules in Spanish ("usted"), as the Spanish pages and articles would break them.
# The articles are scanned with these lists too, in each language
# (tests/education/never_say.py).
LABELS_ES = [
    r"\badict",
    r"\badicci[oó]n",
    r"\bdrogadict",
    r"\babus(o|a|ar|ando|ador)\b",
    r"b[uú]squeda de (drogas|medicamentos|opioides)",
    r"\bmal uso\b",
    r"\bviciosos?\b",
]
DIAGNOSIS_ES = [
    r"\busted (probablemente |seguramente |quiz[aá]s |tal vez |puede que )?tiene "
    r"(oih|hio|hiperalgesia)",
    r"\b(le|lo|la) (han )?diagnostica(d[oa]|ron)\b",
    r"\b(su|el|la|sus|los) (opioide|opioides|medicina|medicinas|medicamento|medicamentos|dosis)"
    r" (le |les )?((es|son|est[aá]n?) (la causa|lo que causa|causando)|causan?\b)",
    r"\b(puntaje|puntuaci[oó]n) de (oih|hio|hiperalgesia|riesgo)\b",
]
# "Diagnóstico" only where a sentence gives one: "Esto no es un diagnóstico" is what the
# contract asks for.
DIAGNOSIS_WORD_ES = [r"\bdiagn[oó]stic[oa]", r"\bdiagnostica"]
DISMISSAL_ES = [
    r"\ben su cabeza\b",
    r"\b(se lo|lo est[aá]) imagin",
    r"\bimaginando (el|su) dolor",
    r"nada (de|por) (qu[eé]|lo que) preocupar",
    r"\bdolor no es real",
]
_MEDICINE_ES = (
    r"(la |su |sus |el |los |las |una |cualquier )?(dosis|opioide|opioides|medicina|medicinas|"
    r"medicamento|medicamentos|pastillas|metadona|buprenorfina|tratamiento|sedante|sedantes|"
    r"gabapentina|pregabalina)\b"
)
DOSE_CHANGE_ES = [
    rf"\b(deje|dejar|reduzca|reducir|baje|bajar|disminuya|disminuir|aumente|aumentar|suba|subir|"
    rf"salte|saltar|s[aá]ltese|omita|omitir|corte|cortar|retire|retirar|espacie|espaciar) "
    rf"(de tomar |de usar )?{_MEDICINE_ES}",
    r"\b(deje|dejar) de tomar",
    r"\bsuspend(a|er|erlo|erla)\b",
    r"\bvuelva a (la|su) dosis (anterior|de antes)",
    r"\btome (m[aá]s|menos|de m[aá]s|una dosis extra|otra dosis|una dosis de m[aá]s)\b",
    r"\b\d+ ?(mg|miligramos?|por ciento|%)",
    r"\bcada \d+ (horas|d[ií]as|semanas)",
]
DRUGS_ES = (
    r"(metadona|buprenorfina|suboxone|oxicodona|hidrocodona|morfina|code[ií]na|tramadol|"
    r"fentanilo|tapentadol|hidromorfona|gabapentina|pregabalina|alprazolam|diazepam|lorazepam|"
    r"clonazepam|zolpidem|naltrexona|ketamina)"
)
ASK_FOR_A_DRUG_ES = [
    rf"\b(pida|p[ií]dale|pregunte|preg[uú]ntele)\b (\w+ ){{0,5}}(por |sobre |que le d[eé] )?"
    rf"(\w+ ){{0,2}}{DRUGS_ES}"
]
EMERGENCY_DELAY_ES = [
    r"llame a su (m[eé]dico|doctor|cl[ií]nic)",
    r"espere a ver",
    r"pr[oó]xima (cita|visita|consulta)",
    r"(haga|pida|saque) una cita",
]
FORBIDS_ES = re.compile(
    r"\b(no|nunca|ni|por su cuenta|sin (hablar|consultar|su (m[eé]dico|doctor|cl[ií]nic)))\b"
)


# The languages whose pages the scan reads with patterns of their own (tests/test_hazard_log.py
# refuses a language offered without them).
SCANNED_LANGUAGES = ("en", "es")


def never_said(text: str, *, country: str, emergency: bool, language: str = "en") -> list[str]:
    """The patterns of the "never say" list that ``text`` matches (none, to pass).

    A Spanish page is held to the Spanish patterns and to the English ones.
    """
    text = text.lower()
    found = [
        p for p in LABELS + DIAGNOSIS + DISMISSAL + WRONG_COUNTRY[country] if re.search(p, text)
    ]
    sentences = re.split(r"(?<=[.!?:;])\s+", text)
    for sentence in sentences:
        if FORBIDS.search(sentence):
            continue
        found += [p for p in DOSE_CHANGE + ASK_FOR_A_DRUG if re.search(p, sentence)]
    if emergency:
        found += [p for p in EMERGENCY_DELAY if re.search(p, text)]
        if EMERGENCY_NUMBER[country] not in text:
            found.append(f"no {EMERGENCY_NUMBER[country]}")
    if language == "es":
        found += [p for p in LABELS_ES + DIAGNOSIS_ES + DISMISSAL_ES if re.search(p, text)]
        for sentence in sentences:
            if FORBIDS_ES.search(sentence):
                continue
            rules = DOSE_CHANGE_ES + ASK_FOR_A_DRUG_ES + DIAGNOSIS_WORD_ES
            found += [p for p in rules if re.search(p, sentence)]
        if emergency:
            found += [p for p in EMERGENCY_DELAY_ES if re.search(p, text)]
    return found


class _Text(HTMLParser):
    """The text a person sees: no tags, scripts, styles or hidden elements' markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(response: Any) -> str:
    parser = _Text()
    parser.feed(response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(" ".join(parser.parts)))


def _pick(question: Question, rng: random.Random) -> Any:
    if question.kind is Kind.SCALE:
        return rng.randint(0, 10)
    if question.safety and rng.random() < SAFE_SAFETY_ANSWER:
        return ["none"] if question.kind is Kind.MULTI else "no"
    if question.kind is Kind.ONE:
        return rng.choice(question.codes)
    if rng.random() < 0.25:
        return [rng.choice(sorted(question.exclusive))]
    ordinary = [code for code in question.codes if code not in question.exclusive]
    ticked = set(rng.sample(ordinary, rng.randint(1, len(ordinary))))
    return [code for code in question.codes if code in ticked]


@cache
def walk(number: int) -> dict[str, Any]:
    """Random walk ``number``: answers page by page until the end or an emergency stop.

    Even walks pick among all answers alike; odd ones as the demo data does (mostly one or
    two ticks, most people on opioids most days), which reaches the milder outcomes.
    """
    rng = random.Random(SEED * 100_000 + number)
    return random_answers(rng) if number % 2 else random_answers(rng, pick=_pick)


def table_cases() -> Iterator[dict[str, Any]]:
    """Every answer set in the rule tables: each rule's boundary cases."""
    for name in dir(test_rules):
        function = getattr(test_rules, name)
        for mark in getattr(function, "pytestmark", []):
            if mark.name != "parametrize":
                continue
            names = mark.args[0] if isinstance(mark.args[0], str) else ",".join(mark.args[0])
            names = [n.strip() for n in names.split(",")]
            if "answers" not in names:
                continue
            for value in mark.args[1]:
                values = value.values if hasattr(value, "values") else value
                values = values if len(names) > 1 else (values,)
                answers = dict(zip(names, values, strict=True))["answers"]
                if isinstance(answers, dict):
                    yield answers


def rendered(client: Client, answers: dict[str, Any], language: str = "en") -> tuple[str, bool]:
    """The page a patient with ``answers`` gets at the end of the check, in ``language``,
    and whether it is the emergency page."""
    assessment = assess(answers)
    session = client.session
    flow.forget(session)
    flow.Result(assessment, reference_code="ACDEFGHJ", screening_id=None).store(session)
    session.save()
    emergency = assessment.urgency is Urgency.EMERGENCY
    prefix = "" if language == "en" else f"/{language}"
    response = client.get(prefix + ("/check/emergency/" if emergency else "/check/result/"))
    assert response.status_code == 200
    return page_text(response), emergency


def scan(
    client: Client, cases: list[tuple[str, dict[str, Any]]], settings, language: str = "en"
) -> int:
    """Render and scan each case in both countries, in ``language``; returns how many pages
    were scanned."""
    failures = []
    pages = 0
    for country in ("US", "GB"):
        settings.OIH_COUNTRY = country
        for name, answers in cases:
            text, emergency = rendered(client, answers, language)
            pages += 1
            found = never_said(text, country=country, emergency=emergency, language=language)
            if found:
                failures.append(f"{name} ({country}, {language}): {found}")
    assert not failures, "\n".join(failures[:20])
    return pages


@pytest.mark.django_db
def test_no_result_or_emergency_page_of_2000_random_walks_says_what_must_not_be_said(
    client, settings
):
    cases = [(f"walk({number})", walk(number)) for number in range(WALKS)]
    # The walks reach every urgency and every kind of end, or the scan proves little.
    urgencies = {assess(answers).urgency for _name, answers in cases}
    assert urgencies == set(Urgency)
    assert sum(assess(a).urgency is Urgency.EMERGENCY for _n, a in cases) > 100
    assert scan(client, cases, settings) == 2 * WALKS


@pytest.mark.django_db
def test_no_page_for_any_rule_table_case_says_what_must_not_be_said(client, settings):
    cases = [(f"table case {n}", answers) for n, answers in enumerate(table_cases())]
    assert len(cases) > 200
    assert scan(client, cases, settings) == 2 * len(cases)


def spanish_walks() -> list[int]:
    """A third of the walks, and the first walk to reach each urgency (some are rare)."""
    first = {}
    for number in range(WALKS):
        first.setdefault(assess(walk(number)).urgency, number)
    return sorted(set(range(0, WALKS, 3)) | set(first.values()))


@pytest.mark.django_db
def test_no_spanish_result_or_emergency_page_of_the_walks_says_what_must_not_be_said(
    client, settings
):
    cases = [(f"walk({number})", walk(number)) for number in spanish_walks()]
    assert {assess(answers).urgency for _name, answers in cases} == set(Urgency)
    assert scan(client, cases, settings, "es") == 2 * len(cases)


@pytest.mark.django_db
def test_no_spanish_page_for_any_rule_table_case_says_what_must_not_be_said(client, settings):
    cases = [(f"table case {n}", answers) for n, answers in enumerate(table_cases())]
    assert scan(client, cases, settings, "es") == 2 * len(cases)


# The scanner itself: it catches each kind of forbidden sentence, and lets through the
# sentences the contract asks for.


@pytest.mark.parametrize(
    "sentence",
    [
        "You have OIH.",
        "You probably have opioid-induced hyperalgesia.",
        "Your opioid is causing your pain.",
        "Your OIH score is 7.",
        "People who are addicted to opioids often say this.",
        "This looks like drug-seeking.",
        "The pain may be in your head.",
        "There is nothing to worry about.",
        "Stop taking your opioid.",
        "Lower your dose by a quarter.",
        "You could taper your medicine over a month.",
        "Stop your methadone before your visit.",
        "Cut your gabapentin in half.",
        "Go back to your old dose.",
        "Take 10 mg less each week.",
        "Take more when the pain is bad.",
        "Ask your doctor for buprenorphine.",
        "Ask them about switching to methadone.",
        "Some abusers ask for more pills.",
        "Only a junkie takes this much.",
        "This looks like misuse.",
        "You have been diagnosed with OIH.",
        "You imagined it.",
        "Your pain is not real.",
        "Restart your old dose.",
        "Take one pill every 6 hours.",
        "Space out your doses.",
        "It is time to taper off.",
        "Start a taper next week.",
        "You should taper.",
    ],
)
def test_the_scanner_catches_what_must_never_be_said(sentence):
    assert never_said(f"Call 911. {sentence}", country="US", emergency=False)


@pytest.mark.parametrize(
    "sentence",
    [
        "This is not a diagnosis.",
        "Do not stop, cut, skip or raise your dose on your own.",
        "Do not stop it or lower it on your own.",
        "Do not take extra, and do not get opioids from anyone else.",
        "Do not start taking your old dose again on your own.",
        "Never change how you take your medicine without your clinician.",
        "Ask whether the taper can be paused or slowed.",
        "A lower dose that makes you feel much worse is a taper that can be paused or slowed.",
        "Ask about naloxone.",
        "Stay on your methadone or buprenorphine treatment.",
        "Your pain is still real.",
    ],
)
def test_the_scanner_lets_through_the_advice_the_contract_asks_for(sentence):
    assert never_said(f"Call 911. {sentence}", country="US", emergency=False) == []


def test_the_scanner_catches_a_delay_or_a_missing_number_on_an_emergency_page():
    assert never_said("Call 911 now. Or call your doctor.", country="US", emergency=True)
    assert never_said("Call for help now.", country="US", emergency=True) == ["no 911"]
    assert never_said("Call 999 now.", country="US", emergency=True)
    assert never_said("Call 999 now.", country="GB", emergency=True) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Or call your doctor.",
        "Wait and see if it gets better.",
        "Bring it up at your next visit.",
        "Make an appointment this week.",
    ],
)
def test_the_scanner_catches_a_delay_on_an_emergency_page(sentence):
    assert never_said(f"Call 911 now. {sentence}", country="US", emergency=True)


@pytest.mark.parametrize(
    ("country", "sentence"),
    [
        ("US", "Call 999."),
        ("US", "Call 111 for advice."),
        ("US", "Call the Samaritans on 116 123."),
        ("US", "The NHS can help."),
        ("US", "See your GP today."),
        ("GB", "Call 911."),
        ("GB", "Call or text 988."),
        ("GB", "Call 1-800-662-4357."),
        ("GB", "The SAMHSA helpline is free."),
        ("GB", "Go to urgent care."),
    ],
)
def test_the_scanner_catches_the_other_countrys_numbers_and_services(country, sentence):
    assert never_said(sentence, country=country, emergency=False)


@pytest.mark.parametrize(
    "sentence",
    [
        "Usted tiene hiperalgesia.",
        "Usted probablemente tiene hiperalgesia inducida por opioides.",
        "Su opioide es la causa de su dolor.",
        "Su puntaje de OIH es 7.",
        "El diagnóstico es hiperalgesia inducida por opioides.",
        "Le diagnosticaron hiperalgesia.",
        "Las personas adictas a los opioides dicen esto.",
        "Esto parece búsqueda de drogas.",
        "Puede ser abuso de opioides.",
        "El dolor puede estar en su cabeza.",
        "Está todo bien, nada de qué preocuparse.",
        "Deje de tomar su opioide.",
        "Suspenda la metadona antes de su visita.",
        "Reduzca la dosis en un cuarto.",
        "Aumente la dosis cuando el dolor sea fuerte.",
        "Salte una dosis si tiene mucho sueño.",
        "Baje su dosis poco a poco.",
        "Vuelva a su dosis anterior.",
        "Tome 10 mg menos cada semana.",
        "Tome más cuando el dolor sea fuerte.",
        "Pídale a su médico buprenorfina.",
        "Pregunte por la metadona.",
        "Deje de tomar su medicina.",
        "Suspenda el tratamiento.",
        "Reduzca la dosis a la mitad.",
        "Aumente la dosis si le duele.",
        "Salte una dosis por la noche.",
        "Su opioide le está causando el dolor.",
        "Tome más si el dolor sigue.",
        "Baje su dosis un 10 por ciento.",
        "Es un adicto.",
        "Usted tiene HIO.",
        "Los opioides causan su dolor.",
        "Son unos viciosos.",
        "Tiene adicción a los opioides.",
        "Se lo imagina.",
        "Está imaginando el dolor.",
        "Este dolor no es real.",
        "Puede dejar de tomar en una semana.",
        "Es mejor suspenderlo.",
        "Tome de más si le duele.",
        "Tome una pastilla cada 6 horas.",
        "Su puntuación de riesgo es 7.",
        "Parece un drogadicto.",
        "Es un mal uso de la medicina.",
    ],
)
def test_the_scanner_catches_what_must_never_be_said_in_spanish(sentence):
    assert never_said(f"Llame al 911. {sentence}", country="US", emergency=False, language="es")


@pytest.mark.parametrize(
    "sentence",
    [
        "Esto no es un diagnóstico.",
        "Esta página no diagnostica.",
        "No deje de tomar, no reduzca, no salte ni aumente su dosis por su cuenta.",
        "Nunca cambie cómo toma su medicina sin hablar con su médico.",
        "No tome más de lo recetado.",
        "Pregunte si la reducción se puede pausar o hacer más lenta.",
        "Pregunte por la naloxona.",
        "Siga con su tratamiento de metadona o buprenorfina.",
        "Su dolor es real.",
        "No deje de tomar su medicina por su cuenta.",
    ],
)
def test_the_scanner_lets_through_the_spanish_advice_the_contract_asks_for(sentence):
    text = f"Llame al 911. {sentence}"
    assert never_said(text, country="US", emergency=False, language="es") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "O llame a su médico.",
        "Espere a ver si mejora.",
        "Hable de esto en su próxima cita.",
        "Haga una cita esta semana.",
    ],
)
def test_the_scanner_catches_a_delay_on_a_spanish_emergency_page(sentence):
    text = f"Llame al 911 ahora. {sentence}"
    assert never_said(text, country="US", emergency=True, language="es")


def test_the_scanner_wants_the_number_on_a_spanish_emergency_page():
    assert never_said("Llame al 911 ahora.", country="US", emergency=True, language="es") == []
    assert never_said("Llame ahora.", country="US", emergency=True, language="es") == ["no 911"]


def untested(patterns: list[str], tests: list[Any]) -> list[str]:
    """The patterns that no sentence of the parametrized ``tests`` matches."""
    sentences = [
        (case if isinstance(case, str) else case[-1]).lower()
        for test in tests
        for mark in test.pytestmark
        for case in mark.args[1]
    ]
    return [p for p in patterns if not any(re.search(p, s) for s in sentences)]


def test_every_pattern_is_shown_a_sentence_it_catches():
    tests = [
        test_the_scanner_catches_what_must_never_be_said,
        test_the_scanner_catches_a_delay_on_an_emergency_page,
        test_the_scanner_catches_the_other_countrys_numbers_and_services,
    ]
    patterns = (
        LABELS
        + DIAGNOSIS
        + DISMISSAL
        + DOSE_CHANGE
        + ASK_FOR_A_DRUG
        + EMERGENCY_DELAY
        + [p for country in WRONG_COUNTRY.values() for p in country]
    )
    assert untested(patterns, tests) == []


def test_every_spanish_pattern_is_shown_a_sentence_it_catches():
    tests = [
        test_the_scanner_catches_what_must_never_be_said_in_spanish,
        test_the_scanner_catches_a_delay_on_a_spanish_emergency_page,
    ]
    patterns = (
        LABELS_ES
        + DIAGNOSIS_ES
        + DIAGNOSIS_WORD_ES
        + DISMISSAL_ES
        + DOSE_CHANGE_ES
        + ASK_FOR_A_DRUG_ES
        + EMERGENCY_DELAY_ES
    )
    assert untested(patterns, tests) == []


def test_the_walks_are_the_same_every_run():
    assert walk(7) == walk.__wrapped__(7)
    assert walk(7) != walk(8)
    assert {question.id for question in QUESTIONS} >= set(walk(7))
