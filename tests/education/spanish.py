"""Reading the site in Spanish from a test, and what must never be said in Spanish.

A page is asked for the way a Spanish reader reaches it: at the address ``reverse`` gives
while Spanish is active (under /es/ once the site has language prefixes), with a browser
that prefers Spanish.
"""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django.utils import translation

SPANISH = "es"


def spanish_url(name: str, *args: object) -> str:
    with translation.override(SPANISH):
        return reverse(name, args=args)


def get_in_spanish(client: Client, url: str, data: dict | None = None):
    return client.get(url, data, headers={"accept-language": SPANISH})


# CLINICAL.md, "Never say", in Spanish: labels, a diagnosis, dismissal, and an instruction to
# change a dose (stop, cut, skip or raise it).
LABELS = [r"\badict", r"\bdrogadict", r"\babus(o|a|ar|ador)\b", r"\bmal uso\b", r"\bviciosos?\b"]
DIAGNOSIS = [
    r"\busted (probablemente |seguramente )?tiene (hio|hiperalgesia)",
    r"\bsu (opioide|medicina|medicamento|dosis) (le )?(está causando|causa) ",
    r"\ble diagnosticaron",
]
DISMISSAL = [r"en su cabeza", r"\bse lo imagina", r"nada de qué preocuparse", r"dolor no es real"]
DOSE_CHANGE = [
    r"\b(deje|dejar) de tomar",
    r"\bsuspend(a|er|erlo|erla)\b",
    r"\b(reduzca|baje|disminuya) (la|su) dosis",
    r"\b(aumente|suba) (la|su) dosis",
    r"\bsalte (una|la|su) dosis",
    r"\bvuelva a (su|la) dosis (anterior|de antes)",
    r"\btome (más|menos|de más|una dosis extra)\b",
    r"\b\d+ ?(por ciento|%)",
]
# A sentence that forbids a change ("No la deje ni la baje por su cuenta") is the advice the
# contract asks for: the dose patterns skip it.
FORBIDS = re.compile(r"\b(no|nunca|por su cuenta|sin su médico)\b")


def never_said_in_spanish(text: str) -> list[str]:
    """The Spanish "never say" patterns that ``text`` matches (none, to pass)."""
    text = text.lower()
    found = [p for p in LABELS + DIAGNOSIS + DISMISSAL if re.search(p, text)]
    for sentence in re.split(r"(?<=[.!?:;])\s+", text):
        if not FORBIDS.search(sentence):
            found += [p for p in DOSE_CHANGE if re.search(p, sentence)]
    return found
