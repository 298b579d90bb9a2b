"""Ditto marks in repeated blocks (parsers/extract/ditto.py) and names without their definition clause."""
from normalizers.aliases import find_aliases, without_definition
from parsers.extract import ditto


def test_ditto_takes_the_cell_of_the_block_before_in_the_same_file():
    rows = [{"file_name": "F", "entrustment_no": 1, "contractor": "株式会社シンク", "content": "保守", "source_ref": "L10-L20"},
            {"file_name": "F", "entrustment_no": 2, "contractor": "同上", "content": "上記に同じ", "source_ref": "L30-L40"},
            {"file_name": "F", "entrustment_no": 3, "contractor": "〃", "content": "入力", "source_ref": "L50-L60"}]
    assert ditto.resolve("entrustments", rows) == []
    assert [(r["contractor"], r["ditto_columns"], r["ditto_source_ref"]) for r in rows] == [
        ("株式会社シンク", None, None),
        ("株式会社シンク", ["content", "contractor"], "L10-L20"),
        ("株式会社シンク", ["contractor"], "L30-L40")]  # a chain of marks ends at the printed name
    assert rows[1]["content"] == "保守"


def test_ditto_with_nothing_before_it_in_its_file_is_null_and_a_warning():
    # 001:L1956: the first 委託事項 of a file; the contractor before it belongs to another file
    rows = [{"file_name": "A", "contractor": "東京都国民健康保険団体連合会", "source_ref": "L1593-L1657"},
            {"file_name": "B", "contractor": " 同上 ", "source_ref": "L1890-L1956"},
            {"file_name": "B", "contractor": "同左", "source_ref": "L2000"}]
    warnings = ditto.resolve("entrustments", rows)
    assert [r["contractor"] for r in rows] == ["東京都国民健康保険団体連合会", None, None]
    assert rows[1]["ditto_columns"] == ["contractor"] and rows[1]["ditto_source_ref"] is None
    assert [w.code for w in warnings] == ["ditto_unresolved", "ditto_unresolved"]
    assert warnings[0].source_ref == "L1890-L1956"


def test_not_a_ditto_mark():
    assert not ditto.is_ditto("同上の委託先")
    assert not ditto.is_ditto(None)


def test_name_without_its_definition_clause_which_is_an_alias():
    assert without_definition("健康保険組合事務基幹システム(以下「基幹システム」という。)") == "健康保険組合事務基幹システム"
    assert without_definition("保険料(税)賦課システム(平成31年2月から)") == "保険料(税)賦課システム(平成31年2月から)"
    # 001:L561
    text = "①システムの名称 住民記録システム（「既存住民基本台帳システム」と同義）"
    assert without_definition("住民記録システム（「既存住民基本台帳システム」と同義）") == "住民記録システム"
    # the same clause after an extraction that dropped the quotes
    assert without_definition("住民記録システム(既存住民基本台帳システムと同義)") == "住民記録システム"
    assert without_definition("基幹システム(以下基幹という。)") == "基幹システム"
    assert [(a.alias, a.full) for a in find_aliases(text)] == [("既存住民基本台帳システム", "住民記録システム")]
