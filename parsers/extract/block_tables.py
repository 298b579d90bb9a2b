"""The ``systems``, ``files``, ``entrustments`` and ``transfers`` tables.

Each row is one block instance (or one Ⅱ block per 特定個人情報ファイル). Text values are read at
the instance's label hits (``blocks``); single choices and checklists are the answers the choices
stage recorded for the instance's path, or for a block row it left open, the option bracketed in
that row's own cell. A value that cannot be placed stays null, and an instance with nothing placed
is not emitted. Counts printed as ``（ n ）件`` are read from the text and
checked against the instances found.
"""
from __future__ import annotations

from typing import Sequence

import regex

from normalizers.eras import parse_era_date
from normalizers.numbers import parse_count
from normalizers.text import nfkc

from parsers.extract.blocks import (Instance, RowIndex, Span, before_note, cell_choice, checked, chosen, header_text, instance_text, placed_text,
                     split_instances)
from parsers.extract.context import DocContext, SectionView
from parsers.extract.contract import Extracted, ExtractWarning
from parsers.extract.fields import Aligned, aligned_hits
from parsers.form.tables import table_labels
from parsers.form.template import FormTemplate, Item
from parsers.model import Line, Section, cell_runs, source_ref

_T = table_labels()
SYSTEM_STEM = _T["systems"]["stem"]
SYSTEM = tuple(_T["systems"]["columns"].items())  # column -> the ending of its row's name
ENTRUSTMENT_STEM = _T["entrustments"]["stem"]
ENTRUSTMENT = tuple(_T["entrustments"]["columns"].items())
TRANSFER_KINDS = _T["transfers"]["kinds"]  # transfers.kind -> its block stem and files columns
TRANSFER_STEMS = tuple(k["stem"] for k in TRANSFER_KINDS.values())
TRANSFER = tuple(_T["transfers"]["columns"].items())
FILE = tuple(_T["files"]["columns"].items())  # file column -> its Ⅱ row outside the repeated blocks
PROVISION = _T["files"]["provision"]
FILE_BLOCK = _T["files"]["block"]  # the template's repeat of a Ⅱ section printed once per file
YES = _T["yes"]["value"]  # the option that means True
NAMES = ("name", "contractor")  # columns naming something: a note printed under the name is dropped
_COUNT = r"[(]\s*([0-9][0-9,]*)?\s*[)]\s*件"




def extract(ctx: DocContext) -> Extracted:
    out = Extracted({"systems": [], "files": [], "entrustments": [], "transfers": []})
    template = ctx.template
    if template is None:
        return out
    reader = _Reader(ctx, template)
    out.tables["systems"] = reader.systems(out.warnings)
    if not any(it.section == "Ⅱ" and it.repeat == FILE_BLOCK for it in template.items()):
        return out  # 基礎項目: Ⅱ is the しきい値判断項目, no 特定個人情報ファイル blocks
    for no, view in enumerate(ctx.views_of("Ⅱ"), 1):
        file_row, blocks = reader.file_block(no, view, out.warnings)
        out.tables["files"].append(file_row)
        out.tables["entrustments"] += blocks[ENTRUSTMENT_STEM]
        out.tables["transfers"] += [row for stem in TRANSFER_STEMS for row in blocks[stem]]
    return out


class _Reader:
    def __init__(self, ctx: DocContext, template: FormTemplate):
        self.lines: Sequence[Line] = ctx.lines
        self.rows = ctx.rows
        self._indexes: dict[str, RowIndex] = {}
        self.template = template
        self.ctx = ctx

    # --- systems (Ⅰ) ---

    def systems(self, warnings: list[ExtractWarning]) -> list[dict]:
        """Ⅰ's system blocks. A scrambled text layer may print a page of Ⅰ before the Ⅰ heading, so
        the lines before it (the cover part) are searched too."""
        first = next((s for s in self.ctx.sections if s.key == "Ⅰ"), None)
        if first is None:
            return []
        start = min(s.start for s in self.ctx.sections)
        section = Section(first.key, first.title, start, first.end)
        hits = aligned_hits(self.lines, section, self.template)
        rows = []
        for inst in self._unique(split_instances(self.lines, hits, section.end, self.template.items()),
                                 SYSTEM_STEM, "Ⅰ", warnings):
            values, used = self._answers(inst, SYSTEM, hits, section)
            if _placed(values):
                rows.append({"system_no": inst.number, **values, "source_ref": self._ref(inst, used)})
        return rows

    # --- one Ⅱ block: the file row and its entrustments/transfers ---

    def file_block(self, no: int, view: SectionView, warnings: list[ExtractWarning]) -> tuple[dict, dict[str, list[dict]]]:
        sec = view.section
        where = f"Ⅱ block {no}" + (f" ({view.file_name})" if view.file_name else "")
        insts = split_instances(self.lines, view.hits, sec.end, self.template.items())
        blocks: dict[str, list[dict]] = {}
        printed: dict[str, int] = {}
        for stem in (ENTRUSTMENT_STEM, *TRANSFER_STEMS):
            blocks[stem] = []
            mine = self._unique(insts, stem, where, warnings)
            printed[stem] = len(mine)
            for inst in mine:
                columns = ENTRUSTMENT if stem == ENTRUSTMENT_STEM else TRANSFER
                values, used = self._answers(inst, columns, view.hits, sec)
                title, title_lines = header_text(self.lines, inst, _stops(view.hits), sec.end, self.template)
                if title is None and not _placed(values):
                    continue
                if stem == ENTRUSTMENT_STEM:
                    row = {"file_name": view.file_name, "entrustment_no": inst.number, "title": title, **values}
                else:
                    row = {"file_name": view.file_name, "kind": next(k for k, v in TRANSFER_KINDS.items() if v["stem"] == stem),
                           "transfer_no": inst.number,
                           "counterparty": title, **values}
                row["source_ref"] = self._ref(inst, used + title_lines)
                blocks[stem].append(row)
        file_row = self._file_row(no, view)
        counts = {ENTRUSTMENT_STEM: file_row["entrustment_count"],
                  **{k["stem"]: file_row[k["count"]] for k in TRANSFER_KINDS.values()}}
        for stem, expected in counts.items():
            if expected is not None and expected != printed[stem]:
                warnings.append(ExtractWarning("block_count_mismatch", f"{where}: {printed[stem]} {stem} blocks found, "
                                               f"the form counts {expected}", file_row["source_ref"]))
        return file_row, blocks

    def _file_row(self, no: int, view: SectionView) -> dict:
        sec = view.section
        span = Span.of(self.lines, sec.start, sec.end)
        values: dict = {}
        used: list[int] = []
        for column, name in FILE:
            item = self._file_item(name)
            if item is None:
                values[column] = None
            elif item.type in ("selection", "checklist"):
                values[column] = self._choice(item, " > ".join(item.path), span, span)
            else:
                hits = [a for a in view.hits if item in a.hit.items]
                value, lines = (placed_text(self.lines, hits[0].hit, _stops(view.hits), sec.end, self.template)
                                if len(hits) == 1 else (None, []))
                values[column] = value
                used += lines
        item = self._file_item(PROVISION)
        provision = self._choice(item, " > ".join(item.path), span, span) if item else None
        offered = {kind: next((o for o in item.options if o.detail and o.startswith(kind)), None) if item else None
                   for kind in TRANSFER_KINDS}  # 提供 -> 提供を行っている (its count printed after it)
        counts, bare = _counts(self.lines, sec.start, sec.end, [o for o in offered.values() if o])
        transfers = {col: value for kind, k in TRANSFER_KINDS.items()
                     for col, value in ((k["flag"], _has(provision, offered[kind])), (k["count"], counts.get(offered[kind])))}
        date = parse_era_date(values["holding_start_raw"]) if values["holding_start_raw"] else None
        return {
            "file_no": no, "file_name": view.file_name, **values,
            "holding_start": date.date if date else None,
            "entrustment_count": bare,
            **transfers,
            "source_ref": source_ref([self.lines[i] for i in [sec.start, *used]]),
        }

    # --- shared ---

    def _answers(self, inst: Instance, columns, hits: list[Aligned], section: Section) -> tuple[dict, list[int]]:
        span = Span.of(self.lines, inst.start, inst.end)
        within = Span.of(self.lines, section.start, section.end)
        stop = _stops(hits)
        values, used = {}, []
        for column, ending in columns:
            item = next((it for it in inst.items if it.name.endswith(ending)), None)
            if item is None:
                values[column] = None
            elif item.type in ("selection", "checklist"):
                values[column] = self._choice(item, inst.path(item), span, within)
                found = inst.hit_for(item.name)
                if values[column] is None and item.type == "selection" and found:
                    values[column] = _yes(item, cell_choice(self.lines, found.hit, stop, section.end, item.options))
            else:
                value, lines = instance_text(self.lines, inst, item.name, stop, section.end, self.template)
                if value is not None and column in NAMES:
                    value, lines = before_note(self.lines, inst.hit_for(item.name).hit, lines)
                values[column] = value
                used += lines
        return values, used

    def _choice(self, item: Item, path: str, span: Span, within: Span):
        if item.type == "checklist":
            return checked(self._index("checklist_items"), path, span, within)
        return _yes(item, chosen(self._index("selections"), path, span, within))

    def _index(self, table: str) -> RowIndex:
        """The choices stage's rows, indexed once (that stage has run when blocks are read)."""
        if table not in self._indexes:
            self._indexes[table] = RowIndex(self.rows.get(table, []))
        return self._indexes[table]

    def _file_item(self, name: str) -> Item | None:
        """The Ⅱ row ``name`` that is not inside a repeated block."""
        return next((it for it in self.template.items() if it.section == "Ⅱ" and it.name == name
                     and it.repeat not in (ENTRUSTMENT_STEM, *TRANSFER_STEMS)), None)

    def _unique(self, insts: list[Instance], stem: str, where: str, warnings: list[ExtractWarning]) -> list[Instance]:
        """Instances of ``stem``; a number printed twice cannot be told apart, so neither is used."""
        mine = [i for i in insts if i.stem == stem]
        numbers = [i.number for i in mine]
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            warnings.append(ExtractWarning("block_number_repeated", f"{where}: {stem} {twice} printed more than once; "
                                           "not read"))
        return [i for i in mine if i.number not in twice]

    def _ref(self, inst: Instance, used: list[int]) -> str | None:
        return source_ref([self.lines[i] for i in sorted({inst.start, *used})])


def _placed(values: dict) -> bool:
    """Whether an instance says anything: a blank block printed for the form's sake has no value but
    may have a checklist with every box empty."""
    return any(v is not None and v != [] for v in values.values())


def _stops(hits: list[Aligned]) -> set[int]:
    return {a.hit.index for a in hits}


def _yes(item: Item, answer: str | None):
    """Yes/no questions become booleans (the option that means yes is in ``YES``)."""
    if item.name in YES and answer is not None:
        return answer == YES[item.name]
    return answer


def _has(checked_options: list[str] | None, option: str | None) -> bool | None:
    return None if checked_options is None or option is None else option in checked_options


def _counts(lines: Sequence[Line], start: int, end: int, offered: list[str]) -> tuple[dict[str, int | None], int | None]:
    """``（ n ）件`` counts of a Ⅱ block: per option printed before the count on its line, and the
    block's one bare count (the 委託 count). The bare count is only trusted when it is the only one
    and every option kept its count beside it (else it may be an option's)."""
    labelled = regex.compile("(" + "|".join(regex.escape(o) for o in offered) + r")\s*" + _COUNT) if offered else None
    out: dict[str, int | None] = {}
    bare: list[int | None] = []
    orphaned = False
    for run in cell_runs(lines, list(range(start, end))):
        text = "".join(nfkc(lines[i].text) for i in run)  # a count wrapped in its cell: （ 2 ）/ 件
        spans = []
        if labelled:
            for m in labelled.finditer(text):
                out.setdefault(m.group(1), parse_count(m.group(2)) if m.group(2) else None)
                spans.append(m.span())
            orphaned |= sum(text.count(o) for o in offered) > len(spans)
        bare += [parse_count(m.group(1)) for m in regex.finditer(_COUNT, text)
                 if m.group(1) and not any(a <= m.start() < b for a, b in spans)]
    return out, bare[0] if len(bare) == 1 and not orphaned else None
