"""Prove the site rides out a database outage: stop PostgreSQL under a running server.

    scripts/with-postgres .venv/bin/python scripts/db_outage_check.py

Starts gunicorn (as `make serve` does) against the throwaway server, then stops and
restarts PostgreSQL and checks what patients and the load balancer see at each step:
a 503 with the security headers while it is down, normal pages once it is back, and no
half-written screening. Exits non-zero if anything differs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def pg_ctl(action: str) -> None:
    command = f"{os.environ['PG_BIN']}/pg_ctl -D {os.environ['PG_DATA']} -m fast -w {action}"
    if action == "start":
        sock_dir = Path(os.environ["PG_DATA"]).parent
        command += (
            f" -o '-p {os.environ['PG_PORT']} -k {sock_dir} -c listen_addresses=127.0.0.1'"
            f" -l {sock_dir}/log"
        )
    runner = ["su", "postgres", "-c", command] if os.geteuid() == 0 else ["bash", "-c", command]
    subprocess.run(runner, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    if "PG_DATA" not in os.environ:
        sys.exit("Run under scripts/with-postgres, which starts a server this script may stop.")
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [ROOT / ".venv/bin/gunicorn", "oih_site.wsgi", "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "--no-control-socket"],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    failures = []

    def expect(label: str, path: str, status: int, text: str = "") -> None:
        code, headers, body = get(base + path)
        ok = code == status and text in body and "Content-Security-Policy" in headers
        print(f"{'ok  ' if ok else 'FAIL'} {label}: {path} -> {code}")
        if not ok:
            failures.append(label)

    try:
        for _ in range(50):
            try:
                get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        expect("database up", "/healthz", 200, "ok")
        expect("database up", "/check/", 200, "Before you start")
        pg_ctl("stop")
        expect("database down", "/healthz", 503, "unavailable")
        expect("database down", "/learn/", 503, "Nothing was saved")
        pg_ctl("start")
        expect("database back", "/healthz", 200, "ok")
        expect("database back", "/learn/", 200, "Learn about opioids")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
