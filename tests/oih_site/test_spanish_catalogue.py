"""The Spanish catalogue (locale/es/LC_MESSAGES/django.po): complete, faithful and plain.

Every string a patient can see has a Spanish translation that keeps its placeholders, and
the Spanish text reads easily: at least 70 on the Fernández-Huerta scale (textstat), scored
per page or template, per question (with the wording version 1 used), per rule of the "How
this check works" page and per kind of result text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest
import textstat
from django.conf import settings
from django.utils import translation

from screening import crisis, explain, questionnaire, rulebook

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
MIN_FERNANDEZ_HUERTA = 70

# Where the words patients see come from. Staff pages (templates/admin/, the staff-only 403
# page, the admin modules and the education editor's messages) may stay in English.
PATIENT_MODULES = {
    "oih_site/settings.py",
    "screening/crisis.py",
    "screening/explain.py",
    "screening/forms.py",
    "screening/middleware.py",
    "screening/questionnaire.py",
    "screening/rulebook.py",
}
STAFF_TEMPLATES = ("templates/admin/", "templates/403.html")
# Names and words that are the same in both languages.
SAME_IN_BOTH = {"No", "NHS 111", "Samaritans", "%(name)s: %(number)s."}
# Finding names for clinicians, shown in the admin only.
CLINICIAN_WORDS = {str(words) for words in explain.CLINICIAN_FINDINGS.values()}


def _unquote(chunks: Iterable[str]) -> str:
    text = "".join(chunks)
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def catalogue() -> list[dict]:
    """Each entry of the .po: its sources, msgid, plural msgid and translations."""
    entries = []
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = defaultdict(list)
        sources: set[str] = set()
        key = None
        for line in block.splitlines():
            if line.startswith("#:"):
                sources |= {ref.rsplit(":", 1)[0] for ref in line[2:].split()}
            elif match := re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line):
                key = match.group(1)
                fields[key].append(match.group(2))
            elif line.startswith('"') and key:
                fields[key].append(line[1:-1])
        msgid = _unquote(fields["msgid"])
        if not msgid:
            continue  # the header
        translations = [_unquote(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        entries.append(
            {
                "sources": sources,
                "msgid": msgid,
                "plural": _unquote(fields["msgid_plural"]),
                "msgstr": translations,
                "fuzzy": "#, fuzzy" in block,
            }
        )
    return entries


def seen_by_patients(entry: dict) -> bool:
    if entry["msgid"] in CLINICIAN_WORDS:
        return False
    return any(
        source in PATIENT_MODULES
        or (source.startswith("templates/") and not source.startswith(STAFF_TEMPLATES))
        for source in entry["sources"]
    )


PATIENT_ENTRIES = [entry for entry in catalogue() if seen_by_patients(entry)]


def test_the_catalogue_holds_the_patient_strings():
    # makemessages found the self-check, the results and the pages (a guard on this file's
    # own parsing: an empty list would make every test below pass).
    assert len(PATIENT_ENTRIES) > 450


@pytest.mark.parametrize("entry", PATIENT_ENTRIES, ids=lambda entry: entry["msgid"][:60])
def test_every_patient_string_is_translated_and_keeps_its_placeholders(entry):
    assert not entry["fuzzy"]
    assert all(entry["msgstr"]), "not translated"
    if entry["msgid"] not in SAME_IN_BOTH:
        assert entry["msgstr"][0] != entry["msgid"], "left in English"
    wanted = set(re.findall(r"%\(\w+\)[sd]|%\(\w+\)\.\d+f", entry["msgid"] + entry["plural"]))
    for msgstr in entry["msgstr"]:
        assert set(re.findall(r"%\(\w+\)[sd]|%\(\w+\)\.\d+f", msgstr)) == wanted, msgstr


def test_plural_strings_have_spanish_three_forms():
    plurals = [entry for entry in PATIENT_ENTRIES if entry["plural"]]
    assert plurals
    for entry in plurals:
        assert len(entry["msgstr"]) == 3, entry["msgid"]


# --- Readability -------------------------------------------------------------------------


def as_prose(pieces: Iterable[object]) -> str:
    """Strings as the scale reads them: each one its own sentence, placeholders left out."""
    sentences = []
    for piece in pieces:
        text = re.sub(r"%\(\w+\)[sd]|\{\{.*?\}\}", "", str(piece)).strip()
        if text and text[-1] not in ".!?:;":
            text += "."
        if text:
            sentences.append(text)
    return " ".join(sentences)


# A template with fewer words than this is scored together with the other short ones: the
# scale means nothing on a label or two ("Problema:").
MIN_WORDS = 10


def template_groups() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for entry in PATIENT_ENTRIES:
        for source in entry["sources"]:
            if source.startswith("templates/"):
                groups[source] += entry["msgstr"][-1:]
    short = [name for name, words in groups.items() if len(" ".join(words).split()) < MIN_WORDS]
    if short:
        groups["templates with a few words each"] = [w for name in short for w in groups[name]]
    return {name: words for name, words in groups.items() if name not in short}


def question_groups() -> dict[str, list[object]]:
    groups = {}
    for question in questionnaire.QUESTIONS:
        words: list[object] = [question.text, question.help_text]
        words += [text for _version, text in question.earlier_text]
        for choice in question.choices:
            words += [choice.label, choice.hint]
            words += [label for _version, label in choice.earlier_label]
        groups[f"question {question.id}"] = words
    return groups


def result_groups() -> dict[str, list[object]]:
    groups: dict[str, list[object]] = {
        "result headlines": [*explain.HEADLINES.values(), explain.SOONER_HEADLINE],
        "result 'how soon' labels": list(explain.URGENCY_LABELS.values()),
        "result contacts": list(explain.CONTACTS.values()),
        "result: what counted against the pattern": [
            *explain.AGAINST_PATTERN.values(),
            explain.NO_DOSE_CHANGE,
        ],
    }
    for pattern, summary in explain.PATTERN_SUMMARIES.items():
        groups[f"result summary {pattern.value}"] = [summary]
    groups["result findings"] = list(explain.FINDING_SENTENCES.values())
    return groups


def rule_groups() -> dict[str, list[object]]:
    groups: dict[str, list[object]] = {}
    for version, book in rulebook.RULEBOOKS.items():
        groups[f"rules v{version}: summary"] = [book.summary]
        for rule in book.rules:
            groups[f"rules v{version}: {rule.slug}"] = [
                rule.title,
                rule.says,
                rule.why,
                rule.changed,
            ]
    groups["rules: pattern lines"] = list(rulebook.PATTERN_LINES.values())
    return groups


def help_line_groups() -> dict[str, list[object]]:
    us = crisis.COUNTRIES["US"]
    return {"help lines (US)": [part for line in us.lines for part in (line.name, line.what_for)]}


def spanish_groups() -> dict[str, str]:
    with translation.override("es"):
        groups: dict[str, list[object]] = {
            **template_groups(),
            **question_groups(),
            **result_groups(),
            **rule_groups(),
            **help_line_groups(),
        }
        return {name: as_prose(words) for name, words in groups.items()}


SPANISH = spanish_groups()


def fernandez_huerta(text: str) -> float:
    textstat.set_lang("es")
    try:
        return textstat.fernandez_huerta(text)
    finally:
        textstat.set_lang("en_US")


@pytest.mark.parametrize("name", sorted(SPANISH))
def test_spanish_patient_text_reads_easily(name):
    score = fernandez_huerta(SPANISH[name])
    assert score >= MIN_FERNANDEZ_HUERTA, f"{name}: {score}\n{SPANISH[name]}"


def test_the_readability_groups_are_spanish():
    # The scores mean something only if the groups hold the translations: the questions
    # and results are read through the compiled catalogue.
    compiled = CATALOGUE.with_suffix(".mo")
    assert compiled.exists(), "run: python manage.py compilemessages"
    assert compiled.stat().st_mtime >= CATALOGUE.stat().st_mtime, "the .mo is older than the .po"
    with translation.override("es"):
        assert "pregunta" in SPANISH["templates/screening/start.html"]
        assert "¿" in SPANISH["question breathing"]
