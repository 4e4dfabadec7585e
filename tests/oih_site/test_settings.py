"""Production settings pass Django's deployment checks; the development key never does."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    """``manage.py`` in a fresh process that sees only ``environment`` of our variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "OIH_"))
    }
    env.update(environment)
    return subprocess.run(  # noqa: S603 (the arguments are the tests' own)
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def check_deploy(**environment: str) -> subprocess.CompletedProcess:
    return manage("check", "--deploy", "--fail-level", "WARNING", **environment)


PRODUCTION = {
    "DJANGO_HTTPS": "1",
    "DJANGO_ALLOWED_HOSTS": "pain.example.org",
    "OIH_PUBLIC_URL": "https://pain.example.org",
    "OIH_COUNTRY": "US",
    "DJANGO_TIME_ZONE": "America/New_York",
}


def test_production_settings_pass_check_deploy_without_warnings():
    result = check_deploy(**PRODUCTION, DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_development_secret_key_fails_check_deploy():
    result = check_deploy(**PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_plain_http_settings_fail_check_deploy():
    result = check_deploy(DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


@pytest.mark.parametrize("url", ["", "http://pain.example.org", "https://"])
def test_check_deploy_wants_the_public_https_address(url):
    result = check_deploy(
        **{**PRODUCTION, "OIH_PUBLIC_URL": url}, DJANGO_SECRET_KEY=secrets.token_urlsafe(50)
    )
    assert result.returncode != 0
    assert "OIH_PUBLIC_URL is not an https:// address." in result.stdout + result.stderr


@pytest.mark.parametrize("country", ["FR", "", "usa"])
def test_an_unknown_country_stops_start_up(country):
    result = check_deploy(**{**PRODUCTION, "OIH_COUNTRY": country})
    assert result.returncode != 0
    assert "OIH_COUNTRY" in result.stderr


@pytest.mark.parametrize("zone", ["Nowhere/Else", "../etc/passwd", "Europe/"])
def test_an_unknown_time_zone_stops_start_up(zone):
    result = manage("check", DJANGO_TIME_ZONE=zone)
    assert result.returncode != 0
    assert "DJANGO_TIME_ZONE" in result.stderr


@pytest.mark.parametrize(("zone", "expected"), [("", "UTC"), (" Europe/London ", "Europe/London")])
def test_an_empty_time_zone_means_utc(zone, expected):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TIME_ZONE)",
        DJANGO_TIME_ZONE=zone,
    )
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, expected)


def test_production_cookies_are_secure_http_only_and_same_site_and_hsts_is_a_year():
    flags = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_AGE, s.SECURE_HSTS_SECONDS)"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        flags,
        **PRODUCTION,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )
    expected = ["True", "True", "Lax", "True", str(30 * 60), str(60 * 60 * 24 * 365)]
    assert result.stdout.split() == expected, result.stderr


def test_env_example_documents_every_variable_the_settings_read():
    settings_source = (ROOT / "oih_site" / "settings.py").read_text()
    read = set(
        re.findall(
            r'(?:env_bool|env_list|env_networks|os\.environ\.get)\("([A-Z_]+)"', settings_source
        )
    )
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert len(read) > 10
    assert read - documented == set()


def test_check_deploy_wants_the_country_chosen():
    settings_without_country = {k: v for k, v in PRODUCTION.items() if k != "OIH_COUNTRY"}
    result = check_deploy(**settings_without_country, DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "OIH_COUNTRY is not set" in result.stdout + result.stderr


def test_check_deploy_wants_the_time_zone_chosen():
    settings_without_zone = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_TIME_ZONE"}
    result = check_deploy(**settings_without_zone, DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "DJANGO_TIME_ZONE is not set" in result.stdout + result.stderr


def test_the_access_log_names_no_person_and_no_query():
    """make serve's gunicorn log: no address, browser, Referer, query or request line."""
    makefile = (ROOT / "Makefile").read_text()
    log_format = re.search(r"^ACCESS_LOG_FORMAT := (.+)$", makefile, re.MULTILINE)[1]
    assert "--access-logformat '$(ACCESS_LOG_FORMAT)'" in makefile
    for atom in ("%(h)s", "%(r)s", "%(q)s", "%(f)s", "%(a)s", "%(u)s", "}i)s", "}e)s"):
        assert atom not in log_format, atom
    assert "%(U)s" in log_format  # the path alone


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?sslmode=prefer", "{'sslmode': 'prefer', 'server_side_binding': True}"),
        ("?server_side_binding=false", "{'server_side_binding': False}"),
    ],
)
def test_database_url_options_are_kept_and_can_turn_server_side_binding_off(query, expected):
    """For a pooler that cannot bind on the server (docs/deploy.md)."""
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        DATABASE_URL=f"postgres://user@127.0.0.1:5/oih{query}",
    )
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, expected)


def test_earlier_secret_keys_come_from_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)",
        DJANGO_SECRET_KEY_FALLBACKS=" old-key-1 ,old-key-2,",
    )
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "['old-key-1', 'old-key-2']")


def test_trusted_proxies_are_addresses_or_networks_and_nothing_else():
    show = "from django.conf import settings; print([str(n) for n in settings.OIH_TRUSTED_PROXIES])"
    result = manage("shell", "-c", show, OIH_TRUSTED_PROXIES="10.0.0.5, 10.1.0.0/16,::1")
    assert (result.returncode, result.stdout.splitlines()[-1]) == (
        0,
        "['10.0.0.5/32', '10.1.0.0/16', '::1/128']",
    )
    result = manage("check", OIH_TRUSTED_PROXIES="10.0.0.5,nginx.internal")
    assert result.returncode != 0
    assert "OIH_TRUSTED_PROXIES" in result.stderr
