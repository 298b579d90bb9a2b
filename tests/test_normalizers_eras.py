import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.eras import find_date_ranges, find_era_dates, parse_era_date

# Era first days as the issue states them, independent of normalizers.eras.
FIRST_DAYS = [("明治", "M", dt.date(1868, 1, 25)), ("大正", "T", dt.date(1912, 7, 30)),
              ("昭和", "S", dt.date(1926, 12, 25)), ("平成", "H", dt.date(1989, 1, 8)),
              ("令和", "R", dt.date(2019, 5, 1))]
KANJI = "〇一二三四五六七八九"


def era_of(d: dt.date) -> tuple[str, str, int]:
    name, letter, first = [e for e in FIRST_DAYS if e[2] <= d][-1]
    return name, letter, d.year - first.year + 1


def kanji(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("" if tens == 1 else KANJI[tens]) + "十") + (KANJI[ones] if ones else "")


def fullwidth(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def format_era(d: dt.date, style: str) -> str:
    name, letter, year = era_of(d)
    if style == "dotted":
        return f"{letter}{year}.{d.month}.{d.day}"
    num = {"ascii": str, "fullwidth": fullwidth, "kanji": kanji}[style]
    y = "元" if year == 1 and style != "ascii" else num(year)
    return f"{name}{y}年{num(d.month)}月{num(d.day)}日"


@settings(max_examples=400)
@given(st.dates(min_value=dt.date(1868, 1, 25), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["ascii", "fullwidth", "kanji", "dotted"]))
def test_gregorian_to_era_string_round_trips(d, style):
    parsed = parse_era_date(format_era(d, style))
    assert parsed is not None
    assert (parsed.date, parsed.iso, parsed.valid, parsed.precision) == (d, d.isoformat(), True, "day")
    assert parsed.era == era_of(d)[0] and parsed.era_year == era_of(d)[2]


@given(st.dates(min_value=dt.date(1868, 1, 25), max_value=dt.date(2100, 12, 31)),
       st.sampled_from([" ", "  ", "\n", "\u3000", ""]))
def test_spacing_and_wrapping_between_parts(d, gap):
    name, _, year = era_of(d)
    text = f"公表日：{name}{gap}{year}{gap}年{gap}{d.month}{gap}月{gap}{d.day}{gap}日に公表"
    [m] = find_era_dates(text)
    assert m.date == d and text[m.start:m.end] == m.raw


@pytest.mark.parametrize("era, letter, first", FIRST_DAYS)
def test_era_boundary_days(era, letter, first):
    first_string = format_era(first, "ascii")
    assert parse_era_date(first_string).date == first and parse_era_date(first_string).valid
    last_of_previous = first - dt.timedelta(days=1)
    if era != "明治":
        previous = format_era(last_of_previous, "ascii")
        assert parse_era_date(previous).valid and parse_era_date(previous).date == last_of_previous
    # the day before the era begins, written in the new era: converts, flagged
    early = parse_era_date(f"{era}元年{last_of_previous.month}月{last_of_previous.day}日")
    assert early.date == last_of_previous and early.valid is False and early.warnings


def test_issue_examples():
    assert parse_era_date("平成31年4月30日").iso == "2019-04-30"
    assert parse_era_date("令和元年5月1日").iso == "2019-05-01"
    assert parse_era_date("令和七年五月一日").iso == "2025-05-01"
    d = parse_era_date("平成３１年")
    assert (d.iso, d.precision, d.date, d.valid) == ("2019", "year", None, True)
    assert parse_era_date("平成 30 年 5 月").iso == "2018-05"


def test_partial_dates():
    month = parse_era_date("平成30年5月")
    assert (month.iso, month.date, month.precision) == ("2018-05", None, "month")
    fy = parse_era_date("令和4年度")
    assert (fy.iso, fy.date, fy.precision, fy.era_year) == ("2022", None, "fiscal_year", 4)
    # 平成31年5月 does not exist (令和 from 5月1日); 平成31年4月 does
    assert parse_era_date("平成31年5月").valid is False
    assert parse_era_date("平成31年4月").valid is True


@pytest.mark.parametrize("s, iso, precision", [
    ("H30.5.1", "2018-05-01", "day"), ("R7.5", "2025-05", "month"), ("令7.5.1", "2025-05-01", "day"),
    ("Ｈ３０．５．１", "2018-05-01", "day"), ("R6年度", "2024", "fiscal_year"),
])
def test_abbreviated_forms(s, iso, precision):
    d = parse_era_date(s)
    assert (d.iso, d.precision, d.valid) == (iso, precision, True)


def test_abbreviations_need_a_clean_left_edge():
    assert find_era_dates("政令7.5.1") == []
    assert find_era_dates("ver2R7.5") == []
    assert find_era_dates("命令第30条") == []
    assert find_era_dates("ISMS 2年ごと、S 3年") == []  # a letter is an era only right before its year


def test_impossible_era_year_converts_and_is_flagged():
    d = parse_era_date("平成32年9月25日")
    assert (d.iso, d.date, d.valid) == ("2020-09-25", dt.date(2020, 9, 25), False)
    assert d.warnings


def test_day_before_era_start_is_flagged():
    d = parse_era_date("令和元年4月1日")
    assert (d.iso, d.valid) == ("2019-04-01", False)


def test_non_existent_day_gives_no_date_and_a_warning():
    d = parse_era_date("令和2年2月30日")
    assert (d.iso, d.date, d.valid) == (None, None, False) and d.warnings
    assert parse_era_date("令和2年13月1日").iso is None
    assert parse_era_date("令和2年2月29日").iso == "2020-02-29"  # leap year


def test_date_wrapped_inside_the_era_name_and_a_law_number_year():
    text = "厚生年金保険法（昭和\n29年法律第115号）、平成31年4月\n17日"
    found = find_era_dates(text)
    assert [(d.iso, d.precision) for d in found] == [("1954", "year"), ("2019-04-17", "day")]
    assert text[found[1].start:found[1].end] == "平成31年4月\n17日"


def test_range_with_stated_day_count():
    [r] = find_date_ranges("平成29年1月25日から平成29年2月23日までの30日間")
    assert (r.start.iso, r.end.iso, r.stated_days, r.days_agree) == ("2017-01-25", "2017-02-23", 30, True)


def test_range_with_wrong_day_count_is_flagged():
    [r] = find_date_ranges("平成29年1月25日から平成29年2月22日までの30日間")
    assert r.days_agree is False


def test_range_end_without_era_and_without_count():
    [r] = find_date_ranges("令和5年4月1日～6月30日")
    assert (r.start.iso, r.end.iso, r.stated_days, r.days_agree) == ("2023-04-01", "2023-06-30", None, None)


def test_range_of_months():
    [r] = find_date_ranges("平成30年5月〜平成31年1月")
    assert (r.start.iso, r.end.iso) == ("2018-05", "2019-01")
