"""The yardstick itself: scoring on tiny synthetic corpora, and validity of tests/expected/*.json."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main

from pipeline.analysis import evaluate as ev
from pipeline.corpus.schema import TABLES, arrow_schema

EXPECTED_DIR = Path(__file__).resolve().parent / "expected"
RAW_DIR = Path(__file__).resolve().parent.parent / "data" / "raw"
DOC = "d" * 16


def write_corpus(root: Path, tables: dict[str, list[dict]], source: str = "data/raw/900_x.txt") -> Path:
    """A corpus with one document; rows get doc_id and any missing contract column as null."""
    docs = [{"doc_id": DOC, "source_path": source, **(tables.pop("documents", [{}])[0])}]
    for table, rows in {"documents": docs, **tables}.items():
        schema = arrow_schema(table)
        full = [{c: row.get(c, DOC if c == "doc_id" else None) for c in schema.names} for row in rows]
        (root / table).mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(full, schema=schema), root / table / f"{DOC}.parquet")
    return root


def write_expected(root: Path, body: dict, seed: str = "900") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{seed}.json").write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return root


def run(tmp_path: Path, corpus: dict, expected: dict):
    return ev.evaluate(write_corpus(tmp_path / "c", corpus), write_expected(tmp_path / "e", expected))


FILE_TYPE = {"path": "基本情報", "label": "ファイルの種類", "chosen": "システム用ファイル"}
EMITTED_TYPE = {"path": "Ⅱ 特定個人情報ファイルの概要 > ２．基本情報", "label": "①ファイルの種類 ※",
                "chosen": "システム用ファイル"}


def test_right_value_counts(tmp_path):
    report = run(tmp_path, {"selections": [EMITTED_TYPE]}, {"selections": [FILE_TYPE]})
    c = report.by_table()["selections"]
    assert (c.expected, c.emitted, c.right, c.found) == (1, 1, 1, 1)
    assert c.precision == 1.0 and c.recall == 1.0


def test_wrong_value_lowers_precision(tmp_path):
    wrong = {**EMITTED_TYPE, "chosen": "その他の電子ファイル（表計算ファイル等）"}
    c = run(tmp_path, {"selections": [wrong]}, {"selections": [FILE_TYPE]}).by_table()["selections"]
    assert (c.emitted, c.right, c.precision, c.recall) == (1, 0, 0.0, 0.0)


def test_missing_value_lowers_recall_not_precision(tmp_path):
    expected = {"selections": [FILE_TYPE, {"label": "対象人数", "chosen": "1,000人未満"}]}
    c = run(tmp_path, {"selections": [EMITTED_TYPE]}, expected).by_table()["selections"]
    assert c.expected == 2 and c.emitted == 1 and c.precision == 1.0 and c.recall == 0.5


def test_null_emitted_is_a_miss_not_a_wrong_value(tmp_path):
    c = run(tmp_path, {"selections": [{**EMITTED_TYPE, "chosen": None}]},
            {"selections": [FILE_TYPE]}).by_table()["selections"]
    assert (c.emitted, c.found, c.precision) == (0, 0, None)


def test_expected_null_is_checked(tmp_path):
    """A value emitted where the text has none is wrong; an expected null is nothing to find."""
    report = run(tmp_path, {"documents": [{"org_name": "どこか"}]}, {"documents": [{"org_name": None}]})
    c = report.by_table()["documents"]
    assert (c.expected, c.emitted, c.right) == (0, 1, 0)
    assert c.precision == 0.0 and c.recall is None


def test_null_against_expected_null_claims_nothing(tmp_path):
    """null == null is neither emitted nor right: it would flatter both precision and recall."""
    report = run(tmp_path, {"documents": [{"org_name": None, "business_name": "短期給付に関する事務"}]},
                 {"documents": [{"org_name": None, "business_name": "短期給付に関する事務"}]})
    fields = report.by_field()
    assert (fields["documents", "org_name"].expected, fields["documents", "org_name"].emitted,
            fields["documents", "org_name"].right) == (0, 0, 0)
    overall = report.overall()
    assert (overall.expected, overall.emitted, overall.right) == (1, 1, 1)


def test_empty_list_is_not_emitted(tmp_path):
    expected = {"transfers": [{"kind": "提供", "transfer_no": 1, "methods": ["電子メール"]}]}
    c = run(tmp_path, {"transfers": [{"kind": "提供", "transfer_no": 1, "methods": []}]}, expected).by_table()["transfers"]
    assert (c.expected, c.emitted, c.right) == (1, 0, 0)


def test_missing_corpus_or_expected_folder_is_an_error(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "c", {})
    expected = write_expected(tmp_path / "e", {"aliases": []})
    assert main(["eval", "--corpus", str(tmp_path / "nowhere"), "--expected", str(expected)]) == 2
    assert "no corpus at" in capsys.readouterr().err
    assert main(["eval", "--corpus", str(corpus), "--expected", str(tmp_path / "none")]) == 2
    captured = capsys.readouterr()
    assert "no expected values at" in captured.err and captured.out == ""


def test_full_width_and_space_differences_are_normalised(tmp_path):
    corpus = {"documents": [{"business_name": "短期給付　に関する 事務", "assessment_number": 7,
                             "published_on": dt.date(2020, 9, 25)}],
              "files": [{"file_no": 1, "subject_count": "１万人以上１０万人未満"}]}
    expected = {"documents": [{"business_name": "短期給付に関する事務", "assessment_number": 7,
                               "published_on": "2020-09-25"}],
                "files": [{"file_no": 1, "subject_count": "1万人以上10万人未満"}]}
    report = run(tmp_path, corpus, expected)
    assert report.overall().right == 4 and report.overall().precision == 1.0


def test_lists_compare_as_sets(tmp_path):
    corpus = {"systems": [{"system_no": 1, "connections": ["宛名システム等", "庁内連携システム"]}]}
    expected = {"systems": [{"system_no": 1, "connections": ["庁内連携システム", "宛名システム等"]}]}
    assert run(tmp_path, corpus, expected).overall().right == 1


def test_key_matching_uses_the_identifying_columns(tmp_path):
    corpus = {"checklist_items": [
        {"path": "入手・使用 > ①入手元 ※", "label": "①入手元 ※", "option": "本人又は本人の代理人", "checked": True},
        {"path": "入手・使用 > ②入手方法", "label": "②入手方法", "option": "紙", "checked": False},
    ]}
    expected = {"checklist_items": [
        {"label": "入手元", "option": "本人又は本人の代理人", "checked": True},
        {"label": "入手方法", "option": "紙", "checked": True},
    ]}
    c = run(tmp_path, corpus, expected).by_table()["checklist_items"]
    assert (c.expected, c.emitted, c.right) == (2, 2, 1)


def test_unexpected_rows_count_only_in_complete_tables(tmp_path):
    corpus = {"aliases": [{"alias": "番号法", "full": "行政手続における…"}, {"alias": "X", "full": "Y"}]}
    expected = {"aliases": [{"alias": "番号法", "full": "行政手続における…"}]}
    partial = run(tmp_path / "a", dict(corpus), expected).by_table()["aliases"]
    assert partial.precision == 1.0
    complete = run(tmp_path / "b", dict(corpus), {**expected, "_complete": ["aliases"]}).by_table()["aliases"]
    assert complete.emitted == 2 and complete.precision == 0.5


def test_most_specific_expected_row_wins(tmp_path):
    corpus = {"risk_answers": [{"section": "２．特定個人情報の入手", "risk": "リスク１： 目的外の入手が行われるリスク",
                                "question": "リスクへの対策は十分か", "answer": "十分である"}]}
    expected = {"risk_answers": [
        {"section": "特定個人情報の使用", "question": "リスクへの対策は十分か", "answer": "課題が残されている"},
        {"section": "特定個人情報の入手", "risk": "リスク1: 目的外の入手が行われるリスク",
         "question": "リスクへの対策は十分か", "answer": "十分である"},
    ]}
    c = run(tmp_path, corpus, expected).by_table()["risk_answers"]
    assert (c.expected, c.emitted, c.right) == (2, 1, 1)


def test_row_key_override_matches_by_containment(tmp_path):
    corpus = {"entrustments": [{"entrustment_no": 3, "title": "中間サーバー等における本人確認事務", "contractor": "支払基金"},
                               {"entrustment_no": 4, "title": "帳票類のデータ入力業務", "contractor": "X"}]}
    expected = {"entrustments": [{"_key": ["title"], "title": "本人確認事務", "contractor": "支払基金"}]}
    c = run(tmp_path, corpus, expected).by_table()["entrustments"]
    assert (c.expected, c.emitted, c.right) == (1, 1, 1)


def test_citation_raw_matches_when_contained(tmp_path):
    corpus = {"citations": [{"raw": "番号法 第19条第7号(特定個人情報の提供の制限)", "article": "第19条第7号"}]}
    expected = {"citations": [{"raw": "番号法第19条第7号", "article": "第19条第7号"}]}
    assert run(tmp_path, corpus, expected).overall().right == 1


def test_missing_document_is_reported(tmp_path):
    report = ev.evaluate(write_corpus(tmp_path / "c", {}), write_expected(tmp_path / "e", {"aliases": []}, "901"))
    assert report.missing_documents == ["901"]


def test_main_exits_1_below_goals(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "c", {"selections": [{**EMITTED_TYPE, "chosen": "x"}]})
    expected = write_expected(tmp_path / "e", {"selections": [FILE_TYPE]})
    args = ["eval", "--corpus", str(corpus), "--expected", str(expected)]
    assert main(args) == 0
    assert main(args + ["--min-precision", "0.98", "--min-recall", "0.9"]) == 1
    assert "selections" in capsys.readouterr().out


# --- the expected files themselves ------------------------------------------------------------

# Option lists copied from shared/form-reference.md §2 (printed labels, NFKC-comparable).
SINGLE_CHOICE = [
    "1,000人未満", "1,000人以上1万人未満", "1万人以上10万人未満", "10万人以上30万人未満", "30万人以上",
    "実施する", "実施しない", "未定",
    "システム用ファイル", "その他の電子ファイル（表計算ファイル等）",
    "1万人未満", "10万人以上100万人未満", "100万人以上1,000万人未満", "1,000万人以上",
    "10項目未満", "10項目以上50項目未満", "50項目以上100項目未満", "100項目以上",
    "10人未満", "10人以上50人未満", "50人以上100人未満", "100人以上500人未満", "500人以上1,000人未満", "1,000人以上",
    "委託する", "委託しない", "再委託する", "再委託しない",
    "特定個人情報ファイルの全体", "特定個人情報ファイルの一部",
    "1年未満", "1年", "2年", "3年", "4年", "5年", "6年以上10年未満", "10年以上20年未満", "20年以上", "定められていない",
    "特に力を入れている", "十分である", "課題が残されている",
    "行っている", "行っていない", "定めている", "定めていない", "記録を残している", "記録を残していない",
    "制限している", "制限していない",
    "特に力を入れて行っている", "十分に行っている", "十分に行っていない", "再委託していない",
    "特に力を入れて遵守している", "十分に遵守している", "十分に遵守していない", "政府機関ではない",
    "特に力を入れて整備している", "十分に整備している", "十分に整備していない",
    "特に力を入れて周知している", "十分に周知している", "十分に周知していない",
    "発生あり", "発生なし", "保管している", "保管していない", "有料", "無料",
    "基礎項目評価及び重点項目評価の実施が義務付けられる",
    "基礎項目評価の実施が義務付けられる（任意に重点項目評価を実施）",
    "特定個人情報保護評価の実施が義務付けられない（任意に重点項目評価を実施）",
    "基礎項目評価及び全項目評価の実施が義務付けられる",
    "基礎項目評価及び重点項目評価の実施が義務付けられる（任意に全項目評価を実施）",
    "基礎項目評価の実施が義務付けられる（任意に全項目評価を実施）",
    "特定個人情報保護評価の実施が義務付けられない（任意に全項目評価を実施）",
]
CHECKLIST = [
    "情報提供ネットワークシステム", "庁内連携システム", "住民基本台帳ネットワークシステム", "既存住民基本台帳システム",
    "宛名システム等", "税務システム", "その他",
    "本人又は本人の代理人", "評価実施機関内の他部署", "行政機関・独立行政法人等", "地方公共団体・地方独立行政法人", "民間事業者",
    "紙", "電子記録媒体（フラッシュメモリを除く。）", "フラッシュメモリ", "電子メール", "専用線",
    "個人番号", "個人番号対応符号", "その他識別情報（内部番号）", "4情報（氏名、性別、生年月日、住所）",
    "5情報（氏名、氏名の振り仮名、性別、生年月日、住所）", "連絡先（電話番号等）", "その他住民票関係情報",
    "国税関係情報", "地方税関係情報", "健康・医療関係情報", "医療保険関係情報", "児童福祉・子育て関係情報",
    "障害者福祉関係情報", "生活保護・社会福祉関係情報", "介護・高齢者福祉関係情報", "雇用・労働関係情報", "年金関係情報",
    "学校・教育関係情報", "災害関係情報",
    "提供を行っている", "移転を行っている", "行っていない", "自己点検", "内部監査", "外部監査",
    "委託しない", "提供・移転しない", "接続しない（入手）", "接続しない（提供）",
]
OPTION_COLUMNS = {  # table -> columns whose values are option labels
    "documents": ["target_population"], "files": ["subject_count", "record_item_count", "user_count"],
    "selections": ["chosen"], "risk_answers": ["answer"], "entrustments": ["handler_count"],
    "transfers": ["subject_count"], "checklist_items": ["option"], "systems": ["connections"],
}
EXPECTED_FILES = sorted(EXPECTED_DIR.glob("*.json"))


def _options() -> set[str]:
    return {ev.norm_text(o) for o in SINGLE_CHOICE + CHECKLIST}


def test_there_is_an_expected_file_per_seed():
    seeds = sorted(p.name[:3] for p in RAW_DIR.glob("*.txt"))
    assert [p.stem for p in EXPECTED_FILES] == seeds


@pytest.mark.parametrize("path", EXPECTED_FILES, ids=lambda p: p.stem)
def test_expected_file_is_valid(path):
    body = json.loads(path.read_text(encoding="utf-8"))
    assert (RAW_DIR / body["_source"]).is_file()
    assert body.get("_notes")
    assert set(body.get("_complete", [])) <= set(body) & set(TABLES)
    known = _options()
    for table, rows in body.items():
        if table.startswith("_"):
            continue
        assert table in TABLES and table in ev.KEYS, table
        columns = {c for c, _, _ in TABLES[table]}
        seen = set()
        for row in rows:
            fields = {c for c in row if not c.startswith("_")}
            assert fields <= columns - {"doc_id"}, (table, fields - columns)
            keys = ev.key_columns(table, row)
            assert set(keys) <= columns, (table, keys)
            key = tuple(json.dumps(row.get(k), ensure_ascii=False) for k in keys)
            assert key not in seen, (table, key)  # one expected row per identifying key
            seen.add(key)
            for col in OPTION_COLUMNS.get(table, []):
                values = row.get(col)
                for value in values if isinstance(values, list) else [values]:
                    assert value is None or ev.norm_text(value) in known, (table, col, value)
            for col in ("published_on", "changed_on", "iso"):
                if row.get(col) is not None:
                    dt.date.fromisoformat(row[col]) if len(row[col]) == 10 else None


def _as_corpus(body: dict) -> dict[str, list[dict]]:
    """The expected rows as if an extractor had emitted exactly them (dates typed, notes dropped)."""
    tables = {}
    for table, rows in body.items():
        if table.startswith("_"):
            continue
        types = {c: t for c, t, _ in TABLES[table]}
        tables[table] = [
            {c: (dt.date.fromisoformat(v) if types[c] == pa.date32() and v else
                 v[0] if (table, c) in ev.START_VALUES and isinstance(v, list) else v)  # one of the printed starts
             for c, v in row.items() if not c.startswith("_")}
            for row in rows
        ]
    return tables


@pytest.mark.parametrize("path", EXPECTED_FILES, ids=lambda p: p.stem)
def test_expected_rows_are_unambiguous(tmp_path, path):
    """An extractor emitting exactly the expected rows scores 1.0: no two expected rows claim one key."""
    body = json.loads(path.read_text(encoding="utf-8"))
    source = f"data/raw/{body['_source']}"
    corpus = write_corpus(tmp_path / "c", _as_corpus(body), source=source)
    expected = write_expected(tmp_path / "e", body, path.stem)
    report = ev.evaluate(corpus, expected)
    overall = report.overall()
    assert not report.missing_documents
    assert overall.right == overall.emitted == overall.found == overall.expected, report.mismatches[:5]


def test_a_long_text_is_right_when_it_starts_as_printed_and_wrong_when_it_starts_as_another_row():
    start = ["＜中間サーバー等における措置＞①情報提供ネットワーク", "した暗号化鍵で暗号化を"]
    assert ev.starts_right(start, "<p>&lt;中間サーバー等における措置&gt;</p> ①情報提供 ネットワークシステムに…")
    assert ev.starts_right(start, "した暗号化鍵で暗号化を適切に実施した上で")  # the row's text continued on a page
    assert not ev.starts_right(start, "＜中間サーバー等における措置＞②支払基金の職員が")
