"""System checks for settings that only matter in production (``check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def public_url_check(app_configs: object = None, **kwargs: object) -> list[Warning]:
    url = settings.OIH_PUBLIC_URL
    if url.startswith("https://") and len(url) > len("https://"):
        return []
    return [
        Warning(
            "OIH_PUBLIC_URL is not an https:// address.",
            hint=(
                "Set it to the site's public address, such as https://oih.example.org: the "
                "FHIR Questionnaire's canonical URL must not change with the host name used."
            ),
            id="screening.W001",
        )
    ]


@register(deploy=True)
def country_check(app_configs: object = None, **kwargs: object) -> list[Error]:
    """Patients see the emergency numbers of the country the operator chose, never a default
    (CLINICAL.md): outside development the US default is a configuration error."""
    if settings.OIH_COUNTRY_CHOSEN:
        return []
    return [
        Error(
            "OIH_COUNTRY is not set, so patients would see United States emergency numbers.",
            hint="Set OIH_COUNTRY to the country the site serves: US or GB.",
            id="screening.E001",
        )
    ]


@register(deploy=True)
def time_zone_check(app_configs: object = None, **kwargs: object) -> list[Warning]:
    """The printout a patient hands their doctor gives the time of the check in the clinic's
    zone: outside development, UTC by default would put it hours off the patient's day."""
    if settings.TIME_ZONE_CHOSEN:
        return []
    return [
        Warning(
            "DJANGO_TIME_ZONE is not set, so the printout and the admin show times in UTC.",
            hint=(
                "Set DJANGO_TIME_ZONE to the clinic's IANA time zone, such as "
                "America/New_York or Europe/London (or UTC, if that is what you mean)."
            ),
            id="screening.W002",
        )
    ]
