"""The site as production runs it, over real HTTP: for bench/load, the outage test, the
proxied tests and ``make serve-proxied``.

``Server`` is gunicorn as ``make serve`` starts it, on a free port of 127.0.0.1. ``Proxy`` is
nginx in front of one or more of them, with production's configuration (deploy/nginx/),
listening on plain HTTP on 127.0.0.1 but telling the app the request came over TLS, as
production's does. A test that talks to a ``Server`` directly plays that proxy itself.
``Browser`` is one patient's browser for either. ``postgres`` stops and starts the
throwaway server of ``scripts/with-postgres``.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing, suppress
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def production_env(database_url: str | None = None) -> dict[str, str]:
    """The settings' environment of a production server behind a TLS proxy, on 127.0.0.1.

    The proxy is on 127.0.0.1 too, so that is the one trusted proxy.
    """
    env = {
        "DJANGO_SETTINGS_MODULE": "oih_site.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "OIH_TRUSTED_PROXIES": HOST,
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Browser:
    """A patient's browser, cookies kept by hand.

    The cookies are Secure (the site thinks it is behind TLS), which http.cookiejar would
    never send over plain HTTP. Each request comes through the proxy from ``address``.
    """

    port: int
    address: str = HOST
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in sorted(self.cookies.items()))

    def request(
        self, method: str, path: str, form: dict[str, str | list[str]] | None = None
    ) -> tuple[int, str, str]:
        """Send one request; return its status, Location and page."""
        origin = f"https://{HOST}:{self.port}"
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        body = None
        if method == "POST":
            body = urlencode({"csrfmiddlewaretoken": self.csrf, **(form or {})}, doseq=True)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": origin,
                    "Referer": origin + path,
                }
            )
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        self.headers = dict(response.headers)
        for line in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if value in {"", '""'}:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if match := TOKEN.search(text):
            self.csrf = match.group(1)
        return response.status, response.headers.get("Location", ""), text

    def follow(self, path: str) -> tuple[str, str]:
        """GET ``path`` and follow redirects; return the final path and page."""
        for _ in range(5):
            status, location, text = self.request("GET", path)
            if status != HTTPStatus.FOUND:
                if status != HTTPStatus.OK:
                    raise RuntimeError(f"GET {path}: HTTP {status}")
                return path, text
            path = location
        raise RuntimeError(f"too many redirects from {path}")


@dataclass
class Server:
    """gunicorn as ``make serve`` runs it. Use it in a ``with`` block.

    The database must be migrated and the static files collected before it starts.
    """

    env: dict[str, str]
    log: Path
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        command = [
            str(gunicorn),
            "oih_site.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--no-control-socket",
            "--forwarded-allow-ips",
            HOST,
        ]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env={**os.environ, **self.env}, stdout=log, stderr=log
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    @property
    def pid(self) -> int:
        """gunicorn's master process; the workers are its children."""
        assert self.process is not None, "the server has not started"
        return self.process.pid

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()}")
            conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
            with closing(conn), suppress(OSError, http.client.HTTPException):
                conn.request("GET", "/healthz")
                if conn.getresponse().status == HTTPStatus.OK:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within 30 s:\n{self.log.read_text()}")

    def __exit__(self, exc_type: type[BaseException] | None = None, *exc_info: object) -> None:
        if exc_type is not None:
            print(f"gunicorn's log:\n{self.log.read_text()[-3000:]}")  # pytest shows it on failure
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def nginx_binary() -> str | None:
    """Debian's nginx (in /usr/sbin, which is not on everyone's PATH), or None."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


# The parts of production's configuration the proxy runs (deploy/nginx.conf includes them).
NGINX_HTTP = ROOT / "deploy" / "nginx" / "http.conf"
NGINX_SITE = ROOT / "deploy" / "nginx" / "site.conf"


@dataclass
class Proxy:
    """nginx with production's configuration in front of ``upstreams`` (gunicorn ports).

    Use it in a ``with`` block. ``workdir`` holds its configuration, logs and buffers.
    With ``trust_forwarded_from`` it takes the client's address from the X-Forwarded-For
    of requests from there (nginx's realip module), as behind a load balancer: bench/load
    uses it to give each of its patients an address of their own.
    """

    upstreams: list[int]
    workdir: Path
    port: int = field(default_factory=free_port)
    host: str = HOST
    trust_forwarded_from: str | None = None
    process: subprocess.Popen | None = None

    @property
    def log(self) -> Path:
        return self.workdir / "nginx-error.log"

    def config(self) -> str:
        upstreams = "".join(f"        server {HOST}:{port};\n" for port in self.upstreams)
        realip = ""
        if self.trust_forwarded_from:
            realip = (
                f"        set_real_ip_from {self.trust_forwarded_from};\n"
                "        real_ip_header X-Forwarded-For;\n"
            )
        work = self.workdir
        return (
            "daemon off;\n"
            "worker_processes 1;\n"
            f"pid {work}/nginx.pid;\n"
            f"error_log {self.log} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            f"    client_body_temp_path {work}/client_body;\n"
            f"    proxy_temp_path {work}/proxy;\n"
            f"    fastcgi_temp_path {work}/fastcgi;\n"
            f"    uwsgi_temp_path {work}/uwsgi;\n"
            f"    scgi_temp_path {work}/scgi;\n"
            f"    include {NGINX_HTTP};\n"
            f"    upstream oih_app {{\n{upstreams}    }}\n"
            "    server {\n"
            f"        listen {self.host}:{self.port};\n"
            f"        access_log {work}/nginx-access.log oih;\n"
            f"{realip}"
            f"        include {NGINX_SITE};\n"
            "    }\n"
            "}\n"
        )

    def __enter__(self) -> Proxy:
        nginx = nginx_binary()
        if nginx is None:
            raise RuntimeError("nginx is not installed (make nginx installs it with apt).")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.workdir.chmod(0o755)  # nginx's workers may run as another user
        conf = self.workdir / "nginx.conf"
        conf.write_text(self.config())
        command = [nginx, "-p", str(self.workdir), "-c", str(conf), "-e", str(self.log)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=self.log.open("a")
        )
        try:
            _wait_for_healthz(self.port, self.process, self.log)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None = None, *exc_info: object) -> None:
        if exc_type is not None and self.log.exists():
            print(f"nginx's error log:\n{self.log.read_text()[-3000:]}")
        _stop(self.process, signal.SIGQUIT)  # finish the requests in hand, then stop


def _wait_for_healthz(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited:\n{log.read_text()}")
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        with closing(conn), suppress(OSError, http.client.HTTPException):
            conn.request("GET", "/healthz")
            if conn.getresponse().status == HTTPStatus.OK:
                return
        time.sleep(0.2)
    raise RuntimeError(f"no answer from /healthz on port {port} within 30 s:\n{log.read_text()}")


def _stop(process: subprocess.Popen | None, sig: signal.Signals = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def postgres(action: str) -> None:
    """Stop or start the throwaway PostgreSQL server of ``scripts/with-postgres``.

    It starts again with the options that script gave it, on the same port.
    """
    data = os.environ["PG_DATA"]
    command = f"{os.environ['PG_BIN']}/pg_ctl -D {data} -m fast -w {action}"
    if action == "start":
        command += f" -o '{os.environ['PG_OPTS']}' -l {Path(data).parent}/log"
    runner = ["su", "postgres", "-c", command] if os.geteuid() == 0 else ["bash", "-c", command]
    subprocess.run(runner, check=True, stdout=subprocess.DEVNULL)
