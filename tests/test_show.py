"""``pia show``: a value's place in its source, for a text source (lines, value marked) and a PDF (the
page region as a PNG with the value's box outlined)."""
from __future__ import annotations

import io
import shutil

import pypdfium2 as pdfium
import pytest
from PIL import Image

from normalizers.text import compact
from parsers.model import parse_ref
from pipeline.analysis.provenance import SCALE
from pipeline.cli import main
from pipeline.ingest.batch import ingest
from tests.conftest import seed
from tests.pdf_reports import build, render_report

# Seed 003 (愛知県信用金庫健康保険組合, a markdown conversion) prints, read by hand:
#   ⑤保有開始日<TAB>平成28年10月1日   -- one line; the value follows the label in the next cell
HOLDING_LABEL, HOLDING_VALUE = "⑤保有開始日", "平成28年10月1日"


@pytest.fixture(scope="module")
def text_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("show")
    src = root / "report.md"
    shutil.copy(seed("003"), src)
    ingest([str(src)], root / "corpus")
    return root / "corpus", src


def test_text_source_lines_with_the_value_marked(text_corpus, capsys):
    corpus, src = text_corpus
    assert main(["show", "--corpus", str(corpus), "愛知県信用金庫", "保有開始日", "--context", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    source_lines = src.read_text(encoding="utf-8").splitlines()
    where = next(i for i, line in enumerate(source_lines, 1) if line.startswith(HOLDING_LABEL))
    assert out[0] == f"L{where}  {HOLDING_LABEL} = {HOLDING_VALUE}"
    marked = [line for line in out[1:] if line.startswith("▶")]
    assert len(marked) == 1 and f" {where} │ " in marked[0] and f"⟦{HOLDING_VALUE}⟧" in marked[0]
    assert len(out) == 1 + 3  # one line of context each side
    assert f" {where - 1} │ " in out[1] and f" {where + 1} │ " in out[3]


def test_several_values_need_a_choice(text_corpus, capsys):
    corpus, _ = text_corpus
    assert main(["show", "--corpus", str(corpus), "愛知県信用金庫", "委託先における取扱者数"]) == 2
    assert "--nth" in capsys.readouterr().err
    assert main(["show", "--corpus", str(corpus), "愛知県信用金庫", "委託先における取扱者数", "--nth", "2"]) == 0
    assert "▶" in capsys.readouterr().out


def test_a_changed_source_is_not_shown(text_corpus, tmp_path, capsys):
    corpus, src = text_corpus
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    original = src.read_bytes()
    try:
        src.write_bytes(original.replace("平成28年10月1日".encode(), "平成29年10月1日".encode()))
        assert main(["show", "--corpus", str(copy), "愛知県信用金庫", "保有開始日"]) == 1
        assert "changed since it was ingested" in capsys.readouterr().err
    finally:
        src.write_bytes(original)


def _red(pixel) -> bool:
    r, g, b = pixel
    return r > 200 and g < 40 and b < 40


def test_pdf_source_page_region_with_the_box_outlined(tmp_path, capsys):
    report = build("重点項目評価書", 2)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(report))
    ingest([str(pdf)], tmp_path / "corpus")
    png = tmp_path / "org.png"
    assert main(["show", "--corpus", str(tmp_path / "corpus"), report.org, "org_name", "-o", str(png), "--json"]) == 0
    shown = __import__("json").loads(capsys.readouterr().out)
    assert shown["png"] == str(png) and shown["value"] == report.org
    ref = parse_ref(shown["source_ref"])
    assert ref.page and ref.box
    # the box names the place the value is printed: pdfium reads the value back from it
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[ref.first - 1]
    x0, top, x1, bottom = ref.box
    height = page.get_size()[1]
    inside = page.get_textpage().get_text_bounded(left=x0 - 1, bottom=height - bottom - 1, right=x1 + 1, top=height - top + 1)
    assert compact(report.org) in compact(inside)
    image = Image.open(io.BytesIO(png.read_bytes())).convert("RGB")
    full_width, full_height = page.get_size()
    doc.close()
    assert image.width == round(full_width * SCALE) and image.height < full_height * SCALE  # a region, not the page
    reds = [(x, y) for x in range(image.width) for y in range(0, image.height, 2) if _red(image.getpixel((x, y)))]
    assert reds  # the outline is drawn where the box is, horizontally
    xs = [x for x, _ in reds]
    assert min(xs) <= x0 * SCALE and max(xs) >= x1 * SCALE - 1
