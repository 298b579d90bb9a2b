"""The rows an ingest holds for its next commit, merged table by table as documents arrive."""
from pipeline.analysis.query import connect
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


def test_a_document_in_a_merged_block_and_again_later_is_written_once_from_the_later(tmp_path):
    group = Group(_rows(3))  # in/0 .. in/2, merged into one block below
    again = doc_rows(failed_document("in/1.pdf", None, "read again: truncated"))
    CorpusStore(tmp_path).commit(group.rows() + [again], run="test")
    got = connect(tmp_path).sql("SELECT source_path, error FROM documents ORDER BY source_path").fetchall()
    assert [p for p, _ in got] == ["in/0.pdf", "in/1.pdf", "in/2.pdf"]
    assert dict(got)["in/1.pdf"] == "read again: truncated"
    assert dict(got)["in/0.pdf"] == "corrupt PDF: no PDF header"
