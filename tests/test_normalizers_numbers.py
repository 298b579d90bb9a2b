import pytest

from normalizers.numbers import Band, parse_band, parse_count, to_int


@pytest.mark.parametrize("s, n", [
    ("26", 26), ("２６", 26), ("1,000", 1000), ("１，０００", 1000), ("十", 10), ("十二", 12),
    ("二十", 20), ("三十一", 31), ("百二十", 120), ("二〇一九", 2019), ("10万", 100_000),
    ("一万二千", 12_000), ("1億2,000万", 120_000_000), (" 7 ", 7),
])
def test_to_int(s, n):
    assert to_int(s) == n


@pytest.mark.parametrize("s", ["", "元", "件", "26件", "1.5"])
def test_to_int_rejects_what_is_not_one_numeral(s):
    assert to_int(s) is None


@pytest.mark.parametrize("s, n", [
    ("（ 26 ）件", 26), ("（　7　）　件", 7), ("（ 3 ） 件", 3), ("1,000人以上", 1000), ("件", None),
])
def test_parse_count(s, n):
    assert parse_count(s) == n


@pytest.mark.parametrize("s, lo, hi", [
    ("10万人以上30万人未満", 100_000, 300_000),
    ("1,000人以上", 1000, None),
    ("10人未満", None, 10),
    ("1万人未満", None, 10_000),
    ("100万人以上1,000万人未満", 1_000_000, 10_000_000),
    ("10項目以上50項目未満", 10, 50),
    ("1,000人以上1万人未満", 1000, 10_000),
    ("100項目以上", 100, None),
])
def test_parse_band(s, lo, hi):
    assert parse_band(s) == Band(s, lo, hi)


def test_parse_band_label_drops_brackets_option_number_and_spaces():
    assert parse_band("[ 10万人以上30万人未満 ]") == Band("10万人以上30万人未満", 100_000, 300_000)
    assert parse_band("4） 1,000人以上1万人未満") == Band("1,000人以上1万人未満", 1000, 10_000)


def test_inclusive_bounds_become_the_same_convention():
    assert parse_band("10人以下") == Band("10人以下", None, 11)
    assert parse_band("10人超") == Band("10人超", 11, None)


def test_parse_band_none_for_other_options():
    assert parse_band("十分である") is None
