"""How hard an article's body is to read: a reading grade, for the editor's form.

The grade is Flesch-Kincaid's (textstat), read from the rendered HTML with each block
(paragraph, heading, list item, table cell) taken as a sentence of its own. The tests
that keep the seed articles at grade 8 or below measure the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import textstat

# What patient-facing text aims for (the developers' brief: grade 8 or below).
TARGET_GRADE = 8

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "blockquote", "td", "th"}
# A heading, list item or table cell is read as a sentence of its own, but it rarely ends
# with a full stop. Without one, textstat would join it to the next block and count one
# very long sentence, so a period is added where such a block has no end punctuation.
NEEDS_FULL_STOP = {"li", "h1", "h2", "h3", "h4", "td", "th"}
END_PUNCTUATION = re.compile(r"[.!?][\"')\]]*$")


class _BlockText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.open_blocks: list[str] = []
        self.current: list[str] = []

    def _flush(self, tag: str | None) -> None:
        text = " ".join("".join(self.current).split())
        self.current = []
        if not text:
            return
        if tag in NEEDS_FULL_STOP and not END_PUNCTUATION.search(text):
            text += "."
        self.blocks.append(text)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in BLOCKS:
            # Text before a nested block (a list item holding a list) ends there.
            self._flush(self.open_blocks[-1] if self.open_blocks else None)
            self.open_blocks.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._flush(tag)
            if self.open_blocks:
                self.open_blocks.pop()

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def readable_text(body_html: str) -> str:
    """An article body as plain sentences for a readability formula: tags stripped, each
    block element its own sentence (see NEEDS_FULL_STOP)."""
    parser = _BlockText()
    parser.feed(body_html)
    parser.close()
    parser._flush(None)
    return " ".join(parser.blocks)


@dataclass(frozen=True)
class Grade:
    """A body's reading grade, or None when it has no words to measure."""

    value: float | None

    @property
    def within_target(self) -> bool:
        return self.value is not None and self.value <= TARGET_GRADE


def reading_grade(body_html: str) -> Grade:
    """The Flesch-Kincaid grade of a rendered body (``Grade(None)`` for no words)."""
    text = readable_text(body_html)
    if not text.strip():
        return Grade(None)
    return Grade(round(textstat.flesch_kincaid_grade(text), 1))
