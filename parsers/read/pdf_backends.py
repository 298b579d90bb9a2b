"""PDF backends: each yields one ``PageModel`` per page, opening and closing pages one at a time.

``pdfium`` (pypdfium2) is the fast default; ``pdfplumber`` (pdfminer) is the slower reference.
Both report chars with their boxes and the page's straight ruling segments; load failures
become ``InputError`` with a short reason.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace

from normalizers.text import LOOKALIKES
from parsers.model import InputError
from parsers.read.pdf_page import Char, PageModel, PdfSettings, Segment, fill_segment, segment

SOFT_HYPHEN = "\u00ad"
DAMAGED = "corrupt PDF: its structure is damaged and could not be read"
MIN_PAGE_PT, MAX_PAGE_PT = 3.0, 14_400.0  # the PDF format's limits on a page side (ISO 32000, annex C)


def check_envelope(data: bytes) -> None:
    """Reject bytes that are not a whole PDF before a backend tries to repair them."""
    if b"%PDF-" not in data[:1024]:
        raise InputError("corrupt PDF: no PDF header")
    if b"%%EOF" not in data[-2048:]:
        raise InputError("corrupt PDF: truncated (no %%EOF marker)")


CHAR_MAP = {**LOOKALIKES, ord(SOFT_HYPHEN): "-"}


def char_text(text: str) -> str:
    """One char's text as the layout wants it: soft hyphen read as '-', white space as ' ',
    radical and other look-alike code points as the ordinary character they were drawn for."""
    if text.isspace():
        return " "
    if len(text) == 1:
        return CHAR_MAP.get(ord(text), text)
    return text.translate(CHAR_MAP)


def iter_pdfium(data: bytes, settings: PdfSettings) -> Iterator[PageModel]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    from parsers.read.pdf_pdfium import pdfium_page

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError("encrypted PDF") from None
        raise InputError(f"corrupt PDF: {exc}") from exc
    reference = None  # pdfplumber, opened only to verify a page pdfium may have read short
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                model, suspect = pdfium_page(page, index + 1, c, settings)
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
