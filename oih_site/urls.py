"""The site's URL map: each app brings its own urls module."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("education.urls")),
    path("", include("screening.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "screening.views.bad_request"
handler500 = "screening.views.server_error"
