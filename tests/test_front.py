"""documents' front fields on every seed. Expected values were read off the seed texts by hand
(line numbers in comments); where the text does not carry a value, null is the right answer."""
import datetime

import pytest

from pipeline.ingest.process import process_path

from .conftest import seed

EXPECTED = {
    "000": dict(  # L1-6 cover, L30 事務の名称, L180 the only 対象人数 bracket in Ⅰ
        status="ok", assessment_kind="重点項目評価書", assessment_number=2,
        title="東京都職員共済組合における、短期給付業務等に関する事務 重点項目評価書",
        org_name=None, published_on=None, form_version=None,
        business_name="短期給付業務等に関する事務", target_population="10万人以上30万人未満"),
    "001": dict(  # L4-10 cover, L49, L107
        status="ok", assessment_kind="全項目評価書", assessment_number=3,
        title="国民健康保険に関する事務 全項目評価書", org_name=None, published_on=None, form_version=None,
        business_name="国民健康保険に関する事務", target_population="10万人以上30万人未満"),
    "002": dict(  # L5 tag, L9-16 cover, L132, L140
        status="ok", assessment_kind="全項目評価書", assessment_number=6,
        title="自立支援医療受給者証(精神通院)の交付に関する事務に係る全項目評価書【法定・都単独事業】",
        org_name=None, published_on=None, form_version="令和7年5月 様式4",
        business_name="自立支援医療受給者証(精神通院)の交付に関する事務", target_population="10万人以上30万人未満"),
    "003": dict(  # L5-20 cover (markdown), L36, L42
        status="ok", assessment_kind="重点項目評価書", assessment_number=1,
        title="愛知県信用金庫健康保険組合における 適用、給付及び徴収関係事務 重点項目評価書",
        org_name="愛知県信用金庫健康保険組合", published_on=datetime.date(2020, 9, 25), form_version=None,
        business_name="適用、給付及び徴収関係事務", target_population="1万人以上10万人未満"),
    "004": dict(  # a change table only: no cover, no Ⅰ
        status="partial", assessment_kind="全項目評価書", assessment_number=None, title=None, org_name=None,
        published_on=None, form_version=None, business_name=None, target_population=None),
}


@pytest.mark.parametrize("n", sorted(EXPECTED))
def test_front_fields(n):
    doc = process_path(str(seed(n))).document
    assert {k: doc.get(k) for k in EXPECTED[n]} == EXPECTED[n]


# The lines the title is printed on, read off the seeds: 000 L4-L5 (L3 is the 評価書番号 "2" under its
# label), 001 L6, 002 L11-L12 (wrapped), 003 L6 (number and title on one line). Not the label's line.
TITLE_LINES = {"000": "L4-L5", "001": "L6", "002": "L11-L12", "003": "L6"}


@pytest.mark.parametrize("n", sorted(TITLE_LINES))
def test_title_points_at_the_lines_it_is_printed_on(n):
    rows = [r for r in process_path(str(seed(n))).tables["fields"] if r["label"] == "評価書名"]
    assert [r["source_ref"] for r in rows] == [TITLE_LINES[n]]


def test_impossible_publication_date_is_kept_and_flagged():
    ext = process_path(str(seed("003")))
    assert ext.document["published_on_raw"] == "平成32年9月25日"  # Heisei ended in year 31
    assert ("front", "published_invalid") in [(w.stage, w.code) for w in ext.warnings]
    assert len(ext.document["warnings"]) == len(ext.warnings)  # documents.warnings: their text


def test_values_not_in_the_text_are_null_with_a_warning():
    ext = process_path(str(seed("002")))
    assert ext.document["org_name"] is None
    assert "org_name_unread" in [w.code for w in ext.warnings]


# The body each 宣言 names (read by hand: 000 L9, 001 L12, 002 L16 names the governor, 003 L10 defines
# 当組合); 004 has no cover. org_name stays null where the 評価実施機関名 cell is blank.
BODIES = {"000": "東京都職員共済組合", "001": "新宿区", "002": "東京都知事", "003": "愛知県信用金庫健康保険組合",
          "004": None}


@pytest.mark.parametrize("n", sorted(BODIES))
def test_body_named_by_the_declaration(n):
    doc = process_path(str(seed(n))).document
    assert doc["body_name"] == BODIES[n]
    assert (doc["body_source_ref"] is None) == (BODIES[n] is None)
    if BODIES[n]:
        assert doc["body_confidence"] >= 0.9


def test_band_and_name_columns_are_derived():
    doc = process_path(str(seed("003"))).document
    assert (doc["target_population_min"], doc["target_population_max"]) == (10_000, 100_000)
    assert doc["org_name_normalized"] == "愛知県信用金庫健康保険組合"
