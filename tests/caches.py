"""What the site's caches hold, read back for tests: each process's own memory, and the
table of the reading pages that every app server shares."""

from __future__ import annotations

import base64
import pickle

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.http import HttpResponse


def _entries(backend) -> dict[str, object]:
    if isinstance(backend, DatabaseCache):
        table = connection.ops.quote_name(backend._table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key, value FROM {table}")  # noqa: S608 (a table name)
            rows = cursor.fetchall()
        return {key: pickle.loads(base64.b64decode(value)) for key, value in rows}  # noqa: S301
    return {key: pickle.loads(value) for key, value in getattr(backend, "_cache", {}).items()}  # noqa: S301


def cached_pages() -> list[HttpResponse]:
    """The rendered pages the shared cache holds."""
    return [
        value for value in _entries(caches["pages"]).values() if isinstance(value, HttpResponse)
    ]


def cached_texts() -> list[str]:
    """Every key and value in every cache the site has used, as text."""
    texts = []
    for backend in caches.all(initialized_only=True):
        for key, value in _entries(backend).items():
            if isinstance(value, HttpResponse):
                value = f"{value.headers!r} {value.content.decode()}"
            texts += [key, repr(value)]
    return texts


def cached_fragments(name: str) -> list[str]:
    """The rendered template fragments ``{% cache ... name ... %}`` kept in this process."""
    return [
        str(value)
        for key, value in _entries(caches["default"]).items()
        if f"template.cache.{name}." in key
    ]
