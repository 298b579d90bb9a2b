"""変更箇所 rows on the seeds. Every expected value below was read off the seed text by hand.

Row counts, counted by hand:
- 000 (重点, 別添2, scrambled page): 6 item paths (L1493, L1513, L1538, L1546, L1561, L1573), 6 事前/事後
  tokens, 6 変更日 (令和4年10月5日, three of them printed above the heading, L1483-L1487).
- 002 (全項目, 別添3): 124 era dates in the table, every one in the 変更日 position (51+2 平成29年2月10日,
  3 令和2年7月6日, 1 令和2年9月24日, 15 令和2年10月28日, 4 令和2年11月10日, 5 令和3年9月1日,
  1 令和4年1月1日, 1 令和4年6月1日, 19 令和6年3月1日, 22 令和7年12月19日). Only 102 事前/事後 tokens:
  the last pages print no 提出時期.
- 004 (全項目, 別添3): 152 era dates, 8 of them inside cell text (平成27年6月3日法律…, 平成27年9月28日特定…
  at L413, 434, 2672, 2681, 3279, 3285, 4295, 4301), leaving 144 変更日 (all 平成31年4月17日).
"""
import datetime as dt

import pytest

from parsers.extract.changes import change_rows, date_anchor, is_header, split_before_after
from parsers.form.template import detect_kind
from parsers.model import Line, Section
from parsers.read.readers import read_source
from parsers.form.sections import split_sections
from parsers.read.text_layout import text_layout

from .conftest import seed

COUNTS = {"000": 6, "002": 124, "004": 144}
_CACHE: dict = {}


def _rows(n):
    if n not in _CACHE:
        layout = text_layout(read_source(seed(n)))
        sec = next(s for s in split_sections(layout, detect_kind("\n".join(ln.text for ln in layout.lines))) if s.title == "変更箇所")
        _CACHE[n] = change_rows(layout.lines, sec)
    return _CACHE[n]


def _row(n, row_no):
    rows, _ = _rows(n)
    r = rows[row_no - 1]
    assert r["row_no"] == row_no
    return r


# --- counts and invariants ------------------------------------------------------------------


@pytest.mark.parametrize("n", sorted(COUNTS))
def test_row_count(n):
    rows, _ = _rows(n)
    assert len(rows) == COUNTS[n]
    assert [r["row_no"] for r in rows] == list(range(1, len(rows) + 1))


@pytest.mark.parametrize("n", sorted(COUNTS))
def test_invariants(n):
    rows, warnings = _rows(n)
    for r in rows:
        assert r["timing"] in ("事前", "事後", None)
        assert (r["before"] is None) == (r["after"] is None)
        if r["before"] is not None:
            assert r["before"] != r["after"]
            assert r["before"] and r["after"]
        assert r["changed_on"] is None or isinstance(r["changed_on"], dt.date)
        assert r["source_ref"] and r["source_ref"].startswith("L")
        for k in ("item", "before", "after", "reason"):
            assert r[k] != ""  # unknown is null, never an empty string
            assert r[k] is None or "\n" not in r[k]
        # nothing from the page furniture leaks into a value
        for k in ("item", "before", "after", "reason"):
            assert r[k] is None or "変更前の記載 変更後の記載" not in r[k]


@pytest.mark.parametrize("n", sorted(COUNTS))
def test_abstentions_warn(n):
    rows, warnings = _rows(n)
    said = {(w.source_ref, w.code.split(".")[0]) for w in warnings}
    for r in rows:
        if r["before"] is None:
            assert (r["source_ref"], "before_after") in said, r
        if r["timing"] is None:
            assert (r["source_ref"], "timing") in said, r


def test_fill_rates():
    """Most rows are filled, but abstentions exist where the text does not settle the columns."""
    for n, least in (("000", 5), ("002", 80), ("004", 105)):
        rows, _ = _rows(n)
        filled = sum(r["before"] is not None for r in rows)
        assert least <= filled < len(rows)


# --- hand-checked rows: 004 (rows scattered over many blocks) --------------------------------


def test_004_first_row_reason_glued_before_date():
    r = _row("004", 1)  # L5-L63: 「体裁修正平成31年4月17日」, item L7-10, 変更前 L12-39, 変更後 L41-61, 事後 L63
    assert r["changed_on"] == dt.date(2019, 4, 17)
    assert r["changed_on_raw"] == "平成31年4月17日"
    assert r["item"].startswith("I 基本情報1.特定個人情報ファイルを取り扱う事務")
    assert r["item"].endswith("事務の内容")
    assert r["timing"] == "事後"
    assert r["reason"] == "体裁修正"
    assert r["before"].endswith("「年金給付システム」を利用して事務を行っている。")  # L37-39
    assert r["after"].startswith("1.")
    assert r["after"].endswith("以下のとおりである。(1)~(3) (略)")  # L59 + L61 (blank line inside the cell)


def test_004_row_without_item_and_multiline_reason():
    r = _row("004", 2)  # L64-L119: no 項目 cell
    assert r["item"] is None
    assert r["timing"] == "事後"
    assert r["reason"].startswith("【重要な変更】・ワンストップサービス、特別徴収")
    assert r["reason"].endswith("情報連携事務の追加・体裁修正")
    assert r["after"].endswith("副本データを情報提供する事務")  # L110


def test_004_deleted_text():
    r = _row("004", 4)  # L158-L186
    assert r["after"] == "(削除)"
    assert r["before"].startswith("・評価書作成範囲とスケジュール")
    assert r["reason"] == "情報連携開始に伴う記載内容の変更"


def test_004_two_cells_on_one_line():
    r = _row("004", 7)  # L242-L251: 「※各構成組合を合計した件数。 ※全構成組合を合計した件数」, 「事後 体裁修正」
    assert r["item"].endswith("3対象人数")
    assert (r["before"], r["after"]) == ("※各構成組合を合計した件数。", "※全構成組合を合計した件数")
    assert (r["timing"], r["reason"]) == ("事後", "体裁修正")


def test_004_single_text_abstains():
    r = _row("004", 6)  # L227-L240: only 「包括照会支援システム」: which column is unknown
    assert r["before"] is None and r["after"] is None
    assert r["reason"] == "包括照会支援システムの新規構築により接続先を追記"


def test_004_option_change():
    r = _row("004", 19)  # L491-L502
    assert r["item"].endswith("6.情報提供ネットワークシステムによる情報連携1実施の有無")
    assert (r["before"], r["after"]) == ("実施しない", "実施する")
    assert r["reason"] == "【重要な変更】情報連携開始に伴う変更"
    r = _row("004", 37)  # L905-L920
    assert (r["before"], r["after"]) == ("行っていない", "提供を行っている(1件)")


def test_004_reason_between_texts_abstains():
    r = _row("004", 101)  # L2856-L2888: 「体裁修正」 printed between the two texts
    assert r["before"] is None
    r = _row("004", 88)  # L2342-L2392: no 提出時期; the last block 「誤記修正」 is the 説明, not text
    assert r["timing"] is None and r["before"] is None


def test_004_timing_glued_before_date():
    r = _row("004", 144)  # L4407: 「事後 誤記修正平成31年4月17日」
    assert (r["timing"], r["reason"]) == ("事後", "誤記修正")
    assert r["item"].endswith("1自己点検具体的なチェック方法")
    r = _row("004", 143)  # L4392-L4405: 「…受け付ける。 事後 体裁修正」
    assert (r["timing"], r["reason"]) == ("事後", "体裁修正")
    assert r["before"].endswith("郵送により請求を受付ける。")
    assert r["after"].endswith("郵送により請求を受け付ける。")


# --- hand-checked rows: 002 (rows on one line from L4321 on) ---------------------------------


def test_002_first_row():
    r = _row("002", 1)  # L3479: 「事務内容が同一のため。平成29年2月10日 評価書及び評価書番号」
    assert r["changed_on"] == dt.date(2017, 2, 10)
    assert r["item"] == "評価書及び評価書番号"
    assert r["timing"] == "事前"
    assert r["reason"] == "事務内容が同一のため。"
    assert r["before"].endswith("→重点項目評価書")
    assert r["after"].endswith("→全項目評価書")


def test_002_one_line_rows():
    r = _row("002", 11)  # L3592
    assert (r["item"], r["before"], r["after"], r["timing"], r["reason"]) == (
        "(別添1)事務内容", "参考資料添付", "別添1に移動", "事前", "全項目評価に変更したため。")
    assert r["source_ref"] == "L3592"
    r = _row("002", 80)  # L4321
    assert r["changed_on"] == dt.date(2021, 9, 1)
    assert r["item"] == "II5.提供先11法令上の根拠"
    assert r["before"] == "番号法第19条第7号別表第二第26項"
    assert r["after"] == "番号法第19条第8号別表第二第26項"
    assert (r["timing"], r["reason"]) == ("事前", None)
    r = _row("002", 84)  # L4346: item and ONE text: 変更前 or 変更後? unknown
    assert r["changed_on"] == dt.date(2022, 1, 1)
    assert r["item"] == "(別添1)事務内容"
    assert r["before"] is None and r["after"] is None


def test_002_cells_on_the_timing_line():
    r = _row("002", 26)  # L3757-L3763: 「記載なし 5年 事前」
    assert (r["before"], r["after"], r["timing"]) == ("記載なし", "5年", "事前")
    assert r["reason"] == "全項目評価に変更したことによる記載事項の追加。"
    r = _row("002", 4)  # L3514-L3520, item 「基本情報」 without its numeral
    assert r["item"] == "基本情報5.個人番号の利用"
    assert r["before"] == "法定分のみ" and r["after"].endswith("事業分、区市町村の追加")  # L3518


def test_002_empty_marker_opens_block():
    r = _row("002", 7)  # L3548-L3550: 「記載なし」 then the new text, no blank line between
    assert r["before"] == "記載なし"
    assert r["after"].startswith("1")


def test_002_cut_off_cells_abstain():
    r = _row("002", 6)  # L3530-L3542: both cells show 「システム1 ①システムの名称」
    assert r["before"] is None and r["after"] is None
    assert r["reason"] == "事務内容を具体的に記載したため。"


def test_002_last_pages_without_timing():
    r = _row("002", 58)  # L4119-L4127: no 提出時期 printed
    assert r["changed_on"] == dt.date(2020, 7, 6)
    assert r["timing"] is None
    r = _row("002", 104)  # L4522-L4530: 「記載無し ビーエスロジスティクス株式会社」
    assert r["changed_on"] == dt.date(2025, 12, 19)
    assert r["item"].endswith("委託事項56委託先名")
    assert (r["before"], r["after"], r["timing"]) == ("記載無し", "ビーエスロジスティクス株式会社", None)


# --- hand-checked rows: 000 (scrambled page) -------------------------------------------------


def test_000_rows():
    rows, warnings = _rows("000")
    assert all(r["changed_on"] == dt.date(2022, 10, 5) for r in rows)
    r = rows[0]  # L1493-L1509
    assert r["item"].endswith("問合せ1連絡先")
    assert "〒162-0052" in r["before"] and "〒163-8001" in r["after"]
    assert r["timing"] == "事後"
    r = rows[1]  # L1513-L1524
    assert r["item"].endswith("<事務内容>2.短期給付事務")
    assert (r["before"], r["timing"], r["reason"]) == ("―", "事前", "重要な変更のため")
    assert r["after"] == "(3)短期給付の支払いに当たって、公金受取口座情報を照会し利用する。"
    r = rows[2]  # L1538-L1544: one line, two cells; its timing is not next to it
    assert r["item"].endswith("3委託先名")
    assert (r["before"], r["after"], r["timing"]) == ("株式会社みずほトラストシステムズ", "みずほリサーチ&テクノロジーズ(株)", None)
    r = rows[3]  # L1546-L1551
    assert (r["before"], r["after"], r["timing"]) == ("番号利用法 第19条第7号", "番号利用法 第19条第8号", "事後")
    r = rows[5]  # L1573-L1580: its 変更後 text is printed elsewhere on the page (L1553-L1555)
    assert r["item"].endswith("1請求先")
    assert r["before"] is None and r["after"] is None


# --- synthetic ---------------------------------------------------------------------------------


def _said(warnings):
    return [(w.source_ref, w.code) for w in warnings]


def _synthetic(texts, start=0):
    lines = tuple(Line(no=i + 1, text=t) for i, t in enumerate(texts))
    return change_rows(lines, Section(key="別添3", title="変更箇所", start=start, end=len(lines)))


def test_synthetic_one_line_rows():
    rows, warnings = _synthetic([
        "（別添３）変更箇所",
        "提出時期に係る説明変更日 項目 変更前の記載 変更後の記載 提出時期",
        "",
        "令和5年4月1日 Ⅱ５．提供先２①法令上の根拠 第19条第7号 第19条第8号 事後 法改正に伴う変更",
        "",
        "令和5年4月1日 （別添１）事務内容 フロー図修正 事前",
        "",
        "令和元年5月7日 Ⅰ２．システム１ 記載なし 台帳システム 事前",
    ])
    assert len(rows) == 3
    r = rows[0]
    assert r == {"row_no": 1, "changed_on": dt.date(2023, 4, 1), "changed_on_raw": "令和5年4月1日",
                 "item": "II5.提供先21法令上の根拠", "before": "第19条第7号", "after": "第19条第8号",
                 "timing": "事後", "reason": "法改正に伴う変更", "source_ref": "L4"}
    assert rows[1]["before"] is None and rows[1]["timing"] == "事前"
    assert _said(warnings) == [("L6", "before_after.one_text_beside_item")]
    assert rows[2]["changed_on"] == dt.date(2019, 5, 7)
    assert (rows[2]["before"], rows[2]["after"]) == ("記載なし", "台帳システム")


def test_synthetic_block_row_and_dates_inside_cells():
    """A changed date is cell text, not a new row; the 提出時期 and 説明 follow the texts."""
    rows, warnings = _synthetic([
        "（別添２）変更箇所",
        "令和6年1月10日",
        "",
        "Ⅱ　特定個人情報ファイルの概要",
        "２．基本情報",
        "⑥事務担当部署",
        "",
        "総務部",
        "",
        "企画部",
        "",
        "事後",
        "組織改正",
        "",
        "令和6年1月10日",
        "",
        "Ⅱ　特定個人情報ファイルの概要",
        "２．基本情報",
        "⑤保有開始日",
        "",
        "平成28年1月1日",
        "",
        "令和2年1月1日",
        "",
        "事前 重要な変更",
    ])
    assert len(rows) == 2
    assert (rows[0]["item"], rows[0]["before"], rows[0]["after"]) == (
        "II 特定個人情報ファイルの概要2.基本情報6事務担当部署", "総務部", "企画部")
    assert (rows[0]["timing"], rows[0]["reason"], rows[0]["source_ref"]) == ("事後", "組織改正", "L2-L13")
    assert (rows[1]["before"], rows[1]["after"], rows[1]["timing"]) == ("平成28年1月1日", "令和2年1月1日", "事前")
    assert rows[1]["reason"] == "重要な変更"


def test_synthetic_identical_texts_and_second_timing():
    rows, warnings = _synthetic([
        "令和6年1月10日",
        "Ⅲ　リスク対策",
        "",
        "・同じ文",
        "",
        "・同じ文",
        "",
        "事前",
    ])
    assert len(rows) == 1 and rows[0]["before"] is None
    assert "before_after.before_equals_after" in [w.code for w in warnings]


def test_helpers():
    assert is_header("提出時期に係る説明変更日 項目 変更前の記載 変更後の記載 提出時期")
    assert is_header("変更前の記載 変更後の記載 提出時期変更日")
    assert not is_header("変更後の記載の修正")
    assert date_anchor("体裁修正平成31年4月17日").pre == "体裁修正"
    assert date_anchor("事後 誤記修正平成31年4月17日").pre == "事後 誤記修正"
    assert date_anchor("2．住民基本台帳法（平成27年6月3日法律第32") is None
    assert date_anchor("平成27年9月28日特定個人情報保護委員会告") is None
    assert split_before_after([["A B"]]) == ("A", "B", None)
    assert split_before_after([["A B C"]])[0] is None
    assert split_before_after([["記載なし", "新しい文"]]) == ("記載なし", "新しい文", None)
    assert split_before_after([["1.本文", "つづき"], ["・追記"], ["1.本文", "改め"]]) == (
        "1.本文つづき・追記", "1.本文改め", None)


def test_synthetic_scrambled_page():
    """All dates of the page first (two above the heading), then items, texts and timings."""
    rows, warnings = _synthetic([
        "令和5年4月1日",
        "",
        "令和5年4月1日",
        "",
        "（別添２）変更箇所",
        "",
        "Ⅳ　開示請求、問合せ",
        "①請求先",
        "",
        "総務課 企画課 事後 組織改正",
        "",
        "提出時期に係る説明",
        "",
        "Ⅰ　基本情報",
        "②事務の内容",
        "",
        "旧文",
        "",
        "新文",
        "",
        "事前",
    ], start=4)
    assert len(rows) == 2
    assert all(r["changed_on"] == dt.date(2023, 4, 1) for r in rows)
    assert (rows[0]["item"], rows[0]["before"], rows[0]["after"], rows[0]["timing"], rows[0]["reason"]) == (
        "IV 開示請求、問合せ1請求先", "総務課", "企画課", "事後", "組織改正")
    assert (rows[1]["before"], rows[1]["after"], rows[1]["timing"], rows[1]["reason"]) == ("旧文", "新文", "事前", None)
    assert "rows_out_of_order" in [w.code for w in warnings]


def test_synthetic_scrambled_dates_differ():
    rows, warnings = _synthetic([
        "（別添２）変更箇所",
        "令和5年4月1日",
        "令和6年4月1日",
        "令和6年4月1日",
        "",
        "Ⅰ　基本情報",
        "",
        "A B 事前",
        "",
        "Ⅱ　特定個人情報ファイルの概要",
        "",
        "C D 事後",
    ])
    assert [r["changed_on"] for r in rows] == [None, None]  # which row has which date is unknown
    assert [(r["before"], r["after"]) for r in rows] == [("A", "B"), ("C", "D")]


def test_synthetic_foreign_text_after_timing():
    rows, warnings = _synthetic([
        "令和6年1月10日",
        "Ⅲ　リスク対策",
        "",
        "旧",
        "",
        "新",
        "",
        "事後 体裁修正",
        "",
        "【どこかの行の本文】",
    ])
    assert rows[0]["reason"] is None and rows[0]["timing"] == "事後"
    assert (rows[0]["before"], rows[0]["after"]) == ("旧", "新")
    assert "reason.unsettled" in [w.code for w in warnings]


def test_synthetic_one_line_rows_that_do_not_settle():
    rows, warnings = _synthetic([
        "令和5年4月1日 Ⅱ ファイルの概要 ④入手 旧 新 事前",  # the item has a space: 4 cells after merging
        "",
        "令和5年4月1日 記録方法 旧 新 事前",  # no item path first: columns unknown
        "",
        "令和5年4月1日 Ⅲ特定個人情報ファイルの取",  # a long item that may wrap onto the next line
        "扱い",
        "",
        "旧文",
        "",
        "事前",
    ])
    assert len(rows) == 3
    assert all(r["before"] is None and r["after"] is None for r in rows)
    assert [r["item"] for r in rows] == [None, None, None]  # where each item ends is not settled
    assert all(r["timing"] == "事前" for r in rows)
    assert [w.code for w in warnings] == ["before_after.date_line_columns_unknown"] * 2 + [
                                          "before_after.item_may_wrap"]


def _pdf_lines(cells):
    """Lines as the PDF reader emits them: cell by cell, row-major, no blank lines, with boxes."""
    out = []
    for page, x0, top, texts in cells:
        for k, t in enumerate(texts):
            out.append(Line(no=len(out) + 1, text=t, page=page, bbox=(x0, top + 12 * k, x0 + 11 * len(t), top + 12 * k + 10)))
    return tuple(out)


def test_synthetic_pdf_geometry_separates_cells():
    lines = _pdf_lines([
        (3, 200, 40, ["（別添３）変更箇所"]),
        (3, 30, 60, ["変更日"]), (3, 100, 60, ["項目"]), (3, 230, 60, ["変更前の記載"]),
        (3, 420, 60, ["変更後の記載"]), (3, 560, 60, ["提出時期"]), (3, 610, 60, ["提出時期に係る説明"]),
        (3, 20, 100, ["令和5年4月1日"]),
        (3, 90, 100, ["Ⅱ　特定個人情報ファ", "イルの概要", "⑥保有開始日"]),
        (3, 180, 100, ["平成28年1月1日"]),
        (3, 370, 100, ["令和2年1月1日"]),
        (3, 560, 100, ["事後"]),
        (3, 600, 100, ["誤記修正"]),
        (3, 20, 160, ["令和5年4月1日"]),
        (3, 90, 160, ["Ⅰ　基本情報", "②事務の内容"]),
        (3, 370, 160, ["追加した文の", "続き"]),
        (3, 560, 160, ["事前"]),
        (3, 600, 160, ["重要な変更の", "ため"]),
    ])
    rows, warnings = change_rows(lines, Section(key="別添3", title="変更箇所", start=0, end=len(lines)))
    assert len(rows) == 2
    r = rows[0]
    assert (r["item"], r["before"], r["after"], r["timing"], r["reason"]) == (
        "II 特定個人情報ファイルの概要6保有開始日", "平成28年1月1日", "令和2年1月1日", "事後", "誤記修正")
    assert r["source_ref"].startswith("p3:")
    r = rows[1]
    assert (r["item"], r["timing"], r["reason"]) == ("I 基本情報2事務の内容", "事前", "重要な変更のため")
    # one text cell, standing in the 変更後 column: the 変更前 cell is printed empty
    assert (r["before"], r["after"]) == ("", "追加した文の続き")


def test_synthetic_pdf_without_header_abstains_on_single_text():
    lines = _pdf_lines([
        (4, 20, 100, ["令和5年4月1日"]),
        (4, 90, 100, ["Ⅰ　基本情報", "②事務の内容"]),
        (4, 370, 100, ["追加した文"]),
        (4, 560, 100, ["事前"]),
        (4, 20, 140, ["令和5年4月1日"]),
        (4, 90, 140, ["Ⅰ　基本情報", "③対象人数"]),
        (4, 180, 140, ["1万人未満"]),
        (4, 370, 140, ["1万人以上10万人未満"]),
        (4, 560, 140, ["事前"]),
    ])
    rows, warnings = change_rows(lines, Section(key="別添3", title="変更箇所", start=0, end=len(lines)))
    assert rows[0]["before"] is None and rows[0]["after"] is None
    assert (rows[1]["before"], rows[1]["after"]) == ("1万人未満", "1万人以上10万人未満")


def test_synthetic_converted_table_rows():
    """A markdown/HTML conversion: each cell of a tab-separated row is a line with the row's number."""
    def row(no, *cells):
        return [Line(no=no, text=c) for c in cells]

    lines = tuple(
        [Line(no=1, text="（別添３）変更箇所")]
        + row(2, "令和5年4月1日", "Ⅰ 基本情報 ③対象人数", "1万人未満", "1万人以上10万人未満", "事前", "人数の増加")
        + row(3, "令和5年4月1日", "Ⅱ 特定個人情報ファイルの概要", "②取扱いを委託する範囲", "新しい文", "事後")
    )
    rows, warnings = change_rows(lines, Section(key="別添3", title="変更箇所", start=0, end=len(lines)))
    assert len(rows) == 2
    assert (rows[0]["item"], rows[0]["before"], rows[0]["after"], rows[0]["timing"], rows[0]["reason"]) == (
        "I 基本情報 3対象人数", "1万人未満", "1万人以上10万人未満", "事前", "人数の増加")
    assert rows[0]["source_ref"] == "L2"
    # three parts, but the second opens like the item's <br> continuation (empty cells are dropped
    # by the conversion, so 変更前 may be empty): not read
    assert rows[1]["timing"] == "事後" and rows[1]["reason"] is None
    assert rows[1]["item"] is None and rows[1]["before"] is None
    assert ("L3", "before_after.converted_row_cells_unknown") in _said(warnings)


def test_synthetic_unknown_item_form_is_not_taken_for_text():
    rows, warnings = _synthetic([
        "令和6年1月10日",
        "",
        "別紙　特定個人情報の取扱いに",
        "関する様式",
        "",
        "記載例を改めて、利用者に分かりやすいよう全体の構成を見直した。",
        "",
        "事後",
    ])
    assert rows[0]["item"] is None and rows[0]["before"] is None
    assert "before_after.unknown_item" in [w.code for w in warnings]
