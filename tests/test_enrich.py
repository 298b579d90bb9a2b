"""Derived columns: count bands as numbers, organisation names in a comparable form."""
from pipeline.ingest.enrich import enrich


def test_contractor_normalized_keeps_printed_form_and_resolves_document_alias():
    rows = [{"contractor": "㈱ＮＴＴデータ", "handler_count": "10人以上50人未満"},
            {"contractor": "支払基金", "handler_count": "1,000人以上"},
            {"contractor": None, "handler_count": None}]
    enrich("entrustments", rows, {"支払基金": "社会保険診療報酬支払基金"})
    assert rows[0]["contractor"] == "㈱ＮＴＴデータ"
    assert rows[0]["contractor_normalized"] == "株式会社NTTデータ"
    assert (rows[0]["handler_count_min"], rows[0]["handler_count_max"]) == (10, 50)
    assert rows[1]["contractor_normalized"] == "社会保険診療報酬支払基金"
    assert (rows[1]["handler_count_min"], rows[1]["handler_count_max"]) == (1000, None)
    assert rows[2]["contractor_normalized"] is None and rows[2]["handler_count_min"] is None


def test_tables_without_derived_columns_are_untouched():
    rows = [{"label": "x"}]
    enrich("fields", rows, {})
    assert rows == [{"label": "x"}]
