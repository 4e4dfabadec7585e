"""Emergency and help-line numbers for each country the site can be set up for.

Numbers are never written into page text or articles: every page that shows one reads it
from here, for the country in ``settings.OIH_COUNTRY``. The app refuses to start with a
country that has no entry (see ``ScreeningConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class InSpanish:
    """How a line is reached in Spanish; with neither field set, it answers in Spanish."""

    # The key to press after calling, to be put through to someone who speaks Spanish.
    press: str = ""
    # The word that starts a text conversation in Spanish.
    text_word: str = ""


@dataclass(frozen=True)
class HelpLine:
    name: Promise | str
    number: str
    what_for: Promise
    can_text: bool = False
    # Shown on Spanish pages only (templates/includes/in_spanish.html).
    in_spanish: InSpanish | None = None

    @property
    def tel(self) -> str:
        """The number as a tel: link wants it: digits only."""
        return "".join(ch for ch in self.number if ch.isdigit())


@dataclass(frozen=True)
class CountryHelp:
    code: str
    name: Promise
    emergency: HelpLine
    # For thoughts of suicide or self-harm.
    crisis: HelpLine
    # Free, confidential help about opioid use, without labels.
    substance_use: HelpLine | None
    # Medical advice that is urgent but not an emergency.
    urgent_advice: HelpLine | None
    poison: HelpLine | None
    naloxone_over_the_counter: bool
    # The option of ``urgent_advice`` that leads to mental health help, where it has one: the
    # same-day lead after recent thoughts of self-harm (CLINICAL.md v2; in GB, NHS 111).
    mental_health_option: str | None = None

    @property
    def lines(self) -> list[HelpLine]:
        """Every line, most urgent first, for the help page."""
        optional = (self.urgent_advice, self.substance_use, self.poison)
        return [self.emergency, self.crisis, *(line for line in optional if line)]

    @property
    def confidential_help(self) -> HelpLine:
        """Where to talk about opioid use in confidence: a national help line, else NHS 111."""
        return self.substance_use or self.urgent_advice or self.crisis


COUNTRIES: Mapping[str, CountryHelp] = {
    "US": CountryHelp(
        code="US",
        name=_("United States"),
        emergency=HelpLine("911", "911", _("Emergencies, including an overdose.")),
        crisis=HelpLine(
            _("988 Suicide & Crisis Lifeline"),
            "988",
            _("Thoughts of suicide or self-harm, or any emotional crisis. Call or text."),
            can_text=True,
            # 988 puts callers through to Spanish speakers on option 2, and texts that start
            # with AYUDA are answered in Spanish.
            in_spanish=InSpanish(press="2", text_word="AYUDA"),
        ),
        substance_use=HelpLine(
            _("SAMHSA National Helpline"),
            "1-800-662-4357",
            _("Free, private help with medicine or drug use, any time."),
            # The helpline answers in English and in Spanish.
            in_spanish=InSpanish(),
        ),
        urgent_advice=None,
        poison=HelpLine(
            _("Poison Help"),
            "1-800-222-1222",
            _("If someone took too much or the wrong medicine."),
        ),
        naloxone_over_the_counter=True,
    ),
    "GB": CountryHelp(
        code="GB",
        name=_("United Kingdom"),
        emergency=HelpLine("999", "999", _("Emergencies, including an overdose.")),
        crisis=HelpLine(
            _("Samaritans"),
            "116 123",
            _("Thoughts of suicide or self-harm, or if you need to talk. Free, any time."),
        ),
        substance_use=None,
        urgent_advice=HelpLine(
            _("NHS 111"),
            "111",
            _("Urgent medical advice when it is not an emergency, including about medicines."),
        ),
        poison=None,
        naloxone_over_the_counter=False,
        mental_health_option="2",
    ),
}


def for_country(code: str) -> CountryHelp:
    try:
        return COUNTRIES[code]
    except KeyError:
        known = ", ".join(sorted(COUNTRIES))
        raise ImproperlyConfigured(
            f"OIH_COUNTRY={code!r} has no crisis numbers. Choose one of: {known}."
        ) from None
