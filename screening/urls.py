"""The patient pages of the self-check, in each language (oih_site/urls.py)."""

from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path("check/", views.start, name="start"),
    path("check/answers/", views.answers, name="answers"),
    path("check/result/", views.result, name="result"),
    path("check/emergency/", views.emergency, name="emergency"),
    path("check/delete/", views.delete, name="delete"),
    path("check/deleted/", views.deleted, name="deleted"),
    path("delete-saved/", views.delete_saved, name="delete_saved"),
    path("delete-saved/done/", views.delete_saved_done, name="delete_saved_done"),
    path("check/expired/", views.expired, name="expired"),
    path("check/how-it-works/", views.how_it_works, name="how_it_works"),
    path(
        "check/how-it-works/version-<str:version>/",
        views.how_it_works,
        name="how_it_works_version",
    ),
    path("check/<slug:question_id>/", views.question, name="question"),
    path("help/", views.get_help, name="help"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("contact/", views.contact, name="contact"),
]
