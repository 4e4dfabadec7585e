"""The site's own URLs, plus the floor that bench/load compares every page with.

The floor is the cheapest page Django can serve here: one line that reads the visitor's
session, behind the site's whole middleware stack, as every patient page is. A page far
below the floor's throughput is worth profiling.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from oih_site import urls as site_urls
from oih_site.urls import handler500  # noqa: F401 (the site's error page stays the same)

FLOOR = "/bench/floor/"


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{len(request.session.keys())}\n", content_type="text/plain")


# The site's own list, extended: Django refuses i18n_patterns inside an include().
urlpatterns = [path(FLOOR.strip("/") + "/", floor), *site_urls.urlpatterns]
