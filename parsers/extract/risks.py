"""The ``risk_answers`` table: every graded question of the risk sections (Ⅲ, and Ⅳ in 全項目), its
answer and the measure text it grades.

In scrambled PDF text the answers (``[ 十分である``) sit far from their questions, and one label
(リスクへの対策は十分か) is printed once per risk, so position alone attributes nothing. An answer is
taken only on evidence that names its question:
1. an answer printed on the line of a label that only one applicable question carries
   (``ユーザ認証の管理 [ 行っている``);
2. in text whose labels follow the form's order (markdown conversions), the answer printed right
   after a label, the label resolved to its question by that order (checklists: the checked boxes);
3. an answer family (questions whose option lists share labels) whose answers not attributed so
   far are all one option and at least as many as its unanswered questions and their printed
   labels: every such question has that answer (counts, not positions, are the evidence).
Anything else stays null with a warning: a wrong answer is worse than a missing one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Sequence

import regex

from normalizers.text import compact, nfkc

from parsers.form.align import LabelHit, find_label, label_at, wrapped_label
from parsers.extract.checkmarks import CHECK_MARKS, CHECKED, boxes
from parsers.extract.context import FILE_BLOCKS, DocContext
from parsers.extract.choices import field_row
from parsers.extract.contract import Extracted, ExtractWarning
from parsers.extract.measures import measure_of, measure_texts
from parsers.extract.graded import GRADED, reconcile, risk_sections
from parsers.form.template import FormTemplate, Item
from parsers.model import Line, same_row, source_ref
from parsers.settings import EXTRACT

GRADED_TYPES = {"selection", "checklist"}
CLEAN_ORDER, FOLLOW = EXTRACT.clean_order, EXTRACT.follow

_QUALIFIER = regex.compile(r"\((.+)\)$")  # 接続しない(入手) after NFKC
_LIST_ITEM = regex.compile(r"\d\)\s*$")  # "2) " before an option: the printed ＜選択肢＞ list
_CHOICES = regex.compile(r"<選択肢>")
_BRACKETS = "[]"
_AFTER_OK = regex.compile(r"^(?:$|[\[\]<]|\d\))")


@dataclass(frozen=True)
class Occurrence:
    """An option label printed as an answer (not as a ＜選択肢＞ list entry)."""

    index: int  # line index
    value: str  # NFKC option label
    anchor: tuple[Item, ...] = ()  # candidates of the label printed before it on the same line


@dataclass
class Scope:
    """Lines that hold one set of questions: the risk sections of a document (or one Ⅲ block when
    Ⅲ repeats per file), extended back over lines that leaked before the first heading."""

    start: int
    end: int
    file_name: str | None
    sections: tuple[str, ...]
    questions: list[Item] = field(default_factory=list)


@dataclass
class Answer:
    value: str | None
    lines: list[int]


def extract(ctx: DocContext) -> Extracted:
    template = ctx.template
    if template is None:
        return Extracted()
    out = Extracted({"risk_answers": []})
    theirs = {(r["file_name"], r["path"]): r for r in ctx.rows.get(GRADED, [])}
    final: dict[tuple, tuple[str | None, str | None]] = {}  # graded selection -> (answer, source_ref)
    for scope in _scopes(ctx, template):
        hits = _hits(ctx.lines, scope, template)
        scope.questions = _applicable(ctx.lines, scope, template)
        occ = scope_occurrences(ctx.lines, scope, template)
        # a PDF layout read cell by cell is in the form's order by construction (a blank answer
        # would fail the heuristic below); a text layer has to show it
        in_order = any(ln.cell is not None for ln in ctx.lines[scope.start:scope.end]) \
            or ordered(hits, template, occ, scope.questions)
        answers, notes = attribute(ctx.lines, scope, template, hits, occ, in_order)
        out.warnings += notes
        checks = checklist_answers(ctx.lines, scope, template, hits) if in_order else {}
        texts, notes = measure_texts(ctx.lines, scope, template, hits,
                                     _resolve_in_order(hits, template) if in_order else None)
        out.warnings += notes
        for q in scope.questions:
            text, text_lines = measure_of(q, template, texts)
            file_name = scope.file_name if q.section in FILE_BLOCKS else None  # Ⅳ is not per file
            for ans in checks.get(q.path) or [answers.get(q.path, Answer(None, []))]:
                ref = source_ref([ctx.lines[i] for i in sorted(set(ans.lines + text_lines))])
                value = _one_answer(q, ans.value, theirs.get((file_name, " > ".join(q.path))), ref, out)
                if q.type == "selection":
                    final[(file_name, " > ".join(q.path))] = (value, ref)
                out.tables["risk_answers"].append({
                    "file_name": file_name, "section": q.path[1], "risk": _risk_of(q),
                    "question": q.label, "answer": value, "measures": text, "source_ref": ref,
                })
    out.tables["selections"], out.tables["fields"] = _graded_rows(theirs, final)
    return out


def _one_answer(q: Item, own: str | None, choice: dict | None, ref: str | None, out: Extracted) -> str | None:
    """This question's answer, reconciled with the choices stage's (``graded``)."""
    value, conflict = reconcile(own, nfkc(choice["chosen"]) if choice and choice["chosen"] else None)
    if conflict:
        out.warn("conflicting_answers", f"the choices and risks stages disagree on {' > '.join(q.path[1:])}", ref)
    elif value is None:
        out.warn("no_confident_answer", f"no confident answer for {' > '.join(q.path[1:])}", ref)
    return value


def _graded_rows(theirs: dict[tuple, dict], final: dict[tuple, tuple]) -> tuple[list[dict], list[dict]]:
    """``selections`` and ``fields`` rows of the graded questions, with the one answer."""
    selections, fields = [], []
    for key, row in theirs.items():
        section, row = row["section"], {k: v for k, v in row.items() if k != "section"}
        if key in final:
            value, ref = final[key]
            chosen = next((o for o in row["options"] if nfkc(o) == value), value) if value else None
            if chosen != row["chosen"]:
                row.update(chosen=chosen, source_ref=row["source_ref"] or ref,
                           confidence=EXTRACT.nearby if chosen else EXTRACT.unattributed)
        selections.append(row)
        fields.append(field_row(section, row, row["chosen"], "selection", row["confidence"]))
    return selections, fields


# --- where the questions are -------------------------------------------------------------------

def _scopes(ctx: DocContext, template: FormTemplate) -> list[Scope]:
    keys = risk_sections(template)
    views = [v for v in ctx.views if v.section.key in keys]
    if not views:
        return []
    first = ctx.views.index(views[0])
    before = ctx.views[first - 1] if first else None
    # answers of the first risk page may be printed before its heading: after the previous
    # section's last label
    lead = max((a.hit.index + 1 for a in before.hits), default=views[0].section.start) if before else views[0].section.start
    blocks = [v for v in views if v.section.key == keys[0]]
    if len(blocks) == 1:  # one file block: all risk sections are one scope (their lines leak into each other)
        return [Scope(lead, views[-1].section.end, blocks[0].file_name, keys)]
    return [Scope(lead if v is views[0] else v.section.start, v.section.end, v.file_name, (v.section.key,))
            for v in views]


def _hits(lines: Sequence[Line], scope: Scope, template: FormTemplate) -> list[LabelHit]:
    hits: list[LabelHit] = []
    for i in range(scope.start, scope.end):
        if hits and i < hits[-1].end:
            continue  # a wrapped label's other lines
        if hit := label_at(lines, i, scope.end, template, scope.sections) or wrapped_label(
                lines, i, scope.end, template, scope.sections):
            hits.append(hit)
    return hits


def _applicable(lines: Sequence[Line], scope: Scope, template: FormTemplate) -> list[Item]:
    """Graded questions of the scope, without the blocks whose flag is checked (委託しない …); a
    qualified flag (接続しない（入手）) drops only the risks of its block that name the qualifier."""
    skipped = set()
    for flag in (it for it in template.items() if it.type == "flag" and it.section in scope.sections):
        if not any(_checked_flag(lines[i].text, flag.label) for i in range(scope.start, scope.end)):
            continue
        block = flag.path[:-1]
        qualifier = _QUALIFIER.search(nfkc(flag.label))
        skipped |= {it.path for it in template.items() if it.path[:-1] == block and it.type == "group"
                    and qualifier.group(1) in nfkc(it.label)} if qualifier else {block}
    return [it for it in template.items() if it.section in scope.sections and it.type in GRADED_TYPES
            and not any(it.path[:len(p)] == p for p in skipped)]


def _checked_flag(text: str, label: str) -> bool:
    return bool(_flag_pattern(label).search(nfkc(text)))


@cache
def _flag_pattern(label: str) -> regex.Pattern:
    return regex.compile(rf"\[\s*[{CHECK_MARKS}]\s*\]\s*{regex.escape(nfkc(label))}")


def _risk_of(q: Item) -> str | None:
    return next((p for p in q.path[2:-1] if "リスク" in p), None)


# --- answers ------------------------------------------------------------------------------------

def occurrences(lines: Sequence[Line], start: int, end: int, options: Sequence[str],
                template: FormTemplate, sections: Sequence[str]) -> list[Occurrence]:
    """Option labels printed as answers: alone, bracketed, or after a label on the same line; not
    as entries of a printed ＜選択肢＞ list (``2) 十分である``) and not inside prose."""
    labels = sorted({nfkc(o) for o in options}, key=len, reverse=True)
    if not labels:
        return []
    pattern = regex.compile("|".join(regex.escape(o) for o in labels))
    out = []
    for i in range(start, end):
        text = nfkc(lines[i].text)
        for m in pattern.finditer(text):
            before = _CHOICES.sub("", text[:m.start()]).rstrip()
            after = text[m.end():].lstrip()
            if _LIST_ITEM.search(before) or not (_AFTER_OK.match(after) or _is_label(after, template, sections)):
                continue
            head = before.strip(_BRACKETS + " ")
            anchor = next((found[0] for key in sections if head and (found := find_label(head, template, key))
                           and not found[1]), None)
            if anchor:
                out.append(Occurrence(i, m.group(), anchor))
            elif not head or (before.endswith(tuple(_BRACKETS)) and not template.match(head)):
                # alone, or delimited by a bracket after text that is not another section's label
                out.append(Occurrence(i, m.group()))
    return out


def _is_label(text: str, template: FormTemplate, sections: Sequence[str]) -> bool:
    return any(find_label(text, template, key) for key in sections)


def scope_occurrences(lines: Sequence[Line], scope: Scope, template: FormTemplate) -> list[Occurrence]:
    options = [o for q in scope.questions if q.type == "selection" for o in q.options]
    return occurrences(lines, scope.start, scope.end, options, template, scope.sections)


def attribute(lines: Sequence[Line], scope: Scope, template: FormTemplate, hits: list[LabelHit],
              occ: list[Occurrence], in_order: bool) -> tuple[dict[tuple, Answer], list[ExtractWarning]]:
    """Question path -> answer, by the three kinds of evidence in the module docstring."""
    questions = [q for q in scope.questions if q.type == "selection"]
    by_path = {q.path: q for q in questions}
    answers: dict[tuple, Answer] = {}
    conflicts: set[tuple] = set()
    used: set[int] = set()

    def take(path: tuple, k: int) -> None:
        o = occ[k]
        used.add(k)
        prev = answers.get(path)
        if prev and prev.value != o.value:
            conflicts.add(path)
        answers[path] = Answer(o.value, (prev.lines if prev else []) + [o.index])

    for k, o in enumerate(occ):  # 1. an answer on the row of a label only one question carries
        cands = [c for c in o.anchor if c.path in by_path and _fits(o.value, c)]
        if len(cands) == 1 and len([c for c in o.anchor if c.path in by_path]) == 1:
            take(cands[0].path, k)
    if in_order:  # 2. labels in form order: the answer right after its label
        resolved = _resolve_in_order(hits, template)
        for k, o in enumerate(occ):
            if k in used:
                continue
            h = _label_before(hits, o.index)
            if h is None or not (same_row(lines[o.index], lines[h.index]) or o.index - (h.end - 1) <= FOLLOW):
                continue
            item = resolved.get(h.index)
            if item is not None and item.path in by_path and _fits(o.value, item) and item.path not in answers:
                take(item.path, k)
    notes = _fill_uniform(questions, occ, used, hits, answers)
    for path in conflicts:
        answers[path] = Answer(None, answers[path].lines)
        notes.append(ExtractWarning("conflicting_answers", f"conflicting answers for {' > '.join(path[1:])}"))
    return answers, notes


def checklist_answers(lines: Sequence[Line], scope: Scope, template: FormTemplate,
                      hits: list[LabelHit]) -> dict[tuple, list[Answer]]:
    """For ordered text: the boxes printed after a checklist question (実施の有無) up to the next
    label, one answer per checked option. A box whose state the converter lost (□) or an empty box
    is no answer; with no checked box the question stays unanswered."""
    resolved = _resolve_in_order(hits, template)
    paths = {q.path for q in scope.questions if q.type == "checklist"}
    out: dict[tuple, list[Answer]] = {}
    for n, h in enumerate(hits):
        item = resolved.get(h.index)
        if item is None or item.path not in paths:
            continue
        options = {compact(o): nfkc(o) for o in item.options}
        end = hits[n + 1].index if n + 1 < len(hits) else scope.end
        out[item.path] = [Answer(options[b.option], [b.index]) for b in boxes(lines, range(h.index, end), options)
                          if b.state == CHECKED and not b.flag]
    return out


def _fits(value: str, item: Item) -> bool:
    return value in {nfkc(o) for o in item.options}


def _fill_uniform(questions: list[Item], occ: list[Occurrence], used: set[int], hits: list[LabelHit],
                  answers: dict[tuple, Answer]) -> list[ExtractWarning]:
    """3. Per family of questions whose option lists share labels: when the answers not yet
    attributed are all one option and at least as many as the unanswered questions and as their
    printed labels (a row split over two pages prints its answer twice; a blank answer makes one
    fewer), every unanswered question of the family has that option."""
    notes = []
    applicable = {q.path for q in questions}

    def within(items: tuple[Item, ...], paths: set[tuple]) -> bool:
        """Labels of this family only (candidates in blocks marked not applicable do not count)."""
        return all(c.path in paths for c in items if c.path in applicable)

    for family in _families([q for q in questions if q.path not in answers]):
        paths = {q.path for q in family}
        labels = {nfkc(o) for q in family for o in q.options}
        stray = [k for k, o in enumerate(occ) if k not in used and o.value in labels and within(o.anchor, paths)]
        printed = sum(1 for h in hits if any(c.path in paths for c in h.items) and within(h.items, paths))
        values = {occ[k].value for k in stray}
        if len(values) == 1 and len(stray) >= max(len(family), printed) and all(_fits(occ[stray[0]].value, q)
                                                                               for q in family):
            for q in family:
                answers[q.path] = Answer(occ[stray[0]].value, [occ[k].index for k in stray])
            used.update(stray)
        else:
            notes.append(ExtractWarning("family_unattributed", f"{len(family)} questions ({family[0].options_id}…), "
                                        f"{printed} printed labels, {len(stray)} unattributed answers "
                                        f"{sorted(values)}: left null"))
    return notes


def _families(questions: list[Item]) -> list[list[Item]]:
    """Questions grouped so that two questions whose option lists share a label are together."""
    groups: list[tuple[set[str], list[Item]]] = []
    for q in questions:
        labels = {nfkc(o) for o in q.options}
        joined = [g for g in groups if g[0] & labels]
        merged = (labels.union(*(g[0] for g in joined)), [x for g in joined for x in g[1]] + [q])
        groups = [g for g in groups if g not in joined] + [merged]
    return [g[1] for g in groups]


def ordered(hits: list[LabelHit], template: FormTemplate, occ: list[Occurrence],
            applicable: Sequence[Item] | None = None) -> bool:
    """Whether the text is in the form's order (not a scrambled layer): the unambiguous labels come
    in form order and the question labels are followed by an answer before the next label (only
    applicable questions: a group its 委託しない flag cancels is printed blank)."""
    rank = _ranks(template)
    seq = [rank[h.items[0].path] for h in hits if len(h.items) == 1]
    questions = _asked(hits, applicable)
    if len(seq) < 3 or not questions:
        return False
    def answered(n: int) -> bool:
        start, last = hits[n].index, hits[n].end - 1  # a wrapped label ends lines after it starts
        stop = min(hits[n + 1].index if n + 1 < len(hits) else last + FOLLOW + 1, last + FOLLOW + 1)
        return any(start <= o.index < stop for o in occ)

    return (sum(b >= a for a, b in zip(seq, seq[1:])) / (len(seq) - 1) >= CLEAN_ORDER
            and sum(map(answered, questions)) / len(questions) >= CLEAN_ORDER)


def _asked(hits: list[LabelHit], applicable: Sequence[Item] | None) -> list[int]:
    """Hits of selection questions that are applicable: a label shared by every risk (リスクへの対策は
    十分か) counts only under a numbered group (２．…, ４．…委託) with applicable questions."""
    asked = None if applicable is None else {q.path for q in applicable}
    groups = None if applicable is None else {q.path[:2] for q in applicable}
    current = None
    out = []
    for n, h in enumerate(hits):
        current = next((c.path for c in h.items if len(c.path) == 2 and c.type == "group"), current)
        if any(c.type == "selection" for c in h.items) and (asked is None or (
                any(c.path in asked for c in h.items) and (current is None or current in groups))):
            out.append(n)
    return out


def _ranks(template: FormTemplate) -> dict[tuple, int]:
    return {it.path: n for n, it in enumerate(template.items())}


def _resolve_in_order(hits: list[LabelHit], template: FormTemplate) -> dict[int, Item]:
    """Line index -> item for ordered text: a shared label is the first of its candidates after the
    previous label's item, provided it comes before the next unambiguous label's item."""
    rank = _ranks(template)
    out: dict[int, Item] = {}
    last = -1
    for n, h in enumerate(hits):
        nxt = next((rank[x.items[0].path] for x in hits[n + 1:] if len(x.items) == 1), len(rank))
        cands = sorted((c for c in h.items if last < rank[c.path] <= nxt), key=lambda c: rank[c.path])
        if not cands:
            continue
        out[h.index] = cands[0]
        last = rank[cands[0].path]
    return out


def _label_before(hits: list[LabelHit], index: int) -> LabelHit | None:
    before = [h for h in hits if h.index <= index]
    return before[-1] if before else None
