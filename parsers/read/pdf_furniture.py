"""Page furniture: page numbers and running headers/footers, which are never part of a value.

Printers and spreadsheet exports put a page number (``- 7 -``, ``7/14``), a print date, the
document title or a file URL in the page margins. They sit outside every form cell, above the
first or below the last cell of the page. A line there is furniture when it is page-number
shaped, or holds its own page's number (``… 6/14`` on page 6 of 14), or when the same text
(digits aside) stands at about the same height on a good share of the pages; a section title
that starts two pages does neither.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from normalizers.text import nfkc
from parsers.read.pdf_page import PdfSettings

_DIGITS = regex.compile(r"[0-9]+")
_PAGE_NUMBER = regex.compile(
    r"^[-‐–—―−(\[]?\s*(?:p\.?|page|ページ|頁)?\s*#\s*(?:(?:/|of)\s*#)?\s*[-‐–—―−)\]]?\s*(?:頁|ページ)?$",
    regex.IGNORECASE)
# "6/14", "- 6 -", "6 of 14" at the end or start of a line, e.g. after a printed URL
_PAGE_TOKEN = regex.compile(r"(?:^|\s)(?:(\d+)\s*(?:/|of)\s*(\d+)|[-‐–—―−]\s*(\d+)\s*[-‐–—―−])(?:\s|$)")


@dataclass(frozen=True)
class EdgeLine:
    """A free text line with no cell above it or none below it on its page."""

    page: int
    top: float
    text: str


def _shape(text: str) -> str:
    return _DIGITS.sub("#", nfkc(text)).strip()


def furniture(lines: list[EdgeLine], page_count: int, settings: PdfSettings) -> set[EdgeLine]:
    """The edge lines that are page numbers or running headers/footers."""
    out = {ln for ln in lines if _PAGE_NUMBER.match(_shape(ln.text))
           or _numbers_its_page(ln, page_count)}
    groups: dict[str, list[EdgeLine]] = {}
    for ln in lines:
        groups.setdefault(_shape(ln.text), []).append(ln)
    need = max(2, settings.running_share * page_count)
    for group in groups.values():
        run: list[EdgeLine] = []
        for ln in sorted(group, key=lambda g: g.top) + [None]:
            if ln is not None and (not run or ln.top - run[-1].top <= settings.running_tolerance):
                run.append(ln)
                continue
            if len({r.page for r in run}) >= need:
                out.update(run)
            run = [ln]
    return out


def _numbers_its_page(line: EdgeLine, page_count: int) -> bool:
    """Whether the line holds a ``- N -`` or ``N/M`` page number naming its own page."""
    for m in _PAGE_TOKEN.finditer(nfkc(line.text)):
        number, of, alone = m.groups()
        if int(number or alone) == line.page and (of is None or int(of) == page_count):
            return True
    return False


def in_furniture(line: EdgeLine, found: set[EdgeLine], page_count: int,
                 settings: PdfSettings) -> bool:
    """Whether a cut cell's line next to the cut is furniture: it names its page, or it is part
    of a furniture line at the same height (the cell's borders split that line)."""
    shape = _shape(line.text)
    return _numbers_its_page(line, page_count) or len(shape) >= 4 and any(
        abs(f.top - line.top) <= settings.running_tolerance and shape in _shape(f.text)
        for f in found)
