"""PDF backends: each yields one ``PageModel`` per page, opening and closing pages one at a time.

``pdfium`` (pypdfium2) is the fast default; ``pdfplumber`` (pdfminer) is the slower reference.
Both report chars with their boxes and the page's straight ruling segments; load failures
become ``InputError`` with a short reason.
"""
from __future__ import annotations

import ctypes
import io
from collections.abc import Iterator

from parsers.model import InputError
from parsers.read.pdf_page import (Char, PageModel, PdfSettings, Segment, display_transform,
                              fill_segment, segment)

SOFT_HYPHEN = "\u00ad"
DAMAGED = "corrupt PDF: its structure is damaged and could not be read"
MIN_PAGE_PT, MAX_PAGE_PT = 3.0, 14_400.0  # the PDF format's limits on a page side (ISO 32000, annex C)


def check_envelope(data: bytes) -> None:
    """Reject bytes that are not a whole PDF before a backend tries to repair them."""
    if b"%PDF-" not in data[:1024]:
        raise InputError("corrupt PDF: no PDF header")
    if b"%%EOF" not in data[-2048:]:
        raise InputError("corrupt PDF: truncated (no %%EOF marker)")


def char_text(text: str) -> str:
    """One char's text as the layout wants it: soft hyphen read as '-', white space as ' '."""
    if text == SOFT_HYPHEN:
        return "-"
    if text.isspace():
        return " "
    return text


def iter_pdfium(data: bytes, settings: PdfSettings) -> Iterator[PageModel]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError("encrypted PDF") from None
        raise InputError(f"corrupt PDF: {exc}") from exc
    reference = None  # pdfplumber, opened only for a page pdfium cannot read whole
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                model = _pdfium_page(page, index + 1, c, settings)
            finally:
                page.close()
            if model is None:
                if reference is None:
                    import pdfplumber

                    reference = pdfplumber.open(io.BytesIO(data))
                ref_page = reference.pages[index]
                try:
                    model = _pdfplumber_page(ref_page, settings)
                finally:
                    ref_page.close()
            yield model
    finally:
        doc.close()
        if reference is not None:
            reference.close()


def _pdfium_page(page, number: int, c, settings: PdfSettings) -> PageModel | None:
    """The page model, or None when pdfium lost some of the page's text (see ``_lost_text``)."""
    to_display, width, height = display_transform(page.get_rotation(), *page.get_mediabox())
    textpage = page.get_textpage()
    if _lost_text(page, textpage, c):
        textpage.close()
        return None
    chars: list[Char] = []
    unmapped = 0
    # Raw calls with one reused box struct: this loop runs for every char of the corpus.
    raw, rect = textpage.raw, c.FS_RECTF()
    get_box, get_size = c.FPDFText_GetLooseCharBox, c.FPDFText_GetFontSize
    map_error, generated = c.FPDFText_HasUnicodeMapError, c.FPDFText_IsGenerated
    try:
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
            chars.append(Char(char_text(text), x0, top, x1, bottom, get_size(raw, i)))
    finally:
        textpage.close()
    segments = [s for obj in page.get_objects(filter=(c.FPDF_PAGEOBJ_PATH,))
                for s in _path_segments(obj, to_display, c, settings)]
    return PageModel(number, width, height, chars, segments, unmapped)


def _lost_text(page, textpage, c) -> bool:
    """Whether pdfium dropped a text object: with a non-embedded CJK font and no CJK system
    font it cannot measure the glyphs, the object's box collapses, and a one-glyph or rotated
    run is left out of the text page altogether (its text reads back empty)."""
    for obj in page.get_objects(filter=(c.FPDF_PAGEOBJ_TEXT,), textpage=textpage):
        left, bottom, right, top = obj.get_bounds()
        if left == right or bottom == top:
            n_bytes = c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
            if n_bytes <= 2:  # just the terminating NUL
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
        raise InputError(DAMAGED) from exc
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
    segments = []
    for obj in page.lines + page.rects + page.curves:
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
    """Report a backend failing inside a page (broken content stream) as a corrupt PDF, and a
    page no printer could hold (MediaBox empty, negative or beyond the format's 14,400 pt) as
    the corrupt page it is. The library's own message (often a dumped PDF object) stays on the
    exception's cause, out of the one-line reason."""
    while True:
        try:
            page = next(pages)
        except StopIteration:
            return
        except InputError:
            raise
        except Exception as exc:  # backends raise many types for damaged files
            raise InputError(DAMAGED) from exc
        if not (MIN_PAGE_PT <= page.width <= MAX_PAGE_PT and MIN_PAGE_PT <= page.height <= MAX_PAGE_PT):
            raise InputError(f"corrupt PDF: page {page.number} has an impossible size "
                             f"({page.width:.4g} × {page.height:.4g} pt)")
        yield page
