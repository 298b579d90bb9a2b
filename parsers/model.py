"""The document model shared by every stage.

Stages hand these objects to each other:

    reader  -> Source    (bytes, detected format, decoded text)
    layout  -> Layout    (numbered lines with page/box provenance)
    sections-> Sections  (Ⅰ…Ⅵ, 別添N, cover, as line ranges)
    extract -> Extraction (rows for every corpus table, plus warnings; ``parsers.extract.registry``)

A PDF reader produces the same ``Layout`` as the text reader (lines carry a page and a box),
so every extractor works on both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Sequence

import regex

from parsers.extract.contract import ExtractWarning
from parsers.read.pdf_page import DEFAULT_SETTINGS as PDF

SourceFormat = Literal["pdf", "text", "markdown"]
Status = Literal["ok", "partial", "failed"]


class InputError(Exception):
    """A source that cannot be ingested; the message is the one-line reason shown to the user."""


@dataclass(frozen=True)
class Source:
    path: str
    data: bytes
    sha256: str
    format: SourceFormat
    text: str | None = None  # decoded text for text/markdown sources
    encoding: str | None = None
    warnings: tuple[str, ...] = ()  # what reading the bytes had to repair (e.g. bad UTF-8 bytes replaced)

    @property
    def doc_id(self) -> str:
        return self.sha256[:16]


@dataclass(frozen=True)
class Line:
    """One line of text. ``no`` is 1-based; for text sources it is the line number in the file."""

    no: int
    text: str
    page: int | None = None  # 1-based, PDF only
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom (PDF points)
    cell: tuple[int, int] | None = None  # PDF: (row, col) of the form cell holding the line


@dataclass(frozen=True)
class Cell:
    """A form cell rebuilt from a PDF's ruling lines; ``lines`` index into ``Layout.lines``."""

    page: int
    bbox: tuple[float, float, float, float]
    row: int
    col: int
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Layout:
    """Lines in reading order. A PDF layout emits its lines cell by cell, row-major (label cell,
    then its value cells), and lists the cells; a text layout has no cells."""

    source: Source
    lines: tuple[Line, ...]
    page_count: int | None = None
    cells: tuple[Cell, ...] = ()
    warnings: tuple[ExtractWarning, ...] = ()  # what the reader could not read the fast or full way


@dataclass(frozen=True)
class Section:
    """A top-level part of the report: ``key`` is ``cover``, ``Ⅰ``…``Ⅵ`` or ``別添1``…``別添3``."""

    key: str
    title: str
    start: int  # index into Layout.lines of the heading line (inclusive)
    end: int  # index into Layout.lines (exclusive)


@dataclass
class Extraction:
    """Everything one document yields: table name -> rows (dicts keyed by column), and warnings
    (``documents.warnings`` holds their text)."""

    document: dict
    tables: dict[str, list[dict]] = field(default_factory=dict)
    warnings: list[ExtractWarning] = field(default_factory=list)

    def add(self, table: str, row: dict) -> None:
        self.tables.setdefault(table, []).append(row)


def new_cell(prev: Line, line: Line, tol: float = PDF.row_tolerance) -> bool:
    """Does ``line`` open another cell than ``prev``? In a converted table row every cell (or <br>
    part of a cell) is its own line with the row's line number. With PDF geometry, lines of one cell go down
    the page at the same left edge; the next cell of a row starts back at the row's top, or at
    the same top further right; a cell on another page is another cell. Lines that know their
    PDF cell (``Line.cell``) settle it by that."""
    if prev.cell is not None or line.cell is not None:  # a free line (a title) is no cell's
        return prev.cell != line.cell
    if prev.bbox is None and line.bbox is None:
        # a converted (markdown/HTML) table row: its cells are lines of one source line
        return prev.no == line.no
    if prev.bbox is None or line.bbox is None:
        return False
    if prev.page != line.page:
        return True
    px0, ptop, px1, _ = prev.bbox
    x0, top, _, _ = line.bbox
    if top < ptop - tol:
        return True  # back up: the next cell of the row (or a new row)
    if abs(top - ptop) <= tol:
        return x0 >= px1 - tol  # same line height, to the right: a neighbouring cell
    return abs(x0 - px0) > PDF.wrap_indent  # further down but not under the previous line


def same_row(a: Line, b: Line, tol: float = PDF.row_tolerance) -> bool:
    """Are two lines printed on one table row? A flattened markdown row keeps its source line number
    on every cell; PDF cells of one row start their first lines at the same top."""
    if a.bbox is None or b.bbox is None:
        return a.no == b.no
    return a.page == b.page and abs(a.bbox[1] - b.bbox[1]) <= tol


def wraps_on(prev: Line, line: Line) -> bool:
    """Does ``line`` continue ``prev``'s PDF cell (the next wrapped line of the same text)?"""
    return prev.bbox is not None and line.bbox is not None and not new_cell(prev, line)


def cell_start(lines: Sequence[Line], i: int) -> int:
    """Index of the first line of the PDF cell holding line ``i`` (``i`` itself for text)."""
    while i > 0 and wraps_on(lines[i - 1], lines[i]):
        i -= 1
    return i


def cell_runs(lines: Sequence[Line], indexes: list[int]) -> list[list[int]]:
    """``indexes`` (sorted) grouped into runs of consecutive lines that wrap on in one PDF cell (a
    value cut by the wrap reads whole from the run's texts joined); text lines stay alone."""
    runs: list[list[int]] = []
    for i in indexes:
        if runs and runs[-1][-1] == i - 1 and wraps_on(lines[i - 1], lines[i]):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def source_ref(lines: list[Line] | tuple[Line, ...]) -> str | None:
    """``L12-L15`` for text, ``p3:x0,top,x1,bottom`` (union box, one page) or ``p3-p4`` for PDF."""
    if not lines:
        return None
    pages = sorted({ln.page for ln in lines if ln.page is not None})
    if not pages:
        lo, hi = min(ln.no for ln in lines), max(ln.no for ln in lines)
        return f"L{lo}" if lo == hi else f"L{lo}-L{hi}"
    if len(pages) > 1:
        return f"p{pages[0]}-p{pages[-1]}"
    boxes = [ln.bbox for ln in lines if ln.bbox]
    if not boxes:
        return f"p{pages[0]}"
    x0 = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    bottom = max(b[3] for b in boxes)
    return f"p{pages[0]}:{x0:.0f},{top:.0f},{x1:.0f},{bottom:.0f}"


_REF = regex.compile(r"^(?:L(\d+)(?:-L(\d+))?|p(\d+)(?:-p(\d+))?(?::([^,]+),([^,]+),([^,]+),([^,]+))?)$")


@dataclass(frozen=True)
class Ref:
    """A ``source_ref`` read back: lines ``first``–``last`` of a text, or pages with the box on the first."""
    first: int  # first line, or first page
    last: int
    page: bool  # True: first/last are pages
    box: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom

    def __str__(self) -> str:
        if not self.page:
            return f"L{self.first}" if self.first == self.last else f"L{self.first}-L{self.last}"
        if self.box:
            return f"p{self.first}:" + ",".join(f"{v:.0f}" for v in self.box)
        return f"p{self.first}" if self.first == self.last else f"p{self.first}-p{self.last}"


def parse_ref(ref: str | None) -> Ref | None:
    """The inverse of ``source_ref``; None for anything else. A box whose numbers do not read places
    by its page alone."""
    m = _REF.match(ref or "")
    if not m:
        return None
    if m.group(1):
        return Ref(int(m.group(1)), int(m.group(2) or m.group(1)), False)
    try:
        box = tuple(float(m.group(i)) for i in range(5, 9)) if m.group(5) else None
    except ValueError:
        box = None
    return Ref(int(m.group(3)), int(m.group(4) or m.group(3)), True, box)
