from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from education.models import Article


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        """Every published article, each at the address of its own language."""
        return Article.objects.published().only("slug", "language", "updated_at")

    def lastmod(self, article: Article):
        return article.updated_at


class PageSitemap(Sitemap):
    """The fixed pages people may arrive at from a search engine, in every language.

    Each page is listed once per language (``/help/``, ``/es/help/``), each entry with its
    alternates in the other languages and an ``x-default`` (the English page).
    """

    changefreq = "monthly"
    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[str]:
        return [
            "education:home",
            "education:article_list",
            "screening:start",
            "screening:how_it_works",
            "screening:help",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"articles": ArticleSitemap, "pages": PageSitemap}
