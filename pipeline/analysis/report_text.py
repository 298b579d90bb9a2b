"""The corpus report in a terminal (aligned tables) and as JSON (``pia report [--json]``)."""
from __future__ import annotations

from pipeline.analysis.report import CorpusReport
from pipeline.analysis.termtable import render_table

_UNANSWERED = "未回答"
TOP = 10


def report_json(r: CorpusReport) -> dict:
    return {
        "corpus": r.root, "reports": r.reports, "bodies": r.bodies,
        "by_kind": dict(r.by_kind), "by_form": dict(r.by_form), "by_year": dict(r.by_year),
        "questions": [{"question": q.label, "options": q.options,
                       "spread": {a or _UNANSWERED: n for a, n in q.spread().items()},
                       "peer_answer": q.peer_answer(),
                       "outliers": [{"body": b, "answer": a} for b, a in q.outliers()]} for q in r.questions],
        "contractors": [{"name": c.name, "bodies": sorted(c.bodies), "subcontracting": sorted(c.subcontracting)}
                        for c in r.contractors],
    }


def render_report(r: CorpusReport) -> str:
    parts = [f"{r.reports} reports, {r.bodies} bodies (each body by its latest report)"]
    for title, counts in (("評価書の種類", r.by_kind), ("様式", r.by_form), ("公表年", r.by_year)):
        parts.append(render_table([title, "件数"], [[k, str(n)] for k, n in counts]))
    outliers = [[q.label, q.peer_answer() or "", b, a or _UNANSWERED] for q in r.questions for b, a in q.outliers()]
    parts.append(f"仲間と異なる回答 ({len(outliers)}; first {min(TOP, len(outliers))})\n"
                 + render_table(["質問", "多数の回答", "機関", "この機関の回答"], outliers[:TOP], max_col=50))
    parts.append(f"委託先 ({len(r.contractors)}; first {min(TOP, len(r.contractors))})\n" + render_table(
        ["委託先", "機関数", "再委託あり"], [[c.name, str(len(c.bodies)), str(len(c.subcontracting))] for c in r.contractors[:TOP]]))
    return "\n\n".join(parts) + "\n"
