"""Provenance you can see: the place in the source a value was read from.

Every corpus value keeps ``source_ref``: ``L12-L15`` (1-based lines of a text source) or
``p3:x0,top,x1,bottom`` (page and box in PDF points, origin at the top left of the displayed page).
For a text source the view is the source lines with the value's lines marked; for a PDF it is the
page region around the box, rendered by pdfium, with the box outlined (Pillow). The source file is
read again from ``documents.source_path`` and must still have the SHA-256 it was ingested with:
a view of a file that changed since would point at the wrong place.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path


from normalizers.text import compact
from parsers.model import Ref, parse_ref
from parsers.read.readers import decode_text

CONTEXT_LINES = 2
SCALE = 2.0  # pixels per PDF point
MARGIN = 48.0  # points of page shown above and below the box


class ProvenanceError(Exception):
    """The source cannot be shown: missing, changed since ingest, or the reference is unreadable."""


@dataclass
class View:
    """What ``pia show`` prints or writes: source lines (text) or a PNG (PDF)."""
    ref: Ref
    lines: list[tuple[int, str, bool]] | None = None  # (line number, text, part of the value)
    png: bytes | None = None
    page_size: tuple[float, float] | None = None

    def text(self, value: str | None = None) -> str:
        """The excerpt with a gutter: ``▶`` on the value's lines, the value itself in ⟦ ⟧ when it is
        found whole on one of them."""
        if self.lines is None:
            return f"{self.ref}: page region (PNG)"
        digits = len(str(self.lines[-1][0]))
        out = []
        for no, text, marked in self.lines:
            if marked and value and (at := _find(text, value)) is not None:
                text = f"{text[:at[0]]}⟦{text[at[0]:at[1]]}⟧{text[at[1]:]}"
            out.append(f"{'▶' if marked else ' '} {no:>{digits}} │ {text}")
        return "\n".join(out)


def _find(text: str, value: str) -> tuple[int, int] | None:
    """Where ``value`` sits in ``text``, ignoring white space the layout added inside it."""
    want = compact(value)
    if not want:
        return None
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        got, j = "", i
        while j < len(text) and len(got) < len(want):
            if not text[j].isspace():
                got += compact(text[j])
            j += 1
        if got == want:
            return i, j
    return None


def read_source(doc: dict) -> bytes:
    """The document's source bytes, checked against the hash recorded at ingest."""
    path = Path(doc.get("source_path") or "")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProvenanceError(f"cannot read the source {path}: {exc.strerror or exc}") from None
    if doc.get("source_sha256") and hashlib.sha256(data).hexdigest() != doc["source_sha256"]:
        raise ProvenanceError(f"the source {path} changed since it was ingested; run pia ingest again")
    return data


class Sources:
    """Views of many values of a few documents (an HTML diff): each source read once, each PDF page
    rendered once."""

    def __init__(self, context: int = CONTEXT_LINES):
        self.context = context
        self._data: dict[str, bytes] = {}
        self._pages: dict[tuple[str, int], tuple] = {}

    def view(self, doc: dict, ref: str | None) -> View:
        parsed = parse_ref(ref)
        if parsed is None:
            raise ProvenanceError(f"no readable source reference ({ref!r})")
        if doc["doc_id"] not in self._data:
            self._data[doc["doc_id"]] = read_source(doc)
        data = self._data[doc["doc_id"]]
        if parsed.page:
            return self._page_view(doc["doc_id"], data, parsed)
        text = decode_text(data)[0]
        lines = text.splitlines()
        lo, hi = max(1, parsed.first - self.context), min(len(lines), parsed.last + self.context)
        return View(parsed, lines=[(no, lines[no - 1], parsed.first <= no <= parsed.last) for no in range(lo, hi + 1)])

    def _page(self, doc_id: str, data: bytes, number: int) -> tuple:
        """(page image, page width, page height) in points, rendered once."""
        import pypdfium2 as pdfium

        if (doc_id, number) not in self._pages:
            pdf = pdfium.PdfDocument(data)
            try:
                if not 1 <= number <= len(pdf):
                    raise ProvenanceError(f"page {number}: the PDF has {len(pdf)} pages")
                page = pdf[number - 1]
                self._pages[doc_id, number] = (page.render(scale=SCALE).to_pil().convert("RGB"), *page.get_size())
            finally:
                pdf.close()
        return self._pages[doc_id, number]

    def _page_view(self, doc_id: str, data: bytes, ref: Ref) -> View:
        """The page region around the box (the whole page when the ref names no box), box outlined."""
        from PIL import Image, ImageDraw

        page, width, height = self._page(doc_id, data, ref.first)
        image = page.copy()
        if ref.box:
            x0, top, x1, bottom = (v * SCALE for v in ref.box)
            draw = ImageDraw.Draw(image, "RGBA")
            draw.rectangle([x0 - 3, top - 3, x1 + 3, bottom + 3], outline=(220, 0, 0, 255), width=3,
                           fill=(255, 220, 0, 60))
            lo, hi = max(0.0, top - MARGIN * SCALE), min(image.height, bottom + MARGIN * SCALE)
            image = image.crop((0, int(lo), image.width, int(hi)))
        buf = io.BytesIO()
        image.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(buf, format="PNG", optimize=True)
        return View(ref, png=buf.getvalue(), page_size=(width, height))


def view(doc: dict, ref: str | None, context: int = CONTEXT_LINES) -> View:
    """The view of one value's ``ref`` in the document's source."""
    return Sources(context).view(doc, ref)
