"""Cell-aware line helpers the extractors use on PDF layouts, and their text-path fallbacks."""
from __future__ import annotations

from parsers.form.align import label_at
from parsers.form.template import load_template
from parsers.model import Line, cell_runs, cell_start, new_cell, same_row

TEMPLATE = load_template("重点項目評価書")


def pdf(no: int, text: str, x0: float, top: float, cell: tuple[int, int] | None) -> Line:
    return Line(no, text, 1, (x0, top, x0 + 10 * len(text), top + 9), cell)


def test_text_lines_fall_back_to_line_numbers():
    a, b, c = Line(5, "①事務の名称"), Line(5, "住民票の交付"), Line(6, "②事務の内容")
    assert same_row(a, b) and not same_row(b, c)
    assert new_cell(a, b)  # a flattened markdown row: each cell is its own line
    assert cell_start([a, b, c], 1) == 1 and cell_runs([a, b, c], [0, 1, 2]) == [[0], [1], [2]]


def test_a_cell_is_told_by_the_reader_not_by_the_left_edge():
    # a full-width heading row, then the next row's label right below at the same left edge
    heading = pdf(1, "リスク： 委託先における不正な使用等のリスク", 39, 100, (4, 0))
    label = pdf(2, "委託契約書中の特定個人情報ファイルの取扱いに", 39, 118, (5, 0))
    wrapped = pdf(3, "関する規定", 39, 130, (5, 0))
    value = pdf(4, "[ 定めている ]", 249, 118, (5, 1))
    lines = [heading, label, wrapped, value]
    assert new_cell(heading, label) and not new_cell(label, wrapped) and new_cell(wrapped, value)
    assert same_row(label, value) and cell_start(lines, 2) == 1
    assert cell_runs(lines, [0, 1, 2, 3]) == [[0], [1, 2], [3]]
    hit = label_at(lines, 1, len(lines), TEMPLATE, ("Ⅲ",))
    assert hit.label == "委託契約書中の特定個人情報ファイルの取扱いに関する規定" and hit.end == 3
    assert label_at(lines, 0, len(lines), TEMPLATE, ("Ⅲ",)).label.startswith("リスク：")


def test_a_wrapped_piece_of_a_cell_is_no_label():
    lines = [pdf(1, "[ ] 住民基本台帳ネットワーク", 249, 100, (7, 1)), pdf(2, "システム", 249, 112, (7, 1))]
    assert TEMPLATE.match("システム")  # alone it would read as a block header
    assert label_at(lines, 1, 2, TEMPLATE, ("Ⅰ",)) is None
