"""Selection brackets in scrambled text: ``[ 十分である ]``, ``[ 10万人以上30万人未満`` with its ``]`` lines
later, ``][ 特定個人情報…``. Checklist marks (``[ ○ ]``, ``[ ]``) are not selections and are skipped.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import regex

from normalizers.text import normalize_text

from parsers.extract.checkmarks import CHECK_MARKS
from parsers.model import Line
from parsers.read.text_layout import UNKNOWN_MARK

# An opening bracket followed by a value; the value ends at ``]`` or the end of the line.
_BRACKET = regex.compile(r"[\[［]\s*([^\[\]［］]+?)\s*(?:[\]］]|$)")
_MARKS = {*CHECK_MARKS, UNKNOWN_MARK}  # a checklist box, not a chosen value


@dataclass(frozen=True)
class BracketValue:
    index: int  # line index in the layout
    value: str  # normalised text inside the bracket


def bracket_values(lines: Sequence[Line], indexes: Iterable[int]) -> list[BracketValue]:
    out = []
    for i in indexes:
        for m in _BRACKET.finditer(lines[i].text):
            value = normalize_text(m.group(1))
            if value and value not in _MARKS:
                out.append(BracketValue(i, value))
    return out


def chosen_option(lines: Sequence[Line], indexes: Iterable[int], options: Sequence[str]) -> tuple[str | None, list[int]]:
    """The one option of ``options`` that appears bracketed in the given lines.

    Returns (option, line indexes where it was seen); option is None when no option or more than one
    distinct option is bracketed (the caller must not guess)."""
    wanted = set(options)
    hits = [b for b in bracket_values(lines, indexes) if b.value in wanted]
    distinct = {b.value for b in hits}
    if len(distinct) != 1:
        return None, [b.index for b in hits]
    return distinct.pop(), [b.index for b in hits]
