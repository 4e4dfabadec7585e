"""What a first visit moves, compressed: the page and every stylesheet, script and icon it
loads, each gzipped at level 6 (as nginx sends them; WhiteNoise's Brotli files are smaller).

    .venv/bin/python manage.py collectstatic --noinput && .venv/bin/python bench/weight.py

Runs in-process on a throwaway SQLite database made by the migrations (so the seed
articles are there), with DEBUG off and the hashed static files from collectstatic. The
goal is at most 60 KB per first visit (docs/performance.md, "Weight of a first visit").
"""

from __future__ import annotations

import gzip
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oih_site.settings")
os.environ["DJANGO_DEBUG"] = "0"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

GOAL_KB = 60
# Files a page loads: stylesheets, scripts and the icon, by their hashed static names.
ASSET = re.compile(r'(?:href|src)="(' + re.escape(settings.STATIC_URL) + r'[^"]+)"')


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def first_visit(client: Client, path: str) -> dict[str, int]:
    response = client.get(path, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: HTTP {response.status_code}")
    html = response.content
    sizes = {"page": gzipped(html)}
    for url in sorted(set(ASSET.findall(html.decode()))):
        name = url.removeprefix(settings.STATIC_URL)
        sizes[name] = gzipped((Path(settings.STATIC_ROOT) / name).read_bytes())
    return sizes


def main() -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    client = Client()
    pages = {"home": "/", "article (OIH)": "/learn/opioid-induced-hyperalgesia/"}
    # A question page needs a check in progress: start one, as a visitor would.
    started = client.post("/check/", {"privacy": "show_only"}, secure=True)
    pages[f"first question ({started['Location'].split('/')[2]})"] = started["Location"]
    print("| page | HTML | CSS | JS and icon | total KB |")
    print("|---|---:|---:|---:|---:|")
    worst = 0.0
    for label, path in pages.items():
        sizes = first_visit(client, path)
        css = sum(size for name, size in sizes.items() if name.endswith(".css"))
        other = sum(sizes.values()) - css - sizes["page"]
        total = sum(sizes.values()) / 1024
        worst = max(worst, total)
        print(
            f"| {label} | {sizes['page'] / 1024:.1f} | {css / 1024:.1f} | "
            f"{other / 1024:.1f} | {total:.1f} |"
        )
    print(f"\nHeaviest first visit: {worst:.1f} KB (goal: at most {GOAL_KB} KB).")
    sys.exit(0 if worst <= GOAL_KB else 1)


if __name__ == "__main__":
    main()
