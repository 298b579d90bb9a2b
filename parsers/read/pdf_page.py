"""The page model every PDF backend produces, and the tunables of the geometry code.

Backends differ in speed and in how they see a page, so each one reduces a page to the same
small model (chars with boxes, horizontal and vertical ruling segments, in the displayed frame
with ``top`` growing downwards) and the grid code never knows which backend ran.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfSettings:
    """Tolerances in PDF points unless marked as a fraction of the font size."""

    snap_tolerance: float = 2.0  # ruling positions closer than this are one line
    join_tolerance: float = 2.0  # collinear segments with a gap up to this are one segment
    min_segment: float = 2.0  # shorter segments (a thin rectangle's ends) are ignored
    thin_fill: float = 2.0  # a filled, unstroked rectangle thinner than this is a drawn line
    coverage: float = 0.9  # share of a cell side a ruling must cover to count as a border
    line_tolerance: float = 0.5  # chars whose centres differ less (× size) share a text line
    space_gap: float = 0.2  # a gap wider than this (× size) between chars reads as a space
    header_max_lines: int = 2  # a repeated column-title row has cells of at most this many lines
    unmapped_share: float = 0.5  # share of unmappable chars on a page that means no ToUnicode
    min_unmapped: int = 5  # ...counted only on pages with at least this many chars
    max_segments: int = 10_000  # a page drawing more path segments is read without cells
    max_chars: int = 20_000  # ...and so is a page with more chars (both keep a page to seconds)
    running_share: float = 0.5  # a margin line repeated on this share of pages is a running head
    running_tolerance: float = 6.0  # ...when its copies stand at heights this close
    row_tolerance: float = 2.0  # extracted lines: tops (and edges) closer than this are one row (column)
    wrap_indent: float = 24.0  # a wrapped line of one cell stays within this of the cell's left edge


DEFAULT_SETTINGS = PdfSettings()


@dataclass(slots=True)  # not frozen: a frozen init costs three times as much, for every char
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass(frozen=True, slots=True)
class Segment:
    """A ruling: ``pos`` is y for horizontal and x for vertical ones; ``start < end`` along it."""

    horizontal: bool
    pos: float
    start: float
    end: float


@dataclass(frozen=True)
class PageModel:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]
    segments: list[Segment]
    unmapped: int = 0  # chars the backend could not map to Unicode (no ToUnicode)
    fallback: bool = False  # read by the reference backend: the fast one lost text on it
    over_budget: bool = False  # more path segments than ``max_segments``: none were kept


def segment(x0: float, top0: float, x1: float, top1: float) -> Segment | None:
    """The ruling between two points, or None when the line is neither horizontal nor vertical."""
    if abs(top0 - top1) < 0.01:
        return Segment(True, top0, min(x0, x1), max(x0, x1))
    if abs(x0 - x1) < 0.01:
        return Segment(False, x0, min(top0, top1), max(top0, top1))
    return None


def fill_segment(x0: float, top: float, x1: float, bottom: float, thin: float) -> Segment | None:
    """A filled, unstroked box is a ruling when it is thin (some producers draw lines that way)
    and shading otherwise, which must not split cells."""
    if bottom - top <= thin < x1 - x0:
        return Segment(True, (top + bottom) / 2, x0, x1)
    if x1 - x0 <= thin < bottom - top:
        return Segment(False, (x0 + x1) / 2, top, bottom)
    return None


def display_transform(rotation: int, left: float, bottom: float, right: float, top: float):
    """A function mapping PDF user space (y up) to the displayed page frame (``top`` down),
    honouring the page's /Rotate, plus the displayed width and height."""
    w, h = right - left, top - bottom
    if rotation == 90:
        return (lambda x, y: (y - bottom, x - left)), h, w
    if rotation == 180:
        return (lambda x, y: (right - x, y - bottom)), w, h
    if rotation == 270:
        return (lambda x, y: (top - y, right - x)), h, w
    return (lambda x, y: (x - left, top - y)), w, h
