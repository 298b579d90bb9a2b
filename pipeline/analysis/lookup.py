"""Finding documents in a corpus for the analyst tools: open a corpus (as of a version), name a
document by its doc_id, a prefix of it, or words of its organisation and title."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from normalizers.text import compact

from pipeline.analysis.query import connect


class DiffError(Exception):
    """A document reference that does not name exactly one document; the message is one line."""


@dataclass
class Corpus:
    """The corpus as of one version (``as_of``; None = latest). A document named ``REF@VERSION`` is read
    as of that version instead, so one report can be compared with itself across corpus versions."""
    root: Path
    documents: list[dict]
    as_of: str | None = None
    _rows: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    _cons: dict = field(default_factory=dict)

    def con(self, as_of: str | None):
        if as_of not in self._cons:
            self._cons[as_of] = connect(self.root, as_of)
        return self._cons[as_of]

    def _query(self, as_of: str | None, sql: str, params: list | None = None) -> list[dict]:
        rel = self.con(as_of).execute(sql, params or [])
        cols = [d[0] for d in rel.description]
        return [dict(zip(cols, r)) for r in rel.fetchall()]

    def documents_at(self, as_of: str | None) -> list[dict]:
        return self._query(as_of, "SELECT * FROM documents WHERE status <> 'failed' ORDER BY published_on, doc_id")

    def rows(self, table: str, doc_id: str) -> list[dict]:
        """One document's rows (``doc_id`` or ``doc_id@VERSION``)."""
        if (table, doc_id) not in self._rows:
            doc, _, version = doc_id.partition("@")
            self._rows[table, doc_id] = self._query(version or self.as_of, f'SELECT * FROM "{table}" WHERE doc_id = ?',
                                                    [doc])
        return self._rows[table, doc_id]


def open_corpus(root: str | Path, as_of: str | None = None) -> Corpus:
    corpus = Corpus(Path(root), [], as_of)
    corpus.documents = corpus.documents_at(as_of)
    return corpus


def describe(doc: dict) -> str:
    """One-line name of a document for headers and candidate lists."""
    date = doc.get("published_on") or doc.get("published_on_raw") or "公表日不明"
    return f"{doc['doc_id']} {doc.get('org_name') or '?'} | {doc.get('title') or doc.get('source_path')} | {date}"


def find(corpus: Corpus, term: str) -> list[dict]:
    """Documents a term names: its doc_id, a doc_id prefix, or words all found in org/body/title/business;
    ``TERM@VERSION`` looks in the corpus as of that version (pia log lists them)."""
    if "@" in term:
        term, version = term.rsplit("@", 1)
        return [{**d, "doc_id": f"{d['doc_id']}@{version}"} for d in _find(corpus.documents_at(version), term)]
    return _find(corpus.documents, term)


def _find(docs: list[dict], term: str) -> list[dict]:
    exact = [d for d in docs if d["doc_id"] == term]
    if exact:
        return exact
    by_prefix = [d for d in docs if d["doc_id"].startswith(term.lower())]
    if by_prefix:
        return by_prefix
    words = [compact(w) for w in term.split()]
    hay = lambda d: compact(" ".join(str(d.get(k) or "") for k in ("org_name", "body_name", "title", "business_name", "source_path")))  # noqa: E731
    return [d for d in docs if all(w in hay(d) for w in words)]


def resolve(corpus: Corpus, term: str) -> dict:
    found = find(corpus, term)
    if not found:
        raise DiffError(f"no document matches {term!r} (list them: pia query \"SELECT doc_id, org_name, title FROM documents\")")
    if len(found) > 1:
        raise DiffError(f"{term!r} matches {len(found)} documents; name one by doc_id: " + "; ".join(describe(d) for d in found))
    return found[0]
