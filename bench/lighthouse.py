"""Lighthouse on every patient page, as production serves it; the table in docs/lighthouse.md.

    scripts/with-postgres .venv/bin/python bench/lighthouse.py [--runs 3] [--only home ...]

Needs Node and Debian's Chromium. Lighthouse comes from npm and is never committed: by
default ``npx --yes lighthouse@12.2.3``; ``--lighthouse PATH`` names an installed one (for
example ``npm install --prefix /tmp/lh lighthouse@12.2.3``, then
``/tmp/lh/node_modules/.bin/lighthouse``).

It migrates, collects the static files and starts gunicorn as ``make serve`` does (DEBUG
off), behind production's nginx (deploy/nginx/), on 127.0.0.1 only. The check's own pages
are measured in the middle of a check: a patient's cookies go with Lighthouse's requests.
Each page is run ``--runs`` times with Lighthouse's mobile emulation (a mid-range phone,
simulated slow 4G); each category's median is kept. Without ``--only`` it rewrites
docs/lighthouse.md; the raw reports stay in bench/results/ (not committed).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# bench/load.py sets up the production settings and Django, and walks a patient's check.
from django.core.management import call_command  # noqa: E402

from bench.load import SERVER, browser_at  # noqa: E402
from education.models import Article  # noqa: E402
from tests.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.production import HOST, Browser, Proxy, Server  # noqa: E402

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LIGHTHOUSE = "npx --yes lighthouse@12.2.3"
DOC = ROOT / "docs" / "lighthouse.md"
RESULTS = ROOT / "bench" / "results"
ATTEMPTS = 3
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def pages(port: int) -> list[tuple[str, str, Browser, bool]]:
    """Each page: its name, path, the browser whose cookies go with it, and whether it is
    meant to be found by search engines."""
    started, first_question = browser_at(port, 0)
    done, answers = browser_at(port, None)
    finished, _answers = browser_at(port, None)
    status, location, _page = finished.request("POST", "/check/answers/")
    if (status, location) != (302, "/check/result/"):
        raise RuntimeError(f"submitting: HTTP {status} to {location}")
    anyone = Browser(port)

    def articles(language: str, name: str) -> list[tuple[str, str, Browser, bool]]:
        written = Article.objects.published().filter(language=language).order_by("title")
        return [
            (name + article.slug, article.get_absolute_url(), anyone, True) for article in written
        ]

    found = [
        ("home", "/", anyone, True),
        ("articles", "/learn/", anyone, True),
        *articles("en", "article: "),
        ("help lines", "/help/", anyone, True),
        ("start of the check", "/check/", anyone, True),
        ("about", "/about/", anyone, True),
        ("privacy", "/privacy/", anyone, True),
        ("contact", "/contact/", anyone, True),
        # The same doors in Spanish, and the articles written in it.
        ("Spanish: home", "/es/", anyone, True),
        ("Spanish: articles", "/es/learn/", anyone, True),
        *articles("es", "Spanish: article "),
        ("Spanish: help lines", "/es/help/", anyone, True),
        ("Spanish: start of the check", "/es/check/", anyone, True),
    ]
    check = [
        (f"a question ({first_question.split('/')[2]})", first_question, started, False),
        ("check your answers", answers, done, False),
        ("result", "/check/result/", finished, False),
        ("emergency", "/check/emergency/", started, False),
        ("delete saved answers", "/delete-saved/", anyone, False),
        ("search (pain)", "/learn/search/?q=pain", anyone, False),
    ]
    return found + check


def lighthouse(command: list[str], url: str, cookie: str, out: Path) -> dict:
    """One Lighthouse run with mobile emulation; its report (LHR)."""
    args = [
        *command,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        # Screenshots cost time and no points.
        "--disable-full-page-screenshot",
        "--skip-audits=screenshot-thumbnails,final-screenshot",
    ]
    if cookie:
        args.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    for attempt in range(1, ATTEMPTS + 1):
        # On a busy machine Chromium's trace is sometimes lost (NO_NAVSTART): run it again.
        done = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, timeout=300)
        if done.returncode == 0:
            return json.loads(out.read_text())
        print(f"Lighthouse failed on {url} (attempt {attempt})", file=sys.stderr, flush=True)
    raise RuntimeError(f"Lighthouse failed {ATTEMPTS} times on {url}")


def scores(report: dict) -> dict[str, int]:
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def lost_points(report: dict) -> list[str]:
    """The audits that cost points in the scored categories other than performance, and
    performance's failed audits."""
    lost = set()
    for category in CATEGORIES:
        # Performance's audits are scored on a curve: below 0.9 is a failed one.
        passed = 0.9 if category == "performance" else 1
        for ref in report["categories"][category]["auditRefs"]:
            score = report["audits"][ref["id"]]["score"]
            if ref["weight"] > 0 and score is not None and score < passed:
                lost.add(f"{category}: {ref['id']}")
    return sorted(lost)


def noindex(report: dict) -> bool:
    return report["audits"]["is-crawlable"]["score"] == 0


def measure(args: argparse.Namespace, port: int, workdir: Path) -> list[dict]:
    command = shlex.split(args.lighthouse)
    measured = []
    for name, path, browser, findable in pages(port):
        if args.only and not any(word in name for word in args.only):
            continue
        runs = []
        for run in range(args.runs):
            out = workdir / f"lh-{len(measured)}-{run}.json"
            report = lighthouse(command, f"http://{HOST}:{port}{path}", browser.cookie_header, out)
            runs.append(report)
        medians = {c: statistics.median(scores(r)[c] for r in runs) for c in CATEGORIES}
        row = {
            "name": name,
            "path": path,
            "findable": findable,
            "noindex": noindex(runs[0]),
            "runs": [scores(r) for r in runs],
            "median": medians,
            "lost": sorted({item for r in runs for item in lost_points(r)}),
        }
        print(json.dumps({k: row[k] for k in ("name", "median", "noindex", "lost")}), flush=True)
        measured.append(row)
        # Kept as it goes: a run cut short still leaves its pages.
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "lighthouse-partial.json").write_text(json.dumps(measured, indent=2) + "\n")
    return measured


def table(rows: list[dict], runs: int, version: str, when: datetime.datetime) -> str:
    today = when.strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Lighthouse on the patient pages",
        "",
        f"Measured {today} with `bench/lighthouse.py` (Lighthouse {version}, Debian's "
        "Chromium, headless). The site ran as production runs it: gunicorn with DEBUG off "
        "and the collected, compressed static files, behind production's nginx "
        "(`deploy/nginx/`), on PostgreSQL, all on 127.0.0.1. Each page was run "
        f"{runs} times with Lighthouse's mobile emulation (a mid-range phone on simulated "
        "slow 4G, 4x CPU slowdown); each cell is that category's median. The check's own "
        "pages were measured in the middle of a check, with a patient's cookies. Performance "
        "is the one score that moves from run to run: on a shared machine, its total "
        "blocking time grows with the load of the other work there.",
        "",
        "Goals (issue 17): accessibility and best practices 100 on every page; SEO 100 on "
        "every page meant to be found; performance 95 or more. The check's pages (a "
        "question, check your answers, the result, emergency), deleting saved answers and "
        "search results tell search engines not to list them (`X-Robots-Tag: noindex`; "
        "robots.txt also keeps crawlers out of `/check/`), on purpose: nobody should land "
        "on them from a search engine. Lighthouse's SEO score marks that down (its "
        "`is-crawlable` audit), so SEO has no goal there.",
        "",
        "| page | path | performance | accessibility | best practices | SEO |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [f"{row['median'][c]:g}" for c in CATEGORIES]
        if not row["findable"]:
            cells[3] += " (noindex, on purpose)" if row["noindex"] else " (not noindex!)"
        lines.append(f"| {row['name']} | `{row['path']}` | " + " | ".join(cells) + " |")
    misses = [
        f"- {row['name']}: " + ", ".join(row["lost"])
        for row in rows
        if row["lost"] and any(not is_met(row, c) for c in CATEGORIES)
    ]
    lines += ["", "## Points lost", ""]
    lines += misses or ["Every goal met on every page."]
    lines += [
        "",
        "## How to run it",
        "",
        "`scripts/with-postgres .venv/bin/python bench/lighthouse.py` (about 25 minutes on a "
        "busy 2-core machine; `--runs 1 --only home` for a quick look). It needs Node 20 and "
        "Debian's Chromium; Lighthouse comes from npm through `npx` and is never committed.",
        "",
    ]
    return "\n".join(lines)


def is_met(row: dict, category: str) -> bool:
    if category == "seo" and not row["findable"]:
        return row["noindex"]
    return row["median"][category] >= GOALS[category]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument("--only", nargs="+", default=[], help="only pages whose name has these")
    parser.add_argument("--lighthouse", default=LIGHTHOUSE, help="the Lighthouse command")
    parser.add_argument(
        "--table-from", type=Path, help="write docs/lighthouse.md from a saved result, no run"
    )
    args = parser.parse_args()
    if args.table_from:
        saved = json.loads(args.table_from.read_text())
        rows, version = saved["pages"], saved["lighthouse"]
        when = datetime.datetime.fromisoformat(saved["measured"])
        DOC.write_text(table(rows, len(rows[0]["runs"]), version, when))
        return

    with tempfile.TemporaryDirectory(prefix="oih-lighthouse-") as tmp:
        workdir = Path(tmp)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        with ExitStack() as stack:
            server = stack.enter_context(Server(SERVER, log=workdir / "gunicorn.log"))
            proxy = stack.enter_context(Proxy([server.port], workdir))
            rows = measure(args, proxy.port, workdir)
        version = subprocess.run(
            [*shlex.split(args.lighthouse), "--version"], capture_output=True, text=True
        ).stdout.strip()
    when = datetime.datetime.now(datetime.UTC)
    saved = {"measured": when.isoformat(), "lighthouse": version, "pages": rows}
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"lighthouse-{when.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(saved, indent=2) + "\n")
    if not args.only:
        DOC.write_text(table(rows, args.runs, version, when))
        print(f"wrote {DOC.relative_to(ROOT)}")
    met = all(is_met(row, c) for row in rows for c in CATEGORIES)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
