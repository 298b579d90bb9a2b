"""One page through pypdfium2's raw API: its chars, its rulings, and whether it may have lost text.

Raw calls with reused structs throughout, and one pass over the page objects (Form XObjects
included) for both the rulings and the lost-text check: these loops run for every char and
every path of the corpus, and pypdfium2's object wrappers cost more than the reading itself.
"""
from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator
from unicodedata import east_asian_width

from parsers.read.pdf_backends import CHAR_MAP as _CHAR_MAP
from parsers.read.pdf_page import (Char, PageModel, PdfSettings, Segment, display_transform,
                                   fill_segment, segment)

Matrices = tuple  # the matrices placing an object on the page, innermost first


def pdfium_page(page, number: int, c, settings: PdfSettings) -> tuple[PageModel, bool]:
    """The page model, and whether pdfium may have lost some of its text (``_may_lose``)."""
    to_display, width, height = display_transform(page.get_rotation(), *page.get_mediabox())
    textpage = page.get_textpage()
    try:
        chars, unmapped = _chars(textpage.raw, to_display, c)
        segments: list[Segment] = []
        budget, over, suspect = settings.max_segments, False, False
        out = _Out()
        for obj, kind, matrices in _objects(page.raw, c):
            if kind == c.FPDF_PAGEOBJ_TEXT and not suspect:
                suspect = _may_lose(obj, textpage.raw, c, out)
            elif kind == c.FPDF_PAGEOBJ_PATH and not over:
                budget -= c.FPDFPath_CountSegments(obj)
                if budget < 0:  # over budget: the page is read without its rulings
                    segments, over = [], True
                    continue
                segments += _path_segments(obj, matrices, to_display, c, settings, out)
    finally:
        textpage.close()
    return PageModel(number, width, height, chars, segments, unmapped, over_budget=over), suspect


def _objects(page, c) -> Iterator[tuple[object, int, Matrices]]:
    """The text and path objects of the page, the contents of Form XObjects included, each with
    the matrices placing it (a path's own, then those of the forms holding it)."""
    get_type, text, path, form = (c.FPDFPageObj_GetType, c.FPDF_PAGEOBJ_TEXT, c.FPDF_PAGEOBJ_PATH,
                                  c.FPDF_PAGEOBJ_FORM)
    stack = [(page, c.FPDFPage_CountObjects(page), c.FPDFPage_GetObject, ())]
    while stack:
        owner, count, get, outer = stack.pop()
        for i in range(count):
            obj = get(owner, i)
            kind = get_type(obj)
            if kind == text:
                yield obj, kind, outer
            elif kind in (path, form):
                matrix = c.FS_MATRIX()
                c.FPDFPageObj_GetMatrix(obj, matrix)
                if kind == form:
                    stack.append((obj, c.FPDFFormObj_CountObjects(obj), c.FPDFFormObj_GetObject,
                                  (matrix, *outer)))
                else:
                    yield obj, kind, (matrix, *outer)


class _Out:
    """Output arguments of pdfium calls, made once per page rather than once per call."""

    def __init__(self):
        self.floats = [ctypes.c_float() for _ in range(4)]
        self.float_refs = [ctypes.byref(v) for v in self.floats]
        self.ints = [ctypes.c_int() for _ in range(2)]
        self.int_refs = [ctypes.byref(v) for v in self.ints]


def _may_lose(obj, textpage, c, out: _Out) -> bool:
    """Whether pdfium may have dropped this text object: with a non-embedded CJK font and no
    CJK system font it cannot measure the glyphs, the object's box collapses, and a one-glyph or
    rotated run is left out of the text page (its text reads back empty). An empty, textless
    object of an embedded font is ordinary (a run of spaces, an empty show), so only a
    non-embedded font makes the page suspect; the caller then verifies the page."""
    if c.FPDFFont_GetIsEmbedded(c.FPDFTextObj_GetFont(obj)):
        return False
    c.FPDFPageObj_GetBounds(obj, *out.float_refs)
    left, bottom, right, top = (v.value for v in out.floats)
    return (left == right or bottom == top) and c.FPDFTextObj_GetText(obj, textpage, None, 0) <= 2


def _chars(raw, to_display, c) -> tuple[list[Char], int]:
    """The page's chars in the display frame, and how many had no Unicode mapping. Three pdfium
    calls a char (mapping, box, size); the rest is hoisted out of the loop."""
    chars: list[Char] = []
    append, unmapped = chars.append, 0
    rect, matrix = c.FS_RECTF(), c.FS_MATRIX()
    rect_ref, matrix_ref = ctypes.byref(rect), ctypes.byref(matrix)
    get_box, get_size, get_matrix = c.FPDFText_GetLooseCharBox, c.FPDFText_GetFontSize, c.FPDFText_GetMatrix
    map_error, generated = c.FPDFText_HasUnicodeMapError, c.FPDFText_IsGenerated
    fold, wide = _CHAR_MAP.get, _WIDE.__contains__
    ink = _InkBox(raw, c)
    nominal, scale = None, 1.0
    for i, text in enumerate(_page_text(raw, c.FPDFText_CountChars(raw), c)):
        if map_error(raw, i) == 1:
            unmapped += 1
            continue
        if text.isspace():
            if generated(raw, i) == 1:
                continue  # pdfium's guessed spaces and line ends; gaps are measured instead
            text = " "
        elif not text.isprintable():
            continue
        get_box(raw, i, rect_ref)
        x0, top = to_display(rect.left, rect.top)
        x1, bottom = to_display(rect.right, rect.bottom)
        if x0 > x1:
            x0, x1 = x1, x0
        if top > bottom:
            top, bottom = bottom, top
        if (font_size := get_size(raw, i)) != nominal:  # the size as drawn: the font size times
            get_matrix(raw, i, matrix_ref)  # the text scale (measured where the font size changes)
            nominal, scale = font_size, math.hypot(matrix.c, matrix.d)
        size = font_size * scale
        if x1 - x0 < size * 0.9 and wide(east_asian_width(text)) and ink.is_loose(i, rect):
            # pdfium fell back to the glyph's ink box (a font without usable ascent and
            # descent): a full-width glyph's advance is one em around its centre
            x0, x1 = (x0 + x1 - size) / 2, (x0 + x1 + size) / 2
        append(Char(fold(ord(text), text), x0, top, x1, bottom, size))
    return chars, unmapped


_WIDE = ("W", "F")


class _InkBox:
    """Tells whether pdfium's loose box of a char is just its tight (ink) box."""

    def __init__(self, raw, c):
        self.raw, self.get = raw, c.FPDFText_GetCharBox
        self.sides = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top
        self.refs = [ctypes.byref(v) for v in self.sides]

    def is_loose(self, i: int, loose) -> bool:
        self.get(self.raw, i, *self.refs)
        return abs(self.sides[3].value - loose.top) < 0.01 \
            and abs(self.sides[2].value - loose.bottom) < 0.01


def _page_text(raw, count: int, c) -> list[str]:
    """Every char's text, index-aligned with the char list: one bulk call when pdfium's text
    view lines up with its char list (nearly always), else one call per char."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = c.FPDFText_GetText(raw, 0, count, buffer) - 1
    if written == count and all(not 0xD800 <= u < 0xE000 for u in buffer[:count]):
        return [chr(u) for u in buffer[:count]]
    return [chr(c.FPDFText_GetUnicode(raw, i)) for i in range(count)]


def _placed(matrices: Matrices, to_display):
    """A function taking a point of the object's space to the display frame."""
    def place(x: float, y: float) -> tuple[float, float]:
        for m in matrices:
            x, y = m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f
        return to_display(x, y)
    return place


def _path_segments(obj, matrices: Matrices, to_display, c, settings: PdfSettings,
                   out: _Out) -> list[Segment]:
    """The rulings one path object draws: the straight axis-parallel pieces of a stroked path
    (rectangles, lines, polylines), or a thin filled box (of which only the extent counts)."""
    fill, stroke = out.ints
    c.FPDFPath_GetDrawMode(obj, *out.int_refs)
    if not (stroke.value or fill.value):
        return []
    place = _placed(matrices, to_display)
    x, y = out.floats[:2]
    x_ref, y_ref = out.float_refs[:2]
    get_segment, get_point, get_type, get_close = (c.FPDFPath_GetPathSegment, c.FPDFPathSegment_GetPoint,
                                                   c.FPDFPathSegment_GetType, c.FPDFPathSegment_GetClose)
    points: list[tuple[float, float]] = []
    kinds: list[tuple[int, bool]] = []
    for i in range(c.FPDFPath_CountSegments(obj)):
        seg = get_segment(obj, i)
        get_point(seg, x_ref, y_ref)
        points.append(place(x.value, y.value))
        if stroke.value:
            kinds.append((get_type(seg), get_close(seg)))
    if not stroke.value:
        xs, tops = [p[0] for p in points], [p[1] for p in points]
        s = points and fill_segment(min(xs), min(tops), max(xs), max(tops), settings.thin_fill)
        return [s] if s else []
    found = []
    first = prev = None
    for point, (kind, close) in zip(points, kinds):
        if kind == c.FPDF_SEGMENT_MOVETO:
            first = point
        elif kind == c.FPDF_SEGMENT_LINETO and prev is not None:
            found.append(segment(*prev, *point))
        prev = point
        if close and first is not None and point != first:
            found.append(segment(*point, *first))
            prev = first
    return [s for s in found if s is not None]
