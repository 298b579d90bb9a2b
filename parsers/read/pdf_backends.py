"""PDF backends: each yields one ``PageModel`` per page, opening and closing pages one at a time.

``pdfium`` (pypdfium2) is the fast default; ``pdfplumber`` (pdfminer) is the slower reference.
Both report chars with their boxes and the page's straight ruling segments; load failures
become ``InputError`` with a short reason.
"""
from __future__ import annotations

import ctypes
import io
import math
from unicodedata import east_asian_width
from collections.abc import Iterator
from dataclasses import replace

from normalizers.text import LOOKALIKES
from parsers.model import InputError
from parsers.read.pdf_page import (Char, PageModel, PdfSettings, Segment, display_transform,
                              fill_segment, segment)

SOFT_HYPHEN = "\u00ad"


def check_envelope(data: bytes) -> None:
    """Reject bytes that are not a whole PDF before a backend tries to repair them."""
    if b"%PDF-" not in data[:1024]:
        raise InputError("corrupt PDF: no PDF header")
    if b"%%EOF" not in data[-2048:]:
        raise InputError("corrupt PDF: truncated (no %%EOF marker)")


def char_text(text: str) -> str:
    """One char's text as the layout wants it: soft hyphen read as '-', white space as ' ',
    radical and other look-alike code points as the ordinary character they were drawn for."""
    if text == SOFT_HYPHEN:
        return "-"
    if text.isspace():
        return " "
    return text.translate(LOOKALIKES)


def iter_pdfium(data: bytes, settings: PdfSettings) -> Iterator[PageModel]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError("encrypted PDF") from None
        raise InputError(f"corrupt PDF: {exc}") from None
    reference = None  # pdfplumber, opened only to verify a page pdfium may have read short
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                model, suspect = _pdfium_page(page, index + 1, c, settings)
            finally:
                page.close()
            if suspect:
                if reference is None:
                    import pdfplumber

                    reference = pdfplumber.open(io.BytesIO(data))
                model = _verified(model, reference.pages[index], settings)
            yield model
    finally:
        doc.close()
        if reference is not None:
            reference.close()


def _verified(model: PageModel, ref_page, settings: PdfSettings) -> PageModel:
    """pdfium's page, unless pdfplumber finds more of its text: then pdfplumber's (a fallback)."""
    try:
        ref = _pdfplumber_page(ref_page, settings)
    finally:
        ref_page.close()
    if _inked(ref) > _inked(model):
        return replace(ref, fallback=True)
    return model


def _inked(model: PageModel) -> int:
    return sum(1 for ch in model.chars if not ch.text.isspace()) + model.unmapped


def _pdfium_page(page, number: int, c, settings: PdfSettings) -> tuple[PageModel, bool]:
    """The page model, and whether pdfium may have lost some of its text (``_may_lose_text``)."""
    to_display, width, height = display_transform(page.get_rotation(), *page.get_mediabox())
    textpage = page.get_textpage()
    chars: list[Char] = []
    unmapped = 0
    # Raw calls with one reused box struct: this loop runs for every char of the corpus.
    raw, rect, matrix = textpage.raw, c.FS_RECTF(), c.FS_MATRIX()
    get_box, get_size, get_matrix = c.FPDFText_GetLooseCharBox, c.FPDFText_GetFontSize, c.FPDFText_GetMatrix
    ink = [ctypes.c_double() for _ in range(4)]
    ink_refs = [ctypes.byref(v) for v in ink]
    map_error, generated = c.FPDFText_HasUnicodeMapError, c.FPDFText_IsGenerated
    try:
        suspect = _may_lose_text(page, textpage, c)
        count = c.FPDFText_CountChars(raw)
        for i, text in enumerate(_page_text(raw, count, c)):
            if map_error(raw, i) == 1:
                unmapped += 1
                continue
            if text.isspace():
                if generated(raw, i) == 1:
                    continue  # pdfium's guessed spaces and line ends; gaps are measured instead
            elif not text.isprintable():
                continue
            get_box(raw, i, rect)
            x0, top = to_display(rect.left, rect.top)
            x1, bottom = to_display(rect.right, rect.bottom)
            if x0 > x1:
                x0, x1 = x1, x0
            if top > bottom:
                top, bottom = bottom, top
            get_matrix(raw, i, matrix)  # the size as drawn: the font size times the text scale
            size = get_size(raw, i) * math.hypot(matrix.c, matrix.d)
            if x1 - x0 < size * 0.9 and east_asian_width(text) in "WF":
                c.FPDFText_GetCharBox(raw, i, *ink_refs)
                if abs(ink[3].value - rect.top) < 0.01 and abs(ink[2].value - rect.bottom) < 0.01:
                    # pdfium fell back to the glyph's ink box (a font without usable ascent and
                    # descent): a full-width glyph's advance is one em around its centre
                    x0, x1 = (x0 + x1 - size) / 2, (x0 + x1 + size) / 2
            chars.append(Char(char_text(text), x0, top, x1, bottom, size))
    finally:
        textpage.close()
    segments, over = _page_segments(page, to_display, c, settings)
    return PageModel(number, width, height, chars, segments, unmapped, over_budget=over), suspect


def _page_segments(page, to_display, c, settings: PdfSettings) -> tuple[list[Segment], bool]:
    """The page's rulings, or none and True as soon as its paths exceed the segment budget
    (the rest of the page's paths are then not even visited)."""
    segments: list[Segment] = []
    budget = settings.max_segments
    for obj in page.get_objects(filter=(c.FPDF_PAGEOBJ_PATH,)):
        budget -= c.FPDFPath_CountSegments(obj.raw)
        if budget < 0:
            return [], True
        segments += _path_segments(obj, to_display, c, settings)
    return segments, False


def _may_lose_text(page, textpage, c) -> bool:
    """Whether the page has a text object pdfium may have dropped: with a non-embedded CJK font
    and no CJK system font it cannot measure the glyphs, the object's box collapses, and a
    one-glyph or rotated run is left out of the text page (its text reads back empty). An
    empty, textless object of an embedded font is ordinary (a run of spaces, an empty show),
    so only a non-embedded font makes the page suspect; ``_verified`` then decides."""
    for obj in page.get_objects(filter=(c.FPDF_PAGEOBJ_TEXT,), textpage=textpage):
        left, bottom, right, top = obj.get_bounds()
        if (left == right or bottom == top) \
                and c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0) <= 2 \
                and not c.FPDFFont_GetIsEmbedded(c.FPDFTextObj_GetFont(obj.raw)):
            return True
    return False


def _page_text(raw, count: int, c) -> list[str]:
    """Every char's text, index-aligned with the char list: one bulk call when pdfium's text
    view lines up with its char list (nearly always), else one call per char."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = c.FPDFText_GetText(raw, 0, count, buffer) - 1
    if written == count and all(not 0xD800 <= u < 0xE000 for u in buffer[:count]):
        return [chr(u) for u in buffer[:count]]
    return [chr(c.FPDFText_GetUnicode(raw, i)) for i in range(count)]


def _path_segments(obj, to_display, c, settings: PdfSettings) -> Iterator[Segment]:
    """The rulings one path object draws: the straight axis-parallel pieces of a stroked path
    (rectangles, lines, polylines), or a thin filled box."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
    if not (stroke.value or fill.value):
        return
    matrix = obj.get_matrix()
    form = obj.container
    while form is not None:  # a path inside a Form XObject is placed by the form's matrix
        matrix = matrix.multiply(form.get_matrix())
        form = form.container
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[tuple[float, float], int, bool]] = []
    for i in range(c.FPDFPath_CountSegments(obj.raw)):
        seg = c.FPDFPath_GetPathSegment(obj.raw, i)
        c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        points.append((to_display(*matrix.on_point(x.value, y.value)),
                       c.FPDFPathSegment_GetType(seg), bool(c.FPDFPathSegment_GetClose(seg))))
    if not stroke.value:
        xs = [p[0][0] for p in points]
        tops = [p[0][1] for p in points]
        if points and (s := fill_segment(min(xs), min(tops), max(xs), max(tops),
                                         settings.thin_fill)) is not None:
            yield s
        return
    first = prev = None
    for point, kind, close in points:
        if kind == c.FPDF_SEGMENT_MOVETO:
            first = point
        elif kind == c.FPDF_SEGMENT_LINETO and prev is not None:
            if (s := segment(*prev, *point)) is not None:
                yield s
        prev = point
        if close and first is not None and point != first:
            if (s := segment(*point, *first)) is not None:
                yield s
            prev = first


def iter_pdfplumber(data: bytes, settings: PdfSettings) -> Iterator[PageModel]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect:
        raise InputError("encrypted PDF") from None
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        if isinstance(exc.__cause__ or exc.__context__, PDFPasswordIncorrect) \
                or "password" in str(exc).lower():
            raise InputError("encrypted PDF") from None
        raise InputError(f"corrupt PDF: {type(exc).__name__}: {exc}") from None
    try:
        for page in pdf.pages:
            try:
                yield _pdfplumber_page(page, settings)
            finally:
                page.close()
    finally:
        pdf.close()


def _pdfplumber_page(page, settings: PdfSettings) -> PageModel:
    from pdfplumber.utils import obj_to_edges

    chars: list[Char] = []
    unmapped = 0
    for ch in page.chars:
        text = ch["text"]
        if text.startswith("(cid:"):
            unmapped += 1
            continue
        chars.append(Char(char_text(text), ch["x0"], ch["top"], ch["x1"], ch["bottom"], ch["size"]))
    segments: list[Segment] = []
    drawn = page.lines + page.rects + page.curves
    if sum(max(len(obj.get("pts") or ()) - 1, 1) for obj in drawn) > settings.max_segments:
        return PageModel(page.page_number, float(page.width), float(page.height), chars, [],
                         unmapped, over_budget=True)
    for obj in drawn:
        if not obj.get("stroke"):
            s = obj.get("fill") and fill_segment(obj["x0"], obj["top"], obj["x1"], obj["bottom"],
                                                 settings.thin_fill)
            if s:
                segments.append(s)
            continue
        for e in obj_to_edges(obj):  # a diagonal edge's box is neither flat nor thin: skipped
            s = segment(e["x0"], e["top"], e["x1"], e["bottom"])
            if s is not None:
                segments.append(s)
    return PageModel(page.page_number, float(page.width), float(page.height), chars, segments,
                     unmapped)


BACKENDS = {"pdfium": iter_pdfium, "pdfplumber": iter_pdfplumber}


def iter_pages(data: bytes, backend: str, settings: PdfSettings) -> Iterator[PageModel]:
    if backend not in BACKENDS:
        raise ValueError(f"unknown PDF backend {backend!r}; expected one of {sorted(BACKENDS)}")
    check_envelope(data)
    return _guarded(BACKENDS[backend](data, settings))


def _guarded(pages: Iterator[PageModel]) -> Iterator[PageModel]:
    """Report a backend failing inside a page (broken content stream) as a corrupt PDF."""
    while True:
        try:
            page = next(pages)
        except StopIteration:
            return
        except InputError:
            raise
        except Exception as exc:  # backends raise many types for damaged files
            raise InputError(f"corrupt PDF: {type(exc).__name__}: {exc}") from None
        yield page
