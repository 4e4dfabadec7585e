"""Load test: the production server on PostgreSQL, driven by wrk.

    bench/load [--duration 10] [--connections 16] [--patients 16] [--workers 3]

Run it through ``bench/load``, which installs wrk when it is missing and, without
DATABASE_URL, runs this on a throwaway PostgreSQL server. It migrates, collects the static
files and starts gunicorn as ``make serve`` does (DEBUG off, DJANGO_HTTPS=1) behind
production's nginx as ``make serve-proxied`` runs it (deploy/nginx/; ``--direct`` leaves it
out, and wrk then plays the TLS proxy itself). nginx takes each patient's address from the
X-Forwarded-For wrk sends, as behind a load balancer, so that each has an address of their
own for the submission limit. Then wrk, for a fixed time
each after a short warm-up: a static file, the home page, the main article, a question page
of a check in progress, and finally many patients at once, each walking the whole self-check
and saving it (bench/load.lua). Every saved check a patient was shown a reference code for
must be exactly one row, with no other rows. For each page it also reads from /proc how
much CPU time each request took: in gunicorn, in nginx, in PostgreSQL and on the whole
machine.
Results and method: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.production import HOST, Browser, Proxy, Server, production_env  # noqa: E402

# The server and this script share one environment: production settings behind a proxy.
PRODUCTION = production_env()
os.environ.update(PRODUCTION)
# The server runs production's settings plus the ceiling probe (bench/probe.py).
SERVER = {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "bench.settings"}

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import probe  # noqa: E402
from screening.demo import random_answers  # noqa: E402
from screening.models import Screening, normalize_reference  # noqa: E402

LUA = ROOT / "bench" / "load.lua"
ARTICLE = "/learn/opioid-induced-hyperalgesia/"
STATIC = "static file (site CSS)"
WALKS = 300
LATER = 9  # pages answered before the later question page
TICKS = os.sysconf("SC_CLK_TCK")
CPU_PARTS = ("gunicorn", "nginx", "postgres", "machine")
CODE = re.compile(r'class="reference-code[^"]*">\s*([\w-]+)')


def servers(server: Server, proxy: Proxy | None) -> dict[str, int]:
    """The main process ids of gunicorn, nginx and this benchmark's PostgreSQL (0 if none)."""
    try:
        data = Path(os.environ["PG_DATA"])  # set by scripts/with-postgres
        postmaster = int((data / "postmaster.pid").read_text().split()[0])
    except (KeyError, OSError, ValueError, IndexError):
        postmaster = 0
    nginx = proxy.process.pid if proxy and proxy.process else 0
    return {"gunicorn": server.pid, "nginx": nginx, "postgres": postmaster}


def cpu_seconds(servers: dict[str, int]) -> dict[str, float]:
    """CPU time used so far by each server (its main process and children), and by all.

    A child that has ended, such as a connection PostgreSQL closed, has its time added to
    its parent's, so each server's total only grows.
    """
    used = dict.fromkeys(CPU_PARTS, 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process has ended
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # from field 3, "state", on: man 5 proc
        own = int(fields[11]) + int(fields[12])  # utime + stime
        ended_children = int(fields[13]) + int(fields[14])  # cutime + cstime
        for part, pid in servers.items():
            if pid and int(entry.name) == pid:
                used[part] += (own + ended_children) / TICKS
            elif pid and int(fields[1]) == pid:
                used[part] += own / TICKS
    # The first line of /proc/stat, user to steal; guest time is counted in user already.
    machine = [int(ticks) for ticks in Path("/proc/stat").read_text().split(maxsplit=9)[1:9]]
    idle = machine[3] + machine[4]  # idle and iowait
    used["machine"] = (sum(machine) - idle) / TICKS  # wrk and the kernel too
    return used


@dataclass
class Run:
    threads: int
    connections: int
    seconds: int
    warmup: int
    workdir: Path
    servers: dict[str, int]  # the gunicorn master's and the postmaster's process ids

    def wrk(self, url: str, *, mode: str = "page", headers: tuple[str, ...] = (), **env: str):
        """Run wrk against ``url`` after a warm-up; return what bench/load.lua wrote.

        With it, under ``cpu_us``, the CPU time each request took (microseconds) in
        gunicorn, in PostgreSQL and on the whole machine, over the timed run only.
        """
        out = self.workdir / "wrk.json"
        command = ["wrk", "--threads", str(self.threads), "--connections", str(self.connections)]
        command += ["--timeout", "10s", "--script", str(LUA)]
        for header in ("X-Forwarded-Proto: https", *headers):
            command += ["--header", header]
        run_env = {**os.environ, "OIH_BENCH_MODE": mode, "OIH_BENCH_OUT": str(out), **env}
        for seconds in (self.warmup, self.seconds):
            if not seconds:
                continue
            out.unlink(missing_ok=True)
            before = cpu_seconds(self.servers)
            subprocess.run(
                [*command, "--duration", f"{seconds}s", url],
                env=run_env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            after = cpu_seconds(self.servers)
        result = json.loads(out.read_text())
        requests = max(result["requests"], 1)
        result["cpu_us"] = {part: (after[part] - before[part]) / requests * 1e6 for part in after}
        return result


def question_page(port: int, answered: int = 0) -> tuple[str, int, dict[str, str]]:
    """Start a check and answer its first ``answered`` pages as a patient would.

    Return the path of the page that comes next, its size and the browser's cookies.
    """
    rng = random.Random(answered)  # noqa: S311 (test data, repeatable)
    walk = random_answers(rng)
    while len(walk) <= answered:  # one that goes on past the page wanted, so no emergency
        walk = random_answers(rng)
    browser = Browser(port)
    browser.follow("/check/")
    status, location, _page = browser.request("POST", "/check/", {"privacy": "save"})
    for question, value in list(walk.items())[:answered]:
        if status != 302:
            break
        browser.follow(location)
        field = [str(v) for v in value] if isinstance(value, list) else str(value)
        status, location, _page = browser.request("POST", f"/check/{question}/", {question: field})
    if status != 302:
        raise RuntimeError(f"starting a check and answering {answered} pages: HTTP {status}")
    path, page = browser.follow(location)
    return path, len(page.encode()), browser.cookies


def walks_file(path: Path, count: int) -> None:
    """Random walks through the real questionnaire (screening/demo.py), as a Lua table.

    Each walk maps a question id to the form fields its page posts, URL-encoded.
    """
    rng = random.Random(count)  # noqa: S311 (test data, repeatable)
    lines = ["return {"]
    for _ in range(count):
        answers = random_answers(rng)
        fields = ", ".join(
            f'["{question}"] = "{urlencode({question: value}, doseq=True)}"'
            for question, value in answers.items()
        )
        lines.append(f"  {{ {fields} }},")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n")


def settle(port: int, patients: list[dict[str, str]]) -> tuple[list[str], int]:
    """Look up each patient wrk left mid-way, as the patient reloading the page would.

    A patient whose check ended (the server may have finished the request after wrk hung
    up) sees the result page and its code. One left on the answers page presses Submit, as
    a person whose first click seemed to do nothing would. Returns the codes shown and how
    many patients had not got that far.
    """
    codes, unfinished = [], 0
    for patient in patients:
        if patient["code"] or not patient["cookie"]:
            unfinished += not patient["cookie"]
            continue
        cookies = dict(part.split("=", 1) for part in patient["cookie"].split("; "))
        browser = Browser(port, address=patient["address"], cookies=cookies)
        path, page = browser.follow("/check/result/")
        if path == "/check/answers/":
            status, location, page = browser.request("POST", path)
            if status != 302:
                raise RuntimeError(f"POST {path}: HTTP {status}")
            path, page = browser.follow(location)
        if match := CODE.search(page):
            codes.append(match.group(1))
        else:
            unfinished += 1
    return codes, unfinished


def rows_check(codes: list[str], since_pk: int) -> tuple[bool, str]:
    """Every code shown is exactly one new row; there is no other new row."""
    shown = [normalize_reference(code) for code in codes]
    stored = list(
        Screening.objects.filter(pk__gt=since_pk).values_list("reference_code", flat=True)
    )
    duplicates_shown = len(shown) - len(set(shown))
    lost = set(shown) - set(stored)
    extra = set(stored) - set(shown)
    ok = not (duplicates_shown or lost or extra) and len(stored) == len(set(stored))
    text = (
        f"{len(shown)} codes shown, {len(stored)} new rows: {len(lost)} lost, "
        f"{len(extra)} rows nobody was shown, {duplicates_shown} codes shown to two patients"
    )
    return ok, text


def errors_in(result: dict) -> int:
    return sum(result["errors"].values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times each page is measured")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds before each page")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads for pages")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections for pages")
    parser.add_argument("--patients", type=int, default=16, help="patients at once")
    parser.add_argument("--patients-duration", type=int, default=20, help="seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--direct", action="store_true", help="no nginx: wrk to gunicorn")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this through bench/load: it needs PostgreSQL.")

    with tempfile.TemporaryDirectory(prefix="oih-load-") as tmp:
        workdir = Path(tmp)
        for command in ("migrate", "collectstatic"):
            call_command(command, interactive=False, verbosity=0)
        server = Server(SERVER, log=workdir / "gunicorn.log", workers=args.workers)
        with server, ExitStack() as stack:
            proxy = None
            if not args.direct:
                proxy = Proxy([server.port], workdir, trust_forwarded_from=HOST)
                stack.enter_context(proxy)
            results, ok = measure(args, server, proxy, workdir)
        if not ok:
            print(f"\ngunicorn's log:\n{server.log.read_text()[-3000:]}")
    save(args, results)
    sys.exit(0 if ok else 1)


def measure(
    args: argparse.Namespace, server: Server, proxy: Proxy | None, workdir: Path
) -> tuple[dict, bool]:
    results = {"pages": measure_pages(args, server, proxy, workdir)}
    results["submissions"], ok = measure_patients(args, server, proxy, workdir)
    return results, ok


def median(values: list[float]) -> float:
    return statistics.median(values)


def measure_pages(
    args: argparse.Namespace, server: Server, proxy: Proxy | None, workdir: Path
) -> dict:
    """Each page in turn, in rounds, so that a slow spell on the machine hits all pages alike.

    A page's ratio is its throughput over the static file's in the same round; the table
    shows the median over the rounds (and the range), and each page's median req/s, p50
    and p99.
    """
    port = proxy.port if proxy else server.port
    manifest = json.loads((ROOT / "staticfiles-manifest" / "staticfiles.json").read_text())
    question, size, cookies = question_page(port)
    # The first page is the cheapest to work out; one well into a check is measured too.
    later, _later_size, later_cookies = question_page(port, answered=LATER)
    # Each page with the cookies its requests carry: only the question page and the probe
    # (bench/probe.py: the ceiling for any page that reads the session) have a session.
    pages = {
        STATIC: (f"/static/{manifest['paths']['css/site.css']}", {}),
        "home": ("/", {}),
        "article (OIH)": (ARTICLE, {}),
        f"question page ({question})": (question, cookies),
        f"later question ({later})": (later, later_cookies),
        "session read only (ceiling)": (f"{probe.PATH}?bytes={size}", cookies),
        "health check (reference)": ("/healthz", {}),
    }
    for name, (path, page_cookies) in pages.items():
        status, _location, _page = Browser(port, cookies=page_cookies).request("GET", path)
        if status != 200:
            sys.exit(f"{name}: GET {path} gave HTTP {status}, not 200")

    pids = servers(server, proxy)
    run = Run(args.threads, args.connections, args.duration, args.warmup, workdir, pids)
    print(
        f"wrk: {args.threads} threads, {args.connections} connections; {args.rounds} rounds of"
        f" {args.warmup} s warm-up + {args.duration} s per page; gunicorn: {args.workers} sync"
        f" workers, {'no proxy' if proxy is None else 'behind nginx'}; {os.cpu_count()} cores",
        flush=True,
    )
    rounds: dict[str, list[dict]] = {name: [] for name in pages}
    for number in range(1, args.rounds + 1):
        for name, (path, page_cookies) in pages.items():
            header = f"Cookie: {Browser(port, cookies=page_cookies).cookie_header}"
            url = f"http://{HOST}:{port}{path}"
            result = run.wrk(url, headers=(header,) if page_cookies else ())
            if name == STATIC:
                static_rps = result["rps"]
            result["ratio"] = result["rps"] / static_rps
            rounds[name].append(result)
        print(
            f"round {number}: "
            + ", ".join(f"{name.split(' (')[0]} {r[-1]['rps']:.0f}" for name, r in rounds.items())
            + " req/s",
            flush=True,
        )

    print(f"\n{'page':<38}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}  vs static")
    summary = {}
    for name, runs in rounds.items():
        ratios = [r["ratio"] for r in runs]
        summary[name] = {
            "path": pages[name][0],
            "rps": median([r["rps"] for r in runs]),
            "p50_ms": median([r["p50_ms"] for r in runs]),
            "p99_ms": median([r["p99_ms"] for r in runs]),
            "errors": sum(errors_in(r) for r in runs),
            "ratio": median(ratios),
            "ratio_range": [min(ratios), max(ratios)],
            "cpu_us": {part: median([r["cpu_us"][part] for r in runs]) for part in CPU_PARTS},
            "rounds": runs,
        }
        row = summary[name]
        print(
            f"{name:<38}{row['rps']:>8.0f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
            f"{row['errors']:>8}  {row['ratio']:.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
        )
    print(f"\nCPU time per request, us{'':<14}" + "".join(f"{part:>10}" for part in CPU_PARTS))
    for name, row in summary.items():
        print(f"{name:<38}" + "".join(f"{row['cpu_us'][part]:>10.0f}" for part in CPU_PARTS))
    return summary


def measure_patients(
    args: argparse.Namespace, server: Server, proxy: Proxy | None, workdir: Path
) -> tuple[dict, bool]:
    """Many patients at once, each walking the whole check and saving it; then the rows."""
    port = proxy.port if proxy else server.port
    base = f"http://{HOST}:{port}"
    walks = workdir / "walks.lua"
    walks_file(walks, WALKS)
    since_pk = Screening.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    patients_run = Run(
        args.patients, args.patients, args.patients_duration, 0, workdir, servers(server, proxy)
    )
    result = patients_run.wrk(
        base + "/check/",
        mode="patients",
        OIH_BENCH_ORIGIN=f"https://{HOST}:{port}",
        OIH_BENCH_WALKS=str(walks),
    )
    threads = result.pop("threads")
    confirmed = [code for thread in threads for code in thread["confirmed"]]
    flow_errors = sum(thread["flow_errors"] for thread in threads)
    # Requests wrk had sent when its time ran out may still be running: let them finish.
    time.sleep(2)
    late, unfinished = settle(port, [p for thread in threads for p in thread["unfinished"]])
    rows_ok, rows_text = rows_check(confirmed + late, since_pk)
    result.update(
        patients=args.patients,
        started=sum(thread["started"] for thread in threads),
        finished=sum(thread["finished"] for thread in threads),
        confirmed=len(confirmed),
        confirmed_afterwards=len(late),
        left_before_submitting=unfinished,
        flow_errors=flow_errors,
        rows=rows_text,
        rows_ok=rows_ok,
    )
    errors = errors_in(result) + flow_errors
    print(
        f"\nself-check, {args.patients} patients at once for {args.patients_duration} s: "
        f"{result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, p99 "
        f"{result['p99_ms']:.1f} ms, {errors} errors\n"
        f"  {result['started']} patients started, {len(confirmed)} shown a reference code "
        f"during the run and {len(late)} afterwards, {unfinished} stopped before submitting\n"
        f"  rows: {rows_text}: {'OK' if rows_ok else 'FAILED'}"
    )
    for thread in threads:
        for sample in thread["samples"]:
            print(f"  error: {sample}")
    return result, rows_ok and errors == 0


def save(args: argparse.Namespace, results: dict) -> None:
    """Keep the numbers in bench/results/ (not committed) for writing up."""
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"load-{stamp}.json"
    path.write_text(json.dumps({"args": vars(args), **results}, indent=2) + "\n")
    print(f"\nsaved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
