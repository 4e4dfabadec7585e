"""Template filters for what must never break across two lines (issue 17)."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def unbroken(value: object) -> SafeString:
    """A phone number (or a code) kept whole on one line, also inside a translated sentence:
    "1-800-662-4357" split after a hyphen reads as two numbers. One without a space or a
    hyphen ("911") cannot break, and stays as it is."""
    if not re.search(r"[\s-]", str(value)):
        return conditional_escape(value)
    return format_html('<span class="unbroken">{}</span>', value)
