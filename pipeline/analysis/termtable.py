"""Terminal layout for Japanese text: a full-width character takes two columns, so alignment and
wrapping count display columns, not characters."""
from __future__ import annotations

import unicodedata
from typing import Sequence

ELLIPSIS = "…"


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(s: str) -> int:
    return sum(char_width(c) for c in s)


def pad(s: str, cols: int) -> str:
    return s + " " * max(0, cols - width(s))


def truncate(s: str, cols: int) -> str:
    """``s`` cut to ``cols`` display columns, marked with an ellipsis when cut."""
    if width(s) <= cols:
        return s
    out, used = [], 0
    for ch in s:
        w = char_width(ch)
        if used + w > cols - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def wrap(s: str, cols: int) -> list[str]:
    """Hard-wrap at ``cols`` display columns (Japanese has no spaces to break at); keeps newlines."""
    lines: list[str] = []
    for para in s.split("\n"):
        cur, used = [], 0
        for ch in para:
            w = char_width(ch)
            if used + w > cols and cur:
                lines.append("".join(cur))
                cur, used = [], 0
            cur.append(ch)
            used += w
        lines.append("".join(cur))
    return lines


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_col: int = 40) -> str:
    """Column-aligned text table; each cell is truncated to ``max_col`` display columns."""
    cells = [[truncate(c.replace("\n", " "), max_col) for c in r] for r in [headers, *rows]]
    widths = [max(width(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "  ".join(pad(c, w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def side_by_side(left: str, right: str, cols: int, gutter: str = " │ ") -> list[str]:
    """Two texts wrapped into two columns of ``cols`` display columns each."""
    a, b = wrap(left, cols), wrap(right, cols)
    n = max(len(a), len(b))
    a += [""] * (n - len(a))
    b += [""] * (n - len(b))
    return [(pad(x, cols) + gutter + y).rstrip() for x, y in zip(a, b)]
