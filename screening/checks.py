"""System checks for settings that only matter in production (``check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
