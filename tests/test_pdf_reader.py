"""Round trips: records rendered as form PDFs read back cell by cell, on both backends."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from parsers.model import Layout, Source
from parsers.read.pdf_reader import read_pdf_layout
from tests import pdfgen
from tests.pdf_records import basic_info, changes, cover, long_block, report

BACKENDS = ["pdfium", "pdfplumber"]

STYLES = {
    "plain": pdfgen.Style(),
    "shuffled-tokens": pdfgen.Style(shuffle_seed=7, split_tokens=True),
    "ghost-jitter": pdfgen.Style(shuffle_seed=1, ghost_text=True, jitter=0.8),
    "mincho-rects-wide": pdfgen.Style(font=pdfgen.MINCHO, size=10.5, rects=True, scale=1.1,
                                      margin=28),
    "rows-not-split": pdfgen.Style(split_rows=False, size=8),
    "rotated": pdfgen.Style(rotate=True, pagesize=(842, 595), shuffle_seed=5),
    "shaded-filled-rulings": pdfgen.Style(shading=True, fill_borders=True, shuffle_seed=8),
    "rulings-in-form": pdfgen.Style(form_rulings=True, rects=True, shuffle_seed=4),
}


def source(pdf: bytes) -> Source:
    return Source("report.pdf", pdf, hashlib.sha256(pdf).hexdigest(), "pdf")


def logical_cells(layout: Layout) -> list[list[str]]:
    """Text lines of each cell, joining the parts of a cell cut by a page break."""
    groups: dict[tuple[int, int], list[str]] = {}
    for cell in layout.cells:
        groups.setdefault((cell.row, cell.col), []).extend(layout.lines[i].text for i in cell.lines)
    return list(groups.values())


def free_lines(layout: Layout) -> list[str]:
    in_cells = {i for cell in layout.cells for i in cell.lines}
    return [ln.text for k, ln in enumerate(layout.lines) if k not in in_cells]


@pytest.fixture(scope="module", params=list(STYLES))
def rendered(request) -> tuple[pdfgen.Rendered, dict[str, Layout]]:
    """A report rendered in one style, and its layout read by each backend."""
    pdf = pdfgen.render(report(), STYLES[request.param])
    return pdf, {backend: read_pdf_layout(source(pdf.pdf), backend) for backend in BACKENDS}


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_cell_reads_back_exactly(rendered, backend):
    rendered, layouts = rendered
    layout = layouts[backend]
    assert layout.page_count == rendered.page_count
    assert logical_cells(layout) == rendered.cells
    assert free_lines(layout) == rendered.titles


@pytest.mark.parametrize("backend", BACKENDS)
def test_lines_are_numbered_and_emitted_cell_by_cell(rendered, backend):
    layout = rendered[1][backend]
    assert [ln.no for ln in layout.lines] == list(range(1, len(layout.lines) + 1))
    assert all(ln.page and ln.bbox for ln in layout.lines)
    emitted = [i for cell in layout.cells for i in cell.lines]
    assert emitted == sorted(emitted)  # cells list their lines in emission order
    for cell in layout.cells:
        x0, top, x1, bottom = cell.bbox
        for i in cell.lines:
            line = layout.lines[i]
            assert line.page == cell.page
            assert x0 <= line.bbox[0] and line.bbox[2] <= x1 + 1


def test_backends_agree(rendered):
    a, b = rendered[1]["pdfium"], rendered[1]["pdfplumber"]
    assert [ln.text for ln in a.lines] == [ln.text for ln in b.lines]
    assert [(c.page, c.row, c.col, c.lines) for c in a.cells] == \
        [(c.page, c.row, c.col, c.lines) for c in b.cells]
    for ca, cb in zip(a.cells, b.cells):
        assert ca.bbox == pytest.approx(cb.bbox, abs=0.5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_label_and_value_pairs(backend):
    rendered = pdfgen.render([basic_info()], pdfgen.Style(shuffle_seed=11, split_tokens=True))
    layout = read_pdf_layout(source(rendered.pdf), backend)
    cells = logical_cells(layout)
    pairs = {"".join(cells[k]): cells[k + 1] for k in range(len(cells) - 1)}
    assert pairs["③対象人数"][0] == "[ 10万人以上30万人未満 ]"
    assert pairs["リスクへの対策は十分か"][:2] == ["[ 十分である ]", "＜選択肢＞"]
    checklist = " ".join(pairs["②入手方法"])
    assert checklist.startswith("[ ○ ] 紙 [ ] 電子記録媒体（フラッシュメモリを除く。） [ ] フラッシュメモリ")
    assert "[ ○ ] 電子メール" in checklist and "[ ] その他" in checklist
    # a vertically merged group label comes first, then the first row it spans
    start = cells.index(["再", "委", "託"])
    assert cells[start + 1] == ["⑦再委託の有無 ※"]
    assert cells[start + 3] == ["⑧再委託の許諾方法"]
    assert pairs["⑥事務担当部署"] == []  # an empty printed cell is kept
    label = next(c for c in layout.cells if [layout.lines[i].text for i in c.lines] == ["③対象人数"])
    value = next(c for c in layout.cells if c.lines and c.lines[0] == label.lines[-1] + 1)
    assert (value.row, value.page) == (label.row, label.page) and value.col > label.col
    assert value.bbox[0] == pytest.approx(label.bbox[2], abs=0.5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_cell_cut_by_page_break_is_one_cell(backend):
    rendered = pdfgen.render([long_block(rows=3)], pdfgen.Style(ghost_text=True))
    layout = read_pdf_layout(source(rendered.pdf), backend)
    parts: dict[tuple[int, int], list] = {}
    for cell in layout.cells:
        parts.setdefault((cell.row, cell.col), []).append(cell)
    split = [p for p in parts.values() if len({c.page for c in p}) > 1]
    assert split, "the record must cross a page break inside a cell"
    for cut in split:
        lines = [i for c in cut for i in c.lines]
        assert lines == list(range(lines[0], lines[0] + len(lines)))  # contiguous in reading order
    # text drawn again in the margins or off the page around a cut is not read
    assert logical_cells(layout) == rendered.cells and free_lines(layout) == rendered.titles


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("last_width", [96, 66])  # header title on one line / wrapped
def test_repeated_header_row_is_read_once(backend, last_width):
    widths = (62, 100, 110, 110, 45, last_width)
    rendered = pdfgen.render([cover(), changes(rows=16, widths=widths)],
                             pdfgen.Style(shuffle_seed=2))
    assert rendered.page_count >= 3
    layout = read_pdf_layout(source(rendered.pdf), backend)
    texts = [ln.text for ln in layout.lines]
    assert len([t for t in texts if t.startswith("提出時期に係")]) == 1
    dates = [t for t in texts if t.startswith("令和7年")]
    assert len(dates) == 16
    assert logical_cells(layout) == rendered.cells


IPA_GOTHIC = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")


@pytest.mark.skipif(not IPA_GOTHIC.exists(), reason="optional: needs fonts-ipafont-gothic")
def test_embedded_truetype_subset_font():
    """Embedded subset fonts (what office exports produce) read the same on both backends."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("IPAGothic", str(IPA_GOTHIC)))
    rendered = pdfgen.render(report(), pdfgen.Style(font="IPAGothic", shuffle_seed=2,
                                                    split_tokens=True))
    for backend in BACKENDS:
        assert logical_cells(read_pdf_layout(source(rendered.pdf), backend)) == rendered.cells
