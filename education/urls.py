"""The reading pages, in each language (oih_site/urls.py)."""

from django.urls import path

from education import views

app_name = "education"

urlpatterns = [
    path("", views.home, name="home"),
    path("learn/", views.reading_page(views.ArticleListView.as_view()), name="article_list"),
    path("learn/search/", views.search, name="search"),
    path("learn/preview/<int:pk>/", views.preview, name="preview"),
    path(
        "learn/<slug:slug>/",
        views.reading_page(views.ArticleDetailView.as_view()),
        name="article",
    ),
]
