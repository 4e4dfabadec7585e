"""Reading the site in Spanish from a test.

A page is asked for the way a Spanish reader reaches it: at the address ``reverse`` gives
while Spanish is active (under /es/ once the site has language prefixes), with a browser
that prefers Spanish.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import translation

SPANISH = "es"


def spanish_url(name: str, *args: object) -> str:
    with translation.override(SPANISH):
        return reverse(name, args=args)


def get_in_spanish(client: Client, url: str, data: dict | None = None):
    return client.get(url, data, headers={"accept-language": SPANISH})
