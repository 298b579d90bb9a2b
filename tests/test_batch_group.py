"""The rows an ingest holds for its next commit, merged table by table as documents arrive."""
from pipeline.corpus.store import CorpusStore, doc_rows
from pipeline.ingest.batch import MERGE_EVERY, Group
from pipeline.ingest.process import failed_document


def _rows(n: int) -> list[dict]:
    return [doc_rows(failed_document(f"in/{i}.pdf", None, "corrupt PDF: no PDF header")) for i in range(n)]


def test_a_group_keeps_every_document_through_its_merges(tmp_path):
    n = 2 * MERGE_EVERY + 7  # two merged blocks and a part block
    group = Group(_rows(n))
    assert len(group) == n
    blocks = group.rows()
    assert [len(b["documents"]) for b in blocks] == [MERGE_EVERY, MERGE_EVERY, 7]
    store = CorpusStore(tmp_path)
    store.commit(blocks, run="test")
    stored = store.documents()
    assert sorted(d.source_path for d in stored.values()) == sorted(f"in/{i}.pdf" for i in range(n))
    assert {d.status for d in stored.values()} == {"failed"}


def test_an_empty_group_commits_nothing(tmp_path):
    assert Group().rows() == []
    assert CorpusStore(tmp_path).commit(Group().rows(), run="test") is None
