"""Every word a patient reads is in the Spanish catalogue, and translated.

Every patient page is rendered in Spanish through the site, as a patient gets it: every
question of the current version (blank and with its error), check your answers, each kind
of result, the emergency page, the expired, deleted and too-many pages, the failure pages
(404, 500, 503), help, about, privacy, contact, the home page, the reading list, search and
deleting saved answers.

- In pseudo-Spanish (tests/languages.py) a word with a plain vowel never went through the
  translation machinery: a string missing from the catalogue.
- With the real catalogue, a sentence that reads the same in the English rendering of the
  page is one nobody translated. So is a catalogue entry from patient-facing code with an
  empty or fuzzy translation.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from education.models import Article
from screening import crisis, flow, rulebook, views
from screening.demo import random_answers
from screening.questionnaire import QUESTIONS
from screening.rules import Pattern, Urgency, assess
from tests.factories import NO_PATTERN, POSSIBLE_OIH, SOME_FEATURES, walk
from tests.languages import (
    ARTICLE_PAGES,
    CATALOGUE,
    PATIENT_PAGES,
    PLAIN_WORD,
    SPANISH,
    read_catalogue,
)

pytestmark = pytest.mark.django_db

# Shown as they are in every language: names of languages in their own words, the site's
# address and e-mail, codes and numbers.
# "No" is the same word in both. Django's Spanish date format puts "de" and "a las" between
# the parts of a date.
SAME_IN_EVERY_LANGUAGE = {"English", "Español", "No", "de", "las"}
CODE = re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4})+$|^[\d\s\-\u2013:/.,()+%]*$")
# Addresses and reference codes inside a sentence.
ADDRESS = re.compile(r"https?://\S+|\S+@\S+|\b[A-Z0-9]{4}(-[A-Z0-9]{4})+\b")


class _VisibleText(HTMLParser):
    """The text a person reads or hears: text nodes, the title, and the attributes a
    screen reader speaks (aria-label, alt, title, placeholder) or a search shows."""

    SPOKEN = ("aria-label", "alt", "title", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "svg"):
            self._skip += 1
        self._in_title = tag == "title"
        values = dict(attrs)
        self.parts += [values[name] or "" for name in self.SPOKEN if name in values]
        if tag == "meta" and values.get("name") == "description":
            self.parts.append(values.get("content") or "")
        if tag == "input" and values.get("type") in ("submit", "button"):
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg"):
            self._skip -= 1
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if not self._skip or self._in_title:
            self.parts.append(data)


def visible_parts(response) -> list[str]:
    """Each piece of visible text of a page, whitespace tidied, empty ones left out."""
    parser = _VisibleText()
    parser.feed(response.content.decode())
    parts = (re.sub(r"\s+", " ", html.unescape(part)).strip() for part in parser.parts)
    return [part for part in parts if part]


def _data_words() -> set[str]:
    """Words that are not the catalogue's: article titles and summaries from the database
    (each language's articles are written in it), the citations of the sources (never
    translated) and the organisation's name and address from the settings."""
    texts = [
        f"{title} {summary}" for title, summary in Article.objects.values_list("title", "summary")
    ]
    texts += [source.citation for source in rulebook.SOURCES]
    texts += [django_settings.OIH_ORGANISATION_NAME, django_settings.OIH_CONTACT_POSTAL]
    # The word to text a help line in Spanish (988's AYUDA) is the line's, like its number,
    # and a time names its zone (oih_site/formats).
    texts += [
        line.in_spanish.text_word
        for country in crisis.COUNTRIES.values()
        for line in country.lines
        if line.in_spanish
    ]
    texts += [timezone.localtime().tzname() or ""]
    return {word for text in texts for word in re.findall(r"[^\W\d_]+", text)}


# --- Every patient page ------------------------------------------------------------------


def _answer_sets() -> list[dict]:
    """Complete answer sets that reach every question and every kind of result."""
    rng = random.Random(18)
    sets = [NO_PATTERN, SOME_FEATURES, POSSIBLE_OIH] + [random_answers(rng) for _ in range(300)]
    return sets


def _reaching(question_id: str, sets: list[dict]) -> dict:
    """The answers before ``question_id`` in the first set that shows it."""
    for answers in sets:
        if question_id in answers:
            shown = [q.id for q in flow.shown_questions(answers)]
            return {qid: answers[qid] for qid in shown[: shown.index(question_id)]}
    raise AssertionError(f"no answer set reaches {question_id}")


def _results(sets: list[dict]) -> dict[str, dict]:
    """One answer set for each kind of result: urgency and pattern."""
    kinds: dict[str, dict] = {}
    for answers in sets:
        assessment = assess(answers)
        kinds.setdefault(f"{assessment.urgency.name}/{assessment.pattern.name}", answers)
    assert {assess(a).urgency for a in kinds.values()} == set(Urgency)
    assert {assess(a).pattern for a in kinds.values()} == set(Pattern)
    return kinds


def _in_session(client: Client, answers: dict) -> None:
    session = client.session
    flow.forget(session)
    flow.Check(save=False, answers=answers).store(session)
    session.save()


def _failure(prefix: str, error: type[Exception] | None) -> object:
    """The 500 page (or the 503 page, for a database error) as the handler renders it."""
    language = prefix.strip("/") or "en"
    request = RequestFactory().get(f"{prefix}/learn/")
    with translation.override(language):
        try:
            raise (error or RuntimeError)("failure")
        except Exception:
            return views.server_error(request)


def patient_pages(prefix: str, settings) -> Iterator[tuple[str, object]]:
    """Every patient page in the language of ``prefix`` ("" or "/es"): (name, response)."""
    settings.OIH_CONTACT_EMAIL = "help@example.org"
    settings.OIH_CONTACT_POSTAL = "1 Main Street"
    client = Client()
    searches = ["/learn/search/?q=zzzz", "/learn/search/?q=" + "x" * 101]
    for page in [page for page in PATIENT_PAGES if page not in ARTICLE_PAGES] + searches:
        yield page, client.get(prefix + page)
    yield "404", client.get(prefix + "/no-such-page/")
    yield "500", _failure(prefix, None)
    yield "503", _failure(prefix, OperationalError)
    yield "start, no choice made", client.post(prefix + "/check/", {})
    yield (
        "delete saved, wrong code",
        client.post(
            prefix + "/delete-saved/", {"reference_code": "AAAA-AAAA", "deletion_key": "BBBB-BBBB"}
        ),
    )

    sets = _answer_sets()
    client.post(prefix + "/check/", {"privacy": "show_only"})
    yield "start, a check in progress", client.get(prefix + "/check/")
    for question in QUESTIONS:
        _in_session(client, _reaching(question.id, sets))
        yield question.id, client.get(f"{prefix}/check/{question.id}/")
        yield f"{question.id}, no answer", client.post(f"{prefix}/check/{question.id}/", {})

    settings.OIH_SUBMISSIONS_PER_HOUR = 1000
    settings.OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 1000
    for kind, answers in _results(sets).items():
        client = Client()
        ended = walk(client, answers, privacy="save", prefix=prefix)
        if ended["Location"].endswith("/check/answers/"):
            yield "check your answers", client.get(prefix + "/check/answers/")
            client.post(prefix + "/check/answers/")
        emergency = assess(answers).urgency is Urgency.EMERGENCY
        yield kind, client.get(prefix + ("/check/emergency/" if emergency else "/check/result/"))
        if not emergency:
            yield "delete, confirm", client.get(prefix + "/check/delete/")

    client = Client()
    settings.OIH_SUBMISSIONS_PER_HOUR = 0
    walk(client, POSSIBLE_OIH, privacy="save", prefix=prefix)
    yield "too many", client.post(prefix + "/check/answers/")


def _rendered(prefix: str, settings) -> dict[str, list[str]]:
    pages = {}
    for name, response in patient_pages(prefix, settings):
        assert response.status_code in (
            HTTPStatus.OK,
            HTTPStatus.NOT_FOUND,
            HTTPStatus.INTERNAL_SERVER_ERROR,
            HTTPStatus.SERVICE_UNAVAILABLE,
            HTTPStatus.TOO_MANY_REQUESTS,
        ), (name, response.status_code)
        if response.status_code == HTTPStatus.OK and name == "too many":
            raise AssertionError("the submission limit was not reached")
        pages.setdefault(name, visible_parts(response))
    return pages


def test_the_page_list_covers_every_question_and_each_kind_of_page(settings):
    pages = _rendered(SPANISH, settings)
    assert {question.id for question in QUESTIONS} <= set(pages)
    for name in ["check your answers", "too many", "404", "500", "503", "/help/", "/learn/"]:
        assert name in pages
    assert len([name for name in pages if "/" in name and "_" in name]) >= 6  # kinds of result


def test_every_word_patients_read_in_spanish_goes_through_the_catalogue(settings, pseudo_spanish):
    """In pseudo-Spanish every catalogue string has accented vowels: a plain vowel left on
    a Spanish page is a string that is not in the catalogue."""
    pages = _rendered(SPANISH, settings)
    allowed = SAME_IN_EVERY_LANGUAGE | _data_words()
    leftovers = []
    for name, parts in pages.items():
        for part in parts:
            text = ADDRESS.sub("", part)
            words = [w for w in PLAIN_WORD.findall(text) if w not in allowed and len(w) > 1]
            if words and not CODE.match(part):
                leftovers.append(f"{name}: {part!r} ({', '.join(words)})")
    assert leftovers == [], "not in the catalogue:\n" + "\n".join(leftovers)


def test_no_page_in_spanish_keeps_an_english_sentence(settings):
    """A piece of text that reads the same on the English and the Spanish page, with a
    word of letters in it, is one nobody translated."""
    english = _rendered("", settings)
    spanish = _rendered(SPANISH, settings)
    allowed = SAME_IN_EVERY_LANGUAGE | _data_words()
    leftovers = []
    for name, parts in spanish.items():
        same = set(parts) & set(english[name])
        for part in sorted(same):
            text = ADDRESS.sub("", part)
            words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if w not in allowed]
            if words and not CODE.match(part):
                leftovers.append(f"{name}: {part!r}")
    assert leftovers == [], "the same in English and Spanish:\n" + "\n".join(leftovers)


# Where patients' words come from; the staff side (admin pages and their Python) may stay
# in English.
STAFF_ONLY = ("templates/admin/", "/admin.py", "staff/", "/management/", "/migrations/")


def test_every_patient_facing_message_in_the_catalogue_is_translated_and_not_fuzzy():
    entries = read_catalogue(CATALOGUE)
    patient_facing = [
        entry
        for entry in entries
        if not entry.locations
        or any(not any(part in location for part in STAFF_ONLY) for location in entry.locations)
    ]
    assert len(patient_facing) > 300
    missing = [
        entry.msgid[:70]
        for entry in patient_facing
        if entry.fuzzy or not entry.msgstr or not all(text.strip() for text in entry.msgstr)
    ]
    assert missing == [], f"{len(missing)} untranslated or fuzzy:\n" + "\n".join(missing)


def test_the_catalogue_reader_sees_fuzzy_and_empty_translations(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        '#: templates/base.html:3\n#, fuzzy\nmsgid "Help"\nmsgstr "Ayuda"\n\n'
        '#: screening/views.py:9\nmsgid ""\n"Two "\n"lines"\nmsgstr ""\n\n'
        '#: templates/x.html:1\nmsgctxt "menu"\nmsgid "One"\nmsgid_plural "Many"\n'
        'msgstr[0] "Uno"\nmsgstr[1] "Varios"\n',
        encoding="utf-8",
    )
    help_entry, two_lines, plural = read_catalogue(po)
    assert (help_entry.msgid, help_entry.fuzzy, help_entry.msgstr) == ("Help", True, ["Ayuda"])
    assert (two_lines.msgid, two_lines.msgstr, two_lines.fuzzy) == ("Two lines", [""], False)
    assert two_lines.locations == ["screening/views.py:9"]
    assert (plural.context, plural.plural, plural.msgstr) == ("menu", "Many", ["Uno", "Varios"])
