import unicodedata

import pytest

from normalizers.text import compact, join_wrapped, label_key, line_separator, nfkc, normalize_text, unspace_cjk


def test_kangxi_radicals_become_ideographs():
    # U+2F00 KANGXI RADICAL ONE and U+2F45 KANGXI RADICAL SQUARE as a PDF text layer emits them
    assert normalize_text("\u2f00\u2f45\u5f0f") == "一方式"


def test_radical_supplement_look_alikes_become_ideographs():
    # U+2ED1 (long) and U+2EC4 (west): NFKC alone leaves them, the table maps them
    assert unicodedata.normalize("NFKC", "\u2ed1\u2ec4") == "\u2ed1\u2ec4"
    assert nfkc("課\u2ed1 \u2ec4日本") == "課長 西日本"
    # the two supplement characters NFKC does fold still fold (U+2E9F mother, U+2EF3 turtle)
    assert nfkc("\u2e9f\u2ef3") == "母\u9f9f"


def test_soft_hyphen_is_a_hyphen():
    assert normalize_text("ABC\u00adDEF") == "ABC-DEF"


def test_wave_dash_and_tildes_stay_range_markers():
    assert normalize_text("1995〜2001年") == "1995~2001年"
    assert normalize_text("システム2～5") == "システム2~5"
    assert compact("令和 4 年 〜 令和 5 年") == "令和4年~令和5年"


def test_normalize_text_collapses_white_space():
    assert normalize_text("　（ 26 ）\u3000件\n") == "( 26 ) 件"


def test_join_wrapped_joins_without_space():
    assert join_wrapped(["②取扱いを委託する特定個", "人情報ファイルの範囲 "]) == "2取扱いを委託する特定個人情報ファイルの範囲"  # NFKC: ② → 2


def test_line_separator_wrap_versus_new_cell():
    assert line_separator("厚生年金保険法（昭和", "29年法律第115号）") == ""
    assert line_separator("…番号の利用等に関する法律（平成25年", "　法律第27号）」") == ""
    assert line_separator("令和4年10月5日", " ①実施日") == " "  # ASCII-indented row label
    assert line_separator(" ③提供する情報", "被災者に係る…") == " "  # after a row label
    assert line_separator("番号法第19条８号に基づく主務省令第２条の表144の項", "内閣府総務省令第7号") == " "
    assert line_separator("①実施日\t", "平成32年9月25日") == " "


@pytest.mark.parametrize("spaced, clean", [
    ("大 崎 市 長", "大崎市長"),
    ("評 価 実 施 機 関 名", "評価実施機関名"),
    ("大 崎 市 は, 住 民 基 本 台 帳 事 務 に 関 する 事 務", "大崎市は, 住民基本台帳事務に関する事務"),
    ("平 成 27 年 3 月 24 日", "平成 27 年 3 月 24 日"),  # spaces next to digits stay
    ("期 間", "期間"),
])
def test_letter_spaced_text_loses_the_spaces_between_cjk_characters(spaced, clean):
    assert unspace_cjk(spaced) == clean


@pytest.mark.parametrize("text", ["愛知県 扶桑町長", "枚方市 住民基本台帳事務 全項目評価書", "平成 30 年 7 月 30 日",
                                  "システム 1 の名称", "ABC システム"])
def test_ordinary_spaces_are_kept(text):
    assert unspace_cjk(text) == text


@pytest.mark.parametrize("printed, key", [
    ("①事務の名称", "事務の名称"), ("１．特定個人情報ファイル名", "特定個人情報ファイル名"),
    ("（２）取扱いの状況", "取扱いの状況"), ("Ⅱ 特定個人情報ファイルの概要", "特定個人情報ファイルの概要"),
    ("リスク１： 目的外の入手", "目的外の入手"), ("ファイルの種類 ※", "ファイルの種類"),
    ("1万人以上10万人未満", "1万人以上10万人未満"),  # a number that is the value, not a numbering
])
def test_label_key_drops_numbering_and_marks(printed, key):
    assert label_key(printed) == key


def test_label_key_for_alignment_keeps_numbering():
    assert label_key("①ファイルの種類※", keep_numbering=True) == "1ファイルの種類"
