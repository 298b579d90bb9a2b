"""Finding documents in a corpus for the analyst tools: open a corpus, name a document by its
doc_id, a prefix of it, or words of its organisation and title."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from normalizers.text import compact

from pipeline.analysis.query import connect


class DiffError(Exception):
    """A document reference that does not name exactly one document; the message is one line."""


@dataclass
class Corpus:
    root: Path
    documents: list[dict]
    _rows: dict[tuple[str, str], list[dict]] = field(default_factory=dict)

    def rows(self, table: str, doc_id: str) -> list[dict]:
        """One document's rows, read from its own file (``<root>/<table>/<doc_id>.parquet``): a diff touches
        two documents, and scanning every document's file for them would grow with the corpus."""
        if (table, doc_id) not in self._rows:
            path = self.root / table / f"{doc_id}.parquet"
            self._rows[table, doc_id] = pq.read_table(path).to_pylist() if path.is_file() else []
        return self._rows[table, doc_id]


def open_corpus(root: str | Path) -> Corpus:
    rel = connect(root).execute("SELECT * FROM documents WHERE status <> 'failed' ORDER BY published_on, doc_id")
    cols = [d[0] for d in rel.description]
    return Corpus(Path(root), [dict(zip(cols, r)) for r in rel.fetchall()])


def describe(doc: dict) -> str:
    """One-line name of a document for headers and candidate lists."""
    date = doc.get("published_on") or doc.get("published_on_raw") or "公表日不明"
    return f"{doc['doc_id']} {doc.get('org_name') or '?'} | {doc.get('title') or doc.get('source_path')} | {date}"


def find(corpus: Corpus, term: str) -> list[dict]:
    """Documents a term names: its doc_id, a doc_id prefix, or words all found in org/title/business."""
    docs = corpus.documents
    exact = [d for d in docs if d["doc_id"] == term]
    if exact:
        return exact
    by_prefix = [d for d in docs if d["doc_id"].startswith(term.lower())]
    if by_prefix:
        return by_prefix
    words = [compact(w) for w in term.split()]
    hay = lambda d: compact(" ".join(str(d.get(k) or "") for k in ("org_name", "title", "business_name", "source_path")))  # noqa: E731
    return [d for d in docs if all(w in hay(d) for w in words)]


def resolve(corpus: Corpus, term: str) -> dict:
    found = find(corpus, term)
    if not found:
        raise DiffError(f"no document matches {term!r} (list them: pia query \"SELECT doc_id, org_name, title FROM documents\")")
    if len(found) > 1:
        raise DiffError(f"{term!r} matches {len(found)} documents; name one by doc_id: " + "; ".join(describe(d) for d in found))
    return found[0]
