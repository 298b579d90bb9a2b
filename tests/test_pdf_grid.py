"""Grid rebuilding on hand-made page models (no PDF needed)."""
from __future__ import annotations

import random

from parsers.read.pdf_backends import char_text
from parsers.read.pdf_grid import build_grid
from parsers.read.pdf_page import DEFAULT_SETTINGS, Char, PageModel, Segment

SIZE = 10.0


def h(y, x0, x1):
    return Segment(True, y, x0, x1)


def v(x, t0, t1):
    return Segment(False, x, t0, t1)


def text(s: str, x: float, top: float) -> list[Char]:
    """Full-width chars of ``s`` side by side; a space leaves a gap and draws nothing."""
    out = []
    for k, ch in enumerate(s):
        if ch != " ":
            out.append(Char(ch, x + k * SIZE, top, x + (k + 1) * SIZE, top + SIZE, SIZE))
    return out


def page(segments, chars, seed=0) -> PageModel:
    chars = list(chars)
    random.Random(seed).shuffle(chars)  # content-stream order must not matter
    return PageModel(1, 600, 800, chars, segments)


def two_by_two(jitter=0.0):
    """Label column 100..200, value column 200..500; rows 100..140 and 140..200, each ruling
    drawn per cell with slight offsets as some producers do."""
    r = random.Random(4)
    j = lambda x: x + r.uniform(-jitter, jitter)  # noqa: E731
    segs = []
    for top, bottom in ((100, 140), (140, 200)):
        for x0, x1 in ((100, 200), (200, 500)):
            segs += [h(j(top), j(x0), j(x1)), h(j(bottom), j(x0), j(x1)),
                     v(j(x0), j(top), j(bottom)), v(j(x1), j(top), j(bottom))]
    return segs


def test_snapped_rulings_make_four_cells_in_row_major_order():
    chars = text("①名称", 104, 110) + text("値一", 204, 110) + text("②内容", 104, 150) \
        + text("一行目", 204, 150) + text("二行目", 204, 164)
    grid = build_grid(page(two_by_two(jitter=1.2), chars), DEFAULT_SETTINGS)
    assert [c.text for c in grid.cells] == ["①名称", "値一", "②内容", "一行目二行目"]
    assert [ln.text for ln in grid.cells[3].lines] == ["一行目", "二行目"]
    assert grid.cells[0].bbox == (100, 100, 200, 140) or \
        all(abs(a - b) < 1.5 for a, b in zip(grid.cells[0].bbox, (100, 100, 200, 140)))


def test_merged_cell_without_inner_ruling():
    segs = [h(100, 100, 500), h(140, 100, 500), h(180, 200, 500), h(220, 100, 500),
            v(100, 100, 220), v(200, 140, 220), v(500, 100, 220)]
    chars = text("見出し行", 104, 110) + text("再委託", 104, 170) + text("⑦", 204, 150) \
        + text("⑧", 204, 190)
    grid = build_grid(page(segs, chars), DEFAULT_SETTINGS)
    assert [(c.text, c.bbox) for c in grid.cells] == [
        ("見出し行", (100, 100, 500, 140)), ("再委託", (100, 140, 200, 220)),
        ("⑦", (200, 140, 500, 180)), ("⑧", (200, 180, 500, 220))]
    assert [c.col for c in grid.cells] == [0, 0, 1, 1]


def test_gaps_become_single_spaces_in_x_order():
    chars = text("[ ○ ] 紙  [ ] メール", 204, 150)
    grid = build_grid(page(two_by_two(), chars, seed=9), DEFAULT_SETTINGS)
    assert grid.cells[3].lines[0].text == "[ ○ ] 紙 [ ] メール"


def test_text_outside_cells_and_outside_page():
    chars = text("表題", 100, 60) + text("幽霊", 204, -30) + text("値", 204, 110)
    grid = build_grid(page(two_by_two(), chars), DEFAULT_SETTINGS)
    assert [ln.text for ln in grid.free_lines] == ["表題"]
    assert grid.cells[1].text == "値"


def test_open_side_only_at_the_grid_edge():
    # The value cell of the last row has no bottom ruling: the page cut it.
    segs = [h(100, 100, 500), h(140, 100, 500), h(180, 100, 200),
            v(100, 100, 180), v(200, 100, 180), v(500, 100, 180)]
    chars = text("続き", 204, 150) + text("隠れ", 204, 190) + text("頁番号", 104, 190)
    grid = build_grid(page(segs, chars), DEFAULT_SETTINGS)
    assert [(c.bbox, c.open_bottom) for c in grid.cells][-1] == ((200, 140, 500, 180), True)
    # below the cut: the cell's clipped overflow is dropped, other text stays
    assert [ln.text for ln in grid.free_lines] == ["頁番号"]
    # A missing ruling in the middle of a table does not make a cell.
    segs = [h(100, 100, 500), h(180, 100, 500), h(220, 100, 500),
            v(100, 100, 220), v(500, 100, 140), v(500, 180, 220)]
    grid = build_grid(page(segs, text("外", 104, 150)), DEFAULT_SETTINGS)
    assert [ln.text for ln in grid.free_lines] == ["外"]


def test_char_text_normalises_soft_hyphen_spaces_and_look_alikes():
    assert char_text("\u00ad") == "-"
    assert char_text("\u3000") == " "
    # a ToUnicode map giving Kangxi radicals (U+2F00…), radical supplement forms NFKC leaves
    # alone (U+2ED1 for 長) or U+2027 for the middle dot: read as the ordinary character
    assert [char_text(c) for c in "\u2f00\u2f47\u2ed1\u2ed8\u2027"] == ["一", "日", "長", "青", "・"]


def test_columns_are_numbered_per_table():
    segs = [h(100, 100, 500), h(140, 100, 500), v(100, 100, 140), v(200, 100, 140),
            v(300, 100, 140), v(500, 100, 140),  # table 1: three columns
            h(200, 100, 500), h(240, 100, 500), v(100, 200, 240), v(250, 200, 240),
            v(500, 200, 240)]  # table 2: two columns, other edges
    grid = build_grid(page(segs, []), DEFAULT_SETTINGS)
    assert [(c.bbox[0], c.col) for c in grid.cells] == [(100, 0), (200, 1), (300, 2),
                                                        (100, 0), (250, 1)]
