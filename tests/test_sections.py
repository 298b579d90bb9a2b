"""Section splitting on every seed. Expected heading lines were read off the seed files by hand."""
import pytest

from parsers.form.template import detect_kind
from parsers.read.readers import read_source
from parsers.form.sections import split_sections
from parsers.read.text_layout import text_layout

from .conftest import seed

EXPECTED = {
    "000": [("cover", 1), ("Ⅰ", 27), ("Ⅱ", 360), ("別添1", 931), ("Ⅲ", 974), ("Ⅳ", 1424), ("Ⅴ", 1452),
            ("別添2", 1489)],
    "001": [("cover", 1), ("Ⅰ", 46), ("別添1", 651), ("Ⅱ", 810), ("Ⅱ", 1696), ("Ⅱ", 2047), ("Ⅱ", 2540),
            ("Ⅱ", 3051), ("Ⅲ", 3438), ("Ⅳ", 4791), ("Ⅴ", 4889), ("Ⅵ", 4971)],
    "002": [("cover", 1), ("Ⅰ", 129), ("別添1", 344), ("Ⅱ", 404), ("別添2", 1555), ("Ⅲ", 1667), ("Ⅳ", 3311),
            ("Ⅴ", 3417), ("Ⅵ", 3443), ("別添3", 3476)],
    "003": [("cover", 1), ("Ⅰ", 32), ("Ⅱ", 97), ("別添1", 192), ("Ⅲ", 324), ("Ⅳ", 648), ("Ⅴ", 659)],
    "004": [("cover", 1), ("別添3", 2)],
}
KINDS = {"000": "重点項目評価書", "001": "全項目評価書", "002": "全項目評価書", "003": "重点項目評価書",
         "004": "全項目評価書"}


def _layout(n):
    return text_layout(read_source(seed(n)))


@pytest.mark.parametrize("n", sorted(KINDS))
def test_kind_detected(n):
    assert detect_kind("\n".join(ln.text for ln in _layout(n).lines)) == KINDS[n]


@pytest.mark.parametrize("n", sorted(EXPECTED))
def test_sections_found_in_order(n):
    layout = _layout(n)
    got = [(s.key, layout.lines[s.start].no) for s in split_sections(layout, KINDS[n])]
    assert got == EXPECTED[n]


def test_sections_cover_every_line_once():
    layout = _layout("002")
    secs = split_sections(layout, KINDS["002"])
    assert secs[0].start == 0 and secs[-1].end == len(layout.lines)
    assert all(a.end == b.start for a, b in zip(secs, secs[1:]))


def test_toc_and_change_table_headings_are_not_sections():
    # 002 lists every heading in its 項目一覧 (L30-44) and quotes Ⅰ/Ⅱ/Ⅲ as item paths in 別添3
    layout = _layout("002")
    starts = [layout.lines[s.start].no for s in split_sections(layout, KINDS["002"])]
    assert not any(30 <= no <= 44 for no in starts)
    assert max(starts) == 3476
