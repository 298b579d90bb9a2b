"""Layout stage for text sources: numbered lines.

Plain extracted text keeps its lines as they are. A markdown/HTML conversion is flattened to the same
shape as extracted text: one tab-separated table row becomes its label line followed by its value
lines, ``<p>``/``<li>``/``<br>`` become line breaks, entities are unescaped, heading and emphasis marks dropped.
Every produced line keeps the 1-based line number of the source line it came from.

Converter checkboxes: ``<input checked …>`` becomes ``○``; a bare ``<input …>`` becomes ``□``, a box
whose state the converter may have dropped (extractors decide whether it means unchecked).
"""
from __future__ import annotations

import html

import regex

from normalizers.text import fold_lookalikes
from parsers.model import Layout, Line, Source

CHECKED_MARK = "○"
UNKNOWN_MARK = "□"

_INPUT = regex.compile(r"<input\b([^>]*)/?>", regex.I)
_BRACKETED_INPUT = regex.compile(r"\[\s*(<input\b[^>]*/?>)\s*\]", regex.I)
_BREAK_TAGS = regex.compile(r"</?(?:p|li|ul|ol|div|br|tr|table)\b[^>]*>", regex.I)
_OTHER_TAGS = regex.compile(r"</?[a-zA-Z][^>]*>")
_HEADING = regex.compile(r"^\s{0,3}#{1,6}\s+")
_TABLE_RULE = regex.compile(r"^[\s|:\-\t]+$")
_EMPHASIS = regex.compile(r"\*\*|__")


def text_layout(source: Source) -> Layout:
    assert source.text is not None
    raw_lines = fold_lookalikes(source.text).splitlines()  # radicals a PDF text layer gave
    if source.format == "markdown":
        lines = [ln for no, raw in enumerate(raw_lines, 1) for ln in _markdown_lines(no, raw)]
    else:
        lines = [Line(no=no, text=raw) for no, raw in enumerate(raw_lines, 1)]
    return Layout(source=source, lines=tuple(without_page_furniture(lines)))


_PAGE_NUMBER = regex.compile(r"^\s*(?:\(\s*\d{1,4}\s*\)|\d{1,4}\s*/\s*\d{1,4}|-\s*\d{1,4}\s*-)\s*$")
_REPEATED = 3  # a header or footer printed beside this many page numbers is furniture


def without_page_furniture(lines: list[Line]) -> list[Line]:
    """The lines without the page furniture that mirror sites and some extractors leave inside the
    text: page-number lines (``(3)``, ``3 / 38``, ``- 3 -``) and the header or footer line printed
    beside them on every page, which would otherwise run into the values of the cells they cut.
    Source line numbers are kept, so every ``source_ref`` still points into the file."""
    marks = {i for i, ln in enumerate(lines) if _PAGE_NUMBER.match(ln.text)}
    if len(marks) < _REPEATED:
        return lines
    beside: dict[tuple[int, str], list[int]] = {}
    for i in sorted(marks):
        for step in (-1, 1):
            j = _non_blank(lines, i, step)
            if j is not None and j not in marks:
                beside.setdefault((step, lines[j].text.strip()), []).append(j)
    often = max(_REPEATED, len(marks) // 2)  # on most pages, on the same side: not a "-" met by chance
    drop = set(marks) | {j for js in beside.values() if len(js) >= often for j in js}
    source_lines = {lines[i].no for i in drop}  # a markdown row split into cells goes as a whole
    drop = {i for i, ln in enumerate(lines) if ln.no in source_lines}
    drop |= _blank_between(lines, drop)
    return [ln for i, ln in enumerate(lines) if i not in drop]


def _blank_between(lines: list[Line], drop: set[int]) -> set[int]:
    """Blank lines with furniture on both sides (between a page's footer and the next page's
    header): the page break's, not the text's, so a cell cut by the page reads as one block."""
    out = set()
    for i in drop:
        j = _non_blank(lines, i, 1)
        if j is not None and j in drop:
            out |= set(range(i + 1, j))
    return out


def _non_blank(lines: list[Line], i: int, step: int) -> int | None:
    j = i + step
    while 0 <= j < len(lines) and not lines[j].text.strip():
        j += step
    return j if 0 <= j < len(lines) else None


def _markdown_lines(no: int, raw: str) -> list[Line]:
    if _TABLE_RULE.match(raw) and "-" in raw:
        return []
    text = _EMPHASIS.sub("", _HEADING.sub("", raw))
    out: list[Line] = []
    for cell in text.split("\t"):
        for part in _BREAK_TAGS.split(_checkboxes(cell)):
            part = html.unescape(_OTHER_TAGS.sub("", part)).strip()
            if part:
                out.append(Line(no=no, text=part))
    return out or [Line(no=no, text="")]


def _checkboxes(cell: str) -> str:
    cell = _BRACKETED_INPUT.sub(lambda m: m.group(1), cell)
    return _INPUT.sub(lambda m: f"[ {_mark(m.group(1))} ]", cell)


def _mark(attrs: str) -> str:
    return CHECKED_MARK if regex.search(r"\bchecked\b", attrs, regex.I) else UNKNOWN_MARK
