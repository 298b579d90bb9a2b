"""Rebuild a page's form cells from its ruling lines and put its chars into them.

The forms are bordered grids, so geometry is more reliable than content-stream order: ruling
positions are snapped into grid lines, the elementary boxes between grid lines are merged
wherever no ruling separates them (merged cells), and every merged region whose sides are
ruled becomes a cell. A cell cut by a page break lacks the ruling on that side; it is kept
with ``open_top``/``open_bottom`` set so the reader can join it with its other part.
Chars are assigned to cells by their centre and ordered into text lines inside each cell.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from parsers.read.pdf_page import Char, PageModel, PdfSettings, Segment


@dataclass(frozen=True)
class TextLine:
    text: str
    bbox: tuple[float, float, float, float]


@dataclass
class GridCell:
    bbox: tuple[float, float, float, float]
    open_top: bool = False
    open_bottom: bool = False
    lines: list[TextLine] = field(default_factory=list)
    col: int = 0  # 0-based index of the left edge among its table's column edges

    @property
    def text(self) -> str:
        return "".join(ln.text for ln in self.lines)


@dataclass
class PageGrid:
    cells: list[GridCell]  # sorted by (top, x0)
    free_lines: list[TextLine]  # text outside every cell (titles, page numbers)


class DisjointSets:
    """Union-find over ``0..n-1``: merged boxes into cells, touching cells into tables."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        parent = self.parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def cluster(values: list[float], tolerance: float) -> list[float]:
    """Representative positions of runs of values no further apart than ``tolerance``."""
    reps: list[float] = []
    run: list[float] = []
    for v in sorted(values):
        if run and v - run[-1] > tolerance:
            reps.append(sum(run) / len(run))
            run = []
        run.append(v)
    if run:
        reps.append(sum(run) / len(run))
    return reps


def snap(value: float, reps: list[float], tolerance: float) -> float:
    i = bisect_right(reps, value)
    best = min(reps[max(i - 1, 0):i + 1], key=lambda r: abs(r - value), default=value)
    return best if abs(best - value) <= tolerance else value


class Rulings:
    """Snapped, joined segments of one orientation, keyed by their snapped position."""

    def __init__(self, segments: list[Segment], positions: list[float], ends: list[float],
                 settings: PdfSettings):
        tol = settings.snap_tolerance
        by_pos: dict[float, list[tuple[float, float]]] = {}
        for s in segments:
            pos = snap(s.pos, positions, tol)
            by_pos.setdefault(pos, []).append((snap(s.start, ends, tol), snap(s.end, ends, tol)))
        self.spans: dict[float, list[tuple[float, float]]] = {}
        for pos, spans in by_pos.items():
            joined: list[list[float]] = []
            for a, b in sorted(spans):
                if joined and a <= joined[-1][1] + settings.join_tolerance:
                    joined[-1][1] = max(joined[-1][1], b)
                else:
                    joined.append([a, b])
            self.spans[pos] = [(a, b) for a, b in joined]
        self.coverage = settings.coverage
        self.tolerance = tol

    def covers(self, pos: float, a: float, b: float) -> bool:
        """Whether the ruling at ``pos`` runs along most of ``a..b``."""
        length = b - a
        if length <= 0:
            return True
        covered = sum(max(0.0, min(b, e) - max(a, s)) for s, e in self.spans.get(pos, ()))
        return covered >= length * self.coverage or covered >= length - self.tolerance


def build_grid(page: PageModel, settings: PdfSettings) -> PageGrid:
    tol = settings.snap_tolerance
    segs = [s for s in page.segments if s.end - s.start >= settings.min_segment]
    hs = [s for s in segs if s.horizontal]
    vs = [s for s in segs if not s.horizontal]
    # Grid lines: ruling positions plus the ends of perpendicular rulings (an open side).
    ys = cluster([s.pos for s in hs] + [p for s in vs for p in (s.start, s.end)], tol)
    xs = cluster([s.pos for s in vs] + [p for s in hs for p in (s.start, s.end)], tol)
    hrule = Rulings(hs, ys, xs, settings)
    vrule = Rulings(vs, xs, ys, settings)
    cells, box_cell = _merge_boxes(xs, ys, hrule, vrule)
    lines_in: list[list[Char]] = [[] for _ in cells]
    free: list[Char] = []
    cut = [c for c in cells if c.open_top or c.open_bottom]
    for ch in page.chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        if not (0 <= cx <= page.width and 0 <= cy <= page.height):
            continue  # drawn outside the visible page (a merged cell's text repeated past a break)
        i, j = bisect_right(xs, cx) - 1, bisect_right(ys, cy) - 1
        k = box_cell.get((i, j))
        if k is not None:
            lines_in[k].append(ch)
        elif not any(_overflows(c, cx, cy) for c in cut):
            free.append(ch)
    for cell, chars in zip(cells, lines_in):
        cell.lines = text_lines(chars, settings)
    _number_columns(cells, box_cell)
    order = sorted(range(len(cells)), key=lambda k: (cells[k].bbox[1], cells[k].bbox[0]))
    return PageGrid([cells[k] for k in order], text_lines(free, settings))


def _overflows(cell: GridCell, cx: float, cy: float) -> bool:
    """Whether a point lies in the margin beyond a cell's cut side: text a spreadsheet export
    draws there belongs to the cell's part on the other page and is clipped from view."""
    x0, top, x1, bottom = cell.bbox
    return x0 <= cx <= x1 and ((cell.open_bottom and cy > bottom) or (cell.open_top and cy < top))


def _number_columns(cells: list[GridCell], box_cell: dict[tuple[int, int], int]) -> None:
    """Set each cell's column: the rank of its left edge among the left edges of the cells of
    its table (cells joined through shared sides), so another table on the page does not
    shift the numbering."""
    sets = DisjointSets(len(cells))

    for (i, j), k in box_cell.items():
        for neighbour in ((i + 1, j), (i, j + 1)):
            other = box_cell.get(neighbour)
            if other is not None:
                sets.union(k, other)
    edges: dict[int, set[float]] = {}
    for k, cell in enumerate(cells):
        edges.setdefault(sets.find(k), set()).add(cell.bbox[0])
    ranks = {root: {x: n for n, x in enumerate(sorted(xs))} for root, xs in edges.items()}
    for k, cell in enumerate(cells):
        cell.col = ranks[sets.find(k)][cell.bbox[0]]


def _merge_boxes(xs, ys, hrule: Rulings, vrule: Rulings):
    """Union the elementary boxes not separated by a ruling; keep ruled rectangles as cells.
    Returns the cells and a map from elementary box (column, row) to cell index."""
    nx, ny = len(xs) - 1, len(ys) - 1
    sets = DisjointSets(max(nx * ny, 0))

    for j in range(ny):
        for i in range(nx):
            here = j * nx + i
            if i + 1 < nx and not vrule.covers(xs[i + 1], ys[j], ys[j + 1]):
                sets.union(here, here + 1)
            if j + 1 < ny and not hrule.covers(ys[j + 1], xs[i], xs[i + 1]):
                sets.union(here, here + nx)
    groups: dict[int, list[tuple[int, int]]] = {}
    for j in range(ny):
        for i in range(nx):
            groups.setdefault(sets.find(j * nx + i), []).append((i, j))
    cells: list[GridCell] = []
    box_cell: dict[tuple[int, int], int] = {}
    for boxes in groups.values():
        i0, i1 = min(b[0] for b in boxes), max(b[0] for b in boxes) + 1
        j0, j1 = min(b[1] for b in boxes), max(b[1] for b in boxes) + 1
        if len(boxes) != (i1 - i0) * (j1 - j0):
            continue  # not a rectangle: space between or around tables
        x0, x1, top, bottom = xs[i0], xs[i1], ys[j0], ys[j1]
        if not (vrule.covers(x0, top, bottom) and vrule.covers(x1, top, bottom)):
            continue
        open_top = not hrule.covers(top, x0, x1)
        open_bottom = not hrule.covers(bottom, x0, x1)
        # A side may only be open where the page's grid ends (a page break), not mid-page.
        if (open_top and j0 != 0) or (open_bottom and j1 != ny):
            continue
        box_cell.update({b: len(cells) for b in boxes})
        cells.append(GridCell((x0, top, x1, bottom), open_top, open_bottom))
    return cells, box_cell


def text_lines(chars: list[Char], settings: PdfSettings) -> list[TextLine]:
    """Group chars into lines top to bottom by their vertical centre, each read left to right;
    a gap wider than ``space_gap`` × size becomes one space."""
    rows: list[list[Char]] = []
    centre = 0.0
    for ch in sorted(chars, key=lambda c: c.top + c.bottom):
        mid = (ch.top + ch.bottom) / 2
        if rows and mid - centre <= settings.line_tolerance * max(ch.size, 1.0):
            rows[-1].append(ch)
        else:
            rows.append([ch])
            centre = mid
    out = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        parts: list[str] = []
        top, bottom, right = row[0].top, row[0].bottom, row[0].x1
        for ch in row:
            if parts and ch.x0 - right > settings.space_gap * max(ch.size, 1.0):
                parts.append(" ")
            parts.append(ch.text)
            if ch.x1 > right:
                right = ch.x1
            if ch.top < top:
                top = ch.top
            if ch.bottom > bottom:
                bottom = ch.bottom
        text = " ".join(t for t in "".join(parts).split(" ") if t)
        if text:
            out.append(TextLine(text, (row[0].x0, top, right, bottom)))
    return out
