import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser

import pytest

from pipeline.analysis import jatext
from pipeline.cli import main
from pipeline.analysis.diff import compare_documents, diff_docs
from pipeline.analysis.lookup import DiffError, open_corpus, resolve
from pipeline.analysis.diff_versions import compare_versions
from pipeline.analysis.diff_html import diff_html, versions_html
from tests.corpus_fixture import (AOBA_2024, AUTH_EXTRA, KEEP_EXTRA, S2, S3, SAKURA_2019, SAKURA_2024,
                                  write_corpus)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return open_corpus(corpus_dir)


@pytest.fixture(scope="module")
def d(corpus):
    return compare_documents(corpus, SAKURA_2024, "あおば")


def items(diff, label_part, group_part=""):
    return [it for it in diff.items if label_part in it.label and group_part in it.group]


# ---------------------------------------------------------------- Japanese text


@pytest.mark.parametrize("a, b", [
    ("本人確認を行う。", "本人確認を行なう。"),
    ("届出書の取扱いについて", "届出書の取り扱いについて"),
    ("共用のユーザIDは使用しない。", "共用のユーザＩＤは使用しない。"),
    ("番号法第16条に則り", "番号法第１６条に則り"),
    ("・郵送又は対面により入手する。・様式を明示する。", "・郵送又は対面により入手する。 ・様式を明示する。"),
    ("漏えいを防止する", "漏洩を防止する"),
])
def test_spelling_width_and_spacing_variants_are_not_differences(a, b):
    result = jatext.compare(a, b)
    assert result.similarity == 1.0 and result.same
    assert not result.only_a and not result.only_b and not result.reworded
    assert not any(changed for _, changed in result.a_segments + result.b_segments)


def test_a_measure_one_side_takes_is_reported_as_its_clause():
    base = "・共用のユーザIDは使用しない。・パスワードを定期的に変更する。"
    result = jatext.compare(base, base + "・生体認証を実施する。")
    assert result.only_a == [] and result.only_b == ["・生体認証を実施する。"]
    assert 0.5 < result.similarity < 1.0
    assert [s for s, changed in result.b_segments if changed] == ["生体認証を実施する"]


def test_a_reworded_clause_is_paired_not_listed_as_missing():
    result = jatext.compare("委託先への立入調査を行う。", "委託先への監査を行う。")
    assert result.only_a == [] and result.only_b == []
    assert [(a, b) for a, b, _ in result.reworded] == [("委託先への立入調査を行う。", "委託先への監査を行う。")]
    assert [s for s, changed in result.a_segments if changed] == ["立入調査"]


def test_text_longer_than_one_tokenize_call_is_compared():
    long = "個人番号を暗号化して保管し" * 4000  # about 156,000 bytes, one clause with no 。
    assert len(long.encode()) > 49_149
    assert jatext.compare(long, long).same
    assert jatext.similarity(long, long + "定期的に点検する。") < 1.0


def test_long_texts_differ_only_where_they_differ():
    # past what difflib compares word by word, the common head and tail still match and the rest
    # is one change: the similarity is a lower bound, the highlight covers the changed middle
    head, tail = "個人番号を暗号化して保管し" * 2000, "、定期的に点検する。" * 2000
    got = jatext.compare(head + "紙で保管し" + tail, head + "外部記録媒体に複製し" + tail)
    assert 0.99 < got.similarity < 1.0
    assert [t for t, differs in got.a_segments if differs] == ["紙で保管"]
    assert [t for t, differs in got.b_segments if differs] == ["外部記録媒体に複製"]


# ---------------------------------------------------------------- resolving documents


def test_documents_are_named_by_id_prefix_or_words(corpus):
    assert resolve(corpus, AOBA_2024)["doc_id"] == AOBA_2024
    assert resolve(corpus, "b953")["doc_id"] == AOBA_2024
    assert resolve(corpus, "あおば 短期給付")["doc_id"] == AOBA_2024


def test_ambiguous_reference_lists_the_candidates(corpus):
    with pytest.raises(DiffError) as err:
        resolve(corpus, "3f")
    message = str(err.value)
    assert "matches 2 documents" in message and SAKURA_2019 in message and SAKURA_2024 in message
    assert "\n" not in message
    with pytest.raises(DiffError, match="no document matches"):
        resolve(corpus, "存在しない組合")


# ---------------------------------------------------------------- alignment


def test_same_question_is_matched_across_documents_despite_numbering(d):
    # A prints "リスク: 目的外の入手…", B "リスク1: 目的外の入手…": one aligned answer, not two one-sided ones
    answer = [it for it in items(d, "目的外の入手が行われるリスク", S2) if it.kind == "risk"]
    assert len(answer) == 1 and answer[0].a == answer[0].b == "十分である"
    assert "ファイル" in answer[0].group and "健康保険基幹情報ファイル ↔ 個人番号管理ファイル" in answer[0].group


def test_no_false_differences_from_normalisation_noise(d):
    # B's measure text differs from A's only by 行なう, 取り扱い, 全角 digits/letters and spaces
    measure = [it for it in items(d, "目的外の入手", S2) if it.kind == "measures"]
    assert len(measure) == 1 and measure[0].a != measure[0].b
    assert measure[0].text.similarity == 1.0 and not measure[0].differs
    assert not any(it.differs for it in d.items if S2 in it.group)


def test_risk_answers_that_differ(d):
    (it,) = [it for it in items(d, "リスクへの対策は十分か", S3) if it.kind == "risk"]
    assert (it.a, it.b, it.differs) == ("十分である", "課題が残されている", True)
    (m,) = [it for it in items(d, "ユーザ認証の管理 › 措置", S3)]
    assert m.text.only_b == [AUTH_EXTRA] and m.text.only_a == [] and m.text.similarity < 1


def test_checklist_and_selection_differences(d):
    checks = {it.label: (it.a, it.b) for it in d.differences if it.kind == "checklist"}
    assert checks == {"①入手元: 評価実施機関内の他部署": ("☐", "☑ 人事部門"), "①入手元: 民間事業者": ("☑ 事業主", "☐"),
                      "②入手方法: 専用線": ("☑", "☐")}
    (period,) = [it for it in d.items if it.label == "期間"]
    assert (period.kind, period.a, period.b) == ("retention", "10年以上20年未満", "20年以上")


def test_entrustments_pair_by_what_is_entrusted_not_by_number(d):
    heads = {it.label.split(" › ")[0] for it in d.items if it.kind in ("entrustment", "text") and "委託事項" in it.label}
    assert heads == {"委託事項 A1: 基幹システムの保守", "委託事項 A2／B1: 資格履歴管理事務",
                     "委託事項 A3／B2: 情報提供ネットワークシステムを使用した情報照会・情報提供事務",
                     "委託事項 B3: 個人番号管理システムの運用保守"}
    by_label = {it.label: it for it in d.items}
    handlers = by_label["委託事項 A2／B1: 資格履歴管理事務 › 取扱者数"]
    assert (handlers.a, handlers.b) == ("50人以上100人未満", "100人以上500人未満")
    sub = by_label["委託事項 A3／B2: 情報提供ネットワークシステムを使用した情報照会・情報提供事務 › 再委託の有無"]
    assert (sub.a, sub.b) == ("はい", "いいえ")
    contractor = by_label["委託事項 A2／B1: 資格履歴管理事務 › 委託先名"]
    assert contractor.a == contractor.b and not contractor.differs
    assert by_label["委託事項 B3: 個人番号管理システムの運用保守 › 委託先名"].a is None


def test_transfers_pair_by_counterparty(d):
    by_label = {it.label: it for it in d.items}
    methods = by_label["提供: 市町村長 › ⑥提供/移転方法"]
    assert (methods.a, methods.b) == ("情報提供ネットワークシステム", "情報提供ネットワークシステム、紙")
    assert not by_label["提供: 市町村長 › ②用途"].differs
    assert by_label["移転: 年金部門 › ②用途"].a is None


def test_a_document_against_itself_has_no_differences(corpus):
    doc = resolve(corpus, AOBA_2024)
    assert diff_docs(corpus, doc, doc).differences == []


def test_groups_follow_the_form_order(d):
    groups = [g for g, _ in d.groups()]
    assert groups[0] == "評価書"
    heads = [g.split(" ")[0] for g in groups[1:]]
    assert heads == sorted(heads, key=["Ⅰ", "Ⅱ", "Ⅲ"].index)
    section2 = [g for g in groups if g.startswith("Ⅱ") and " > " in g]
    assert [re.search(r" > (\d)\.", g).group(1) for g in section2] == ["2", "3", "4", "5", "6"]


# ---------------------------------------------------------------- versions


def test_versions_by_published_date_with_the_changes_that_explain_them(corpus):
    history = compare_versions(corpus, "さくら")
    assert [v.doc["doc_id"] for v in history.versions] == [SAKURA_2019, SAKURA_2024]
    latest = history.versions[1]
    # only the 変更箇所 rows the 2024 report adds; the 2017 row was already in the 2019 report
    assert [r["item"] for r in latest.changes] == ["Ⅱ 4. 委託事項1 ③委託先名", "Ⅲ 7. リスクへの対策は十分か"]
    changed = {it.label: (it.a, it.b) for it in latest.diff.differences}
    assert changed["委託事項 A1／B1: 基幹システムの保守 › 委託先名"] == ("さくら電算株式会社", "株式会社さくらシステムサービス")
    assert changed["リスク: 特定個人情報の漏えい・滅失・毀損リスク › リスクへの対策は十分か"] == ("十分である", "特に力を入れている")
    keep = [it for it in latest.diff.differences if it.label.startswith("保管場所")]
    assert keep[0].text.only_b == [KEEP_EXTRA]


def test_versions_of_two_bodies_is_ambiguous(corpus):
    with pytest.raises(DiffError, match="2 bodies/assessments"):
        compare_versions(corpus, "重点項目評価書")


# ---------------------------------------------------------------- CLI and HTML


def test_cli_diff_terminal_and_errors(corpus_dir, capsys):
    assert main(["diff", "--corpus", str(corpus_dir), "3f9", "あおば", "--width", "200"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"A  {SAKURA_2024}") and f"B  {AOBA_2024}" in out
    assert "十分である" in out and "課題が残されている" in out and AUTH_EXTRA in out
    assert S2 not in out  # nothing differs there
    assert main(["diff", "--corpus", str(corpus_dir), "3f", "あおば"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and SAKURA_2019 in err and SAKURA_2024 in err


def test_cli_versions(corpus_dir, capsys):
    assert main(["diff", "--corpus", str(corpus_dir), "--versions", "さくら"]) == 0
    out = capsys.readouterr().out
    assert "2 report(s)" in out and "変更箇所 rows new in report 2: 2" in out
    assert "さくら電算株式会社 → 株式会社さくらシステムサービス" in out


def test_html_is_self_contained(d):
    page = diff_html(d)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert not re.search(r"https?://|<script|<link|<img|@import|url\(", page)
    assert page.count('<details class="group"') == len({it.group for it in d.differences})


def test_versions_html_shows_the_changes_that_explain_each_version(corpus, corpus_dir, tmp_path):
    page = versions_html(compare_versions(corpus, "さくら"))
    assert "委託先の社名変更であり、重要な変更に当たらない" in page and "<mark>さくら電算株式会社</mark>" in page
    assert "体裁修正" not in page  # a 変更箇所 row the previous report already had explains nothing new
    assert not re.search(r"https?://|<script|<link", page)
    out = tmp_path / "v.html"
    assert main(["diff", "--corpus", str(corpus_dir), "--versions", SAKURA_2019, "--html", str(out)]) == 0
    made = re.compile(r"<time [^>]*>[^<]*</time>")  # when each page was made
    assert made.sub("", out.read_text(encoding="utf-8")) == made.sub("", page)


class _Probe(HTMLParser):
    def __init__(self):
        super().__init__()
        self.probe = None

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.probe = dict(attrs).get("data-probe")


# Run inside the page by the browser: where each differing row's cells are laid out, and what is marked.
PROBE = """<script>
const rows = [...document.querySelectorAll('tr.item')].map(r => {
  const a = r.querySelector('td.a'), b = r.querySelector('td.b'), ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
  const mark = r.querySelector('mark');
  return {label: r.querySelector('th').firstChild.textContent, differs: r.classList.contains('differs'),
          a: [...a.querySelectorAll('mark')].map(m => m.textContent), b: [...b.querySelectorAll('mark')].map(m => m.textContent),
          sideBySide: rb.left >= ra.right - 1 && Math.abs(ra.top - rb.top) < 2 && ra.width > 100 && rb.width > 100,
          markBackground: mark ? getComputedStyle(mark).backgroundColor : null};
});
document.body.setAttribute('data-probe', JSON.stringify({rows, details: document.querySelectorAll('details').length,
  height: document.body.scrollHeight, font: getComputedStyle(document.body).fontFamily}));
</script>"""


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (Debian: apt-get install chromium)")
def test_html_report_in_a_headless_browser(corpus_dir, tmp_path):
    out = tmp_path / "diff.html"
    assert main(["diff", "--corpus", str(corpus_dir), SAKURA_2024, AOBA_2024, "--all", "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--window-size=1280,2000", "--dump-dom", probed.as_uri()],
            capture_output=True, text=True, timeout=120, check=True).stdout
    parser = _Probe()
    parser.feed(dom)
    assert parser.probe, "the page did not render (no probe result in the DOM)"
    result = json.loads(parser.probe)
    assert result["height"] > 1000 and result["details"] >= 8
    rows = {r["label"]: r for r in result["rows"]}
    assert all(r["sideBySide"] for r in result["rows"]), "A and B are not two columns"
    # the highlighted differences are exactly the ones in the data
    assert all(bool(r["a"] or r["b"]) == r["differs"] for r in result["rows"])
    risk = rows["リスク2: 権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク › リスクへの対策は十分か"]
    assert (risk["a"], risk["b"]) == (["十分である"], ["課題が残されている"])
    measure = rows["リスク2: 権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク › ユーザ認証の管理 › 措置"]
    assert measure["a"] == [] and AUTH_EXTRA in measure["b"]
    noisy = rows["リスク: 目的外の入手が行われるリスク › リスクへの対策は十分か › 措置"]
    assert noisy["a"] == noisy["b"] == [] and not noisy["differs"]
    assert rows["②入手方法: 専用線"]["a"] == ["☑"] and rows["②入手方法: 専用線"]["b"] == ["☐"]
    assert risk["markBackground"] not in (None, "rgba(0, 0, 0, 0)", "transparent")


def test_checklist_rows_of_numbered_blocks_name_their_block():
    from pipeline.analysis.diff_place import block_prefix

    assert block_prefix("基本情報 > 2.システム > システム3 > ③他のシステムとの接続") == "システム3 › "
    assert block_prefix("特定個人情報ファイルの概要 > 3.入手・使用 > ①入手元") == ""
    assert block_prefix(None) == ""


def test_versions_find_a_body_whose_org_cell_is_blank(tmp_path):
    """001's 評価実施機関名 cell is blank; its 宣言 names 新宿区 (L12), which --versions finds."""
    from pipeline.corpus.store import CorpusStore
    from pipeline.ingest.process import process_path

    from .conftest import seed

    ext = process_path(str(seed("001")))
    assert ext.document["org_name"] is None
    CorpusStore(tmp_path).write(ext)
    history = compare_versions(open_corpus(tmp_path), "新宿区")
    assert [v.doc["doc_id"] for v in history.versions] == [ext.document["doc_id"]]
    assert history.body.startswith("新宿区")
