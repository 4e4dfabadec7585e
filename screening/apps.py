from django.apps import AppConfig
from django.conf import settings


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Screenings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from screening import crisis

        # A site that would show the wrong emergency number must not start at all.
        crisis.for_country(settings.OIH_COUNTRY)
