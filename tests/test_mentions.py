from pathlib import Path

import pytest
import regex

from parsers.extract.mentions import blocks, mention_rows
from parsers.model import Line
from pipeline.corpus.schema import columns

RAW = Path("data/raw")
SEEDS = sorted(p.name for p in RAW.glob("*.txt"))
BANGO = "行政手続における特定の個人を識別するための番号の利用等に関する法律"


def seed_lines(name: str) -> list[Line]:
    text = RAW.joinpath(name).read_text(encoding="utf-8")
    return [Line(i + 1, t) for i, t in enumerate(text.split("\n"))]


def rows(name: str) -> dict[str, list[dict]]:
    return mention_rows(seed_lines(name), lambda i: None).tables


def seed(prefix: str) -> str:
    return next(n for n in SEEDS if n.startswith(prefix))


def first_line(ref: str) -> int:
    return int(regex.match(r"L(\d+)", ref).group(1))


@pytest.mark.parametrize("table", ["dates", "citations", "aliases"])
def test_rows_have_exactly_the_contract_columns(table):
    got = rows(seed("000"))[table]
    assert got and all(list(r) == [c for c in columns(table) if c != "doc_id"] for r in got)


@pytest.mark.parametrize("name", SEEDS)
def test_every_era_date_occurrence_is_found(name):
    """An independent, simpler pattern: era name (or R/H) then a number and 年, with any white
    space (line breaks included) between; each occurrence's line starts a dates row."""
    text = RAW.joinpath(name).read_text(encoding="utf-8")
    pattern = r"(?:明\s*治|大\s*正|昭\s*和|平\s*成|令\s*和|(?<![A-Za-z])[RH])\s*[0-9０-９元]+\s*年"
    expected = sorted(text.count("\n", 0, m.start()) + 1 for m in regex.finditer(pattern, text))
    got = sorted(first_line(r["source_ref"]) for r in rows(name)["dates"])
    assert got == expected


def test_impossible_date_kept_and_flagged():
    dates = [r for r in rows(seed("003"))["dates"] if r["raw"] == "平成32年9月25日"]
    assert [(r["iso"], str(r["date"]), r["valid"], r["source_ref"]) for r in dates] == [
        ("2020-09-25", "2020-09-25", False, "L20"), ("2020-09-25", "2020-09-25", False, "L662")]


def test_date_split_across_lines():
    # 004:L45-46 「厚生年金保険法（昭和」 / 「29年法律第115号）」
    got = rows(seed("004"))
    [date] = [r for r in got["dates"] if r["source_ref"] == "L45-L46"]
    assert (date["raw"], date["iso"], date["date"], date["era_year"], date["valid"]) == ("昭和29年", "1954", None, 29, True)
    [law] = [r for r in got["citations"] if r["law_name"] == "厚生年金保険法" and r["source_ref"] == "L45-L46"]
    assert law["law_number"] == "昭和29年法律第115号"


def test_era_letter_split_from_its_year():
    # 002:L1698-1699 「（当該機能は、R」 / 「６年度中に実装予定）」
    [d] = [r for r in rows(seed("002"))["dates"] if r["source_ref"] == "L1698-L1699"]
    assert (d["raw"], d["iso"], d["era"], d["era_year"]) == ("R6年度", "2024", "令和", 6)


def test_document_aliases_and_their_sources():
    got = rows(seed("000"))
    aliases = {(r["alias"], r["full"], r["source_ref"]) for r in got["aliases"]}
    assert ("地共済法", "地方公務員等共済組合法", "L35-L36") in aliases
    assert ("番号利用法", BANGO, "L37") in aliases
    assert ("支払基金", "社会保険診療報酬支払基金", "L46") in aliases


def test_citations_resolve_document_aliases_everywhere():
    got = {r["source_ref"]: r for r in rows(seed("000"))["citations"]}
    # 000:L989 「番号利用法第16条（本人確認の措置）」, the alias being defined at L37
    assert (got["L989"]["law_name"], got["L989"]["article"], got["L989"]["law_number"]) == (
        BANGO, "第16条", "平成25年法律第27号")
    # 000:L52 「地共済法第3条の区分に従い、①地共済法第2条に規定する」
    l52 = [r for r in rows(seed("000"))["citations"] if r["source_ref"] == "L52"]
    assert [(r["law_name"], r["article"]) for r in l52] == [("地方公務員等共済組合法", "第3条"), ("地方公務員等共済組合法", "第2条")]


def test_seed_legal_basis_block():
    got = [r for r in rows(seed("000"))["citations"] if r["source_ref"] in ("L256", "L257", "L278", "L279-L280")]
    assert [(r["law_name"], r["article"], r["appendix"], r["items"]) for r in got] == [
        (BANGO, "第9条第1項", None, None),
        (BANGO, None, "別表第一", "項番39"),
        (BANGO + "別表第一の主務省令で定める事務を定める命令", "第30条の2", None, None),
        (BANGO, None, "別表第二", "項番58"),
        (BANGO, None, "別表第二", "項番1、2、3、4、5、9、12、15、17、22、26、27、33、39、42、43、58、62、78、80、87、93、97、106、109、119"),
    ]


def test_markdown_seed_citations():
    got = rows(seed("003"))
    assert ("番号法", BANGO) in {(r["alias"], r["full"]) for r in got["aliases"]}
    laws = {(r["law_name"], r["law_number"]) for r in got["citations"]}
    assert ("健康保険法", "大正11年法律第70号") in laws


def test_path_and_blocks_follow_path_for():
    lines = [Line(1, "実施日 令和7年"), Line(2, "5月1日"), Line(3, "公表日 令和7年"), Line(4, "6月2日")]
    paths = ["Ⅰ > 実施日", "Ⅰ > 実施日", "Ⅰ > 公表日", "Ⅰ > 公表日"]
    got = mention_rows(lines, lambda i: paths[i]).tables["dates"]
    assert [(r["iso"], r["path"], r["source_ref"]) for r in got] == [
        ("2025-05-01", "Ⅰ > 実施日", "L1-L2"), ("2025-06-02", "Ⅰ > 公表日", "L3-L4")]
    # a path change ends a block: the year is not glued to the next cell's month
    split = [Line(1, "令和7年"), Line(2, "5月1日")]
    assert [r["iso"] for r in mention_rows(split, lambda i: str(i)).tables["dates"]] == ["2025"]


def test_pdf_cells_side_by_side_are_not_glued():
    left = Line(1, "令和7年", page=1, bbox=(10, 100, 60, 110))
    right = Line(2, "5月1日", page=1, bbox=(200, 100, 240, 110))
    below = Line(3, "5月1日", page=1, bbox=(10, 112, 50, 122))
    assert blocks([left, right], lambda i: None)[0].text == "令和7年 5月1日"
    assert blocks([left, below], lambda i: None)[0].text == "令和7年5月1日"
    got = mention_rows([left, below], lambda i: "p").tables["dates"]
    assert [(r["iso"], r["source_ref"]) for r in got] == [("2025-05-01", "p1:10,100,60,122")]


def test_list_items_on_following_lines_are_not_glued():
    # 004:L416-417 「・別表第一　19,74,77の9」 / 「3．所得税法」; L421-422 「第77条の4、第94条の2」 / 「4．地方税法」
    got = {r["source_ref"]: r for r in rows(seed("004"))["citations"]}
    assert (got["L416"]["law_name"], got["L416"]["items"]) == ("住民基本台帳法", "19,74,77の9")
    assert got["L420-L421"]["article"] == "第77条の2、第77条の3、第77条の4、第94条の2"


def test_seed_date_range_with_day_count():
    # 001:L4981 「②実施日・期間 平成29年1月25日から平成29年2月23日までの30日間」 (25 Jan–23 Feb inclusive = 7 + 23)
    from normalizers.eras import find_date_ranges

    line = seed_lines(seed("001"))[4980].text
    [r] = find_date_ranges(line)
    assert (r.start.iso, r.end.iso, r.stated_days, r.days_agree) == ("2017-01-25", "2017-02-23", 30, True)


def test_a_period_whose_stated_length_disagrees_is_flagged():
    lines = [Line(1, "意見聴取は平成29年1月25日から平成29年2月23日までの31日間実施した。")]
    [said] = mention_rows(lines, lambda i: None).warnings
    assert (said.code, said.source_ref) == ("range_length_disagrees", "L1")
    lines = [Line(1, "意見聴取は平成29年1月25日から平成29年2月23日までの30日間実施した。")]
    assert mention_rows(lines, lambda i: None).warnings == []
