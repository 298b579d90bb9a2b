"""A diff an auditor can read, on two bundled 重点項目 reports (a mutual-aid association's 短期給付 report,
which prints no organisation line, and 愛知県信用金庫健康保険組合's): every group printed once, no
unnamed derived rows, repeated questions named by their block, blocks in number order, and an
unreadable check box (``?``) not counted against an absent one."""
from __future__ import annotations

import base64
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pytest
import regex
from PIL import Image

from pipeline import PARSER_VERSION
from pipeline.analysis.diff import UNKNOWN, compare_documents, diff_docs
from pipeline.analysis.lookup import open_corpus
from pipeline.analysis.diff_place import group_id
from pipeline.analysis.diff_html import diff_html
from pipeline.cli import main
from pipeline.ingest.batch import ingest
from tests.conftest import RAW
from tests.pdf_reports import build, render_report


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
    ids = Counter(group_id(g) for g in groups)
    assert [g for g in groups if ids[group_id(g)] > 1] == []
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


def test_html_has_a_legend_and_every_value_its_provenance(corpus_dir, d):
    page = diff_html(d, made=dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.timezone.utc))
    legend = page[page.index('<dl class="legend">'):page.index("</dl>")]
    assert all(f"<dt>{sym}</dt>" in legend for sym in ("☑", "☐", "?", "(なし)"))
    assert "2026-12-07 12:00:00 UTC" in page and f"pia-corpus {PARSER_VERSION}" in page
    for doc in (d.a, d.b):  # the source files, by path and hash
        assert doc["source_path"] in page and doc["source_sha256"][:16] in page
    cells = regex.findall(r'<td class="side [ab]">(.*?)</td>', page, flags=regex.DOTALL)
    assert cells and all('class="src"' in c for c in cells)
    # B's 保有開始日: its source line, marked, read back from the source file by its number
    src = Path(d.b["source_path"]).read_text(encoding="utf-8").splitlines()
    where = next(i for i, line in enumerate(src, 1) if line.startswith("⑤保有開始日"))
    cell = next(c for c in cells if c.startswith("<mark>平成28年10月1日</mark>"))
    assert f"出典 L{where}" in cell and f'<span class="hit">{where:>5} ⑤保有開始日' in cell


def test_pdf_values_link_to_their_page_region(tmp_path):
    for seed in (1, 2):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"r{seed}.pdf").write_bytes(render_report(build("重点項目評価書", seed)))
    ingest([str(tmp_path / "in")], tmp_path / "corpus")
    corpus = open_corpus(tmp_path / "corpus")
    d = diff_docs(corpus, *corpus.documents[:2])
    page = diff_html(d)
    images = regex.findall(r'<img alt="(p\d+:[\d,]+)" src="data:image/png;base64,([^"]+)">', page)
    boxed = lambda ref: bool(ref) and ref.count(",") == 3  # noqa: E731  (p3:x0,top,x1,bottom)
    shown = sum((it.a is not None and boxed(it.a_ref)) + (it.b is not None and boxed(it.b_ref)) for it in d.differences)
    assert len(images) == shown > 10
    for _, data in images[:5]:
        image = Image.open(io.BytesIO(base64.b64decode(data)))
        assert image.format == "PNG" and image.width > 500
