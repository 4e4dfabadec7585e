"""Production's settings plus the probe of bench/probe.py, for bench/load's server only."""

from oih_site.settings import *  # noqa: F403
from oih_site.settings import MIDDLEWARE

_at = MIDDLEWARE.index("education.pagecache.PageCacheMiddleware") + 1
MIDDLEWARE = [*MIDDLEWARE[:_at], "bench.probe.SessionReadProbe", *MIDDLEWARE[_at:]]
