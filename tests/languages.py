"""The site in each language, for tests: the Spanish prefix, a pseudo-translation, the
catalogue read as data.

Pseudo-Spanish (``pseudo_translated``) turns every vowel of every catalogue string into its
accented twin, leaving placeholders, tags and entities alone: on a page rendered with it,
a word with a plain vowel never went through the translation machinery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

SPANISH = "/es"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"

# An article's words are the article's (an editor writes each language's), not the catalogue's.
ARTICLE_PAGES = ["/learn/opioid-induced-hyperalgesia/"]
# Every patient page a person can open without a check in progress.
PATIENT_PAGES = [
    *ARTICLE_PAGES,
    "/",
    "/learn/",
    "/learn/search/?q=pain",
    "/check/",
    "/check/how-it-works/",
    "/check/how-it-works/version-1/",
    "/check/emergency/",
    "/check/expired/",
    "/check/deleted/",
    "/delete-saved/",
    "/delete-saved/done/",
    "/help/",
    "/about/",
    "/privacy/",
    "/contact/",
]

_ACCENTED = str.maketrans("aeiouyAEIOUY", "áéíóúýÁÉÍÓÚÝ")
# Left as they are: %(name)s and %s placeholders, {name} fields, tags, entities.
_KEEP = re.compile(r"%\([^)]*\)[sdf]|%[sd]|\{[^}]*\}|<[^>]*>|&[#\w]+;")


def pseudo_translated(message: str) -> str:
    """``message`` with every plain vowel accented, placeholders and markup untouched."""
    parts = []
    last = 0
    for kept in _KEEP.finditer(message):
        parts.append(message[last : kept.start()].translate(_ACCENTED))
        parts.append(kept.group())
        last = kept.end()
    parts.append(message[last:].translate(_ACCENTED))
    return "".join(parts)


# A word a person reads that has a plain vowel: English the catalogue never saw.
PLAIN_WORD = re.compile(r"\b[A-Za-z]*[aeiouyAEIOUY][A-Za-z]*\b")


@dataclass
class Entry:
    """One message of a .po file."""

    msgid: str = ""
    msgstr: list[str] = field(default_factory=list)
    context: str | None = None
    plural: str | None = None
    fuzzy: bool = False
    locations: list[str] = field(default_factory=list)


def _unquote(line: str) -> str:
    return line[1:-1].encode("raw_unicode_escape").decode("unicode_escape")


def read_catalogue(path: Path = CATALOGUE) -> list[Entry]:
    """The entries of a .po file (the header, whose msgid is empty, left out)."""
    entries: list[Entry] = []
    entry = Entry()
    target: str | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry.msgid:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            entry.fuzzy = "fuzzy" in line
        elif line.startswith("#:"):
            entry.locations += line[2:].split()
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            entry.context, target = _unquote(line[8:]), "context"
        elif line.startswith("msgid_plural "):
            entry.plural, target = _unquote(line[13:]), "plural"
        elif line.startswith("msgid "):
            entry.msgid, target = _unquote(line[6:]), "msgid"
        elif line.startswith("msgstr"):
            entry.msgstr.append(_unquote(line.split(" ", 1)[1]))
            target = "msgstr"
        elif line.startswith('"') and target is not None:
            text = _unquote(line)
            if target == "msgstr":
                entry.msgstr[-1] += text
            elif target == "context":
                entry.context = (entry.context or "") + text
            elif target == "plural":
                entry.plural = (entry.plural or "") + text
            else:
                entry.msgid += text
    finish()
    return entries
