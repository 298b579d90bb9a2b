"""Row boundaries of the change table: mode A (ordered text, one row per 変更日) and mode B
(scrambled pages, one row per item path); see the package docstring."""
from __future__ import annotations

from itertools import takewhile
from typing import Sequence

import regex

from normalizers.text import join_wrapped, normalize_text

from parsers.extract.changes.geometry import Block, Geometry, text_blocks
from parsers.extract.changes.split import Row, fill_item_and_texts
from parsers.extract.changes.vocabulary import (DateAnchor, blank, date_anchor, find_timing, furniture_at, header_at,
                                                is_path, timing_in_front)
from parsers.extract.contract import ExtractWarning
from parsers.model import Line, Section, new_cell, source_ref


def scrambled(lines: Sequence[Line], idx: list[int], anchors: list[DateAnchor]) -> bool:
    """Most dates stand in runs with nothing but blank lines or header pieces between them."""
    if not anchors:
        return any(is_path(lines[i].text) for i in idx)  # dates only above the heading, if any
    if len(anchors) < 2:
        return False
    pos = {a.index for a in anchors}
    clustered = 0
    for a, b in zip(anchors, anchors[1:]):
        between = [i for i in range(a.index + 1, b.index) if not blank(lines, i) and not furniture_at(lines, i)]
        if not between and not a.rest and not a.pre:
            clustered += 1
    return clustered * 2 >= len(anchors) and len(pos) > 1


def _content_dates(lines: Sequence[Line], idx: list[int], anchors: list[DateAnchor]) -> set[int]:
    """Dates that are cell text (a changed 保有開始日: ``平成28年1月1日`` → ``令和2年1月1日``), not a
    row's 変更日: they follow a row's item with at most one text between, no 提出時期 yet, and a
    提出時期 follows them before any item path, header or blank-free new row."""
    content: set[int] = set()
    last = None
    end = idx[-1] + 1 if idx else 0
    for a in anchors:
        if last is None:
            last = a
            continue
        between = list(range(last.index + 1, a.index))
        texts = [(i, lines[i].text) for i in between]
        has_timing = bool(find_timing(last.rest)) or any(find_timing(t) for _, t in texts)
        has_header = any(header_at(lines, i) for i, _ in texts)
        blocks = text_blocks(lines, (last.index, last.rest), [i for i in between if not furniture_at(lines, i)])
        item_first = bool(last.rest) or (bool(blocks) and is_path(blocks[0][0][1]))
        n_text = len(blocks) - 1  # blocks after the item's
        if (not has_timing and not has_header and not a.pre and item_first and n_text <= 2
                and not (a.rest and is_path(a.rest)) and _timing_ahead(lines, a.index, end)):
            content.add(a.index)
            continue
        last = a
    return content


def _timing_ahead(lines: Sequence[Line], start: int, end: int, limit: int = 200) -> bool:
    """Is there a 提出時期 token from ``start`` on before an item path block, a header or a 変更日?"""
    t0 = lines[start].text
    if find_timing(t0):
        return True
    prev_blank = True  # a path right under the date is that row's item
    for i in range(start + 1, min(end, start + limit)):
        t = lines[i].text
        if not t.strip():
            prev_blank = True
            continue
        prev_blank = prev_blank or new_cell(lines[i - 1], lines[i])
        if header_at(lines, i) or (prev_blank and is_path(t)):
            return False
        a = date_anchor(t, i)
        if find_timing(t):
            return True
        if a and a.pre == "" and not prev_blank:
            return False
        prev_blank = False
    return False


def mode_a(lines: Sequence[Line], idx: list[int], anchors: list[DateAnchor], warnings: list[ExtractWarning],
            geom: Geometry | None = None) -> list[Row]:
    rows: list[Row] = []
    content = _content_dates(lines, idx, anchors)
    anchors = [a for a in anchors if a.index not in content]
    if anchors:
        head = [i for i in idx if i < anchors[0].index and not blank(lines, i) and not furniture_at(lines, i)]
        if head:
            warnings.append(ExtractWarning("text_unassigned", "text before the first change date not assigned",
                                           source_ref([lines[i] for i in head])))
    last = idx[-1] + 1 if idx else 0
    for k, a in enumerate(anchors):
        stop = anchors[k + 1].index if k + 1 < len(anchors) else last
        body = []
        orphan = []
        cut = False
        for i in range(a.index + 1, stop):
            if header_at(lines, i):
                cut = True
                continue
            if furniture_at(lines, i):
                continue
            (orphan if cut else body).append(i)
        orphan = [i for i in orphan if not blank(lines, i)]
        if orphan:
            warnings.append(ExtractWarning("text_unassigned", "text after a page header not assigned",
                                           source_ref([lines[i] for i in orphan])))
        rows.append(_parse_row_a(lines, a, body, geom))
    return rows


def _parse_row_a(lines: Sequence[Line], a: DateAnchor, body: list[int], geom: Geometry | None = None) -> Row:
    row = Row(anchor=a, changed_on_raw=a.raw)
    row.line_idx.add(a.index)
    pre_timing, pre_reason = _in_front(a.pre)
    texts, tail, timing, inline_reason = _split_at_timing(text_blocks(lines, (a.index, a.rest), body), row)
    reason_lines, inline_reason, foreign = _reason_lines(row, tail, inline_reason)
    _settle_timing(row, pre_timing, timing)
    body_reason = join_wrapped(([inline_reason] if inline_reason else []) + [t for _, t in reason_lines]) or None
    if foreign:
        pass
    elif pre_reason and body_reason:
        row.note("reason.unsettled", "reason found both before the change date and after the timing: left null")
    else:
        row.reason = pre_reason and normalize_text(pre_reason) or body_reason
    row.line_idx.update(i for i, _ in reason_lines)
    fill_item_and_texts(row, a, texts, timed=timing is not None, lines=lines, geom=geom)
    return row


def _in_front(pre: str) -> tuple[str | None, str | None]:
    """(提出時期, 説明) glued in front of the 変更日 (``事後 誤記修正平成31年…``)."""
    if not pre:
        return None, None
    m = timing_in_front(pre)
    return (m.group(1), (m.group(2) or "").strip() or None) if m else (None, pre)


def _first_timing(block: Block) -> tuple[int, regex.Match] | None:
    """(position in the block, match) of the block's first 提出時期 token."""
    return next(((j, m) for j, (_, t) in enumerate(block) if (m := find_timing(t))), None)


def _before_timing(block: Block, j: int, m: regex.Match) -> Block | None:
    """The block's text before its 提出時期 token (the row's last text), if any."""
    i, t = block[j]
    if t[: m.start()].strip():
        return block[:j] + [(i, t[: m.start()])]
    return block[:j] or None


def _split_at_timing(blocks: list[Block], row: Row) -> tuple[list[Block], list[Block], str | None, str | None]:
    """The blocks before the first 提出時期 token, the blocks after it, the token and the text
    after it on its line."""
    texts: list[Block] = []
    for n, block in enumerate(blocks):
        hit = _first_timing(block)
        if hit is None:
            texts.append(block)
            continue
        j, m = hit
        row.line_idx.add(block[j][0])
        if (before := _before_timing(block, j, m)) is not None:
            texts.append(before)
        tail = ([block[j + 1:]] if block[j + 1:] else []) + blocks[n + 1:]
        return texts, tail, m.group(1), block[j][1][m.end():].strip() or None
    return texts, [], None, None


def _reason_lines(row: Row, tail: list[Block], inline_reason: str | None) -> tuple[Block, str | None, bool]:
    """The 説明's lines after the 提出時期, the 説明 on the token's line, and whether foreign
    pieces made the 説明 unreadable."""
    if any(find_timing(t) for blk in tail for _, t in blk):
        row.note("reason.second_timing", "a second timing inside the row: the reason after it is not read")
        return [], inline_reason, False
    chunks = list(takewhile(lambda blk: not is_path(blk[0][1]), tail))  # an item: another row's pieces
    if len(chunks) + (1 if inline_reason else 0) > 1:
        # the 説明 is one cell: several separate texts after the 提出時期 mean foreign pieces
        row.note("reason.unsettled", "several texts after the timing: reason left null")
        return [], None, True
    return [x for blk in chunks for x in blk], inline_reason, False


def _settle_timing(row: Row, pre_timing: str | None, timing: str | None) -> None:
    timings = {t for t in (pre_timing, timing) if t}
    if len(timings) == 1:
        row.timing = timings.pop()
    elif timings:
        row.note("timing.conflict", "conflicting timings around the row: left null")
    else:
        row.note("timing.missing", "no timing found")


# --- mode B: one row per item path ------------------------------------------------------------


def mode_b(lines: Sequence[Line], section: Section, idx: list[int], anchors: list[DateAnchor],
           warnings: list[ExtractWarning], geom: Geometry | None = None) -> list[Row]:
    warnings.append(ExtractWarning("rows_out_of_order", "the table's text is out of row order; rows read by item path"))
    date_idx = {a.index for a in anchors}
    starts = _path_starts(lines, idx, date_idx)
    rows = []
    for s, start in enumerate(starts):
        stop = starts[s + 1] if s + 1 < len(starts) else (idx[-1] + 1)
        span = [i for i in range(start, stop) if i not in date_idx and not furniture_at(lines, i)]
        rows.append(_row_b(lines, span, geom))
    dates = [a.raw for a in anchors] + _dates_above(lines, section)
    if len({normalize_text(d) for d in dates}) == 1 and len(dates) == len(rows):
        for r in rows:
            r.changed_on_raw = dates[0]
    else:
        for r in rows:
            r.note("changed_on_unattributed", "change date not attributable in a scrambled table")
    return rows


def _dates_above(lines: Sequence[Line], section: Section) -> list[str]:
    """Dates printed just above the table heading: they belong to its first page."""
    out = []
    j = section.start - 1
    while j >= 0:
        a = date_anchor(lines[j].text, j)
        if not blank(lines, j) and not (a and not a.pre and not a.rest):
            break
        if a:
            out.append(a.raw)
        j -= 1
    return out


def _path_starts(lines: Sequence[Line], idx: list[int], date_idx: set[int]) -> list[int]:
    """Lines that open a row: an item path at the start of a block."""
    starts = []
    for k, i in enumerate(idx):
        if blank(lines, i) or i in date_idx or furniture_at(lines, i):
            continue
        prev_blank = (k == 0 or blank(lines, idx[k - 1]) or furniture_at(lines, idx[k - 1])
                      or new_cell(lines[idx[k - 1]], lines[i]))
        if prev_blank and is_path(lines[i].text):
            starts.append(i)
    return starts


def _row_b(lines: Sequence[Line], span: list[int], geom: Geometry | None) -> Row:
    item_lines: list[int] = []
    for i in span:
        if blank(lines, i) or (item_lines and new_cell(lines[item_lines[-1]], lines[i])):
            break
        item_lines.append(i)
    row = Row(anchor=None, item=join_wrapped([lines[i].text for i in item_lines]), item_lines=item_lines)
    row.line_idx.update(item_lines)
    texts: list[Block] = []
    for block in text_blocks(lines, None, span[len(item_lines):]):
        hit = _first_timing(block)
        if hit is None:
            texts.append(block)
            continue
        j, m = hit
        row.timing = m.group(1)
        row.line_idx.add(block[j][0])
        if (before := _before_timing(block, j, m)) is not None:
            texts.append(before)
        row.reason = normalize_text(block[j][1][m.end():]) or None
        break
    if row.timing is None:
        row.note("timing.missing", "no timing after the row's text")
    fill_item_and_texts(row, None, texts, find_item=False, lines=lines, geom=geom)
    return row
