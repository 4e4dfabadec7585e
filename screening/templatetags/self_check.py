"""What pages outside the check say about it, read from the questionnaire itself."""

from __future__ import annotations

from django import template

from screening import questionnaire

register = template.Library()


@register.simple_tag
def most_questions() -> int:
    """How many questions the check asks at most, for "up to N short questions"."""
    return questionnaire.most_questions()
