"""The site behind production's proxy: nginx (deploy/nginx/) in front of two gunicorn
servers, on a real PostgreSQL (``scripts/with-postgres``), as ``make serve-proxied`` runs it.

Skipped on SQLite. Without nginx it is skipped too, except in CI (``CI`` or
``OIH_REQUIRE_BROWSER`` set), where a missing nginx is a failure, as a missing Chromium is.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.production import Proxy, Server, nginx_binary, production_env


@dataclass
class Site:
    proxy: Proxy
    servers: list[Server]

    @property
    def port(self) -> int:
        return self.proxy.port


@pytest.fixture(scope="module")
def site(
    django_db_setup, django_db_blocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """nginx on a free port of 127.0.0.1, in front of two gunicorn servers of one worker.

    They use the test database, so a test that writes rows for them must be transactional.
    """
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("Runs on a real PostgreSQL: scripts/with-postgres make test (CI does).")
    if nginx_binary() is None:
        if os.environ.get("OIH_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail("CI or OIH_REQUIRE_BROWSER is set but nginx is not installed.")
        pytest.skip("nginx is not installed (make test installs it with apt).")
    with django_db_blocker.unblock():
        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG is off there
    db = connection.settings_dict
    env = production_env(f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    workdir: Path = tmp_path_factory.mktemp("proxied")
    with (
        Server(env, log=workdir / "gunicorn-1.log", workers=1) as first,
        Server(env, log=workdir / "gunicorn-2.log", workers=1) as second,
        Proxy([first.port, second.port], workdir) as proxy,
    ):
        yield Site(proxy, [first, second])
