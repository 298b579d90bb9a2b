"""Rows for the ``dates``, ``citations`` and ``aliases`` tables: mentions found anywhere in the text.

Dates and citations wrap across lines (``厚生年金保険法（昭和`` / ``29年法律第115号）``), so
consecutive non-blank lines of one form path are joined into a block, remembering which line
each character came from (the cells of one markdown row stay apart). Aliases a document defines anywhere resolve its citations everywhere.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from normalizers.aliases import find_aliases
from normalizers.citations import find_citations, fill_law_numbers
from normalizers.eras import find_date_ranges, find_era_dates
from normalizers.text import line_separator, normalize_text
from parsers.extract.context import DocContext
from parsers.extract.contract import Extracted, ExtractWarning
from parsers.model import Line, source_ref


@dataclass
class Block:
    text: str
    starts: list[int]  # offset in ``text`` where each line begins
    indexes: list[int]  # index in the document's lines of each line


def _separator(previous: Line, following: Line) -> str:
    """A PDF line starting right of where the previous one ends is the next cell of a row."""
    if previous.bbox and following.bbox and previous.page == following.page \
            and following.bbox[0] >= previous.bbox[2]:
        return " "
    return line_separator(previous.text, following.text)


def blocks(lines: Sequence[Line], path_for: Callable[[int], str | None]) -> list[Block]:
    """Runs of non-blank lines that share a form path, each joined into one string."""
    out: list[Block] = []
    current: Block | None = None
    for i, line in enumerate(lines):
        if not line.text.strip():
            current = None
            continue
        prev = current.indexes[-1] if current is not None else None
        # lines sharing a source line number are a markdown row's cells and paragraphs: never joined
        if prev is not None and path_for(prev) == path_for(i) and lines[prev].no != line.no:
            current.text += _separator(lines[current.indexes[-1]], line)
        else:
            current = Block("", [], [])
            out.append(current)
        current.starts.append(len(current.text))
        current.indexes.append(i)
        current.text += line.text.strip()
    return out


def _span_lines(block: Block, start: int, end: int) -> list[int]:
    first = bisect.bisect_right(block.starts, start) - 1
    last = bisect.bisect_right(block.starts, max(start, end - 1)) - 1
    return block.indexes[first:last + 1]


def extract(ctx: DocContext) -> Extracted:
    return mention_rows(ctx.lines, ctx.path_for)


def mention_rows(lines: Sequence[Line], path_for: Callable[[int], str | None]) -> Extracted:
    """Every era date, law citation and alias definition in the document, as table rows."""
    doc_blocks = blocks(lines, path_for)

    def where(block: Block, start: int, end: int) -> tuple[str | None, str | None]:
        spanned = _span_lines(block, start, end)
        return path_for(spanned[0]), source_ref([lines[i] for i in spanned])

    aliases, alias_rows, numbers = {}, [], {}
    for block in doc_blocks:
        for a in find_aliases(block.text, block.starts):
            aliases.setdefault(a.alias, a.full)
            if a.law_number:
                numbers.setdefault(a.full, a.law_number)
            alias_rows.append({"alias": a.alias, "full": a.full, "source_ref": where(block, a.start, a.end)[1]})

    date_rows, found = [], []
    for block in doc_blocks:
        for d in find_era_dates(block.text):
            path, ref = where(block, d.start, d.end)
            date_rows.append({"raw": normalize_text(d.raw), "iso": d.iso, "date": d.date, "era": d.era,
                              "era_year": d.era_year, "valid": d.valid, "path": path, "source_ref": ref})
        found += [(block, c) for c in find_citations(block.text, aliases)]
    fill_law_numbers([c for _, c in found], numbers)

    citation_rows = []
    for block, c in found:
        path, ref = where(block, c.start, c.end)
        citation_rows.append({"raw": c.raw, "law_name": c.law_name, "law_number": c.law_number,
                              "article": c.article, "appendix": c.appendix, "items": c.items,
                              "law_name_printed": c.printed_name, "law_name_source": c.name_source,
                              "instrument": c.instrument,
                              "promulgated_on": c.promulgated.date if c.promulgated else None,
                              "path": path, "source_ref": ref})
    return Extracted({"dates": date_rows, "citations": citation_rows, "aliases": alias_rows},
                     _range_warnings(doc_blocks, where))


def _range_warnings(doc_blocks: list[Block], where) -> list[ExtractWarning]:
    """A period printed with its length (``AからBまでの30日間``) whose length disagrees with A–B:
    kept as printed, flagged for the reader."""
    out = []
    for block in doc_blocks:
        for r in find_date_ranges(block.text):
            if r.days_agree is False:
                span = (r.end.date - r.start.date).days + 1
                ref = where(block, r.start_offset, r.end_offset)[1]
                out.append(ExtractWarning("range_length_disagrees", f"date range {r.start.raw}–{r.end.raw} ({ref}): "
                                          f"states {r.stated_days} days, the dates span {span}", ref))
    return out
