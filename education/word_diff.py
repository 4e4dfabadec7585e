"""A word-by-word diff of two texts, for an article's history in the admin.

Pure Python: the templates turn the pieces into ``<ins>`` and ``<del>``, escaping the text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

# Words, marks and the space between them: the pieces put back together give the text, and
# a full stop after a changed word is not counted as part of it.
TOKENS = re.compile(r"\s+|\w+(?:['\u2019]\w+)*|[^\w\s]")
# Unchanged words shown on each side of a change; longer unchanged stretches are cut.
CONTEXT_WORDS = 12

Kind = Literal["same", "inserted", "deleted", "gap"]


@dataclass(frozen=True)
class Piece:
    kind: Kind
    text: str


def word_diff(old: object, new: object, *, context: int = CONTEXT_WORDS) -> list[Piece]:
    """What changed from ``old`` to ``new``, word by word.

    Unchanged text is kept ``context`` words either side of a change; what lies beyond is
    one "gap" piece. A change only in the space between words (a new line break, say) is
    shown as unchanged text with the new spacing. Texts whose words are the same give no
    pieces.
    """
    old_tokens = TOKENS.findall("" if old is None else str(old))
    new_tokens = TOKENS.findall("" if new is None else str(new))
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    pieces: list[Piece] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        # One change, told as the words taken out, then the words put in.
        old_text, new_text = "".join(removed), "".join(added)
        if old_text.strip():
            pieces.append(Piece("deleted", old_text))
        if new_text.strip():
            pieces.append(Piece("inserted", new_text))
        if not old_text.strip() and not new_text.strip() and new_text:
            pieces.append(Piece("same", new_text))  # only the spacing changed
        removed.clear()
        added.clear()

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        new_text = "".join(new_tokens[j1:j2])
        # The space between two changed words belongs to the change, so that a changed
        # phrase reads as one, not as word after word.
        if tag == "equal" and (new_text.strip() or not (removed or added)):
            flush()
            pieces.append(Piece("same", new_text))
        else:
            removed.append("".join(old_tokens[i1:i2]))
            added.append(new_text)
    flush()
    pieces = _merged(pieces)
    if all(piece.kind == "same" for piece in pieces):
        return []
    cut: list[Piece] = []
    for index, piece in enumerate(pieces):
        if piece.kind != "same":
            cut.append(piece)
            continue
        first, last = index == 0, index == len(pieces) - 1
        cut.extend(_unchanged(TOKENS.findall(piece.text), context, first=first, last=last))
    return cut


def _unchanged(tokens: list[str], context: int, *, first: bool, last: bool) -> list[Piece]:
    """An unchanged stretch, cut to ``context`` words next to each change it touches."""
    words = [i for i, token in enumerate(tokens) if token.strip()]
    keep_start = 0 if first else context  # words kept after the change before it
    keep_end = 0 if last else context  # words kept before the change after it
    if len(words) <= keep_start + keep_end:
        return [Piece("same", "".join(tokens))]
    pieces = []
    if keep_start:
        pieces.append(Piece("same", "".join(tokens[: words[keep_start - 1] + 1])))
    pieces.append(Piece("gap", "…"))
    if keep_end:
        # From the space before the first word kept.
        pieces.append(Piece("same", "".join(tokens[max(words[-keep_end] - 1, 0) :])))
    return pieces


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring pieces of the same kind as one."""
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].kind == piece.kind:
            merged[-1] = Piece(piece.kind, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged
