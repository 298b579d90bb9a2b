"""Checklist boxes in scrambled text: which option follows which box, and what the box holds.

A PDF text layer often cuts a box in two: ``[ ○ ] 紙 [ ○`` on one line and ``] フラッシュメモリ`` on
another. Only the close fragment sits next to its option, so its state depends on the open fragment
printed elsewhere: a close fragment without a mark (``] X``) is empty only when no mark printed away
from its option (``[ ○`` at the end of a line, a lone ``○``) is within ``ExtractSettings.loose_reach`` lines — the
text layer emits a row's fragments close together (at most 26 lines apart on the seeds); otherwise
its state is unknown.
``○ ] X`` is checked wherever its open fragment went. Markdown conversions print ``[ □ ]`` for a
box whose state may have been lost; the caller decides (see ``choices``).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Iterable, Sequence

import regex

from normalizers.text import compact, join_wrapped, normalize_text, nfkc

from parsers.model import Line, cell_runs
from parsers.read.text_layout import UNKNOWN_MARK
from parsers.settings import EXTRACT

CHECKED, EMPTY, LOST, SPLIT = "checked", "empty", "lost", "split"  # raw box states

CHECK_MARKS = "○〇◯✓✔"  # what a filled box holds, for every extractor
_CLOSE = regex.compile(r"[\]］]")
_BEFORE_CLOSE = regex.compile(rf"(?:([\[［])\s*([{CHECK_MARKS}{UNKNOWN_MARK}]?)|([{CHECK_MARKS}]))\s*$")
_PLACED_MARK = regex.compile(rf"[{CHECK_MARKS}]\s*[\]］]")  # ``[ ○ ]`` or ``○ ]``: next to its option
_LOOSE_MARK = regex.compile(rf"[{CHECK_MARKS}](?=\s|$|[\[\]［］])")  # a box mark away from its option
_FLAG = regex.compile(r"([^\[\]［］\s()（）]{1,12}しない)\s*(\((?:入手|提供|移転)\))?")  # Ⅲ heading flags
_PAREN_OPEN, _PAREN_CLOSE = "(", ")"


@dataclass(frozen=True)
class Box:
    index: int  # line index
    option: str  # the option as printed (normalised); a flag's text for heading flags
    state: str  # CHECKED, EMPTY, LOST (markdown □) or SPLIT (close fragment without a mark)
    detail: str | None  # text of a （ ） right after the option, None when empty or unreadable
    flag: bool = False  # a ``…しない`` flag of a heading rather than an option of a list


def boxes(lines: Sequence[Line], indexes: Iterable[int], options: Iterable[str],
          stop: frozenset[int] = frozenset()) -> list[Box]:
    """Every box in the given lines that is followed by one of ``options`` or by a heading flag;
    a wrapped （ ） detail does not run into a ``stop`` line (a label)."""
    keys = sorted({compact(o) for o in options}, key=len, reverse=True)
    wanted = set(indexes)
    out = []
    for run in cell_runs(lines, sorted(wanted)):
        texts = [nfkc(lines[j].text) for j in run]
        text = "".join(texts)  # Japanese wraps mid-word: a PDF cell's lines join with nothing
        ends = list(accumulate(len(t) for t in texts))
        for m in _CLOSE.finditer(text):
            found = _option_after(text[m.end():], keys)
            if not found:
                continue
            i = run[bisect_right(ends, m.start())]
            option, rest, flag = found
            before = _BEFORE_CLOSE.search(text[:m.start()])
            if before and before.group(1):
                mark = before.group(2)
                state = LOST if mark == UNKNOWN_MARK else CHECKED if mark else EMPTY
            elif before:
                state = CHECKED
            else:
                state = SPLIT
            last = run[bisect_right(ends, m.end() + len(text[m.end():]) - len(rest) - 1)] if rest else run[-1]
            out.append(Box(i, option, state, _detail(lines, last, rest, wanted - stop), flag))
    return out


def loose_marks(lines: Sequence[Line]) -> list[int]:
    """Lines with a box mark printed away from its ``]`` (``[ ○`` at a line end, a lone ``○``):
    a close fragment ``] X`` near one may be checked. A bullet ``○・…`` is prose."""
    return [i for i, ln in enumerate(lines) if _LOOSE_MARK.search(_PLACED_MARK.sub("", nfkc(ln.text)))]


def split_state(index: int, loose: Sequence[int]) -> str | None:
    """The state of a close fragment ``] X`` at ``index``: empty, or None (unknown) near a loose mark."""
    return None if any(abs(index - i) <= EXTRACT.loose_reach for i in loose) else EMPTY


def _option_after(text: str, keys: list[str]) -> tuple[str, str, bool] | None:
    """(option key, text after it, is_flag) when ``text`` starts with an option or a heading flag."""
    stripped = text.lstrip()
    flat = compact(stripped)
    for key in keys:
        if flat.startswith(key):
            rest = _skip_compact(stripped, len(key))
            if not rest or rest[0] in " \t[]［］" + _PAREN_OPEN:
                return key, rest, False
    m = _FLAG.match(stripped)
    if m and (m.end() == len(stripped) or stripped[m.end()] in " \t[]［］"):
        return compact(m.group(0)), stripped[m.end():], True
    return None


def _skip_compact(text: str, n: int) -> str:
    """``text`` after its first ``n`` non-space characters."""
    seen = 0
    for pos, ch in enumerate(text):
        if seen == n:
            return text[pos:]
        if not ch.isspace():
            seen += 1
    return ""


def _detail(lines: Sequence[Line], i: int, rest: str, wanted: set[int]) -> str | None:
    """The text of a （ ） following the option, across a few wrapped lines when it is not closed."""
    rest = rest.lstrip()
    if not rest.startswith(_PAREN_OPEN):
        return None
    inner = rest[1:]
    if _PAREN_CLOSE in inner:
        return normalize_text(inner[:inner.index(_PAREN_CLOSE)]) or None
    parts = [inner]
    for j in range(i + 1, min(i + 1 + 2 * EXTRACT.detail_lines, len(lines))):
        if j not in wanted:
            return None
        text = nfkc(lines[j].text)
        if regex.search(r"[\[\]［］]", text):
            return None
        if _PAREN_CLOSE in text:
            parts.append(text[:text.index(_PAREN_CLOSE)])
            return join_wrapped(parts) or None
        parts.append(text)
    return None
