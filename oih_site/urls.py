"""The site's URL map: each app brings its own urls module.

Patient pages exist once per language: English at the addresses without a prefix, Spanish
under /es/ (``i18n_patterns``; docs/decisions/0010-languages-in-the-address.md). What
machines and staff read has one address and no language: the admin (in the clinic's
language), the FHIR Questionnaire (both languages inside it), robots.txt, the sitemap
(both languages in it) and the health check. Those are named in the ``site`` namespace.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from education import views as education_views
from education.sitemaps import SITEMAPS
from screening import fhir
from screening import views as screening_views

without_language = [
    path("robots.txt", education_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", screening_views.healthz, name="healthz"),
    path(
        f"fhir/Questionnaire/{fhir.QUESTIONNAIRE_ID}",
        screening_views.fhir_questionnaire,
        name="fhir_questionnaire",
    ),
]

urlpatterns = [
    path("", include((without_language, "site"))),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (downloads, some admin pages).
    # The hashed name is looked up at the first request: on a fresh clone `manage.py
    # migrate` loads this module before `collectstatic` has written the manifest.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True),
    ),
    *i18n_patterns(
        path("", include("education.urls")),
        path("", include("screening.urls")),
        prefix_default_language=False,
    ),
]

handler400 = "screening.views.bad_request"
handler500 = "screening.views.server_error"
