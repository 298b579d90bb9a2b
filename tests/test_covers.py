"""Report openings from 14 other organisations (tests/covers/, six extraction styles): cover values
scored against values read by hand (tests/expected/covers/, notes in its AMBIGUOUS.md), and the
precision guard on values no cover may carry."""
from __future__ import annotations

from pathlib import Path

import pytest

from parsers.extract import cover_shapes
from pipeline.analysis.evaluate import evaluate
from pipeline.ingest.batch import ingest

HERE = Path(__file__).resolve().parent
COVERS = HERE / "covers"
EXPECTED = HERE / "expected" / "covers"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("covers")
    ingest([str(COVERS)], out)
    return evaluate(out, EXPECTED)


def test_every_cover_is_scored(report):
    assert not report.missing_documents
    assert len({seed for seed, _, _ in report.cells}) == len(list(COVERS.glob("*.txt"))) == 14


def test_cover_values_are_right_or_null(report):
    docs = report.by_table()["documents"]
    wrong = [m for m in report.mismatches if "documents." in m]
    assert docs.precision >= 0.99, wrong
    assert docs.recall >= 0.90


def test_body_named_on_every_cover(report):
    body = report.by_field()[("documents", "body_name")]
    assert body.found == body.expected == 14


@pytest.mark.parametrize("value", ["札幌市長", "愛知県 扶桑町長", "栃木県知事", "兵庫県教育委員会", "東京電子機械工業健康保険組合",
                                   "兵庫県後期高齢者医療広域連合", "独立行政法人日本学生支援機構", "厚生労働大臣"])
def test_organisation_names_pass(value):
    assert cover_shapes.org_name(value)


@pytest.mark.parametrize("value", [
    "特定個人情報保護評価書(全項目評価書)", "特定個人情報保", "長 市 札幌 行政機関等のみ】 【", "個人情報保護委員会",
    "相模原市企画財政局", "15", "札幌市は、介護保険に関する事務における特定個人情報ファイルの取扱い",
    "1システムの名称 住民基本台帳ネットワークシステム(東京都", "中川町"])
def test_what_is_no_organisation_is_dropped(value):
    dropped, warning = cover_shapes.guard("org_name", value)
    assert dropped is None and warning.code == "org_name_shape"


def test_a_bare_body_name_is_an_organisation_only_beside_its_label():
    assert cover_shapes.org_name("中川町", beside_label=True)
    assert not cover_shapes.org_name("1システムの名称 住民基本台帳ネットワークシステム(東京都", beside_label=True)


def test_titles_and_names():
    assert cover_shapes.title("相模原市 地方税事務 全項目評価書(案)")
    assert cover_shapes.title("自立支援医療受給者証(精神通院)の交付に関する事務に係る全項目評価書【法定・都単独事業】")
    assert not cover_shapes.title("特定個人情報保護評価書(全項目評価書)")
    assert not cover_shapes.title("介護保険に関する事務")
    assert not cover_shapes.title("Page 1: 特定個人情報保護評価書(全項目評価書)...令和2年11月24日 [平成30年5月 様式4] 評価実施機関名")
    assert cover_shapes.business_name("適用、給付及び徴収関係事務")
    assert not cover_shapes.business_name("国民年金に関する事務国民年金制度は、日本国憲法第25条第2項の理念に基づき、老齢、障がいまたは死亡")
    assert cover_shapes.number(31000) and not cover_shapes.number(0) and not cover_shapes.number(1_000_000)
