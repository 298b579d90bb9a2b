"""Read a PDF report into a ``Layout`` by page geometry.

Pages are read one at a time (flat memory), each turned into grid cells by ``pdf_grid``. Across
pages the reader drops header rows a table repeats on every page and joins the two parts of a
cell cut by a page break, so a cell's text stays together. Lines are emitted cell by cell in
row-major order (label cell, then its value cells); text outside every cell (page titles) is
emitted where it stands on the page.

``Cell.row`` is a 0-based running number of the document's rows (cells sharing a top edge on a
page); ``Cell.col`` is the 0-based rank of the cell's left edge within its table. The parts of
a cell cut by a page break are separate ``Cell``s with the same ``row`` and ``col``, and their
lines follow each other.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from parsers.extract.contract import ExtractWarning
from parsers.model import Cell, InputError, Layout, Line, Source
from parsers.read.pdf_backends import iter_pages
from parsers.read.pdf_furniture import EdgeLine, furniture, in_furniture
from parsers.read.pdf_grid import GridCell, PageGrid, TextLine, build_grid, text_lines
from parsers.read.pdf_page import DEFAULT_SETTINGS, PageModel, PdfSettings

Box = tuple[float, float, float, float]


@dataclass
class _Part:
    page: int
    bbox: Box
    lines: list[TextLine]
    cut: tuple[bool, bool] = (False, False)  # open at the top, at the bottom (a page break)


@dataclass
class _Item:
    """A logical cell (one or more parts across pages) or a free text line, placed by its start."""

    page: int
    top: float
    x0: float
    col: int | None  # None for a free line
    parts: list[_Part] = field(default_factory=list)
    edge: bool = False  # a free line with no cell above or none below it (page furniture?)


def read_pdf_layout(source: Source, backend: str = "pdfium",
                    settings: PdfSettings = DEFAULT_SETTINGS) -> Layout:
    items: list[_Item] = []
    running_head: tuple = ()  # first row of the table that ends the previous page
    open_cells: list[tuple[GridCell, _Item]] = []  # last band of the previous page
    page_count = 0
    has_text = False
    fallbacks: list[int] = []
    heavy: list[int] = []  # pages over the drawing budget, read as plain lines
    for page in iter_pages(source.data, backend, settings):
        page_count = page.number
        if page.fallback:
            fallbacks.append(page.number)
        _check_unicode(page, settings)
        has_text = has_text or any(not ch.text.isspace() for ch in page.chars)
        if page.over_budget or len(page.chars) > settings.max_chars:
            heavy.append(page.number)
            grid = PageGrid([], text_lines(page.chars, settings))
        else:
            grid = build_grid(page, settings)
        cells = _drop_repeated_header(grid.cells, running_head, settings)
        running_head = (_table_heads(grid.cells, settings) or [running_head])[-1]
        open_cells = _place_page(page.number, grid, cells, open_cells, items, settings)
    if page_count == 0:
        raise InputError("corrupt PDF: no pages")
    if not has_text:
        raise InputError("no text layer")
    layout = _layout(source, _without_furniture(items, page_count, settings), page_count, settings)
    return replace(layout, warnings=_warnings(fallbacks, heavy, page_count, settings))


def _warnings(fallbacks: list[int], heavy: list[int], page_count: int,
              settings: PdfSettings) -> tuple[ExtractWarning, ...]:
    out = []
    if fallbacks:
        out.append(ExtractWarning(
            "pdf_fallback", f"{len(fallbacks)} of {page_count} pages read with pdfplumber, where "
            f"pdfium lost text (pages {', '.join(map(str, fallbacks))})", stage="pdf"))
    if heavy:
        out.append(ExtractWarning(
            "pdf_over_budget", f"pages {', '.join(map(str, heavy))} draw more than "
            f"{settings.max_segments} path segments or {settings.max_chars} chars; read as plain "
            "lines, without cells", stage="pdf"))
    return tuple(out)


def _check_unicode(page: PageModel, settings: PdfSettings) -> None:
    total = page.unmapped + len(page.chars)
    if page.unmapped >= settings.min_unmapped and page.unmapped > settings.unmapped_share * total:
        raise InputError("no ToUnicode map: text not extractable")


def _near(a: float, b: float, settings: PdfSettings) -> bool:
    return abs(a - b) <= settings.snap_tolerance


def _bands(cells: list[GridCell], settings: PdfSettings) -> list[list[GridCell]]:
    """Cells grouped by equal top, in page order (cells arrive sorted by top, x0)."""
    bands: list[list[GridCell]] = []
    for c in cells:
        if bands and _near(bands[-1][0].bbox[1], c.bbox[1], settings):
            bands[-1].append(c)
        else:
            bands.append([c])
    return bands


def _signature(band: list[GridCell]) -> tuple:
    return tuple((c.bbox[0], c.bbox[2], c.text) for c in band)


def _same_row(a: tuple, b: tuple, settings: PdfSettings) -> bool:
    """Same texts over the same columns (edges may snap differently on another page)."""
    return len(a) == len(b) and all(
        ta == tb and abs(xa0 - xb0) <= 2 * settings.snap_tolerance
        and abs(xa1 - xb1) <= 2 * settings.snap_tolerance
        for (xa0, xa1, ta), (xb0, xb1, tb) in zip(a, b))


def _table_heads(cells: list[GridCell], settings: PdfSettings) -> list[tuple]:
    """For every table starting on the page (a band no cell ends above), the signature of its
    first row if that row could be a column-title row (two or more cells of a few short lines
    each), else ``()``."""
    heads = []
    for band in _bands(cells, settings):
        top = band[0].bbox[1]
        if not any(_near(c.bbox[3], top, settings) for c in cells):
            title_row = len(band) > 1 and all(1 <= len(c.lines) <= settings.header_max_lines
                                              for c in band)
            heads.append(_signature(band) if title_row else ())
    return heads


def _drop_repeated_header(cells: list[GridCell], head: tuple,
                          settings: PdfSettings) -> list[GridCell]:
    """Drop a page's first row when it repeats the title row of the table it continues."""
    bands = _bands(cells, settings)
    if bands and head and _same_row(_signature(bands[0]), head, settings):
        return cells[len(bands[0]):]
    return cells


def _place_page(number: int, grid: PageGrid, cells: list[GridCell],
                open_cells: list[tuple[GridCell, _Item]], items: list[_Item],
                settings: PdfSettings) -> list[tuple[GridCell, _Item]]:
    """Add the page's cells and free lines to ``items``; return its last band for the next page."""
    first_top = cells[0].bbox[1] if cells else None
    placed: list[tuple[GridCell, _Item]] = []
    for cell in cells:
        item = None
        if _near(cell.bbox[1], first_top, settings):
            item = _continued(cell, open_cells, settings)
        if item is None:
            item = _Item(number, cell.bbox[1], cell.bbox[0], cell.col)
            items.append(item)
        item.parts.append(_Part(number, cell.bbox, cell.lines, (cell.open_top, cell.open_bottom)))
        placed.append((cell, item))
    last_bottom = max((c.bbox[3] for c in cells), default=0.0)
    # the margins: beyond the closed rows (a cut cell may run into them, even off the page)
    head = min((c.bbox[1] for c in cells if not c.open_top), default=first_top)
    foot = max((c.bbox[3] for c in cells if not c.open_bottom), default=last_bottom)
    for line in grid.free_lines:
        edge = not cells or line.bbox[3] <= head + settings.snap_tolerance \
            or line.bbox[1] >= foot - settings.snap_tolerance
        items.append(_Item(number, line.bbox[1], line.bbox[0], None,
                           [_Part(number, line.bbox, [line])], edge))
    if not cells:
        return []
    return [(c, it) for c, it in placed if _near(c.bbox[3], last_bottom, settings)]


def _continued(cell: GridCell, open_cells: list[tuple[GridCell, _Item]],
               settings: PdfSettings) -> _Item | None:
    """The logical cell this one continues: same columns as a cell ending the previous page
    without its bottom ruling (cut by the break). A page's first row without a top ruling is
    no continuation by itself: a browser draws a collapsed border once, above the break."""
    for prev, item in open_cells:
        if (_near(prev.bbox[0], cell.bbox[0], settings)
                and _near(prev.bbox[2], cell.bbox[2], settings)
                and prev.open_bottom):
            return item
    return None


def _without_furniture(items: list[_Item], page_count: int, settings: PdfSettings) -> list[_Item]:
    """Drop page numbers and running headers/footers (see ``pdf_furniture``), also where a cell
    cut by a page break runs into the margin and holds them as its line next to the cut."""
    edges = {id(it): EdgeLine(it.page, it.top, it.parts[0].lines[0].text) for it in items if it.edge}
    drop = furniture(list(edges.values()), page_count, settings)
    for item in items:
        for part in item.parts if item.col is not None else ():
            for index, is_cut in ((0, part.cut[0]), (-1, part.cut[1])):
                line = part.lines[index] if is_cut and part.lines else None
                if line and in_furniture(EdgeLine(part.page, line.bbox[1], line.text), drop,
                                         page_count, settings):
                    part.lines = [ln for ln in part.lines if ln is not line]
    return [it for it in items if edges.get(id(it)) not in drop]


def _rounded(box: Box) -> Box:
    x0, top, x1, bottom = box
    return round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)


def _layout(source: Source, items: list[_Item], page_count: int, settings: PdfSettings) -> Layout:
    items.sort(key=lambda it: (it.page, it.top, it.x0))
    lines: list[Line] = []
    cells: list[Cell] = []
    row = -1
    row_at: tuple[int, float] | None = None
    for item in items:
        if item.col is None:
            for ln in item.parts[0].lines:
                lines.append(Line(len(lines) + 1, ln.text, item.page, _rounded(ln.bbox)))
            continue
        if row_at is None or row_at[0] != item.page or not _near(row_at[1], item.top, settings):
            row += 1
            row_at = (item.page, item.top)
        for part in item.parts:
            start = len(lines)
            for ln in part.lines:
                lines.append(Line(len(lines) + 1, ln.text, part.page, _rounded(ln.bbox)))
            cells.append(Cell(part.page, _rounded(part.bbox), row, item.col,
                              tuple(range(start, len(lines)))))
    return Layout(source, tuple(lines), page_count, tuple(cells))
