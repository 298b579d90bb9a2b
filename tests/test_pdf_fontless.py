"""pdfium on a host without CJK system fonts (the fonts hidden in a private mount namespace).

With a non-embedded CJK font pdfium then drops one-glyph and rotated runs; the reader notices
verifies such pages against pdfplumber, reads them with it and says so in a warning. Skipped where a mount namespace cannot be made.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FONTS = "/usr/share/fonts"

SCRIPT = """
import hashlib
from parsers.model import Source
from parsers.read.pdf_reader import read_pdf_layout
from tests import pdfgen
from tests.pdf_records import basic_info, cover
from tests.test_pdf_reader import logical_cells

for style in (pdfgen.Style(split_tokens=True, pad_single_glyphs=False),
              pdfgen.Style(rotate=True, pagesize=(842, 595))):
    rendered = pdfgen.render([cover(), basic_info()], style)
    pdf = rendered.pdf
    layout = read_pdf_layout(Source("x.pdf", pdf, hashlib.sha256(pdf).hexdigest(), "pdf"))
    assert logical_cells(layout) == rendered.cells, style
    assert len(layout.warnings) == 1 and "read with pdfplumber, where pdfium lost text" in layout.warnings[0].text
print("ok")
"""


def fontless(cmd: list[str]) -> subprocess.CompletedProcess:
    shell = f'mount -t tmpfs none {FONTS} && exec "$@"'
    return subprocess.run(["unshare", "-m", "sh", "-c", shell, "sh", *cmd], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(shutil.which("unshare") is None or not Path(FONTS).is_dir(),
                    reason="needs unshare and a system font directory")
def test_pdfium_falls_back_where_it_loses_text():
    probe = fontless(["true"])
    if probe.returncode != 0:
        pytest.skip(f"cannot hide the system fonts here: {probe.stderr.strip()[:80]}")
    run = fontless([sys.executable, "-c", SCRIPT])
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "ok"
