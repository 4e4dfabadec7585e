"""Help lines in Spanish: how to reach 988 and the SAMHSA helpline in Spanish, on Spanish pages.

The numbers, the key to press and the word to text stay in ``screening/crisis.py``; the
catalogue only gives the words around them.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from screening import crisis
from tests.factories import get_in, make_answers, submit

pytestmark = pytest.mark.django_db

CATALOGUE = "locale/es/LC_MESSAGES/django.po"
CRISIS_IN_SPANISH = "En español: llame al 988 y marque el 2, o mande la palabra AYUDA"
SAMHSA_IN_SPANISH = "Le atienden en español."


def text_of(response) -> str:
    # Inline spans (a number kept on one line) join their text; other tags part it.
    html = re.sub(r"</?span[^>]*>", "", response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def spanish_result(client: Client, **answers) -> str:
    submit(client, make_answers(**answers))
    return text_of(get_in(client, "es", "screening:result"))


def test_the_help_page_says_how_to_reach_988_and_samhsa_in_spanish(client):
    text = text_of(get_in(client, "es", "screening:help"))
    assert CRISIS_IN_SPANISH + " por mensaje de texto al 988." in text
    samhsa = text.index(str(crisis.COUNTRIES["US"].substance_use.number))
    assert SAMHSA_IN_SPANISH in text[samhsa : samhsa + 200]


def test_english_pages_do_not_carry_the_spanish_instructions(client):
    text = text_of(get_in(client, "en", "screening:help"))
    assert "AYUDA" not in text
    assert "In Spanish" not in text
    assert "español" not in text.replace("Español", "")


def test_the_emergency_page_says_how_to_reach_988_in_spanish(client):
    text = text_of(get_in(client, "es", "screening:emergency"))
    assert CRISIS_IN_SPANISH in text


def test_a_result_after_recent_thoughts_of_self_harm_gives_988_in_spanish(client):
    text = spanish_result(client, self_harm="recent")
    # In the first box, in the means-safety note and under "if things get worse".
    assert text.count(CRISIS_IN_SPANISH) >= 3


def test_a_result_with_more_taken_than_prescribed_says_samhsa_answers_in_spanish(client):
    text = spanish_result(client, dose_change=["took_more"], after_increase="no_change")
    number = crisis.COUNTRIES["US"].substance_use.number
    assert f"gratis con Línea Nacional de Ayuda de SAMHSA: llame al {number}." in text
    assert f"llame al {number}. {SAMHSA_IN_SPANISH}" in text


def test_every_spanish_page_footer_gives_988_in_spanish(client):
    text = text_of(get_in(client, "es", "screening:about"))
    footer = text[text.rindex("En una emergencia") :]
    assert "988 Línea de Prevención del Suicidio y Crisis. " + CRISIS_IN_SPANISH in footer


def test_lines_with_no_spanish_service_claim_none(client, settings):
    settings.OIH_COUNTRY = "GB"
    text = text_of(get_in(client, "es", "screening:help"))
    assert "En español" not in text
    assert SAMHSA_IN_SPANISH not in text


def catalogue_pairs() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every entry of the Spanish catalogue, plural forms joined."""
    with open(CATALOGUE, encoding="utf-8") as po:
        blocks = po.read().split("\n\n")
    pairs = []
    for block in blocks:
        msgid = re.search(r'^msgid "(.*)"\n((?:".*"\n?)*)', block, re.M)
        msgstr = re.findall(r'^msgstr(?:\[\d\])? "(.*)"\n?((?:".*"\n?)*)', block, re.M)
        if msgid:
            pairs.append(("".join(msgid.groups()), " ".join("".join(m) for m in msgstr)))
    return pairs


def test_the_catalogue_adds_no_number_key_or_word_of_a_help_line():
    for country in crisis.COUNTRIES.values():
        for line in country.lines:
            said = [line.number]
            if line.in_spanish:
                said += [line.in_spanish.press, line.in_spanish.text_word]
            for msgid, msgstr in catalogue_pairs():
                for value in filter(None, said):
                    # A line's name may hold its number ("988 Suicide & Crisis Lifeline").
                    if len(value) > 1 or not value.isdigit():
                        assert value not in msgstr or value in msgid, (value, msgstr)
