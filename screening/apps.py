from django.apps import AppConfig
from django.conf import settings


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Screenings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from education import pinned
        from screening import checks, crisis, explain  # noqa: F401 (checks registers itself)

        # A site that would show the wrong emergency number must not start at all.
        crisis.for_country(settings.OIH_COUNTRY)
        # Editors cannot break the result page's "read more" links into the articles, and
        # see beside each article what links there; a review covers those words too.
        for slug, anchor, link in explain.article_links():
            pinned.pin(slug, anchor, link)
