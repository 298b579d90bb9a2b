"""変更箇所 rows (全項目 （別添3）, 重点 （別添2）) from the text layer: ``changes`` table.

The steps, one module each: ``vocabulary`` (the table's words, from parsers/form/data/changes.json),
``geometry`` (text blocks, PDF columns), ``rows`` (row boundaries: mode A and mode B below),
``split`` (item, 変更前 and 変更後, and the named abstain rules).

How the PDF text layer emits one row
------------------------------------
The table has six columns: 変更日 · 項目 · 変更前の記載 · 変更後の記載 · 提出時期 · 提出時期に係る説明.
A text layer without geometry emits each row as a run of *blocks* (lines separated by blank lines),
in column order, e.g. (a row spread over ~60 lines)::

    体裁修正平成31年4月17日          <- [説明 of this row, glued in front] 変更日
                                     (blank)
    Ⅰ　基本情報                     <- 項目: a path starting with a section name, one block
    １．特定個人情報ファイルを取      (wrapped at the narrow column width)
    り扱う事務 / ②事務の内容
                                     (blank)
    1．…（30 lines）…               <- 変更前の記載, one block
                                     (blank)
    1．…（20 lines）…               <- 変更後の記載, one block
                                     (blank)
    事後                             <- 提出時期, alone or followed by the 説明 (``事後 体裁修正``)
    【重要な変更】…                  <- 説明 lines, up to the next 変更日
     平成31年4月17日                 <- the next row

Cells that share a line are joined with ONE ASCII space (inside a cell the PDF uses U+3000 or
nothing), so a short row can sit on one line::

    令和3年9月1日 Ⅱ５．提供先１①法令上の根拠 番号法第１９条第７号… 番号法第１９条第８号… 事前
    記載なし 5年 事前                 <- 変更前 変更後 提出時期 on one line, after a 項目 block

Variants: the 項目 cell may be empty (the row continues the item above) so the row has only two
text blocks; the 提出時期 may be missing, glued after the last text line (``…受け付ける。 事後``)
or glued in front of the next 変更日 (``事後 誤記修正平成31年4月17日``); the 説明 may sit in
front of the 変更日 (``事務内容が同一のため。平成29年2月10日 評価書及び評価書番号``). The column
header repeats on every page (``提出時期に係る説明変更日 項目 変更前の記載 変更後の記載 提出時期``) and a
row broken by a page may leave its pieces in the wrong order around that header.

Some layers scramble whole pages: every 変更日 of the page first (some even before the table
heading), then items, texts and timings in no row order. That page order is detected (most dates
stand in runs with nothing between them) and read item by item instead (mode B below).

A PDF layout (``parsers.read.pdf_reader``) emits the same column order cell by cell but without blank
lines; there a new cell is told from the line boxes (back up to the row's top, or to the right on
the same line, or on another page), and a text cell's column from the header positions.

Row boundaries
--------------
Mode A (ordered): every 変更日 at the start of a line (optionally preceded by a 提出時期/説明 glued in
front, and followed by nothing, an item path, a timing or a short label) starts a row; the row runs
to the next such 変更日 or to a repeated header (text between a header and the next 変更日 belongs
to a row broken by the page and is left unassigned, with a warning). A date that follows a row's
item with at most one text between and a 提出時期 still to come is cell text (a changed
保有開始日), not a new row. Inside the row the first 事前/事後 token splits the texts (項目, 変更前,
変更後) from the 説明; the 説明 is the rest of that line plus the lines after it, unless they
hold a second timing, an item path or several separate texts (then the 説明 is left null).
Mode B (scrambled): every block that starts with an item path starts a row; the date is filled
only when all dates of the table are the same and there are as many as rows; the 提出時期 only
when a token follows the row's text before the next item; the 説明 only from the timing's line.
The 項目 is the block that opens with a section name (Ⅰ…Ⅵ with a title or a number, 表紙,
（別添N）, a bare title such as 基本情報 on its own line) or the first cell after the 変更日 on its
line; it is left null when absent or when its end is not settled.

Separating 変更前 from 変更後 (abstain when unsure)
-------------------------------------------------
- exactly two text blocks: 変更前, 変更後 (column order);
- one block of one line with exactly one single ASCII space: the two cells of that line;
- one block whose first line says the cell was empty (記載なし, 記載無し, －, ―, なし, or a short
  「…に関する記載なし」): that line is 変更前 and the rest 変更後;
- three or more blocks (a cell with blank lines inside): split where a later block repeats the first
  block's opening line (変更後 revises 変更前), if exactly one does and every other block opens like a
  continuation (bullet, bracket, indent), not like a 説明 put between the texts;
- anything else (one block, three or more, a foreign item path among the texts, a line that mixes
  two columns, 変更前 == 変更後 as visible) leaves both null with a warning. A wrong value is worse
  than a missing one.
"""
from __future__ import annotations

from typing import Sequence

import regex

from normalizers.eras import parse_era_date
from normalizers.text import unspace_cjk


from parsers.extract.changes.geometry import header_geometry, rejoin_wrapped_dates
from parsers.extract.changes.rows import mode_a, mode_b, scrambled
from parsers.extract.changes.split import ABSTAINED, split_before_after
from parsers.extract.changes.vocabulary import annex_head, date_anchor, is_header, is_path, words
from parsers.extract.context import DocContext
from parsers.extract.contract import Extracted, ExtractWarning
from parsers.model import Line, Section, source_ref

_MIN_SPACED = 8  # characters: shorter lines say little about spacing
_CJK = r"[\p{Han}\p{Hiragana}\p{Katakana}]"
_DIGITS_SPACED = regex.compile(rf"{_CJK} [0-9０-９]+ {_CJK}")
_DIGITS_TIGHT = regex.compile(rf"{_CJK}[0-9０-９]+|[0-9０-９]+{_CJK}")

__all__ = ["ABSTAINED", "change_rows", "date_anchor", "extract", "is_header", "split_before_after"]


def extract(ctx: DocContext) -> Extracted:
    """Rows of every 変更箇所 section, numbered through the document."""
    out = Extracted({"changes": []})
    for sec in ctx.sections:
        if sec.title == words()["title"]:
            rows, warnings = change_rows(ctx.lines, sec)
            out.tables["changes"] += rows
            out.warnings += warnings
    for n, row in enumerate(out.tables["changes"], 1):
        row["row_no"] = n
    return out


def change_rows(lines: Sequence[Line], section: Section) -> tuple[list[dict], list[ExtractWarning]]:
    """Rows of the 変更箇所 ``section`` (``lines`` is the whole layout) for the ``changes`` table
    (every column but ``doc_id``), and warnings. Values the text does not settle stay null."""
    idx = list(range(section.start, section.end))
    if idx and annex_head(lines[idx[0]].text):
        idx = idx[1:]
    lines = rejoin_wrapped_dates(lines, idx)
    anchors = [a for a in (date_anchor(lines[i].text, i) for i in idx) if a]
    warnings: list[ExtractWarning] = []
    geom = header_geometry(lines, section)
    if not anchors and not any(is_path(lines[i].text) for i in idx):
        return [], warnings
    if scrambled(lines, idx, anchors):
        rows = mode_b(lines, section, idx, anchors, warnings, geom)
    else:
        rows = mode_a(lines, idx, anchors, warnings, geom)
    spaced = letter_spaced(lines, idx)
    out = []
    for n, r in enumerate(rows, 1):
        ref = source_ref([lines[i] for i in sorted(r.line_idx)])
        warnings += [ExtractWarning(code, f"row {n}: {note}", ref) for code, note in r.notes]
        d = parse_era_date(r.changed_on_raw) if r.changed_on_raw else None
        cells = {"item": r.item or None, "before": r.before, "after": r.after, "timing": r.timing,
                 "reason": r.reason or None}
        if spaced and any(cells.values()):
            cells = dict.fromkeys(cells)
            warnings.append(ExtractWarning("changes_cells_unsettled", f"row {n}: letter-spaced text: the one space "
                                           "between cells cannot be told from the spacing, cells left null", ref))
        out.append({"row_no": n, "changed_on": d.date if d else None, "changed_on_raw": r.changed_on_raw,
                    **cells, "source_ref": ref})
    return out, warnings


def letter_spaced(lines: Sequence[Line], idx: list[int]) -> bool:
    """Whether the extraction put spaces into the table's text: most lines letter-spaced (a space
    between every character), or most numbers spaced off the words around them (``平成 29 年``).
    The text then no longer marks where one cell ends and the next begins on a line."""
    texts = [lines[i].text for i in idx if len(lines[i].text.strip()) >= _MIN_SPACED]
    if not texts:
        return False
    joined = "\n".join(texts)
    return sum(unspace_cjk(t) != t for t in texts) > len(texts) / 2 \
        or len(_DIGITS_SPACED.findall(joined)) > len(_DIGITS_TIGHT.findall(joined))
