"""Load test: the production server on PostgreSQL, against the goals in docs/performance.md.

    bench/load [--rate 100] [--rate-seconds 15] [--seconds 10] [--patients 20] [--workers 3]

Run it through ``bench/load``, which installs wrk when it is missing and, without
DATABASE_URL, runs this on a throwaway PostgreSQL server. It migrates, collects the static
files and starts gunicorn as ``make serve`` does (DEBUG off), behind production's nginx as
``make serve-proxied`` runs it (``--direct`` leaves nginx out and plays the TLS proxy
itself), with one page added: the floor (bench/urls.py). Then, for every patient page and the floor:

1. its weight on a first visit: the page and every file it loads, compressed;
2. its throughput when wrk asks for it as fast as it can (16 connections), beside the
   floor's from the same run;
3. its latency at a fixed offered load (locust, ``--rate`` requests a second, whatever the
   server's speed): p50, p99 and errors.

Last, patients walk the whole check at once with locust (bench/locustfile.py), every
cookie kept; every reference code shown must be exactly one new row, holding exactly the
answers that patient gave, and there must be no other new row.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.production import HOST, Browser, Proxy, Server, production_env  # noqa: E402

PRODUCTION = production_env()
os.environ.update(PRODUCTION)
SERVER = {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "bench.settings"}

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.urls import FLOOR  # noqa: E402
from screening import flow  # noqa: E402
from screening.demo import random_answers  # noqa: E402
from screening.models import Screening, normalize_reference  # noqa: E402

FLOOR_NAME = "floor (one-line view)"
LUA = ROOT / "bench" / "load.lua"
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
LOCUST = Path(sys.executable).parent / "locust"
ARTICLE = "/learn/opioid-induced-hyperalgesia/"
WALKS = 300
LATER = 9  # pages answered before the later question page
# Locust users sharing the fixed rate: each sends one request every USER_PERIOD seconds,
# or as soon as its last answer came if that took longer (then the offered rate falls, and
# the report shows it). More users with longer periods bunch up (docs/performance.md).
USER_PERIOD = 0.1
GOAL_P99_MS = 100
GOAL_WEIGHT_KB = 60
ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(/static/[^"]+)"')


def browser_at(port: int, answered: int | None) -> tuple[Browser, str]:
    """A patient's browser: a check started and ``answered`` pages answered (all if None).

    Returns it with the page its last answer led to.
    """
    rng = random.Random(answered)  # noqa: S311 (test data, repeatable)
    walk = random_answers(rng)
    # A whole check, not one an emergency answer ends, longer than the pages wanted.
    while flow.first_undone(walk) is not None or len(walk) <= (answered or 0):
        walk = random_answers(rng)
    browser = Browser(port)
    browser.follow("/check/")
    status, location, _page = browser.request("POST", "/check/", {"privacy": "show_only"})
    for question, value in list(walk.items())[:answered]:
        browser.follow(location)
        field = [str(v) for v in value] if isinstance(value, list) else str(value)
        status, location, _page = browser.request("POST", f"/check/{question}/", {question: field})
        if status != 302:
            raise RuntimeError(f"answering {question}: HTTP {status}")
    return browser, location


def patient_pages(port: int) -> dict[str, tuple[str, Browser]]:
    """Each page to measure, with the browser whose cookies its requests carry.

    All of them read a session, as the floor does: a patient in the middle of a check.
    """
    first, first_question = browser_at(port, 0)
    later, later_question = browser_at(port, LATER)
    done, answers = browser_at(port, None)
    finished, _answers = browser_at(port, None)
    if answers != "/check/answers/" or not all(
        path.startswith("/check/") and path.count("/") == 3 and path != answers
        for path in (first_question, later_question)
    ):
        raise RuntimeError(f"unexpected pages: {first_question}, {later_question}, {answers}")
    status, location, _page = finished.request("POST", "/check/answers/")
    if (status, location) != (302, "/check/result/"):
        raise RuntimeError(f"submitting: HTTP {status} to {location}")
    return {
        FLOOR_NAME: (FLOOR, first),
        "home": ("/", first),
        "article list": ("/learn/", first),
        "article (OIH)": (ARTICLE, first),
        "search": ("/learn/search/?q=pain", first),
        "help lines": ("/help/", first),
        "start of the check": ("/check/", first),
        f"first question ({first_question.split('/')[2]})": (first_question, first),
        f"question after {LATER} answers ({later_question.split('/')[2]})": (later_question, later),
        "check your answers": (answers, done),
        "result": ("/check/result/", finished),
        "emergency": ("/check/emergency/", first),
    }


def weight(port: int, path: str, browser: Browser) -> dict[str, int]:
    """Bytes a first visit to ``path`` moves, compressed: the page and each file it loads.

    The page is gzipped as the proxy in front would (level 6); static files are as
    WhiteNoise sends them to a browser that accepts gzip and Brotli.
    """
    status, _location, page = browser.request("GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path}: HTTP {status}")
    sizes = {"page": len(gzip.compress(page.encode(), compresslevel=6))}
    for asset in sorted(set(ASSET.findall(page))):
        sizes[asset] = static_size(port, asset)
    return sizes


def static_size(port: int, path: str) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request(
            "GET", path, headers={"Accept-Encoding": "br, gzip", "X-Forwarded-Proto": "https"}
        )
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: HTTP {response.status}")
    return len(body)


def saturate(args: argparse.Namespace, url: str, cookie: str, workdir: Path) -> dict:
    """wrk as fast as it can for ``args.seconds``, after a warm-up; bench/load.lua's JSON."""
    out = workdir / "wrk.json"
    command = ["wrk", "--threads", "2", "--connections", str(args.connections)]
    command += ["--timeout", "10s", "--script", str(LUA), "--header", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    env = {**os.environ, "OIH_BENCH_OUT": str(out)}
    for seconds in (args.warmup, args.seconds):
        out.unlink(missing_ok=True)
        subprocess.run(
            [*command, "--duration", f"{seconds}s", url],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return json.loads(out.read_text())


def locust(
    args: argparse.Namespace, user: str, users: int, seconds: int, workdir: Path, **env: str
) -> dict:
    """Run one of bench/locustfile.py's users headless; the totals from its CSV."""
    prefix = workdir / user
    command = [str(LOCUST), "--locustfile", str(LOCUSTFILE), "--headless", "--only-summary"]
    command += ["--host", f"http://{HOST}:{args.port}", "--users", str(users)]
    command += ["--spawn-rate", str(users), "--run-time", f"{seconds}s", "--reset-stats"]
    command += ["--stop-timeout", "30", "--csv", str(prefix), "--loglevel", "ERROR", user]
    subprocess.run(
        command,
        env={**os.environ, **env},
        check=False,  # locust fails on any failed request; the CSV says how many
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 90,
    )
    with open(f"{prefix}_stats.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p99_ms": float(total["99%"]),
        "by_name": {
            row["Name"]: {"requests": int(row["Request Count"]), "p99_ms": float(row["99%"])}
            for row in rows
            if row["Name"] != "Aggregated"
        },
    }


def measure_pages(args: argparse.Namespace, workdir: Path) -> dict:
    pages = patient_pages(args.port)
    print(
        f"gunicorn: {args.workers} sync workers, {os.cpu_count()} cores; per page: wrk "
        f"{args.connections} connections for {args.warmup} + {args.seconds} s, then locust "
        f"at {args.rate} requests/s for {args.rate_seconds} s",
        flush=True,
    )
    results = {}
    for name, (path, browser) in pages.items():
        if args.only and name != FLOOR_NAME and not any(word in name for word in args.only):
            continue
        sizes = weight(args.port, path, browser)
        url = f"http://{HOST}:{args.port}{path}"
        fast = saturate(args, url, browser.cookie_header, workdir)
        users = max(1, round(args.rate * USER_PERIOD))
        fixed = locust(
            args,
            "PageVisitor",
            users,
            args.rate_seconds,
            workdir,
            OIH_BENCH_PATH=path,
            OIH_BENCH_COOKIE=browser.cookie_header,
            OIH_BENCH_USER_RATE=str(args.rate / users),
        )
        results[name] = {
            "path": path,
            "weight": sizes,
            "saturated": fast,
            "offered": args.rate,
            "fixed_rate": fixed,
        }
        print(
            f"  {name}: {fast['rps']:.0f} req/s flat out; at {fixed['rps']:.0f} req/s "
            f"p99 {fixed['p99_ms']:.0f} ms, {fixed['failures']} errors",
            flush=True,
        )
    return results


def report_pages(results: dict) -> bool:
    floor = results[FLOOR_NAME]["saturated"]["rps"]
    print(
        f"\n{'page':<28}{'KB':>6}{'req/s':>8}{'floor':>7}{'share':>7}"
        f"{'at rate':>9}{'p50 ms':>8}{'p99 ms':>8}{'errors':>8}"
    )
    ok = True
    for name, row in results.items():
        kb = sum(row["weight"].values()) / 1024
        fast, fixed = row["saturated"], row["fixed_rate"]
        errors = fast["errors"] + fixed["failures"]
        held = fixed["rps"] >= 0.95 * row["offered"]
        met = fixed["p99_ms"] < GOAL_P99_MS and errors == 0 and kb <= GOAL_WEIGHT_KB and held
        ok = ok and met
        print(
            f"{name:<28}{kb:>6.1f}{fast['rps']:>8.0f}{floor:>7.0f}{fast['rps'] / floor:>7.2f}"
            f"{fixed['rps']:>9.0f}{fixed['p50_ms']:>8.0f}{fixed['p99_ms']:>8.0f}{errors:>8}"
            f"  {'ok' if met else 'MISSED'}"
        )
    print(
        f"(KB: a first visit, compressed, goal {GOAL_WEIGHT_KB}; req/s: wrk flat out, beside the"
        f" floor's; at rate: the rate locust held, p99 goal under {GOAL_P99_MS} ms)"
    )
    return ok


def walks_file(path: Path, count: int) -> None:
    """Random walks through the real questionnaire (screening/demo.py), as the form posts them."""
    rng = random.Random(count)  # noqa: S311 (test data, repeatable)
    walks = [random_answers(rng) for _ in range(count)]
    path.write_text(json.dumps(walks))


def check_rows(outcomes: list[dict], since_pk: int) -> dict[str, int]:
    """Every code shown is one new row with that patient's answers; there is no other row."""
    shown = [o for o in outcomes if o["code"]]
    codes = Counter(normalize_reference(o["code"]) for o in shown)
    rows = {row.reference_code: row.answers for row in Screening.objects.filter(pk__gt=since_pk)}
    mixed = sum(
        1 for o in shown if rows.get(normalize_reference(o["code"]), o["answers"]) != o["answers"]
    )
    return {
        "patients": len(outcomes),
        "codes shown": len(shown),
        "new rows": len(rows),
        "lost": sum(1 for code in codes if code not in rows),
        "duplicated": sum(count - 1 for count in codes.values())
        + sum(1 for o in outcomes if o["second_code"] not in (None, o["code"])),
        "mixed up": mixed,
        "rows nobody was shown": sum(1 for code in rows if code not in codes),
        "second submits": sum(1 for o in outcomes if o["second_code"]),
        "flow errors": sum(1 for o in outcomes if o["error"]),
    }


def measure_patients(args: argparse.Namespace, workdir: Path) -> tuple[dict, bool]:
    walks = workdir / "walks.json"
    walks_file(walks, WALKS)
    out = workdir / "outcomes.json"
    since_pk = Screening.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = locust(
        args,
        "Patient",
        args.patients,
        args.patients_seconds,
        workdir,
        OIH_BENCH_WALKS=str(walks),
        OIH_BENCH_OUT=str(out),
    )
    outcomes = json.loads(out.read_text())
    result["rows"] = check_rows(outcomes, since_pk)
    rows = result["rows"]
    ok = result["failures"] == 0 and not any(
        rows[key] for key in ("lost", "duplicated", "mixed up", "rows nobody was shown")
    )
    ok = ok and rows["flow errors"] == 0 and rows["codes shown"] == rows["patients"]
    print(
        f"\nself-check, {args.patients} patients at once for {args.patients_seconds} s "
        f"(locust): {result['rps']:.0f} req/s, p50 {result['p50_ms']:.0f} ms, p99 "
        f"{result['p99_ms']:.0f} ms, {result['failures']} failed requests\n  "
        + ", ".join(f"{key} {value}" for key, value in rows.items())
        + f": {'OK' if ok else 'FAILED'}"
    )
    for o in outcomes:
        if o["error"]:
            print(f"  error: {o['error']}")
    return result, ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=100, help="requests/s offered per page")
    parser.add_argument("--rate-seconds", type=int, default=15, help="seconds at that rate")
    parser.add_argument("--seconds", type=int, default=8, help="seconds flat out per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds before each page")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--patients", type=int, default=20, help="patients at once")
    parser.add_argument("--patients-seconds", type=int, default=30, help="seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--patients-only", action="store_true", help="skip the pages")
    parser.add_argument("--direct", action="store_true", help="no nginx: straight to gunicorn")
    parser.add_argument(
        "--only", nargs="+", default=[], help="only the pages named so (and the floor), no patients"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this through bench/load: it needs PostgreSQL.")

    with tempfile.TemporaryDirectory(prefix="oih-load-") as tmp:
        workdir = Path(tmp)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        server = Server(SERVER, log=workdir / "gunicorn.log", workers=args.workers)
        with ExitStack() as stack:
            stack.enter_context(server)
            args.port = server.port
            if not args.direct:
                # Production's nginx in front (deploy/nginx/), taking each simulated patient's
                # address from the X-Forwarded-For they send, as behind a load balancer.
                proxy = stack.enter_context(
                    Proxy([server.port], workdir, trust_forwarded_from=HOST)
                )
                args.port = proxy.port
            pages = {} if args.patients_only else measure_pages(args, workdir)
            patients, patients_ok = ({}, True) if args.only else measure_patients(args, workdir)
        pages_ok = report_pages(pages) if pages else True
        if not patients_ok:
            print(f"\ngunicorn's log:\n{server.log.read_text()[-3000:]}")
    save(args, {"pages": pages, "patients": patients})
    sys.exit(0 if pages_ok and patients_ok else 1)


def save(args: argparse.Namespace, results: dict) -> None:
    """Keep the numbers in bench/results/ (not committed) for writing up."""
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"args": vars(args), **results}, indent=2) + "\n")
    print(f"\nsaved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
