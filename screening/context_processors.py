"""Template context every page needs."""

from django.conf import settings
from django.http import HttpRequest

from screening import crisis


def country_help(request: HttpRequest) -> dict[str, object]:
    """The country's emergency and help lines, for the "Get help now" parts of every page."""
    return {"country_help": crisis.for_country(settings.OIH_COUNTRY)}
