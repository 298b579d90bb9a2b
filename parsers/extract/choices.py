"""The ``selections`` and ``checklist_items`` tables: single-choice answers and checklist states.

Evidence is a bracketed or bare option (``[ 十分である ]``, ``十分である`` between stray brackets) or
a box before an option (``[ ○ ] 紙``), found in the section (plus what a neighbouring section holds
that only this one offers: scrambled text prints rows on the wrong side of a heading). Each piece
is attributed to a question of the template ("instance": an item, once per numbered block
システムN/委託事項N/提供先N/移転先N found) by the first rule that decides:
1. option-set membership: only one question in the section offers the option;
2. same row: the evidence sits on the question's label line (inline, or a markdown table row);
3. proximity: the nearest label among the candidates, with a clear margin both ways;
4. (checklists) between rows: an option offered by several lists printed between two rows already
   tied to one list;
5. block order: numbered blocks whose headers run 1..N down the text, each block's region holding
   exactly one piece;
6. unanimity: the remaining pieces for the option set all agree and are at least as many as the
   remaining questions ("every occurrence has the same state, so every instance has it").
Rules 2 and 3 only use labels whose question is unambiguous: in scrambled text a label shared by
several questions (the リスクへの対策は十分か of every risk, the items of numbered blocks) cannot be
tied to its instance. What no rule decides is left null with low confidence and a warning: a wrong
answer is worse than a missing one.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

import regex

from normalizers.text import compact

from parsers.extract import numbered
from parsers.extract.attribution import AGREED, MARGIN, NEAR, NONE, SURE, Evidence, Question, attribute
from parsers.extract.brackets import bracket_values
from parsers.extract.checkmarks import CHECKED, EMPTY, LOST, SPLIT, Box, boxes, loose_marks, split_state
from parsers.extract.context import DocContext, SectionView
from parsers.extract.contract import Extracted, ExtractWarning
from parsers.extract.graded import GRADED, is_graded
from parsers.form.template import FormTemplate, Item, option_variants
from parsers.model import Line, source_ref, wraps_on

APPENDIX = "別添"  # change tables and record lists: their 提出時期 column belongs to the changes table
_BRACKETS = regex.compile(r"[\[\]［］]|[<＜]選択肢[>＞]")  # stray brackets and list captions
_CLOSING = regex.compile(r"[\]］]")
_PAREN_TAIL = regex.compile(r"\([^()]*\)$")


def extract(ctx: DocContext) -> Extracted:
    out = Extracted({"selections": [], "checklist_items": [], "fields": [], GRADED: []})
    if ctx.template is None:
        return out
    ordered = _ordered(ctx.lines)
    loose = loose_marks(ctx.lines)
    views = [_Scope(ctx.lines, v, ctx.template, ordered, loose) for v in ctx.views
             if not v.section.key.startswith(APPENDIX)]
    _lend_orphans(ctx.lines, views)
    for scope in views:
        got = _view_rows(ctx.lines, scope, ctx.template)
        for table, rows in got.tables.items():
            out.tables[table].extend(rows)
        out.warnings += got.warnings
    return out


def _ordered(lines: Sequence[Line]) -> bool:
    """Table rows flattened to several lines sharing a source line number (markdown) and a PDF
    layout read cell by cell (lines with boxes) keep the form's reading order; a plain PDF text
    layer does not."""
    return any(ln.bbox for ln in lines) or len({ln.no for ln in lines}) < len(lines)


class _Scope:
    """One section view: its questions and the evidence found in its lines."""

    def __init__(self, lines: Sequence[Line], view: SectionView, template: FormTemplate, ordered: bool,
                 loose: list[int]):
        self.view, self.ordered, self.loose = view, ordered, loose
        self.span = range(view.section.start, view.section.end)
        self.label_lines = frozenset(a.hit.index for a in view.hits)
        self.sel = _instances(view, template, "selection", ordered, lines)
        self.chk = _instances(view, template, "checklist", ordered, lines)
        self.sel_keys = {k: v for inst in self.sel for k, v in inst.keys.items()}
        self.chk_keys = {k: v for inst in self.chk for k, v in inst.keys.items()}
        found = boxes(lines, self.span, self.chk_keys, self.label_lines)
        self.flags = [b for b in found if b.flag]
        self.chk_ev = [self.box_evidence(b) for b in found if not b.flag]
        self.boxed = {(b.index, compact(b.option)) for b in found}  # a box's option is no selection
        self.sel_ev = self.selection_evidence(lines, self.sel_keys)

    def selection_evidence(self, lines: Sequence[Line], keys: dict[str, str]) -> list[Evidence]:
        """Bracketed or bare options; an option that follows a box here (``] 行っていない`` of a
        checklist, ``[ ] 委託しない`` flag) is not a selection's answer."""
        return [Evidence(i, k, keys[k]) for i, k in _selection_values(lines, self.span, keys)
                if (i, k) not in self.boxed]

    def checklist_evidence(self, lines: Sequence[Line], keys: dict[str, str]) -> list[Evidence]:
        return [self.box_evidence(b) for b in boxes(lines, self.span, keys, self.label_lines) if not b.flag]

    def box_evidence(self, b: Box) -> Evidence:
        return Evidence(b.index, b.option, split_state(b.index, self.loose) if b.state == SPLIT else b.state, b.detail)


def _lend_orphans(lines: Sequence[Line], scopes: list[_Scope]) -> None:
    """Scrambled text prints some of a section's rows before its heading or after the next one:
    evidence that no question of its own section offers goes to the adjacent section that does
    (when only one of the two neighbours does, or one is clearly nearer)."""
    ordered = sorted(scopes, key=lambda s: s.span.start)
    for n, lender in enumerate(ordered):
        near = [s for s in ordered[max(n - 1, 0):n + 2]
                if s is not lender and s.view.section.key != lender.view.section.key]
        offers: dict[tuple, list[tuple[_Scope, Evidence, str]]] = defaultdict(list)
        for s in near:
            for ev in lender.selection_evidence(lines, s.sel_keys):
                if ev.key not in lender.sel_keys and ev.key not in lender.chk_keys:
                    offers[(ev.index, ev.key, "sel")].append((s, ev, "sel"))
            for ev in lender.checklist_evidence(lines, s.chk_keys):
                if ev.key not in lender.chk_keys and ev.key not in lender.sel_keys:
                    offers[(ev.index, ev.key, "chk")].append((s, ev, "chk"))
        for takers in offers.values():
            dist = sorted((_gap(t[1].index, t[0].span), n) for n, t in enumerate(takers))
            if len(takers) == 1 or (dist[0][0] <= NEAR and dist[1][0] >= dist[0][0] + MARGIN):
                s, ev, kind = takers[dist[0][1]]
                (s.sel_ev if kind == "sel" else s.chk_ev).append(ev)


def _gap(index: int, span: range) -> int:
    return max(span.start - index, index - span.stop + 1, 0)


def _view_rows(lines: Sequence[Line], scope: _Scope, template: FormTemplate) -> Extracted:
    view, sel, chk = scope.view, scope.sel, scope.chk
    sec = view.section
    ordered = scope.ordered
    warnings: list[ExtractWarning] = []
    where = f"{sec.key}{' ' + view.file_name if view.file_name else ''}"
    offered = lambda inst, ev: ev.key in inst.keys  # noqa: E731
    sel_slots = attribute(sel, scope.sel_ev, offered, lines)
    chk_slots = attribute(chk, scope.chk_ev, offered, lines, per_option=True)

    selections, checklist, fields, graded = [], [], [], []
    printed = _printed_items(view, ordered)
    for n, inst in enumerate(sel):
        got = sel_slots.get((n, None), [])
        if inst.phantom or (not got and inst.item not in printed):
            continue
        values = {ev.value for ev, _ in got} - {None}
        chosen = values.pop() if len(values) == 1 and all(ev.value for ev, _ in got) else None
        confidence = min(c for _, c in got) if chosen else NONE
        ref = source_ref([lines[i] for i in sorted({ev.index for ev, _ in got} | set(inst.anchors[:1]))])
        if chosen is None:
            code, why = ("conflicting_answers", "conflicting answers") if len(values) > 1 else (
                "answer_unattributed", "answer not attributable")
            warnings.append(ExtractWarning(code, f"{where} {inst.path}: {why}; left null", ref))
        row = {"file_name": view.file_name, "path": inst.path, "label": inst.item.label, "chosen": chosen,
               "options": list(dict.fromkeys(inst.keys.values())), "confidence": confidence, "source_ref": ref}
        if is_graded(inst.item, template):
            graded.append({**row, "section": sec.key})  # the risks stage writes its one answer
            continue
        selections.append(row)
        fields.append(field_row(sec.key, row, chosen, "selection", confidence))
    seen = {ev.key for ev in scope.chk_ev}
    for n, inst in enumerate(chk):
        options = list(dict.fromkeys(inst.keys.values()))
        states = {}
        for option in options:
            got = [g for k in inst.keys if inst.keys[k] == option for g in chk_slots.get((n, k), [])]
            states[option] = got
        if inst.phantom or (not any(states.values()) and inst.item not in printed):
            continue
        rows = _checklist_rows(view, inst, states, lines, _printed_options(inst.item, seen))
        if all(r["checked"] is None for r in rows):
            warnings.append(ExtractWarning("box_state_unknown", f"{where} {inst.path}: no box state recoverable",
                                           source_ref([lines[i] for i in inst.anchors[:1]])))
        checklist.extend(rows)
        checked = [r["option"] for r in rows if r["checked"]]
        known = all(r["checked"] is not None for r in rows)
        summary = {"file_name": view.file_name, "path": inst.path, "label": inst.item.label,
                   "source_ref": source_ref([lines[i] for i in inst.anchors[:1]])}
        value = ", ".join(checked) if checked or known else None
        fields.append(field_row(sec.key, summary, value, "checklist", SURE if known else AGREED if checked else NONE))
    flags = _flag_rows(view, template, scope.flags, scope.loose, lines)
    checklist.extend(flags)
    return Extracted({"selections": selections, "checklist_items": checklist, "fields": fields, GRADED: graded}, warnings)


def _instances(view: SectionView, template: FormTemplate, kind: str, ordered: bool,
               lines: Sequence[Line]) -> list[Question]:
    """Every question of ``kind`` in the section, once per numbered block found in the document."""
    key = view.section.key
    items = [it for it in template.items() if it.section == key and it.type == kind]
    headers = {it.path: it for it in template.items() if it.section == key and it.header_stem}
    numbers, regions, seen_at = _block_numbers(view, headers, lines)
    out: list[Question] = []
    index: dict[tuple, int] = {}
    for it in items:
        header = next((headers[it.path[:k]] for k in range(len(it.path) - 1, 0, -1) if it.path[:k] in headers), None)
        keys = _option_keys(it)
        same_label = len([o for o in template.match(it.label) if o.section == key]) > 1
        labels = [a.hit.index for a in view.hits if it in a.hit.items]
        if header and not numbers.get(header.path) and any(a.item.path[:len(header.path)] == header.path
                                                           for a in view.hits):
            # its block is printed but no numbered header was read: a candidate that gets no row
            out.append(Question(it, "", keys, labels=labels, shared=True, complete=False, phantom=True))
        for no in numbers.get(header.path, []) if header else [None]:
            path = list(it.path)
            if header:
                path[len(header.path) - 1] = regex.sub(r"[0-9０-９]+$", str(no), header.label)
            shared = not ordered and (same_label or (header is not None and len(numbers[header.path]) > 1))
            complete = header is None or sorted(numbers[header.path]) == list(range(1, len(numbers[header.path]) + 1))
            index[(it, no)] = len(out)
            region = regions.get(header.path, {}).get(no) if header else None
            out.append(Question(it, " > ".join(path), keys, labels=labels, shared=shared, complete=complete,
                                region=region, block=header.path if header else None))
    for a in view.hits:
        if a.item.type != kind or (not ordered and len(a.hit.items) > 1):
            continue
        header = next((h for p, h in headers.items() if a.item.path[:len(p)] == p), None)
        no = seen_at(a.hit.index, header.path) if header else None
        if (a.item, no) in index and not out[index[(a.item, no)]].shared:
            out[index[(a.item, no)]].anchors.append(a.hit.index)
    return out


def _block_numbers(view: SectionView, headers: dict[tuple, Item], lines: Sequence[Line]):
    """Per header path: numbers of the block instances printed (システム1, システム3 …; ranges like
    ２～５ are not instances); the line range of each instance when the headers run 1..N down the
    text (from its header to the next numbered block header of any kind: a range header like
    移転先2～5 may print before the last block's rows end); and a lookup: the
    instance whose header was printed last before a line."""
    numbers: dict[tuple, list[int]] = defaultdict(list)
    marks: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for h in numbered.headers(lines, view.hits).values():
        if h.item.path in headers and h.number is not None:
            marks[h.item.path].append((h.index, h.number))
            if h.number not in numbers[h.item.path]:
                numbers[h.item.path].append(h.number)
    regions: dict[tuple, dict[int, range]] = {}
    for path, found in marks.items():
        if [no for _, no in sorted(found)] == list(range(1, len(found) + 1)):
            ends = sorted(i for m in marks.values() for i, _ in m) + [view.section.end]
            regions[path] = {no: range(i, next(e for e in ends if e > i)) for i, no in found}

    def seen_at(index: int, path: tuple) -> int | None:
        before = [no for i, no in marks.get(path, []) if i <= index]
        return before[-1] if before else None

    return numbers, regions, seen_at


def _option_keys(item: Item) -> dict[str, str]:
    keys = {compact(o): str(o) for o in item.options}
    for canonical, printed in option_variants(item.options_id).items():
        keys.update({compact(v): canonical for v in printed})
    return keys


def _printed_options(item: Item, seen: set[str]) -> dict[str, str]:
    """Canonical option -> the form this document prints (an older revision's 4情報…), judged by
    the evidence seen in the section; the canonical form when no variant was seen."""
    out = {str(o): str(o) for o in item.options}
    for canonical, printed in option_variants(item.options_id).items():
        out[canonical] = next((v for v in printed if compact(v) in seen), canonical)
    return out


def _printed_items(view: SectionView, ordered: bool) -> set[Item]:
    """Questions whose label is printed: in scrambled text a shared label may be any of its items."""
    return {it for a in view.hits for it in ((a.item,) if ordered else a.hit.items)}


def _selection_values(lines: Sequence[Line], span: range, keys: dict[str, str]) -> list[tuple[int, str]]:
    """(line, option key) for every bracketed option; an unclosed bracket may wrap onto the next lines."""
    out = []
    for b in bracket_values(lines, span):
        key = compact(b.value)
        j = b.index
        while key not in keys and any(k.startswith(key) for k in keys) and j + 1 < span.stop and j < b.index + 3:
            j += 1
            key += compact(_CLOSING.split(lines[j].text, 1)[0])  # the value ends at its ``]``
        if key in keys:
            out.append((b.index, key))
    return out + _bare_values(lines, span, keys, {i for i, _ in out})


def _bare_values(lines: Sequence[Line], span: range, keys: dict[str, str], taken: set[int]) -> list[tuple[int, str]]:
    """A line that is exactly one option once stray brackets are dropped, with no list number: a
    bracket's content whose ``[`` and ``]`` went elsewhere (``十分である``, ``]十分に周知している``,
    ``基礎項目評価…[ ]``, ``十分に行っている[ ＜選択肢＞``). An option after a box (``] 行っていない``,
    also a checklist option) is dropped by the caller."""
    out = []
    for i in span:
        if i > 0 and wraps_on(lines[i - 1], lines[i]):
            continue  # inside a PDF cell: a wrapped piece of a longer text (an option list's line)
        key = compact(_BRACKETS.sub("", lines[i].text))
        if i not in taken and key in keys:
            out.append((i, key))
    return out


def _checklist_rows(view: SectionView, inst: Question, states: dict[str, list], lines: Sequence[Line],
                    printed: dict[str, str]) -> list[dict]:
    """One row per option. A markdown □ box is empty only when some box of the list is checked."""
    raw = {opt: {ev.value for ev, _ in got} for opt, got in states.items()}
    any_checked = any(v == {CHECKED} for v in raw.values())
    rows = []
    for opt, got in states.items():
        values = raw[opt]
        state = values.pop() if len(values) == 1 else None
        if state == LOST:
            state = EMPTY if any_checked else None
        details = {ev.detail for ev, _ in got if ev.detail}
        anchor = [lines[i] for i in inst.anchors[:1]]
        rows.append({
            "file_name": view.file_name, "path": inst.path, "label": inst.item.label, "option": printed[opt],
            "checked": True if state == CHECKED else False if state == EMPTY else None,
            "detail": details.pop() if len(details) == 1 else None,
            "source_ref": source_ref([lines[ev.index] for ev, _ in got][:1] or anchor),
        })
    return rows


def _flag_rows(view: SectionView, template: FormTemplate, flags: list[Box], loose: list[int], lines) -> list[dict]:
    """``[ ] 委託しない`` on a Ⅲ heading: a checklist of one option, labelled by the heading whose
    title ends with the flag's subject (委託, 提供・移転, 接続)."""
    headings = [it for it in template.items() if it.section == view.section.key and it.type == "group"
                and len(it.path) == 2]
    by_flag: dict[tuple[Item, str], list[Box]] = defaultdict(list)
    for box in flags:
        subject = _PAREN_TAIL.sub("", box.option).removesuffix("しない")
        heading = [h for h in headings if _PAREN_TAIL.sub("", compact(h.name)).endswith(subject)]
        if len(heading) == 1:
            by_flag[(heading[0], box.option)].append(box)
    rows = []
    for (heading, option), found in by_flag.items():
        states = {split_state(b.index, loose) if b.state == SPLIT else b.state for b in found}
        state = states.pop() if len(states) == 1 else None
        rows.append({"file_name": view.file_name, "path": " > ".join(heading.path), "label": heading.label,
                     "option": option, "checked": True if state == CHECKED else False if state == EMPTY else None,
                     "detail": None, "source_ref": source_ref([lines[b.index] for b in found])})
    return rows


def field_row(section: str, row: dict, value, kind: str, confidence: float) -> dict:
    return {"section": section, "path": row["path"], "file_name": row["file_name"], "label": row["label"],
            "value": value, "kind": kind, "confidence": confidence, "source_ref": row["source_ref"]}
