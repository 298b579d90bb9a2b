"""A diff an auditor can read, on two bundled 重点項目 reports (a mutual-aid association's 短期給付 report,
which prints no organisation line, and 愛知県信用金庫健康保険組合's): every group printed once, no
unnamed derived rows, repeated questions named by their block, blocks in number order, and an
unreadable check box (``?``) not counted against an absent one."""
from __future__ import annotations

from collections import Counter

import pytest
import regex

from pipeline.analysis.diff import UNKNOWN, _group_id, compare_documents, open_corpus
from pipeline.cli import main
from pipeline.ingest.batch import ingest
from tests.conftest import RAW


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("raw") / "corpus"
    ingest([str(RAW)], out)
    return out


@pytest.fixture(scope="module")
def d(corpus_dir):
    return compare_documents(open_corpus(corpus_dir), "短期給付", "愛知県信用金庫")


def test_each_heading_is_one_group(d):
    groups = list(dict.fromkeys(it.group for it in d.items))
    ids = Counter(_group_id(g) for g in groups)
    assert [g for g in groups if ids[_group_id(g)] > 1] == []
    # the entrustment heading the form prints, and the one the entrustments table is filed under, meet
    assert sum("特定個人情報ファイルの取扱いの委託" in g and g.startswith("Ⅱ") for g in groups) == 1
    # items of a group are contiguous: a heading never comes back later in the report
    runs = [g for i, g in enumerate(it.group for it in d.items) if i == 0 or d.items[i - 1].group != g]
    assert len(runs) == len(groups)


def test_no_bare_derived_rows(d):
    assert not any("(ext)" in it.label or it.label.strip() == "" for it in d.items)
    labels = {it.label for it in d.items if it.kind == "file"}
    assert "⑤保有開始日" in labels and "⑤保有開始日（記載どおり）" in labels


def test_repeated_questions_are_named_by_their_block_in_number_order(d):
    handlers = [it.label for it in d.items if it.label.endswith("委託先における取扱者数")]
    # both print 委託事項1-4 with this question (B's fifth has no answer read): each says which block it is
    assert len(handlers) == len(set(handlers)) == 4
    assert all(regex.match(r"委託事項\d+ › ", label) for label in handlers)
    numbers = [int(regex.match(r"委託事項(\d+)", label).group(1)) for label in handlers]
    assert numbers == sorted(numbers)
    systems = [int(m.group(1)) for it in d.items if (m := regex.match(r"システム(\d+) › ", it.label))]
    assert systems and systems == sorted(systems)


def test_unknown_against_absent_is_not_a_difference(d):
    assert not any(it.a in UNKNOWN and it.b in UNKNOWN for it in d.differences)
    assert any(it.a in UNKNOWN and it.b in UNKNOWN and it.kind == "checklist" for it in d.items)
    assert len(d.differences) == sum(it.differs for it in d.items)


def test_html_writes_the_file_says_so_and_prints_nothing_else(corpus_dir, tmp_path, capsys):
    out = tmp_path / "d.html"
    assert main(["diff", "--corpus", str(corpus_dir), "短期給付", "愛知県信用金庫", "--html", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip() == f"wrote {out}"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
