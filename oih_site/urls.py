"""The site's URL map: each app brings its own urls module."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

# English at today's addresses, Spanish under /es/ (the minimum for translated articles; the
# language infrastructure of issue 18 brings the rest).
urlpatterns = [
    *i18n_patterns(
        path("", include("education.urls")),
        path("", include("screening.urls")),
        prefix_default_language=False,
    ),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (downloads, some admin pages).
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
]

handler400 = "screening.views.bad_request"
handler500 = "screening.views.server_error"
