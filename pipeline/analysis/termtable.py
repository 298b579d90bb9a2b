"""Terminal text: control characters made visible, tables and wrapping by rich, two texts side by side.

A value read from a document may hold ESC or OSC sequences (a hostile or broken source); printed as
is they would restyle the terminal, retitle it or hide text, so every terminal output goes through
``printable``. Japanese takes two display columns a character, so layout counts columns, not
characters (rich does this for tables; ``wrap`` for the diff's two columns).
"""
from __future__ import annotations

from typing import Sequence

import regex
from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table
from rich.text import Text

# C0/C1 controls and the bidirectional overrides that reorder what a reader sees.
_CONTROL = regex.compile(r"[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LAYOUT = Console(width=1 << 20, force_terminal=False, no_color=True, highlight=False, markup=False, emoji=False)


def printable(s: str, newlines: bool = True) -> str:
    """``s`` with control characters shown as ``\\x1b``-style escapes; newlines and tabs kept when
    ``newlines`` (else shown as a space, for one-line cells)."""
    def esc(m: regex.Match) -> str:
        c = m.group()
        if c in "\n\t":
            return c if newlines else " "
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
    return _CONTROL.sub(esc, s)


def width(s: str) -> int:
    """Display columns (two for a full-width character)."""
    return cell_len(s)


def truncate(s: str, cols: int) -> str:
    """``s`` cut to ``cols`` display columns, marked with an ellipsis when cut."""
    text = Text(s)
    text.truncate(cols, overflow="ellipsis")
    return text.plain


def wrap(s: str, cols: int) -> list[str]:
    """Wrapped at ``cols`` display columns: at spaces, and anywhere in Japanese (which has none);
    keeps newlines."""
    return [line.plain.rstrip() for line in Text(s).wrap(_LAYOUT, cols, overflow="fold")] or [""]


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_col: int = 40) -> str:
    """Column-aligned plain-text table (rich); cells cut to ``max_col`` display columns, 0 = no limit.
    Cells are rich ``Text``, so brackets in values are never read as rich markup."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style=None)
    for h in headers:
        table.add_column(printable(h, newlines=False), no_wrap=True, overflow="ellipsis", max_width=max_col or None)
    for r in rows:
        table.add_row(*(Text(printable(c, newlines=False)) for c in r))
    with _LAYOUT.capture() as captured:
        _LAYOUT.print(table)
    return "\n".join(line.rstrip() for line in captured.get().splitlines())


def side_by_side(left: str, right: str, cols: int, gutter: str = " │ ") -> list[str]:
    """Two texts wrapped into two columns of ``cols`` display columns each (control characters escaped)."""
    a, b = wrap(printable(left), cols), wrap(printable(right), cols)
    n = max(len(a), len(b))
    a += [""] * (n - len(a))
    b += [""] * (n - len(b))
    return [(set_cell_size(x, cols) + gutter + y).rstrip() for x, y in zip(a, b)]
