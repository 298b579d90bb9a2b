"""Two reports aligned by the form's structure, and one body's reports over time.

Rows of both documents are keyed by where they sit in the form — file block, section, risk, question,
option — with numbering, ※ marks and spacing removed from the key, so リスク: and リスク1: or a
renumbered heading still meet. 特定個人情報ファイル blocks pair by name, then by order; entrustments
pair by what is entrusted (their numbers are arbitrary across bodies); transfers by counterparty.
Free texts (measures, contents, retention) are compared as Japanese text (pipeline.analysis.jatext).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import regex

from normalizers.text import compact, normalize_text

from pipeline.analysis import jatext
from pipeline.analysis.diff_place import (block_number, block_prefix, form_order, group_of, key_text,
                                          one_name_per_group, position)
from pipeline.analysis.lookup import Corpus, resolve
from parsers.extract.graded import risk_sections
from parsers.form.template import load_template
from pipeline.corpus.schema import BAND_COLUMNS, NAME_COLUMNS, TABLES

UNKNOWN = (None, "?")  # no value, or a check box the extractor could not read
_AS_PRINTED = "（記載どおり）"
_BY_QUESTION = "ファイルは対応せず、問いで対応"  # risk rows paired by question: their files did not pair
# Entrustments whose title and content are at least this similar are the same entrustment.
SAME_ENTRUSTMENT = 0.5
_TEXT_COLUMNS = {"content", "subcontract_permission", "subcontract_items", "legal_basis", "purpose", "information",
                 "subject_scope"}
# Blocks read from their own tables are placed under the heading the form prints them in.
_ENTRUSTMENTS = "Ⅱ 特定個人情報ファイルの概要 > 4. 特定個人情報ファイルの取扱いの委託"
_TRANSFERS = "Ⅱ 特定個人情報ファイルの概要 > 5. 特定個人情報の提供・移転"
# Cover fields as the form prints them (the schema's meanings for these are English notes).
DOC_FIELDS = {"title": "評価書名", "org_name": "評価実施機関名", "assessment_kind": "評価書の種類",
               "form_version": "様式", "published_on": "公表日", "business_name": "事務の名称"}


# ---------------------------------------------------------------- alignment


@dataclass
class Item:
    """One aligned question: the value each document gives (None when the document has no such item)."""
    group: str
    label: str
    kind: str  # document | file | selection | checklist | retention | entrustment | transfer | risk | measures | text
    a: str | None
    b: str | None
    text: jatext.TextComparison | None = None  # for free text, compared as Japanese
    a_ref: str | None = None  # source_ref of each side's value: L12-L15 or p3:x0,top,x1,bottom
    b_ref: str | None = None

    @property
    def differs(self) -> bool:
        """``?`` (a value the extractor could not attribute) is no answer, so it never differs from
        an absent one: only what both documents are known to say can differ."""
        if self.a in UNKNOWN and self.b in UNKNOWN:
            return False
        if self.text is not None:
            return self.a is None or self.b is None or not self.text.same
        return compact(self.a or "") != compact(self.b or "") or (self.a is None) != (self.b is None)


@dataclass
class DocDiff:
    a: dict
    b: dict
    items: list[Item]

    def groups(self) -> list[tuple[str, list[Item]]]:
        out: dict[str, list[Item]] = {}
        for it in self.items:
            out.setdefault(it.group, []).append(it)
        return list(out.items())

    def shown_groups(self, show_all: bool) -> list[tuple[str, list[Item], int, int]]:
        """(group, items to show, differences, items) for the groups a report prints: every
        group with a difference, or every group when ``show_all``."""
        out = []
        for group, items in self.groups():
            shown = [it for it in items if show_all or it.differs]
            if shown:
                out.append((group, shown, sum(it.differs for it in items), len(items)))
        return out

    @property
    def differences(self) -> list[Item]:
        return [it for it in self.items if it.differs]


@dataclass
class _Entry:
    group: str
    key: tuple
    label: str
    kind: str
    value: str | None
    ref: str | None = None


def _label(table: str, column: str) -> str:
    """The column's printed label, from the schema's one-line meaning; a column keeping the text as
    printed says so (``⑤保有開始日（記載どおり）`` beside the date read from it)."""
    meaning = next(m for c, _, m in TABLES[table] if c == column).removeprefix("(ext) ")
    label = regex.split(r" (?=[A-Za-z(])| = |: ", meaning)[0]
    return f"{label}{_AS_PRINTED}" if column.endswith("_raw") else label


def _derived(table: str) -> set[str]:
    """Columns computed from another column (band bounds, normalised names): the diff shows their source."""
    bands = {f"{c}_{end}" for c in BAND_COLUMNS.get(table, []) for end in ("min", "max")}
    return bands | {f"{c}_normalized" for c in NAME_COLUMNS.get(table, [])}


def _show(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "はい" if v else "いいえ"
    if isinstance(v, list):
        return "、".join(map(str, v))
    return str(v)


class _Files:
    """特定個人情報ファイル blocks of both documents paired: same name first, then in order."""

    def __init__(self, names_a: list[str], names_b: list[str]):
        rest_b = [n for n in names_b if n not in names_a]
        self.slot: dict[tuple[str, str], int] = {}
        self.names: dict[int, tuple[str | None, str | None]] = {}
        rest_iter = iter(rest_b)
        for i, n in enumerate(names_a):
            partner = n if n in names_b else next(rest_iter, None)
            self._pair(i, n, partner)
        for j, n in enumerate(rest_iter, len(names_a)):
            self._pair(j, None, n)

    def _pair(self, slot: int, a: str | None, b: str | None) -> None:
        self.names[slot] = (a, b)
        if a is not None:
            self.slot[("a", a)] = slot
        if b is not None:
            self.slot[("b", b)] = slot

    def of(self, side: str, name: str | None, in_file: bool = False) -> int | None:
        """The slot of a row's file. Rows of per-file blocks (``in_file``) whose file was not recognised
        belong to the document's only file when it has at most one."""
        if name is None:
            if in_file and sum(1 for k in self.slot if k[0] == side) <= 1 and 0 in self.names:
                return 0
            return None
        return self.slot.get((side, name))

    def title(self, slot: int | None) -> str:
        if slot is None:
            return ""
        a, b = self.names[slot]
        return f" — {a or b}" if a == b or not (a and b) else f" — {a} ↔ {b}"


def _file_names(corpus: Corpus, doc_id: str) -> list[str]:
    files = sorted(corpus.rows("files", doc_id), key=lambda r: (r["file_no"] is None, r["file_no"]))
    names = [r["file_name"] for r in files if r["file_name"]]
    for table in ("selections", "checklist_items", "entrustments", "transfers", "risk_answers"):
        for r in sorted(corpus.rows(table, doc_id), key=lambda r: position(r.get("source_ref"))):
            if r["file_name"] and r["file_name"] not in names:
                names.append(r["file_name"])
    return names


def _occurrences(entries: Iterable[_Entry]) -> list[_Entry]:
    """Number repeated keys (the same question twice in one block) so each pairs with its counterpart."""
    seen: Counter = Counter()
    out = []
    for e in entries:
        seen[e.key] += 1
        out.append(_Entry(e.group, (*e.key, seen[e.key]), e.label, e.kind, e.value, e.ref))
    return out


def _label_refs(fields: list[dict]) -> dict[tuple, str]:
    """(file, label) -> where that label's value was read: a files row's own reference spans its whole
    block, the fields row of each label names the value's lines or box."""
    out: dict[tuple, str] = {}
    for r in fields:
        if r["source_ref"]:
            out.setdefault((r["file_name"], key_text(r["label"])), r["source_ref"])
    return out


def _per_file(group: str) -> bool:
    """Ⅱ and Ⅲ are printed once per 特定個人情報ファイル: their rows belong to a file even when it is not named."""
    return group.startswith(("Ⅱ", "Ⅲ"))


def _entries(corpus: Corpus, doc: dict, side: str, files: _Files) -> list[_Entry]:
    doc_id = doc["doc_id"]
    rows = lambda t: sorted(corpus.rows(t, doc_id), key=lambda r: position(r.get("source_ref")))  # noqa: E731
    slot = lambda r, in_file=False: files.of(side, r.get("file_name"), in_file)  # noqa: E731
    refs = _label_refs(rows("fields"))
    out = [_Entry("評価書", ("doc", c), label, "document", _show(doc.get(c)), refs.get((None, key_text(label))))
           for c, label in DOC_FIELDS.items()]
    hidden = {"doc_id", "file_no", "file_name", "source_ref", *_derived("files")}
    for r in rows("files"):
        s = slot(r, True)
        group = f"Ⅱ 特定個人情報ファイルの概要{files.title(s)}"
        out += [_Entry(group, ("file", s, c), _label("files", c), "file", _show(r.get(c)),
                       refs.get((r["file_name"], key_text(_label("files", c).removesuffix(_AS_PRINTED))), r["source_ref"]))
                for c, _, _ in TABLES["files"] if c not in hidden]
    form = doc.get("assessment_kind")
    for r in rows("selections"):
        group = group_of(r["path"], form)
        s = slot(r, _per_file(group))
        kind = "retention" if "保管・消去" in group and group.startswith("Ⅱ") else "selection"
        out.append(_Entry(f"{group}{files.title(s)}", ("sel", s, key_text(r["path"]), key_text(r["label"])),
                          f"{block_prefix(r['path'])}{r['label']}", kind, r["chosen"], r["source_ref"]))
    for r in rows("checklist_items"):
        group = group_of(r["path"], form)
        s = slot(r, _per_file(group))
        mark = {True: "☑", False: "☐", None: "?"}[r["checked"]]
        value = f"{mark} {r['detail']}" if r["detail"] else mark
        out.append(_Entry(f"{group}{files.title(s)}",
                          ("chk", s, key_text(r["path"]), key_text(r["label"]), key_text(r["option"])),
                          f"{block_prefix(r['path'])}{r['label']}: {r['option']}", "checklist", value, r["source_ref"]))
    for r in rows("fields"):
        if r["section"] == "Ⅱ" and "保管・消去" in (r["path"] or "") and r["kind"] == "text":
            out.append(_Entry(f"{group_of(r['path'], form, r['section'])}{files.title(slot(r, True))}",
                              ("ret", slot(r, True), key_text(r["path"]), key_text(r["label"])), r["label"], "text",
                              r["value"], r["source_ref"]))
    for r in rows("transfers"):
        s = slot(r, True)
        head = f"{r['kind']}: {r['counterparty']}"
        for c in ("legal_basis", "purpose", "information", "subject_count", "subject_scope", "methods", "timing"):
            kind = "text" if c in _TEXT_COLUMNS else "transfer"
            out.append(_Entry(f"{_TRANSFERS}{files.title(s)}", ("tr", s, r["kind"], key_text(r["counterparty"]), c),
                              f"{head} › {_label('transfers', c)}", kind, _show(r.get(c)), r["source_ref"]))
    for r in rows("risk_answers"):
        s = slot(r, True)
        group = f"{_risk_heading(form, r['section'])}{files.title(s)}"
        key = ("risk", s, key_text(r["section"]), key_text(r["risk"]), key_text(r["question"]))
        head = normalize_text(f"{r['risk']} › {r['question']}" if r["risk"] else r["question"] or "")
        out.append(_Entry(group, key, head, "risk", r["answer"], r["source_ref"]))
        out.append(_Entry(group, (*key, "measures"), f"{head} › 措置", "measures", r["measures"], r["source_ref"]))
    return _occurrences(out)


def _risk_heading(kind: str | None, section: str | None) -> str:
    """The section a risk row's heading is printed in: Ⅲ, or Ⅳ その他のリスク対策 in 全項目 (監査, 教育・啓発)."""
    heading = normalize_text(section or "")
    try:
        template = load_template(kind) if kind else None
    except KeyError:
        template = None
    key = next((it.section for it in template.items() if it.section in risk_sections(template)
                and len(it.path) > 1 and key_text(it.path[1]) == key_text(section)), None) if template and section else None
    title = dict(template.sections).get(key) if key else None
    return f"{key} {title} > {heading}" if key else f"Ⅲ リスク対策 > {heading}"


def _merge(ea: list[_Entry], eb: list[_Entry]) -> list[Item]:
    by_key_b = {e.key: e for e in eb}
    by_question = _by_question(ea, eb, set(by_key_b), {e.key for e in ea})
    items, paired_b = [], set()
    for e in ea:
        other = by_key_b.get(e.key) or by_question.get(e.key)
        group = e.group if e.key in by_key_b or other is None else (
            f"{e.group}（{_BY_QUESTION}）" if " — " in e.group else f"{e.group} — {_BY_QUESTION}")
        if other is not None:
            paired_b.add(other.key)
        items.append(Item(group, e.label, e.kind, e.value, other.value if other else None, a_ref=e.ref,
                          b_ref=other.ref if other else None))
    items += [Item(e.group, e.label, e.kind, None, e.value, b_ref=e.ref) for e in eb if e.key not in paired_b]
    return items


def _by_question(ea: list[_Entry], eb: list[_Entry], keys_b: set, keys_a: set) -> dict[tuple, _Entry]:
    """Risk rows whose files could not be paired (one report names its file, the other prints Ⅲ once for
    all its files, or the names differ) meet by section, risk and question, when each report has that
    question exactly once among its unpaired rows; the group then says the files were not matched."""
    def loose(side: list[_Entry], other_keys: set) -> dict[tuple, list[_Entry]]:
        out: dict[tuple, list[_Entry]] = {}
        for e in side:
            if e.kind in ("risk", "measures") and e.key not in other_keys:
                out.setdefault((e.key[0], *e.key[2:]), []).append(e)
        return out
    only_a, only_b = loose(ea, keys_b), loose(eb, keys_a)
    return {a[0].key: only_b[k][0] for k, a in only_a.items() if len(a) == 1 and len(only_b.get(k, ())) == 1}


def _entrustment_items(corpus: Corpus, a: dict, b: dict, files: _Files) -> list[Item]:
    """Entrustments pair by what is entrusted (title and content), best pairs first."""
    ra = corpus.rows("entrustments", a["doc_id"])
    rb = corpus.rows("entrustments", b["doc_id"])
    what = lambda r: f"{r['title'] or ''} {r['content'] or ''}"  # noqa: E731
    scored = sorted(((jatext.similarity(what(x), what(y)), i, j) for i, x in enumerate(ra) for j, y in enumerate(rb)
                     if files.of("a", x["file_name"], True) == files.of("b", y["file_name"], True)), reverse=True)
    pairs, used_a, used_b = [], set(), set()
    for score, i, j in scored:
        if score >= SAME_ENTRUSTMENT and i not in used_a and j not in used_b:
            pairs.append((ra[i], rb[j]))
            used_a.add(i)
            used_b.add(j)
    pairs += [(r, None) for i, r in enumerate(ra) if i not in used_a]
    pairs += [(None, r) for j, r in enumerate(rb) if j not in used_b]
    pairs.sort(key=lambda p: (p[0] is None, (p[0] or p[1])["entrustment_no"] or 0))
    items = []
    for x, y in pairs:
        s = files.of("a", x["file_name"], True) if x else files.of("b", y["file_name"], True)
        group = f"{_ENTRUSTMENTS}{files.title(s)}"
        number = "／".join(f"{side}{r['entrustment_no']}" for side, r in (("A", x), ("B", y)) if r)
        head = f"委託事項 {number}: {(x or y)['title']}"
        for c in ("title", "content", "handler_count", "contractor", "subcontract", "subcontract_permission", "subcontract_items"):
            kind = "text" if c in _TEXT_COLUMNS else "entrustment"
            label = "委託事項名" if c == "title" else _label("entrustments", c)
            items.append(Item(group, f"{head} › {label}", kind, _show(x.get(c)) if x else None,
                              _show(y.get(c)) if y else None, a_ref=x and x["source_ref"], b_ref=y and y["source_ref"]))
    return items


def compare_documents(corpus: Corpus, term_a: str, term_b: str) -> DocDiff:
    return diff_docs(corpus, resolve(corpus, term_a), resolve(corpus, term_b))


def diff_docs(corpus: Corpus, a: dict, b: dict) -> DocDiff:
    files = _Files(_file_names(corpus, a["doc_id"]), _file_names(corpus, b["doc_id"]))
    items = _merge(_entries(corpus, a, "a", files), _entries(corpus, b, "b", files))
    items += _entrustment_items(corpus, a, b, files)
    items = _dedupe_measures([it for it in items if it.a is not None or it.b is not None])
    for it in items:
        if it.kind in ("measures", "text"):
            it.text = jatext.compare(it.a, it.b)
    one_name_per_group(items)
    order = {g: i for i, g in enumerate(dict.fromkeys(it.group for it in items))}
    items.sort(key=lambda it: (*form_order(it.group), order[it.group], block_number(it.label)))
    return DocDiff(a, b, items)


def _dedupe_measures(items: list[Item]) -> list[Item]:
    """Several questions of one risk often grade the same measure text: show it once per group."""
    seen = set()
    out = []
    for it in items:
        if it.kind == "measures":
            if (it.a is None and it.b is None) or (it.group, it.a, it.b) in seen:
                continue
            seen.add((it.group, it.a, it.b))
        out.append(it)
    return out
