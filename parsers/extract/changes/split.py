"""One row's item, 変更前 and 変更後 from its text blocks, and the rules that abstain.

Each abstain rule is named (its name is the warning code ``before_after.<name>``) and listed in
the order it is tried; the first that applies leaves 変更前/変更後 null. A wrong value is worse
than a missing one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import regex

from normalizers.text import compact, join_wrapped, normalize_text

from parsers.extract.changes.geometry import Block, Geometry, column_of
from parsers.extract.changes.vocabulary import (BARE_ROMAN, INTERLEAVE, MIN_OPENING, NARROW, WRAP_WIDTH, DateAnchor,
                                                find_timing, is_path, is_weak_path, label_start, narrow_wrapped,
                                                split_cells, starts_with_section_title)
from parsers.form.placeholders import says_empty
from parsers.model import Line

ABSTAINED = "before_after"  # warning code prefix: 変更前/変更後 left null, and by which rule
Why = tuple[str, str] | None  # (rule, reason) of an abstention


@dataclass
class Row:
    anchor: DateAnchor | None
    item_lines: list[int] = field(default_factory=list)
    item: str | None = None
    before: str | None = None
    after: str | None = None
    timing: str | None = None
    reason: str | None = None
    changed_on_raw: str | None = None
    line_idx: set[int] = field(default_factory=set)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (code, message)

    def note(self, code: str, message: str) -> None:
        self.notes.append((code, message))

    def abstain(self, rule: str, why: str) -> None:
        """変更前/変更後 stay null; the code ``before_after.<rule>`` names the rule that abstained."""
        self.notes.append((f"{ABSTAINED}.{rule}", f"before/after left null: {why}"))


@dataclass(frozen=True)
class Rule:
    name: str
    why: str
    applies: Callable[[Any], bool]


def first_rule(rules: Sequence[Rule], case) -> Why:
    return next(((r.name, r.why) for r in rules if r.applies(case)), None)


@dataclass(frozen=True)
class DateLine:
    """The cells printed on a row's 変更日 line, the lines that follow in its block, later blocks."""

    cells: list[str]
    more: list[str]
    blocks: list[Block]
    positional: bool  # the cells open with an item path: their columns are known


DATE_LINE_RULES = (
    Rule("date_line_columns_unknown", "cells on the date line do not open with an item path: cannot tell the columns",
         lambda d: not d.positional),
    Rule("date_line_mixed", "the date line mixes cells with following lines", lambda d: len(d.cells) > 1 and d.more),
    Rule("item_may_wrap", "the item may continue on the next line",
         lambda d: len(d.cells) == 1 and d.more and len(compact(d.cells[0])) >= WRAP_WIDTH
         and len(compact(d.more[0])) <= WRAP_WIDTH),
    Rule("date_line_and_blocks", "cells on the date line and further text blocks",
         lambda d: len(d.cells) > 1 and bool(d.blocks or d.more)),
    Rule("one_text_beside_item", "only one text beside the item: cannot tell before from after",
         lambda d: len(d.cells) == 2),
    Rule("too_many_cells", "more than three cells on one line: cannot tell where the item ends",
         lambda d: len(d.cells) > 3),
)

PIECE_RULES = (  # case: (the texts left for 変更前/変更後, whether the row has a 提出時期)
    Rule("foreign_item", "an item path among the texts: pieces of another row",
         lambda c: any(is_path(p[0]) for p in c[0])),
    Rule("reason_among_texts", "no timing and the last block may be the reason",
         lambda c: not c[1] and len(c[0]) >= 2 and len(c[0][-1]) <= 3 and not continues(c[0][-1])),
)


def fill_item_and_texts(row: Row, a: DateAnchor | None, blocks: list[Block], find_item: bool = True,
                        timed: bool = True, lines: Sequence[Line] = (), geom: Geometry | None = None) -> None:
    """Item, 変更前 and 変更後 from the row's text blocks (those before its 提出時期; ``timed`` is
    False when the row has no 提出時期 token, so its 説明 may be among the blocks)."""
    for blk in blocks:
        row.line_idx.update(i for i, _ in blk)
    blocks = [list(b) for b in blocks]
    if a is not None and a.rest and blocks and blocks[0][0][0] == a.index:
        pieces, why = _from_date_line(row, blocks)
    elif len(blocks) > 1 and lines and _one_converted_row(lines, blocks):
        pieces, why = _from_converted_row(row, blocks)
    else:
        pieces, why = _from_blocks(row, blocks, find_item)
        rest = blocks[len(blocks) - len(pieces):]
        if geom and not why and rest and all(lines[i].bbox for b in rest for i, _ in b):
            by_columns(row, lines, rest, geom)
            return
    why = why or first_rule(PIECE_RULES, (pieces, timed))
    if why is None:
        before, after, why = split_before_after(pieces)
    if why:
        row.abstain(*why)
    else:
        row.before, row.after = before, after


def _from_date_line(row: Row, blocks: list[Block]) -> tuple[list[list[str]], Why]:
    """The 変更日 line carries the item (and maybe the texts): split its cells."""
    first = blocks.pop(0)
    head = first[0][1]
    m = find_timing(head)
    cells = split_cells(head if not m else head[: m.start()])
    if len(cells) >= 2 and BARE_ROMAN.match(cells[0]) and starts_with_section_title(cells[1]):
        cells = [cells[0] + " " + cells[1]] + cells[2:]
    more = [t for _, t in first[1:]]
    positional = len(cells) == 1 or (len(cells) <= 3 and bool(is_path(cells[0]) or BARE_ROMAN.match(cells[0])))
    row.item = normalize_text(cells[0]) if cells and positional else None
    row.item_lines = [first[0][0]]
    why = first_rule(DATE_LINE_RULES, DateLine(cells, more, blocks, positional))
    if why and why[0] == "item_may_wrap":
        row.item = None
    pieces = [[cells[1]], [cells[2]]] if not why and len(cells) == 3 else []
    return pieces + ([more] if more else []) + [[t for _, t in b] for b in blocks], why


def _one_converted_row(lines: Sequence[Line], blocks: list[Block]) -> bool:
    """Blocks that are the cells of one converted (markdown) table row: one source line, no boxes."""
    no = lines[blocks[0][0][0]].no
    return all(lines[i].no == no and lines[i].bbox is None for b in blocks for i, _ in b)


def _from_converted_row(row: Row, blocks: list[Block]) -> tuple[list[list[str]], Why]:
    """Cells and <br> parts look alike, so only a row of exactly 項目 · 変更前 · 変更後 is read."""
    texts = [[t for _, t in b] for b in blocks]
    if len(texts) == 3 and is_path(texts[0][0]) and len(texts[0]) == 1 and not label_start(texts[1][0]):
        row.item = normalize_text(texts[0][0])
        row.item_lines = [blocks[0][0][0]]
        return texts[1:], None
    return [], ("converted_row_cells_unknown",
                f"a converted table row with {len(texts)} parts before the timing: cell boundaries unknown")


def _from_blocks(row: Row, blocks: list[Block], find_item: bool) -> tuple[list[list[str]], Why]:
    texts = [[t for _, t in b] for b in blocks]
    if not find_item or not texts:
        return texts, None
    if is_path(texts[0][0]) or (len(texts) == 3 and is_weak_path(texts[0])):
        item_block, why = _cut_interleaved(texts.pop(0))
        row.item = join_wrapped(item_block)
        row.item_lines = [blocks[0][0][0]]
        return texts, why
    if texts[0] and is_weak_path(texts[0]) and len(texts) == 2:
        return texts, ("item_or_before", "the first block may be the item or the before text")
    if len(texts) == 2 and narrow_wrapped(texts[0]) and max(len(compact(t)) for t in texts[1]) > NARROW + 4:
        # the first block wraps much narrower than the text after it: an item in a form this
        # parser does not know, rather than 変更前 text
        return texts, ("unknown_item", "the first block may be an item this parser does not recognise")
    return texts, None


def _cut_interleaved(item_block: list[str]) -> tuple[list[str], Why]:
    for j, t in enumerate(item_block):
        m = INTERLEAVE.search(t)
        if j and m:
            return item_block[:j] + [t[: m.start() + 1]], ("item_interleaved",
                                                          "an item line carries the start of another column")
    return item_block, None


def by_columns(row: Row, lines: Sequence[Line], blocks: list[Block], geom: Geometry) -> None:
    """変更前/変更後 from the column each text cell stands in (PDF geometry)."""
    cols = [column_of(lines[b[0][0]].bbox[0], geom) for b in blocks]
    if None in cols:
        row.abstain("outside_columns", "a text outside the before/after columns")
        return
    if cols != sorted(cols, key=lambda c: c == "after"):
        row.abstain("columns_out_of_order", "after text before before text")
        return
    before = join_wrapped([t for b, c in zip(blocks, cols) if c == "before" for _, t in b])
    after = join_wrapped([t for b, c in zip(blocks, cols) if c == "after" for _, t in b])
    if compact(before) == compact(after):
        row.abstain("before_equals_after", "before and after read the same")
        return
    row.before, row.after = before, after  # an empty column is an empty printed cell: ""


def split_before_after(pieces: list[list[str]]) -> tuple[str | None, str | None, tuple[str, str] | None]:
    """(変更前, 変更後, None) when the pieces settle it, else (None, None, (code, reason))."""
    pieces = [[t for t in p if t.strip()] for p in pieces]
    pieces = [p for p in pieces if p]
    before = after = None
    if len(pieces) == 2:
        before, after = join_wrapped(pieces[0]), join_wrapped(pieces[1])
    elif len(pieces) == 1:
        p = pieces[0]
        if len(p) == 1:
            cells = split_cells(p[0])
            if len(cells) != 2:
                return None, None, ("one_text", "one text and no way to tell its column")
            before, after = normalize_text(cells[0]), normalize_text(cells[1])
        elif says_empty(p[0]) and not any(says_empty(t) for t in p[1:]):
            # 「記載なし」 (or 「Xに関する記載なし」) opens the block: the 変更前 cell, the rest 変更後
            before, after = normalize_text(p[0]), join_wrapped(p[1:])
        else:
            return None, None, ("one_block", "one text block and no marker separating the columns")
    elif not pieces:
        return None, None, ("no_text", "no text")
    else:
        # a cell with blank lines inside: the 変更後 text revises the 変更前 text, so it usually
        # opens with the same line; split there when exactly one later block does
        opening = compact(pieces[0][0])
        same = [k for k in range(1, len(pieces)) if compact(pieces[k][0]) == opening]
        if len(opening) < MIN_OPENING or len(same) != 1:
            return None, None, ("many_blocks", f"{len(pieces)} text blocks: cannot tell which are before/after")
        k = same[0]
        if not all(continues(pieces[j]) for j in range(1, len(pieces)) if j != k):
            return None, None, ("block_not_continuation",
                                f"{len(pieces)} text blocks, one not a continuation (a reason?): cannot split")
        before, after = join_wrapped([t for p in pieces[:k] for t in p]), join_wrapped([t for p in pieces[k:] for t in p])
    if compact(before) == compact(after):
        return None, None, ("before_equals_after", "before and after read the same (cells cut off in the text layer?)")
    return before, after, None


_CONTINUATION = regex.compile(r"^(?:\s|[・(（【\[［「『※○●◆■◇□＜<〈\-－ー―0-9０-９①-⑳㉑-㊿])")


def continues(block: list[str]) -> bool:
    """Does a block open like more of a cell's text (a list item, a bracket, an indent) rather
    than like a 説明 (``体裁修正``) that the layer put between two texts?"""
    return bool(_CONTINUATION.match(block[0]))
