"""Production's settings with the floor page added (bench/urls.py), for bench/load's server."""

from oih_site.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
