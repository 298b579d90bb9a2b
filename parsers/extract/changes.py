"""変更箇所 rows (全項目 （別添3）, 重点 （別添2）) from the text layer: ``changes`` table.

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

from dataclasses import dataclass, field, replace
from typing import Sequence

import regex

from normalizers.eras import find_era_dates, parse_era_date
from normalizers.text import compact, join_wrapped, nfkc, normalize_text

from parsers.model import Line, Section, new_cell, source_ref, wraps_on
from parsers.extract.context import DocContext
from parsers.extract.contract import Extracted, ExtractWarning
from parsers.settings import PDF

CHANGES_TITLE = "変更箇所"  # the appendix holding the change table
ABSTAINED = "before_after"  # warning code prefix: 変更前/変更後 left null, and by which rule

# --- vocabulary ----------------------------------------------------------------------------

_TIMING = regex.compile(r"(?:(?<=^)|(?<=[\s。．.、）)]))(事前|事後)(?=$|\s)")
_TIMING_PRE = regex.compile(r"^\s*(事前|事後)(?:\s+(.*))?$")  # a timing glued in front of a 変更日
_HEADER_WORDS = ("提出時期に係る説明", "変更前の記載", "変更後の記載", "提出時期", "変更日", "項目")
_ANNEX_HEAD = regex.compile(r"^[（(]別添[0-9０-９]*[）)]\s*変更箇所$")
_PAGE_NO = regex.compile(r"^[-－‐ー]?\s*[0-9０-９]+\s*[-－‐ー]?$|^[0-9０-９]+\s*/\s*[0-9０-９]+$")
_EMPTY_MARKERS = {"記載なし", "記載無し", "なし", "無し", "－", "―", "-", "ー", "—", "‐", "該当なし", "(記載なし)"}
# section names an item path starts with (after the numeral, if any); compared on compact NFKC text
_SECTION_TITLES = (
    "基本情報", "特定個人情報ファイル", "ファイルの概要", "特定個人情報の", "リスク対策",
    "その他のリスク対策", "開示請求", "評価実施手続", "評価書",
)
# a section title without its numeral opens an item only as a whole line (or before a heading number)
_BARE_TITLES = ("基本情報", "特定個人情報ファイルの概要", "ファイルの概要", "リスク対策", "その他のリスク対策",
                "開示請求、問合せ", "評価実施手続")
_COVER_ITEMS = ("評価書名", "評価書番号", "評価書及び評価書番号", "評価実施機関の名称", "公表日")
# after a section numeral: the first characters of a section title (a narrow cell may cut it short)
_TITLE_STEMS = ("特定", "基本", "ファイル", "リスク", "その他", "開示", "評価", "表紙")
_ROMAN = "ⅠⅡⅢⅣⅤⅥ"
_STRONG_PATH = regex.compile(
    rf"""^(?:
        [{_ROMAN}][\s　.．、]*(?:[0-9０-９]|{"|".join(_TITLE_STEMS)})  # Ⅰ基本情報, Ⅱ３④…, Ⅲ２リスク１
      | (?:VI|IV|V|III|II|I)[\s.．、]*(?:[0-9０-９]|{"|".join(_TITLE_STEMS)})
      | 表紙
      | [（(]別添[0-9０-９]+[）)]
      | (?:{"|".join(_BARE_TITLES)})(?:$|[\s　]*[0-9０-９])  # 基本情報 / ５．個人番号の利用
      | (?:{"|".join(_COVER_ITEMS)})$
    )""",
    regex.X,
)
_BARE_ROMAN = regex.compile(rf"^(?:[{_ROMAN}]|VI|IV|V|III|II|I)$")
_NUM_HEAD = regex.compile(r"^[0-9０-９]+[.．]\S")  # ５.個人番号の利用 (an item path without its section)
_INTERLEAVE = regex.compile(r"\S (?=[・【「○●◆■※])")  # a second column's first line glued on

MAX_PRE = 40  # a 説明 glued in front of a 変更日 is short
MAX_REST = 30  # an item glued after a 変更日 (no path, no timing) is short
NARROW = 16  # characters: lines of the 項目 column wrap at about this width or less
WRAP_WIDTH = 12  # an item this long may have wrapped in its narrow column
MIN_OPENING = 4  # characters of a shared opening line that tell where 変更後 starts


# how the next piece of an item path opens (a converted row may split the item cell at <br>)
_LABEL_START = regex.compile(r"^\s*(?:[①-⑳㉑-㊿]|[（(][0-9０-９]+[)）]|[0-9０-９]+[.．]|(?:リスク|委託事項|システム|提供先|移転先)[0-9０-９])")

# --- small helpers -------------------------------------------------------------------------


def is_header(text: str) -> bool:
    """A (possibly partial) repeat of the column header, or the table heading itself."""
    c = compact(text)
    if not c:
        return False
    if _ANNEX_HEAD.match(c):
        return True
    rest = c
    for w in _HEADER_WORDS:
        rest = rest.replace(w, "")
    return rest == "" and len(c) >= 2


def is_furniture(text: str) -> bool:
    return is_header(text) or bool(_PAGE_NO.match(text.strip()))


def _header_at(lines: Sequence[Line], i: int) -> bool:
    """A header line: a wrapped piece inside a PDF cell (``項目`` of ``…記録される / 項目``) is cell
    text, not the column header."""
    return is_header(lines[i].text) and not (i > 0 and wraps_on(lines[i - 1], lines[i]))


def _furniture_at(lines: Sequence[Line], i: int) -> bool:
    return is_furniture(lines[i].text) and not (i > 0 and wraps_on(lines[i - 1], lines[i]))


def is_path(text: str) -> bool:
    """Does this text start like an item path (section name first)?"""
    s = text.strip()
    return bool(_STRONG_PATH.match(s) or _STRONG_PATH.match(nfkc(s).strip()))


def _is_weak_path(block: list[str]) -> bool:
    """A short, narrow block starting with a numbered heading (an item path without its section)."""
    return bool(_NUM_HEAD.match(block[0].strip())) and len(block) <= 6 and all(len(t.strip()) <= 22 for t in block)


def _narrow_wrapped(block: list[str]) -> bool:
    """A block of two or more lines wrapped at a narrow width (an item column)."""
    widths = [len(compact(t)) for t in block]
    return len(block) >= 2 and max(widths) <= NARROW and max(widths[:-1]) >= NARROW - 4


def _split_cells(text: str) -> list[str]:
    """Split one line into the cells it carries: at single ASCII spaces between non-spaces."""
    return [p for p in regex.split(r"(?<=\S) (?=\S)", text.strip()) if p.strip()]


def _join(texts: list[str]) -> str:
    return join_wrapped(texts)


@dataclass
class DateAnchor:
    index: int  # into lines
    raw: str
    pre: str  # text glued in front of the date on its line
    rest: str  # text after the date on its line


def date_anchor(text: str, index: int = 0) -> DateAnchor | None:
    """A 変更日 at the start of a line (after at most a short glued-on 説明/提出時期), followed by
    white space or the end of the line (``（平成27年6月3日法律第32号`` inside a text is not one)."""
    for m in find_era_dates(text):
        if m.precision != "day":
            continue
        pre, rest = text[: m.start], text[m.end:]
        if rest and not rest[0].isspace():
            continue
        pre_s = pre.strip()
        if pre_s and (len(pre_s) > MAX_PRE or pre_s[-1] in "（(「、"):
            continue
        rest_s = rest.strip()
        if rest_s and not is_path(rest_s) and not _find_timing(rest_s) and len(compact(rest_s)) > MAX_REST:
            continue  # a sentence that opens with a date is cell text
        return DateAnchor(index, m.raw, pre_s, rest.strip())
    return None


def _find_timing(text: str) -> regex.Match | None:
    return _TIMING.search(text)


# --- row assembly ----------------------------------------------------------------------------


@dataclass
class _Row:
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
        self.notes.append((f"{ABSTAINED}.{rule}", f"変更前/変更後 left null: {why}"))


def extract(ctx: DocContext) -> Extracted:
    """Rows of every 変更箇所 section, numbered through the document."""
    out = Extracted({"changes": []})
    for sec in ctx.sections:
        if sec.title == CHANGES_TITLE:
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
    if idx and _ANNEX_HEAD.match(compact(lines[idx[0]].text)):
        idx = idx[1:]
    lines = _rejoin_wrapped_dates(lines, idx)
    anchors = [a for a in (date_anchor(lines[i].text, i) for i in idx) if a]
    warnings: list[ExtractWarning] = []
    geom = header_geometry(lines, section)
    if not anchors and not any(is_path(lines[i].text) for i in idx):
        return [], warnings
    if _scrambled(lines, idx, anchors):
        rows = _mode_b(lines, section, idx, anchors, warnings, geom)
    else:
        rows = _mode_a(lines, idx, anchors, warnings, geom)
    out = []
    for n, r in enumerate(rows, 1):
        refs = [lines[i] for i in sorted(r.line_idx)]
        ref = source_ref(refs)
        for code, note in r.notes:
            warnings.append(ExtractWarning(code, f"row {n}: {note}", ref))
        d = parse_era_date(r.changed_on_raw) if r.changed_on_raw else None
        out.append({
            "row_no": n,
            "changed_on": d.date if d else None,
            "changed_on_raw": r.changed_on_raw,
            "item": r.item or None,
            "before": r.before,
            "after": r.after,
            "timing": r.timing,
            "reason": r.reason or None,
            "source_ref": ref,
        })
    return out, warnings


def _rejoin_wrapped_dates(lines: Sequence[Line], idx: list[int]) -> Sequence[Line]:
    """A narrow 変更日 column wraps the date inside its PDF cell (``令和3年9月1`` / ``日``): join
    the date's pieces onto the first line and blank the continuation, so the row is anchored."""
    out: list[Line] | None = None
    for i in idx[:-1]:
        cur, nxt = lines[i], lines[i + 1]
        if cur.bbox is None or nxt.bbox is None or new_cell(cur, nxt) or date_anchor(cur.text):
            continue
        joined = cur.text + nxt.text
        if any(m.precision == "day" and m.start < len(cur.text) < m.end for m in find_era_dates(joined)) \
                and date_anchor(joined):
            out = out if out is not None else list(lines)
            out[i] = replace(cur, text=joined)
            out[i + 1] = replace(nxt, text="")
    return lines if out is None else out


def _blank(lines: Sequence[Line], i: int) -> bool:
    return not lines[i].text.strip()


def _scrambled(lines: Sequence[Line], idx: list[int], anchors: list[DateAnchor]) -> bool:
    """Most dates stand in runs with nothing but blank lines or header pieces between them."""
    if not anchors:
        return any(is_path(lines[i].text) for i in idx)  # dates only above the heading, if any
    if len(anchors) < 2:
        return False
    pos = {a.index for a in anchors}
    clustered = 0
    for a, b in zip(anchors, anchors[1:]):
        between = [i for i in range(a.index + 1, b.index) if not _blank(lines, i) and not _furniture_at(lines, i)]
        if not between and not a.rest and not a.pre:
            clustered += 1
    return clustered * 2 >= len(anchors) and len(pos) > 1


# --- mode A: one row per 変更日 ---------------------------------------------------------------


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
        has_timing = bool(_find_timing(last.rest)) or any(_find_timing(t) for _, t in texts)
        has_header = any(_header_at(lines, i) for i, _ in texts)
        blocks = _blocks(lines, (last.index, last.rest), [i for i in between if not _furniture_at(lines, i)])
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
    if _find_timing(t0):
        return True
    prev_blank = True  # a path right under the date is that row's item
    for i in range(start + 1, min(end, start + limit)):
        t = lines[i].text
        if not t.strip():
            prev_blank = True
            continue
        prev_blank = prev_blank or new_cell(lines[i - 1], lines[i])
        if _header_at(lines, i) or (prev_blank and is_path(t)):
            return False
        a = date_anchor(t, i)
        if _find_timing(t):
            return True
        if a and a.pre == "" and not prev_blank:
            return False
        prev_blank = False
    return False


def _mode_a(lines: Sequence[Line], idx: list[int], anchors: list[DateAnchor], warnings: list[ExtractWarning],
            geom: Geometry | None = None) -> list[_Row]:
    rows: list[_Row] = []
    content = _content_dates(lines, idx, anchors)
    anchors = [a for a in anchors if a.index not in content]
    if anchors:
        head = [i for i in idx if i < anchors[0].index and not _blank(lines, i) and not _furniture_at(lines, i)]
        if head:
            warnings.append(ExtractWarning("text_unassigned", "text before the first 変更日 not assigned",
                                           source_ref([lines[i] for i in head])))
    last = idx[-1] + 1 if idx else 0
    for k, a in enumerate(anchors):
        stop = anchors[k + 1].index if k + 1 < len(anchors) else last
        body = []
        orphan = []
        cut = False
        for i in range(a.index + 1, stop):
            if _header_at(lines, i):
                cut = True
                continue
            if _furniture_at(lines, i):
                continue
            (orphan if cut else body).append(i)
        orphan = [i for i in orphan if not _blank(lines, i)]
        if orphan:
            warnings.append(ExtractWarning("text_unassigned", "text after a page header not assigned",
                                           source_ref([lines[i] for i in orphan])))
        rows.append(_parse_row_a(lines, a, body, geom))
    return rows


def _blocks(lines: Sequence[Line], first: tuple[int, str] | None, body: list[int]) -> list[list[tuple[int, str]]]:
    """Blocks of (line index, text): runs of non-blank lines. ``first`` is the date line's rest."""
    blocks: list[list[tuple[int, str]]] = []
    cur: list[tuple[int, str]] = []
    if first and first[1].strip():
        cur.append(first)
    prev = first[0] if first else None
    for i in body:
        if prev is not None and cur and (i != prev + 1 or new_cell(lines[prev], lines[i])):
            blocks.append(cur)  # furniture skipped, or the PDF geometry starts another cell
            cur = []
        prev = i
        t = lines[i].text
        if t and not t.strip("　"):
            continue  # a line of ideographic spaces is an empty line inside a cell, not a gap
        if not t.strip():
            if cur:
                blocks.append(cur)
                cur = []
            continue
        cur.append((i, t))
    if cur:
        blocks.append(cur)
    return blocks


def _parse_row_a(lines: Sequence[Line], a: DateAnchor, body: list[int], geom: Geometry | None = None) -> _Row:
    row = _Row(anchor=a, changed_on_raw=a.raw)
    row.line_idx.add(a.index)
    pre_timing = pre_reason = None
    if a.pre:
        m = _TIMING_PRE.match(a.pre)
        if m:
            pre_timing, pre_reason = m.group(1), (m.group(2) or "").strip() or None
        else:
            pre_reason = a.pre
    blocks = _blocks(lines, (a.index, a.rest), body)
    # split at the first 提出時期 token
    text_blocks: list[list[tuple[int, str]]] = []
    tail: list[list[tuple[int, str]]] = []
    timing = None
    inline_reason = None
    for b, block in enumerate(blocks):
        if timing:
            tail.append(block)
            continue
        for j, (i, t) in enumerate(block):
            m = _find_timing(t)
            if m:
                timing = m.group(1)
                row.line_idx.add(i)
                before_tok = t[: m.start()]
                if before_tok.strip():
                    text_blocks.append(block[:j] + [(i, before_tok)])
                elif block[:j]:
                    text_blocks.append(block[:j])
                inline_reason = t[m.end():].strip() or None
                rest_block = block[j + 1:]
                if rest_block:
                    tail.append(rest_block)
                break
        else:
            text_blocks.append(block)
    # a second timing means pieces of another row sit in this one's tail
    extra_timing = any(_find_timing(t) for blk in tail for _, t in blk)
    reason_lines: list[tuple[int, str]] = []
    foreign_reason = False
    if not extra_timing:
        chunks = []
        for blk in tail:
            if is_path(blk[0][1]):
                break  # an item: pieces of another row follow
            chunks.append(blk)
        if len(chunks) + (1 if inline_reason else 0) > 1:
            # the 説明 is one cell: several separate texts after the 提出時期 mean foreign pieces
            row.note("reason.unsettled", "several texts after the 提出時期: 説明 left null")
            inline_reason, chunks = None, []
            foreign_reason = True
        for blk in chunks:
            reason_lines.extend(blk)
    else:
        row.note("reason.second_timing", "a second 提出時期 inside the row: the 説明 after it is not read")
    # timing
    timings = {t for t in (pre_timing, timing) if t}
    if len(timings) == 1:
        row.timing = timings.pop()
    elif len(timings) > 1:
        row.note("timing.conflict", "conflicting 提出時期 around the row: left null")
    else:
        row.note("timing.missing", "no 提出時期 found")
    # reason
    body_reason = _join(([inline_reason] if inline_reason else []) + [t for _, t in reason_lines]) or None
    if foreign_reason:
        pass
    elif pre_reason and body_reason:
        row.note("reason.unsettled", "説明 found both before the 変更日 and after the 提出時期: left null")
    else:
        row.reason = pre_reason and normalize_text(pre_reason) or body_reason
    row.line_idx.update(i for i, _ in reason_lines)
    _fill_item_and_texts(row, a, text_blocks, timed=timing is not None, lines=lines, geom=geom)
    return row


def _fill_item_and_texts(row: _Row, a: DateAnchor | None, text_blocks: list[list[tuple[int, str]]],
                         find_item: bool = True, timed: bool = True, lines: Sequence[Line] = (),
                         geom: Geometry | None = None) -> None:
    """Item, 変更前 and 変更後 from the row's text blocks (those before its 提出時期; ``timed`` is
    False when the row has no 提出時期 token, so its 説明 may be among the blocks)."""
    for blk in text_blocks:
        row.line_idx.update(i for i, _ in blk)
    pieces: list[list[str]] = []
    abstain = None
    blocks = [list(b) for b in text_blocks]
    if a is not None and a.rest and blocks and blocks[0][0][0] == a.index:
        # the date line carries the item (and maybe the texts): split its cells
        first = blocks.pop(0)
        head = first[0][1]
        m = _find_timing(head)
        cells = _split_cells(head if not m else head[: m.start()])
        if len(cells) >= 2 and _BARE_ROMAN.match(cells[0]) and any(compact(cells[1]).startswith(t) for t in _SECTION_TITLES):
            cells = [cells[0] + " " + cells[1]] + cells[2:]
        more = [t for _, t in first[1:]]
        positional = len(cells) == 1 or (len(cells) <= 3 and (is_path(cells[0]) or _BARE_ROMAN.match(cells[0])))
        row.item = normalize_text(cells[0]) if cells and positional else None
        if not positional:
            abstain = ("date_line_columns_unknown", "cells on the 変更日 line do not open with an item path: cannot tell the columns")
        if len(cells) > 1 and more:
            abstain = abstain or ("date_line_mixed", "the 変更日 line mixes cells with following lines")
        if len(cells) == 1 and more and len(compact(cells[0])) >= WRAP_WIDTH and len(compact(more[0])) <= WRAP_WIDTH:
            # a long item may wrap onto the next line, which then is not 変更前 text
            abstain = abstain or ("item_may_wrap", "the item may continue on the next line")
            row.item = None
        if abstain:
            pass
        elif len(cells) == 3 and not blocks and not more:
            pieces = [[cells[1]], [cells[2]]]
        elif len(cells) > 1:
            if blocks or more:
                abstain = abstain or ("date_line_and_blocks", "cells on the 変更日 line and further text blocks")
            elif len(cells) == 2:
                abstain = ("one_text_beside_item", "only one text beside the item: cannot tell 変更前 from 変更後")
            else:
                abstain = ("too_many_cells", "more than three cells on one line: cannot tell where the item ends")
        if more:
            pieces.append(more)
        pieces.extend([t for _, t in b] for b in blocks)
        row.item_lines = [first[0][0]]
    elif blocks and lines and all(lines[i].no == lines[blocks[0][0][0]].no and lines[i].bbox is None
                                  for b in blocks for i, _ in b) and len(blocks) > 1:
        # one converted table row: cells and <br> parts look alike, so only a row of exactly
        # 項目 · 変更前 · 変更後 is read
        texts = [[t for _, t in b] for b in blocks]
        if len(texts) == 3 and is_path(texts[0][0]) and len(texts[0]) == 1 and not _LABEL_START.match(texts[1][0]):
            row.item = normalize_text(texts[0][0])
            row.item_lines = [blocks[0][0][0]]
            pieces = texts[1:]
        else:
            abstain = ("converted_row_cells_unknown",
                       f"a converted table row with {len(texts)} parts before the 提出時期: cell boundaries unknown")
            if texts and is_path(texts[0][0]) and len(texts) == 1:
                row.item = normalize_text(texts[0][0])
    else:
        texts = [[t for _, t in b] for b in blocks]
        if not find_item:
            pass
        elif texts and (is_path(texts[0][0]) or (len(texts) == 3 and _is_weak_path(texts[0]))):
            item_block = texts.pop(0)
            for j, t in enumerate(item_block):
                m = _INTERLEAVE.search(t)
                if j and m:
                    item_block = item_block[:j] + [t[: m.start() + 1]]
                    abstain = ("item_interleaved", "an item line carries the start of another column")
                    break
            row.item = _join(item_block)
            row.item_lines = [blocks[0][0][0]]
        elif texts and texts[0] and _is_weak_path(texts[0]) and len(texts) == 2:
            abstain = ("item_or_before", "the first block may be the item or the 変更前 text")
        elif len(texts) == 2 and _narrow_wrapped(texts[0]) and max(len(compact(t)) for t in texts[1]) > NARROW + 4:
            # no item found, and the first block wraps much narrower than the text after it: an
            # item in a form this parser does not know, rather than 変更前 text
            abstain = ("unknown_item", "the first block may be an item this parser does not recognise")
        pieces = texts
        rest_blocks = blocks[len(blocks) - len(texts):]
        if geom and not abstain and rest_blocks and all(lines[i].bbox for b in rest_blocks for i, _ in b):
            _by_columns(row, lines, rest_blocks, geom)
            return
    if any(is_path(p[0]) for p in pieces):
        abstain = abstain or ("foreign_item", "an item path among the texts: pieces of another row")
    if not timed and len(pieces) >= 2 and len(pieces[-1]) <= 3 and not _continues(pieces[-1]):
        abstain = abstain or ("reason_among_texts", "no 提出時期 and the last block may be the 説明")
    if abstain:
        row.abstain(*abstain)
        return
    before, after, why = split_before_after(pieces)
    if why:
        row.abstain(*why)
        return
    row.before, row.after = before, after


@dataclass(frozen=True)
class Geometry:
    """Where the column headers of the table stand (PDF points): header text is centred in its
    cell, left-aligned body text starts at its cell's left edge."""

    item_x1: float | None  # right end of 「項目」
    before_x1: float  # right end of 「変更前の記載」
    after_x1: float  # right end of 「変更後の記載」


def header_geometry(lines: Sequence[Line], section: Section, reach: int = 400) -> Geometry | None:
    """The column positions from the first header row with boxes, if the layout has geometry."""
    found: dict[str, tuple[float, float, float, float]] = {}
    for i in range(max(0, section.start - 5), min(section.end, section.start + reach)):
        ln = lines[i]
        if ln.bbox is None:
            continue
        c = compact(ln.text)
        if c in ("項目", "変更前の記載", "変更後の記載") and c not in found:
            found[c] = ln.bbox
        if "変更前の記載" in found and "変更後の記載" in found:
            break
    if "変更前の記載" not in found or "変更後の記載" not in found:
        return None
    item = found.get("項目")
    return Geometry(item[2] if item else None, found["変更前の記載"][2], found["変更後の記載"][2])


def column_of(x0: float, geom: Geometry, tol: float = PDF.row_tolerance) -> str | None:
    """``before`` / ``after`` for a text cell starting at ``x0``, else None."""
    if geom.item_x1 is not None and geom.item_x1 + tol < x0 < geom.before_x1 - tol:
        return "before"
    if geom.before_x1 + tol < x0 < geom.after_x1 - tol:
        return "after"
    return None


def _by_columns(row: _Row, lines: Sequence[Line], blocks: list[list[tuple[int, str]]], geom: Geometry) -> None:
    """変更前/変更後 from the column each text cell stands in (PDF geometry)."""
    cols = [column_of(lines[b[0][0]].bbox[0], geom) for b in blocks]
    if None in cols:
        row.abstain("outside_columns", "a text outside the 変更前/変更後 columns")
        return
    if cols != sorted(cols, key=lambda c: c == "after"):
        row.abstain("columns_out_of_order", "変更後 text before 変更前 text")
        return
    before = _join([t for b, c in zip(blocks, cols) if c == "before" for _, t in b])
    after = _join([t for b, c in zip(blocks, cols) if c == "after" for _, t in b])
    if compact(before) == compact(after):
        row.abstain("before_equals_after", "変更前 and 変更後 read the same")
        return
    row.before, row.after = before, after  # an empty column is an empty printed cell: ""


def split_before_after(pieces: list[list[str]]) -> tuple[str | None, str | None, tuple[str, str] | None]:
    """(変更前, 変更後, None) when the pieces settle it, else (None, None, (code, reason))."""
    pieces = [[t for t in p if t.strip()] for p in pieces]
    pieces = [p for p in pieces if p]
    before = after = None
    if len(pieces) == 2:
        before, after = _join(pieces[0]), _join(pieces[1])
    elif len(pieces) == 1:
        p = pieces[0]
        if len(p) == 1:
            cells = _split_cells(p[0])
            if len(cells) != 2:
                return None, None, ("one_text", "one text and no way to tell its column")
            before, after = normalize_text(cells[0]), normalize_text(cells[1])
        elif _says_empty(p[0]) and not any(_says_empty(t) for t in p[1:]):
            # 「記載なし」 (or 「Xに関する記載なし」) opens the block: the 変更前 cell, the rest 変更後
            before, after = normalize_text(p[0]), _join(p[1:])
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
            return None, None, ("many_blocks", f"{len(pieces)} text blocks: cannot tell which are 変更前/変更後")
        k = same[0]
        if not all(_continues(pieces[j]) for j in range(1, len(pieces)) if j != k):
            return None, None, ("block_not_continuation",
                                f"{len(pieces)} text blocks, one not a continuation (a 説明?): cannot split")
        before, after = _join([t for p in pieces[:k] for t in p]), _join([t for p in pieces[k:] for t in p])
    if compact(before) == compact(after):
        return None, None, ("before_equals_after", "変更前 and 変更後 read the same (cells cut off in the text layer?)")
    return before, after, None


_CONTINUATION = regex.compile(r"^(?:\s|[・(（【\[［「『※○●◆■◇□＜<〈\-－ー―0-9０-９①-⑳㉑-㊿])")


def _continues(block: list[str]) -> bool:
    """Does a block open like more of a cell's text (a list item, a bracket, an indent) rather
    than like a 説明 (``体裁修正``) that the layer put between two texts?"""
    return bool(_CONTINUATION.match(block[0]))


_SAYS_EMPTY = regex.compile(r"(?:記載なし|記載無し)。?$")


def _says_empty(line: str) -> bool:
    """A whole line that states the cell was empty: 記載なし, －, or a short 「…に関する記載なし」."""
    c = compact(line)
    return c in _EMPTY_MARKERS or (len(c) <= 30 and bool(_SAYS_EMPTY.search(c)))


# --- mode B: one row per item path ------------------------------------------------------------


def _mode_b(lines: Sequence[Line], section: Section, idx: list[int], anchors: list[DateAnchor],
            warnings: list[ExtractWarning],
            geom: Geometry | None = None) -> list[_Row]:
    warnings.append(ExtractWarning("rows_out_of_order", "the table's text is out of row order; rows read by item path"))
    # dates printed just above the table heading belong to its first page
    dates = [a.raw for a in anchors]
    date_idx = {a.index for a in anchors}
    j = section.start - 1
    while j >= 0 and (_blank(lines, j) or (lambda a: a and not a.pre and not a.rest)(date_anchor(lines[j].text, j))):
        if not _blank(lines, j):
            dates.append(date_anchor(lines[j].text, j).raw)
        j -= 1
    starts = []
    for k, i in enumerate(idx):
        if _blank(lines, i) or i in date_idx or _furniture_at(lines, i):
            continue
        prev_blank = (k == 0 or _blank(lines, idx[k - 1]) or _furniture_at(lines, idx[k - 1])
                      or new_cell(lines[idx[k - 1]], lines[i]))
        if prev_blank and is_path(lines[i].text):
            starts.append(i)
    rows = []
    for s, start in enumerate(starts):
        stop = starts[s + 1] if s + 1 < len(starts) else (idx[-1] + 1)
        span = [i for i in range(start, stop) if i not in date_idx and not _furniture_at(lines, i)]
        item_lines = []
        for i in span:
            if _blank(lines, i) or (item_lines and new_cell(lines[item_lines[-1]], lines[i])):
                break
            item_lines.append(i)
        row = _Row(anchor=None)
        row.item = _join([lines[i].text for i in item_lines])
        row.item_lines = item_lines
        row.line_idx.update(item_lines)
        rest = span[len(item_lines):]
        blocks = _blocks(lines, None, rest)
        text_blocks = []
        for block in blocks:
            hit = None
            for j2, (i, t) in enumerate(block):
                m = _find_timing(t)
                if m:
                    hit = (j2, i, t, m)
                    break
            if hit is None:
                text_blocks.append(block)
                continue
            j2, i, t, m = hit
            row.timing = m.group(1)
            row.line_idx.add(i)
            if t[: m.start()].strip():
                text_blocks.append(block[:j2] + [(i, t[: m.start()])])
            elif block[:j2]:
                text_blocks.append(block[:j2])
            row.reason = normalize_text(t[m.end():]) or None
            break
        if row.timing is None:
            row.note("timing.missing", "no 提出時期 after the row's text")
        _fill_item_and_texts(row, None, text_blocks, find_item=False, lines=lines, geom=geom)
        rows.append(row)
    distinct = set(normalize_text(d) for d in dates)
    if len(distinct) == 1 and len(dates) == len(rows):
        for r in rows:
            r.changed_on_raw = dates[0]
    else:
        for r in rows:
            r.note("changed_on_unattributed", "変更日 not attributable in a scrambled table")
    return rows
