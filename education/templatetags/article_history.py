"""A readable line-by-line diff for the article history page in the admin."""

import difflib

from django import template

register = template.Library()


@register.filter
def line_diff(old: object, new: object) -> list[tuple[str, str]]:
    """Changed lines with one line of context: [("-", line), ("+", line), (" ", line), ...]."""
    old_lines = str(old or "").splitlines()
    new_lines = str(new or "").splitlines()
    rows = []
    for line in difflib.unified_diff(old_lines, new_lines, n=1, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            rows.append(("…", ""))
        else:
            rows.append((line[:1], line[1:]))
    return rows
