from django.contrib.sitemaps.views import sitemap
from django.urls import path

from education import views
from education.sitemaps import SITEMAPS

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
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
