"""One body's reports over time: each version compared with the one before, with the 変更箇所 rows
it adds (the changes the body itself declares)."""
from __future__ import annotations

from dataclasses import dataclass, field

from normalizers.text import compact

from pipeline.analysis.diff import DocDiff, diff_docs
from pipeline.analysis.lookup import Corpus, DiffError, find


@dataclass
class Version:
    doc: dict
    diff: DocDiff | None = None  # against the previous version
    changes: list[dict] = field(default_factory=list)  # 変更箇所 rows new since the previous version


@dataclass
class History:
    body: str
    versions: list[Version]


def _series(doc: dict) -> tuple:
    """Reports of one body's one assessment: same body and 評価書番号 (the body the 宣言 names, else the
    printed org, else the title)."""
    return (doc.get("body_name") or doc.get("org_name") or doc.get("title"), doc.get("assessment_number"))


def compare_versions(corpus: Corpus, term: str) -> History:
    found = find(corpus, term)
    if not found:
        raise DiffError(f"no document matches {term!r} (list them: pia query \"SELECT doc_id, org_name, title FROM documents\")")
    series = list(dict.fromkeys(_series(d) for d in found))
    if len(series) > 1:
        listed = "; ".join(f"{org} 評価書番号 {num}" for org, num in series)
        raise DiffError(f"{term!r} matches {len(series)} bodies/assessments; be more specific: {listed}")
    docs = sorted((d for d in corpus.documents if _series(d) == series[0]),
                  key=lambda d: (d["published_on"] is None, d["published_on"], d["doc_id"]))
    versions = [Version(docs[0])]
    for prev, doc in zip(docs, docs[1:]):
        known = {_change_key(r) for r in corpus.rows("changes", prev["doc_id"])}
        new = [r for r in sorted(corpus.rows("changes", doc["doc_id"]), key=lambda r: r["row_no"] or 0)
               if _change_key(r) not in known]
        versions.append(Version(doc, diff_docs(corpus, prev, doc), new))
    return History(f"{series[0][0]} 評価書番号 {series[0][1]}", versions)


def _change_key(r: dict) -> tuple:
    return (r["changed_on_raw"], compact(r["item"] or ""), compact(r["before"] or ""), compact(r["after"] or ""))
