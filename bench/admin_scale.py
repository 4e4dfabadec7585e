"""How the clinician's queue holds up as screenings pile up: 1,000 rows, then 1,000,000.

    scripts/with-postgres .venv/bin/python bench/admin_scale.py [--large 1000000]

Needs DATABASE_URL pointing at a PostgreSQL database it may fill (scripts/with-postgres
makes a throwaway one). Each page is fetched in-process through Django's full middleware
stack as a signed-in superuser: a few warm-up requests, then timed ones; the median is
reported. Results and method are written up in docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oih_site.settings")
os.environ["DJANGO_DEBUG"] = "0"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from screening.demo import screenings_create_demo  # noqa: E402
from screening.models import Screening, format_reference  # noqa: E402
from tests.screening.staff import add_app, signed_in  # noqa: E402

WARMUP = 3
RUNS = 15
QUEUE = "/admin/screening/screening/"


def pages() -> dict[str, str]:
    sample = Screening.objects.order_by("pk").first()
    week_ago = (timezone.now() - datetime.timedelta(days=7)).date().isoformat()
    spoken = format_reference(sample.reference_code).lower().replace("-", " - ")
    code = sample.reference_code
    typo = code[:3] + ("A" if code[3] != "A" else "C") + code[4:]  # one character off
    return {
        "queue, first page": QUEUE,
        "queue, page 20": f"{QUEUE}?p=19",
        "filter: emergency": f"{QUEUE}?urgency__exact=0",
        "filter: within days": f"{QUEUE}?urgency__exact=2",
        "filter: possible OIH": f"{QUEUE}?pattern__exact=possible_oih",
        "filter: reviewed": f"{QUEUE}?review_status__exact=3",
        "filter: last 7 days": f"{QUEUE}?created_at__gte={week_ago}",
        "search: reference code": f"{QUEUE}?q={spoken.replace(' ', '+')}",
        "search: first 5 chars": f"{QUEUE}?q={sample.reference_code[:5]}",
        "search: one typo": f"{QUEUE}?q={typo}",
        "summary (index)": "/admin/",
        "screening page": f"{QUEUE}{sample.pk}/change/",
    }


def measure(client: Client, url: str) -> tuple[float, int]:
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries.captured_queries)


def run_all(client: Client) -> dict[str, tuple[float, int]]:
    return {name: measure(client, url) for name, url in pages().items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: scripts/with-postgres .venv/bin/python bench/...")

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench", is_staff=True, is_superuser=True)
    # Staff pages need a session verified by an authenticator app (staff/sites.py).
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        add_app(user)
    client = signed_in(user)

    results = {}
    for size in (args.small, args.large):
        start = time.perf_counter()
        screenings_create_demo(count=size - Screening.objects.count(), seed=size)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE screening_screening")
        print(f"seeded {size:,} rows in {time.perf_counter() - start:.0f} s", flush=True)
        results[size] = run_all(client)

    small, large = results[args.small], results[args.large]
    print(f"\n{'page':<26}{args.small:>10,} rows{args.large:>14,} rows{'ratio':>8}{'queries':>9}")
    for name in small:
        (t_small, q_small), (t_large, q_large) = small[name], large[name]
        print(
            f"{name:<26}{t_small:>12.1f} ms{t_large:>14.1f} ms"
            f"{t_large / t_small:>8.2f}{q_small:>5} /{q_large:>2}"
        )


if __name__ == "__main__":
    main()
