"""Template filters for what must never break across two lines (issue 17)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def unbroken(value: object) -> SafeString:
    """A phone number (or a code) kept whole on one line, also inside a translated sentence:
    "1-800-662-4357" split after a hyphen reads as two numbers."""
    return format_html('<span class="unbroken">{}</span>', value)
