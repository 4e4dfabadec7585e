"""Production's nginx configuration (deploy/nginx.conf) is valid as shipped and keeps the
promises docs/deploy.md makes. Needs nginx, not a database."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.production import NGINX_HTTP, NGINX_SITE, ROOT, nginx_binary

pytestmark = pytest.mark.proxy

PRODUCTION = ROOT / "deploy" / "nginx.conf"


@pytest.fixture
def nginx() -> str:
    binary = nginx_binary()
    if binary is None:
        if os.environ.get("OIH_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail("CI or OIH_REQUIRE_BROWSER is set but nginx is not installed.")
        pytest.skip("nginx is not installed (make test installs it with apt).")
    return binary


def test_the_production_configuration_passes_nginx_t(nginx, tmp_path: Path):
    """As an operator installs it, with a certificate of its own in place of the real one."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl makes the stand-in certificate.")
    openssl = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(  # noqa: S603
        [
            *openssl,
            *("-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")),
            *("-subj", "/CN=pain.example.org"),
        ],
        check=True,
        capture_output=True,
    )
    site = PRODUCTION.read_text()
    for installed, here in {
        "/etc/nginx/oih/nginx/": f"{NGINX_HTTP.parent}/",
        "/etc/letsencrypt/live/pain.example.org/fullchain.pem": f"{tmp_path}/cert.pem",
        "/etc/letsencrypt/live/pain.example.org/privkey.pem": f"{tmp_path}/key.pem",
        "/var/log/nginx/": f"{tmp_path}/",
    }.items():
        assert installed in site
        site = site.replace(installed, here)
    (tmp_path / "site.conf").write_text(site)
    # Debian's nginx.conf includes sites-enabled/* inside http { }, as here.
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n    include {tmp_path}/site.conf;\n}}\n"
    )
    error_log = str(tmp_path / "error.log")
    result = subprocess.run(  # noqa: S603
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", error_log],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_proxy_sets_the_client_address_and_never_appends_it():
    site = NGINX_SITE.read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "$proxy_add_x_forwarded_for" not in site


def test_the_proxy_access_log_names_no_person_and_no_query():
    log_format = re.search(r"^log_format oih (.+);$", NGINX_HTTP.read_text(), re.MULTILINE)[1]
    for variable in ("$remote_addr", "$http_", "$args", "$request_uri", "$query_string"):
        assert variable not in log_format, variable
    assert "$uri" in log_format
