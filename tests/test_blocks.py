"""Repeated blocks (systems, files, entrustments, transfers) on the seeds. Every expected value was read
off the seed text by hand (line numbers in comments). Where a value sits away from its block in the
scrambled text, the right answer is null, never a neighbouring block's value."""
from functools import cache

import pytest

from parsers.extract.blocks import split_instances
from parsers.extract.numbered import block_number
from parsers.extract.context import build_context
from parsers.form.template import detect_kind, load_template
from parsers.read.readers import read_source
from parsers.form.sections import split_sections
from parsers.read.text_layout import text_layout
from pipeline.ingest.paths import path_index
from pipeline.ingest.process import process_path

from .conftest import seed


@cache
def _ext(n):
    return process_path(str(seed(n)))


def _rows(n, table):
    return _ext(n).tables.get(table, [])


def _by(n, table, key, **where):
    return {r[key]: r for r in _rows(n, table) if all(r[k] == v for k, v in where.items())}


def _view_instances(n, key, index=0):
    layout = text_layout(read_source(seed(n)))
    kind = detect_kind("\n".join(ln.text for ln in layout.lines))
    sections = split_sections(layout, kind)
    ctx = build_context(layout.lines, sections, kind, path_index(layout.lines, sections))
    view = ctx.views_of(key)[index]
    return layout.lines, split_instances(layout.lines, view.hits, view.section.end, load_template(kind).items())


# --- instance splitting ---


def test_group_captions_are_not_instances():
    lines, insts = _view_instances("002", "Ⅱ")  # L757 委託事項2～5, L1064 6～10, L1214/1216 11～20
    assert [(i.stem, i.number) for i in insts] == [("委託事項", n) for n in range(1, 8)] + [
        ("提供先", 1), ("提供先", 2), ("提供先", 3), ("移転先", 1)]
    assert [lines[i.start].no for i in insts][:3] == [675, 759, 834]


def test_instance_ends_at_a_row_of_another_part():
    # 000 L666 委託事項1: ①委託内容 L668, the ４． heading L682 is tolerated, ③委託先名 L684, then the
    # ５． heading L728 ends it, so L782 ③委託先名 支払基金 (another 委託事項's row) is not a member.
    lines, insts = _view_instances("000", "Ⅱ")
    first = next(i for i in insts if i.label == "委託事項1")
    assert [lines[a.hit.index].no for a, _, _ in first.members] == [668, 684]
    assert lines[first.end].no == 728


def test_instance_path_names_the_printed_number():
    _, insts = _view_instances("003", "Ⅱ")
    second = next(i for i in insts if i.label == "委託事項2")
    item = second.item_named("委託先名")
    assert second.path(item).endswith("４．特定個人情報ファイルの取扱いの委託 > 委託事項2 > ③委託先名")


# --- systems ---

SYSTEM_NAMES = {
    "000": {2: "短期給付(共済事業)システム", 3: "中間サーバー等"},  # L137-139, L208-210
    "001": {2: "保険料(税)賦課システム(平成31年2月から)", 3: "資格管理システム(平成31年2月から)",  # L166-168, L231-233
            4: "給付システム(平成31年2月から)", 5: "保険料(税)収納システム(平成31年2月から)",  # L293-295, L359-361
            6: "団体内統合宛名等システム", 12: "住民記録システム(「既存住民基本台帳システム」と同義)",  # L424-426, L559-561
            13: "税務情報トータルシステム(「税務システム」と同義)",  # L542-544
            11: "次期国保総合システムおよび国保情報集約システム(以下「国保総合(国保集約)システム(*)」という。)"},  # L470-473;
    # L474-475 (＊国保総合(国保集約)システムは…) is a note under the name
    "002": {2: "住民基本台帳ネットワークシステム(東京都サーバ)", 3: "団体内統合利用番号連携サーバー(以下「連携サーバ」という。)",
            4: "中間サーバ", 5: "Public Medical Hub (PMH)"},  # L66-68, L52-54 (before the Ⅰ heading), L223-225, L180-182
    "003": {1: "健康保険組合事務基幹システム(以下「基幹システム」という。)", 2: "中間サーバー等"},  # L47-49, L58-60
}


@pytest.mark.parametrize("n", sorted(SYSTEM_NAMES))
def test_system_names(n):
    got = {no: r["name"] for no, r in _by(n, "systems", "system_no").items() if r["name"] is not None}
    want = SYSTEM_NAMES[n]
    assert {k: got.get(k) for k in want} == want


def test_system_name_of_another_block_is_not_placed():
    # 000 L170 個人番号管理システム follows システム2's rows (L137-166) after the ２． heading (L168):
    # システム2 keeps its own name (L139), and システム1 (L121) has no row of its own.
    assert 1 not in _by("000", "systems", "system_no")
    names = [r["name"] for r in _rows("000", "systems")]
    assert "個人番号管理システム" not in names


def test_system_connections_from_checklist():
    # 003 L55: only [ ○ ] その他 is checked for システム1; システム2 prints no connection row.
    systems = _by("003", "systems", "system_no")
    assert systems[1]["connections"] == ["その他"]
    assert systems[2]["connections"] is None
    assert systems[1]["functions"].startswith("基幹システムは、既存の(1)適用関係機能")


# --- entrustments ---

ENTRUSTMENTS = {  # entrustment_no -> (title, handler_count, contractor, subcontract)
    "002": {
        1: ("東京都立中部総合精神保健福祉センター交換便業務等委託", "10人未満", "ビーエスロジスティクス株式会社", False),  # L675-733
        2: ("医療費助成事務システム入力データファイル作成処理委託", "10人以上50人未満", "株式会社PROGRESS", False),  # L759-810
        3: ("東京都立中部総合精神保健福祉センター自立支援医療(精神通院)受給者証の交付等業務委託", "10人以上50人未満",
            "株式会社バックスグループ", False),  # L834-887
        4: ("医療費助成事務の電算処理委託(受給者証作成)", "10人以上50人未満", "みずほリサーチ&テクノロジーズ株式会社", True),  # L911-961
        5: ("東京都立中部総合精神保健福祉センター搬送業務委託", "10人以上50人未満", "ビーエスロジスティクス株式会社", False),  # L987-1040
        6: ("機密文書の収集・運搬及び処分を行う。", "10人未満", "株式会社エコ・エイト", False),  # L1066-1115
        7: ("Public Medical Hub(PMH)を活用した情報連携に係る各事務における特定個人情報ファイルの一部の取扱",
            "10人以上50人未満", "国(デジタル庁)", True),  # L1139-1193
    },
    "003": {
        1: ("基幹システム導入、保守・改修、障害調査等", "10人未満", "大和総研ビジネスイノベーション", False),  # L127-134
        2: ("中間サーバー等における資格履歴管理事務", "50人以上100人未満", "支払基金", True),  # L135-142
        3: ("中間サーバー等における情報提供ネットワークシステムを通じた情報照会・提供事務", "50人以上100人未満", "支払基金",
            True),  # L143-150
        4: ("中間サーバー等における本人確認事務", "50人以上100人未満", "支払基金", True),  # L152-158
        5: ("帳票類のデータ入力業務", None, None, None),  # L159-165: the rows are printed empty
    },
}


@pytest.mark.parametrize("n", sorted(ENTRUSTMENTS))
def test_entrustments(n):
    got = {no: (r["title"], r["handler_count"], r["contractor"], r["subcontract"])
           for no, r in _by(n, "entrustments", "entrustment_no").items()}
    assert got == ENTRUSTMENTS[n]


def test_entrustments_of_the_first_file_of_001():
    # 001 Ⅱ block 1 (L810-1695): 委託事項1-7 at L1091 … L1593, （ 7 ）件 at L1089
    rows = [r for r in _rows("001", "entrustments") if int(r["source_ref"][1:].split("-")[0]) < 1696]
    got = {r["entrustment_no"]: (r["contractor"], r["handler_count"], r["subcontract"]) for r in rows}
    assert got == {
        1: ("株式会社シンク", "10人未満", False),  # L1146, L1109, L1156
        2: ("東日本電信電話株式会社", "10人未満", False),  # L1222, L1217, L1232
        3: ("株式会社セゾンパーソナルプラス", "10人未満", False),  # L1309, L1304, L1319
        4: ("株式会社KDS", "10人未満", False),  # L1392, L1386, L1402
        5: ("富士ソフトサービスビューロ", "10人未満", False),  # L1474, L1469, L1484
        6: ("富士ソフトサービスビューロ", "10人未満", False),  # L1558, L1553, L1568
        7: ("東京都国民健康保険団体連合会", "50人以上100人未満", True),  # L1657, L1652, L1667
    }


def test_entrustment_text_values():
    e = _by("003", "entrustments", "entrustment_no")
    assert e[1]["content"] == "基幹システムの導入・設定作業、定期保守・点検、障害調査や復旧等の作業"  # L129
    assert e[2]["subcontract_items"] == "中間サーバー等の運用・保守業務"  # L142
    e = _by("002", "entrustments", "entrustment_no")
    assert e[4]["subcontract_items"] == "搬送業務及び調査・問い合わせ対応業務の一部"  # L969
    assert e[7]["subcontract_permission"] == "書面又は電磁的方法による承諾"  # L1212


def test_rows_of_the_first_block_printed_before_its_header():
    # 001 L1072 ①委託内容 … then L1091 委託事項1 with nothing in between; L125 ①システムの名称 … then
    # L153 ２．(heading) and L155 システム1.
    first = next(r for r in _rows("001", "entrustments") if r["entrustment_no"] == 1)
    assert first["content"] == "滞納整理支援システムのソフトウェア保守、制度改正等に伴う改修、運用支援"
    assert _by("001", "systems", "system_no")[1]["name"] == "国保情報トータルシステム(平成31年1月まで)"
    # 002 L136 ①システムの名称 precedes システム1 (L144), but システム3 and システム2 were printed
    # first (L52, L66): whose row it is cannot be told, so system 1 is not emitted.
    assert 1 not in _by("002", "systems", "system_no")


def test_no_neighbour_values_in_entrustments():
    first = next(r for r in _rows("001", "entrustments") if r["entrustment_no"] == 1)
    # 001 L1166-1168: ⑧再委託の許諾方法 is followed by a wrapped label (②取扱いを委託する特定個 / 人情報…), no value.
    assert first["subcontract_permission"] is None
    # 000: the 委託事項 headers (L662-666, L826) have no row that can be tied to them; nothing is emitted
    # rather than 支払基金 (L604/L782, rows of other 委託事項) for 委託事項1, whose 委託先 is みずほ….
    assert _rows("000", "entrustments") == []


# --- transfers ---


def test_transfers_of_002():
    got = {(r["kind"], r["transfer_no"]): (r["counterparty"], r["legal_basis"], r["purpose"])
           for r in _rows("002", "transfers")}
    assert got == {
        ("提供", 1): ("区市町村長", "番号法第19条第8号", "災害対策基本法による被災者台帳の作成に関する事務"),  # L1226-1253
        ("提供", 2): ("道府県知事等", "番号法第19条第8号", "生活保護法による保護の決定及び実施又は徴収金の徴収に関する事務"),  # L1283-1303
        ("提供", 3): ("道府県知事等", "番号法第19条第8号", "中国残留邦人等支援給付等の支給に関する事務"),  # L1321-1349
        ("移転", 1): ("西多摩福祉事務所・島しょ支庁", "番号法第19条第8号",
                    "生活保護法による保護の決定及び実施又は徴収金の徴収に関する事務"),  # L1387-1407
    }


def test_transfer_of_003_and_its_empty_template_block():
    rows = _rows("003", "transfers")
    assert [(r["kind"], r["transfer_no"]) for r in rows] == [("提供", 1)]  # 移転先1 (L178-185) is printed empty
    t = rows[0]
    assert t["counterparty"] == "番号法第19条第7号 別表第2に定める各情報照会者 (別紙1「特定個人情報の提供先一覧」を参照)"  # L170
    assert t["subject_count"] == "10万人以上100万人未満"  # L174
    assert t["methods"] == ["情報提供ネットワークシステム"]  # L176
    assert t["timing"] == "情報提供ネットワークシステムを通じて他の情報保有機関からの情報提供の求めを受け付けた都度"  # L177


def test_transfer_of_000_keeps_only_what_is_placed():
    # 000 L804 提供先1 has nothing on its header line (the counterparty text, L801, precedes it); its
    # ①法令上の根拠 is inline at L808. 移転先1 (L884) is printed blank: every box of ⑥移転方法 empty.
    (t,) = _rows("000", "transfers")
    assert (t["kind"], t["transfer_no"], t["counterparty"]) == ("提供", 1, None)
    assert t["legal_basis"].startswith("番号利用法第19条第8号 別表第二の各項")


# --- files and counts ---


def test_files_of_001():
    files = _by("001", "files", "file_no")
    assert sorted(files) == [1, 2, 3, 4, 5]  # Ⅱ at L810, 1696, 2047, 2540, 3051
    # the only paragraph between １．特定個人情報ファイル名 and ２．基本情報: L813, 1699, 2050, 2543, 3054
    assert [files[i]["file_name"] for i in range(1, 6)] == [
        "国民健康保険情報ファイル(平成31年1月まで)", "(1)国保賦課ファイル(平成31年2月から)",
        "(2)国保資格ファイル(平成31年2月から)", "(3)国保給付ファイル(平成31年2月から)",
        "(4)国保収滞納ファイル(平成31年2月から)"]
    assert [files[i]["entrustment_count"] for i in range(1, 6)] == [7, 1, 2, 2, 1]  # L1089, 1902, 2295, 2796, 3272
    assert [files[i]["holding_start_raw"] for i in range(1, 6)] == [  # L900, 1779, 2127, 2622, 3133
        "平成28年1月1日", "平成28年6月予定", "平成28年6月予定", "平成28年10月予定", "平成28年10月予定"]
    assert str(files[1]["holding_start"]) == "2016-01-01"
    assert files[2]["holding_start"] is None  # 予定: a month, not a date
    # L910; the detail box right below (L911 （ 戸籍住民課、税務課 ）) is 入手元's 評価実施機関内の他部署 (L921)
    assert [files[i]["department"] for i in range(1, 6)] == ["健康部医療保険年金課"] * 5
    assert all(files[i]["provides"] is None for i in files)  # 001 prints no Ⅱ5 rows


def test_file_of_002():
    (f,) = _rows("002", "files")
    assert f["file_name"] == "自立支援医療費(精神通院)認定事務ファイル"  # L407, between L405 and L409 ２．基本情報
    assert {r["file_name"] for r in _rows("002", "entrustments") + _rows("002", "transfers")} == {f["file_name"]}
    assert (f["file_type"], f["subject_count"], f["record_item_count"]) == (  # L411-415, L427-432, L447-451
        "システム用ファイル", "10万人以上100万人未満", "10項目以上50項目未満")
    assert f["subject_scope"] == "自立支援医療受給者証(精神通院)の発行を受けたもの"  # L422
    assert str(f["holding_start"]) == "2016-01-01"  # L492
    assert f["department"] == "東京都立中部総合精神保健福祉センター"  # L502
    assert (f["entrusts"], f["entrustment_count"]) == (True, 7)  # L684, L673
    assert (f["provides"], f["provision_count"], f["transfers"], f["transfer_count"]) == (True, 3, True, 1)  # L1235, L1230


def test_counts_unreadable_in_scrambled_text_stay_null():
    # 000 L571 "）　件" and L806 "] 提供を行っている ） 件": the numbers (L587 4, L845 26) are far away.
    (f,) = _rows("000", "files")
    assert (f["entrustment_count"], f["provision_count"]) == (None, None)


def test_count_checks():
    # 003: 1 提供先 block, but L169 says ( 26 ) 件 (a 別紙 lists them); ( 5 ) 件 and 委託事項1-5 agree
    assert _codes("003").count("block_count_mismatch") == 1
    for n in ("001", "002"):
        assert "block_count_mismatch" not in _codes(n)


def _codes(n):
    return [w.code for w in _ext(n).warnings if w.stage == "blocks"]


def _variant(tmp_path, n, old, new):
    """Seed ``n`` with one edit, as another organisation's report might print it."""
    text = seed(n).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{n}_variant.txt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return process_path(str(path))


def test_count_mismatch_is_a_warning(tmp_path):
    ext = _variant(tmp_path, "003", "委託しない ( 5 ) 件", "委託しない ( 6 ) 件")  # L126
    assert ext.tables["files"][0]["entrustment_count"] == 6
    assert [w.code for w in ext.warnings].count("block_count_mismatch") == 2  # 委託事項 now, 提供先 as before


def test_a_block_number_printed_twice_is_not_read(tmp_path):
    ext = _variant(tmp_path, "003", "<b>委託事項3</b>", "<b>委託事項2</b>")  # L143
    assert sorted(r["entrustment_no"] for r in ext.tables["entrustments"]) == [1, 4, 5]
    assert "block_number_repeated" in [w.code for w in ext.warnings]


def test_a_title_starting_with_digits_keeps_the_block_number(tmp_path):
    ext = _variant(tmp_path, "002", "委託事項2 医療費助成事務", "委託事項2 2025年度医療費助成事務")  # L759
    second = [r for r in ext.tables["entrustments"] if r["title"].startswith("2025年度")]
    assert [r["entrustment_no"] for r in second] == [2]


@pytest.mark.parametrize("text, stem, number", [
    ("委託事項2", "委託事項", 2), ("委託事項 １２ 送付業務", "委託事項", 12), ("提供先3 ①法令上の根拠", "提供先", 3),
    ("委託事項2～5", "委託事項", None),  # a range caption: a group of blocks, no instance
    ("委託事項", "委託事項", None), ("再委託事項1", "委託事項", None),  # no number / another label
])
def test_one_parser_reads_block_numbers(text, stem, number):
    assert block_number(text, stem) == number
