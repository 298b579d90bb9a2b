"""Page furniture: which margin lines (free lines above or below every cell of their page) are page
numbers or running headers/footers. Lines written by hand as printers and exports put them."""
from __future__ import annotations

from parsers.read.pdf_furniture import EdgeLine, furniture
from parsers.read.pdf_page import DEFAULT_SETTINGS


def dropped(lines: list[EdgeLine], pages: int) -> list[str]:
    out = furniture(lines, pages, DEFAULT_SETTINGS)
    return [ln.text for ln in lines if ln in out]


def test_page_number_shapes_are_furniture_on_any_page():
    lines = [EdgeLine(3, 800, "- 3 -"), EdgeLine(4, 800, "－４－"), EdgeLine(5, 800, "5 / 14"),
             EdgeLine(6, 800, "6"), EdgeLine(7, 800, "p. 7"), EdgeLine(8, 800, "8頁")]
    assert dropped(lines, 14) == [ln.text for ln in lines]


def test_a_line_numbering_its_own_page_is_furniture():
    # a printed URL clipped to its first glyph beside "6/14": the number names page 6 of 14
    assert dropped([EdgeLine(6, 769, "ﬁ 6/14"), EdgeLine(6, 20, "別表 6/14")], 14) == \
        ["ﬁ 6/14", "別表 6/14"]
    # another page's number, or another page count, is text
    assert dropped([EdgeLine(6, 769, "ﬁ 7/14"), EdgeLine(6, 769, "ﬁ 6/15")], 14) == []


def test_a_running_header_repeats_at_one_height_on_half_the_pages():
    header = [EdgeLine(p, 12, f"12/7/26, 9:5{p} PM 国民年金に関する事務 全項目評価書") for p in (1, 2, 3)]
    assert dropped(header, 6) == [ln.text for ln in header]
    assert dropped(header[:2], 6) == []  # two of six pages: not half


def test_a_section_title_starting_two_pages_is_kept():
    titles = [EdgeLine(4, 36, "Ⅱ　特定個人情報ファイルの概要"), EdgeLine(9, 36, "Ⅱ　特定個人情報ファイルの概要"),
              EdgeLine(4, 800, "1. 特定個人情報ファイル名")]
    assert dropped(titles, 14) == []


def test_copies_at_different_heights_do_not_count_together():
    lines = [EdgeLine(p, 36 + 100 * p, "注記") for p in range(1, 5)]
    assert dropped(lines, 4) == []
