"""Terminal view of a diff: one block per form section, the two documents in two columns.

Measure texts are too long to show whole in a terminal; it shows their similarity, the clauses only
one side has, and reworded clause pairs (the HTML report shows the full texts, highlighted).
"""
from __future__ import annotations

from pipeline.analysis.diff import DocDiff, Item
from pipeline.analysis.lookup import describe
from pipeline.analysis.diff_versions import History
from pipeline.analysis.termtable import printable, side_by_side, truncate, width

_MISSING = "(なし)"


def _columns(width: int) -> int:
    return max(20, (width - 7) // 2)


def _item_lines(it: Item, cols: int) -> list[str]:
    out = [f"  ▸ {it.label}" + (f"  [類似度 {it.text.similarity:.2f}]" if it.text and it.a and it.b else "")]
    short = it.text is not None and max(width(it.a or ""), width(it.b or "")) <= cols
    if it.text is None or it.a is None or it.b is None or short:
        left, right = it.a if it.a is not None else _MISSING, it.b if it.b is not None else _MISSING
        if it.text is not None:  # one side has no text at all: show its start only
            left, right = truncate(left, cols * 3), truncate(right, cols * 3)
        return out + ["    " + line for line in side_by_side(left, right, cols)]
    t = it.text
    if t.only_a or t.only_b:
        out.append("    " + side_by_side("Aのみ:", "Bのみ:", cols)[0])
        out += ["    " + line for line in side_by_side("\n".join(t.only_a) or "―", "\n".join(t.only_b) or "―", cols)]
    for x, y, score in t.reworded:
        out.append("    " + side_by_side(f"言い換え ({score:.2f}):", "", cols)[0])
        out += ["    " + line for line in side_by_side(x, y, cols)]
    return out


def _body(d: DocDiff, width: int, show_all: bool) -> list[str]:
    cols = _columns(width)
    lines = []
    for group, shown, diffs, total in d.shown_groups(show_all):
        lines += ["", f"■ {group}  ({diffs} 件の相違 / {total} 項目)"]
        for it in shown:
            lines += _item_lines(it, cols)
    return lines


def _summary(d: DocDiff) -> str:
    only_a = sum(it.b is None and it.a is not None for it in d.items)
    only_b = sum(it.a is None and it.b is not None for it in d.items)
    return (f"{len(d.differences)} differences in {len(d.items)} aligned items "
            f"({only_a} only in A, {only_b} only in B)")


def render_diff(d: DocDiff, width: int = 120, show_all: bool = False) -> str:
    head = [f"A  {describe(d.a)}", f"B  {describe(d.b)}", _summary(d)]
    return printable("\n".join(head + _body(d, width, show_all))) + "\n"


def render_versions(h: History, width: int = 120, show_all: bool = False) -> str:
    lines = [f"{h.body}: {len(h.versions)} report(s) by 公表日"]
    lines += [f"  {i}. {describe(v.doc)}" for i, v in enumerate(h.versions, 1)]
    for i, v in enumerate(h.versions[1:], 2):
        lines += ["", "=" * min(width, 100), f"{i - 1} → {i}: {_summary(v.diff)}"]
        lines.append(f"変更箇所 rows new in report {i}: {len(v.changes)}")
        for r in v.changes:
            lines.append(f"  - {r['changed_on_raw'] or '?'} [{r['timing'] or '?'}] {r['item']}: "
                         f"{r['before']} → {r['after']}" + (f" ({r['reason']})" if r["reason"] else ""))
        lines += _body(v.diff, width, show_all)
    return printable("\n".join(lines)) + "\n"


def _item_json(it: Item) -> dict:
    out = {"group": it.group, "label": it.label, "kind": it.kind, "a": it.a, "b": it.b, "differs": it.differs}
    if it.text is not None and it.a is not None and it.b is not None:
        out["similarity"] = round(it.text.similarity, 3)
    return out


def _doc_diff_json(d: DocDiff) -> dict:
    return {"a": d.a, "b": d.b, "differences": len(d.differences), "items": [_item_json(it) for it in d.items]}


def diff_json(result: DocDiff | History) -> dict:
    """Every aligned item with both values (``pia diff --json``)."""
    if isinstance(result, DocDiff):
        return _doc_diff_json(result)
    return {"body": result.body, "versions": [
        {"doc": v.doc, "changes": v.changes, "diff": _doc_diff_json(v.diff) if v.diff else None}
        for v in result.versions]}
