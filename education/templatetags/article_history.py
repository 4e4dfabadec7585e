"""A readable line-by-line diff for the article history page in the admin."""

import difflib
import itertools

from django import template

register = template.Library()


@register.filter
def line_diff(old: object, new: object) -> list[tuple[str, str]]:
    """Changed lines with one line of context: [("-", line), ("+", line), (" ", line), ...]."""
    old_lines = str(old or "").splitlines()
    new_lines = str(new or "").splitlines()
    rows = []
    diff = difflib.unified_diff(old_lines, new_lines, n=1, lineterm="")
    # The first two lines name the files ("--- ", "+++ "); a text line may look the same.
    for line in itertools.islice(diff, 2, None):
        if line.startswith("@@"):
            rows.append(("…", ""))
        else:
            rows.append((line[:1], line[1:]))
    return rows
