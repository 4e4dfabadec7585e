"""Production settings pass Django's deployment checks; the development key never does."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def check_deploy(**environment: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "OIH_"))
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {
    "DJANGO_HTTPS": "1",
    "DJANGO_ALLOWED_HOSTS": "pain.example.org",
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


@pytest.mark.parametrize("country", ["FR", "", "usa"])
def test_an_unknown_country_stops_start_up(country):
    result = check_deploy(**PRODUCTION, OIH_COUNTRY=country)
    assert result.returncode != 0
    assert "OIH_COUNTRY" in result.stderr
