"""Row geometry of the change table: the text blocks (runs of lines) a row is made of, a date
wrapped in its narrow PDF cell, and for PDF layouts the column each text cell stands in."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from normalizers.eras import find_era_dates
from normalizers.text import compact

from parsers.extract.changes.vocabulary import date_anchor, words
from parsers.model import Line, Section, new_cell
from parsers.settings import PDF

Block = list[tuple[int, str]]  # (line index, text) of a run of non-blank lines

def rejoin_wrapped_dates(lines: Sequence[Line], idx: list[int]) -> Sequence[Line]:
    """A narrow 変更日 column wraps the date inside its PDF cell (``令和3年9月1`` / ``日``): join
    the date's pieces onto the first line and blank the continuation, so the row is anchored."""
    out: list[Line] | None = None
    for i in idx[:-1]:
        cur, nxt = lines[i], lines[i + 1]
        if cur.bbox is None or nxt.bbox is None or new_cell(cur, nxt) or date_anchor(cur.text):
            continue
        joined = cur.text + nxt.text
        if any(m.precision == "day" and m.start < len(cur.text) < m.end for m in find_era_dates(joined)) \
                and date_anchor(joined):
            out = out if out is not None else list(lines)
            out[i] = replace(cur, text=joined)
            out[i + 1] = replace(nxt, text="")
    return lines if out is None else out


def text_blocks(lines: Sequence[Line], first: tuple[int, str] | None, body: list[int]) -> list[Block]:
    """Blocks of (line index, text): runs of non-blank lines. ``first`` is the date line's rest."""
    blocks: list[Block] = []
    cur: Block = []
    if first and first[1].strip():
        cur.append(first)
    prev = first[0] if first else None
    for i in body:
        if prev is not None and cur and (i != prev + 1 or new_cell(lines[prev], lines[i])):
            blocks.append(cur)  # furniture skipped, or the PDF geometry starts another cell
            cur = []
        prev = i
        t = lines[i].text
        if t and not t.strip("　"):
            continue  # a line of ideographic spaces is an empty line inside a cell, not a gap
        if not t.strip():
            if cur:
                blocks.append(cur)
                cur = []
            continue
        cur.append((i, t))
    if cur:
        blocks.append(cur)
    return blocks


@dataclass(frozen=True)
class Geometry:
    """Where the column headers of the table stand (PDF points): header text is centred in its
    cell, left-aligned body text starts at its cell's left edge."""

    item_x1: float | None  # right end of 「項目」
    before_x1: float  # right end of 「変更前の記載」
    after_x1: float  # right end of 「変更後の記載」


def header_geometry(lines: Sequence[Line], section: Section, reach: int = 400) -> Geometry | None:
    """The column positions from the first header row with boxes, if the layout has geometry."""
    names = {v: k for k, v in words()["columns"].items()}  # 変更前の記載 -> before …
    found: dict[str, tuple[float, float, float, float]] = {}
    for i in range(max(0, section.start - 5), min(section.end, section.start + reach)):
        ln = lines[i]
        column = names.get(compact(ln.text)) if ln.bbox is not None else None
        if column and column not in found:
            found[column] = ln.bbox
        if "before" in found and "after" in found:
            break
    if "before" not in found or "after" not in found:
        return None
    item = found.get("item")
    return Geometry(item[2] if item else None, found["before"][2], found["after"][2])


def column_of(x0: float, geom: Geometry, tol: float = PDF.row_tolerance) -> str | None:
    """``before`` / ``after`` for a text cell starting at ``x0``, else None."""
    if geom.item_x1 is not None and geom.item_x1 + tol < x0 < geom.before_x1 - tol:
        return "before"
    if geom.before_x1 + tol < x0 < geom.after_x1 - tol:
        return "after"
    return None
