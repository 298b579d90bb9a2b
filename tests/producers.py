"""Whole reports drawn by PDF producers other than the test renderer, kept as committed fixtures.

The record (``tests.pdf_reports.build``) is the same; only the producer differs:

- ``libreoffice``: an .xlsx grid built with openpyxl (one merged range per form cell, row heights
  set, the 変更箇所 sheet repeating its title row on every page, a ``- N -`` footer) converted by
  ``soffice --headless --convert-to pdf``; embedded CFF (Noto Sans CJK) or TrueType (IPA) subsets.
- ``chromium``: an HTML table per form table (``thead`` for the 変更箇所 titles) printed by
  ``chromium --headless --print-to-pdf`` with its date/title header and URL/page footer; borders
  come out as thin filled boxes, bold labels in a font without a bold face as Type 3 glyphs.
- ``reportlab-ttf``: the test renderer with an embedded IPA TrueType subset and a page footer.

Generating needs LibreOffice, Chromium and fonts-ipafont/fonts-noto-cjk, so the PDFs are made
once and committed; the tests read them and rebuild the record from its (kind, seed).

    python -m tests.producers            # regenerate tests/fixtures/producers/
"""
from __future__ import annotations

import hashlib
import html
import json
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from tests.pdf_reports import Report, build
from tests.pdfgen import MERGED, Span, Table, embed_truetype, lay_out, render, rows_down

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "producers"
KINDS = {"全項目評価書": "zenkomoku", "重点項目評価書": "juten", "基礎項目評価書": "kiso"}
# (producer, kind, seed): each producer draws all three kinds; seeds vary fonts and layout
CASES = [(p, kind, seed) for p, seeds in (("libreoffice", (1, 2, 3)), ("chromium", (1, 2, 3)),
                                           ("reportlab-ttf", (1, 2, 3)))
         for kind, seed in zip(KINDS, seeds)]
TALL = 400.0  # points: a cell taller than this spreads over several spreadsheet rows
LONG_CHANGES = 10  # 変更箇所 rows, long enough to continue on the next page
LO_FONTS = ["Noto Sans CJK JP", "IPAGothic", "IPAMincho"]  # CFF, TrueType, TrueType
WEB_FONTS = ["Noto Sans CJK JP", "IPAMincho", "IPAGothic"]  # Noto: every glyph a Type 3 font


def record(kind: str, seed: int) -> Report:
    """The record a fixture is drawn from."""
    return build(kind, seed, LONG_CHANGES)


def fixture_path(producer: str, kind: str, seed: int) -> Path:
    return FIXTURES / f"{producer}-{KINDS[kind]}-{seed}.pdf"


def record_digest(report: Report) -> str:
    """A digest of what a fixture was drawn from: a fixture whose record changed is stale."""
    text = repr((report.answers, report.changes, report.tables))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- LibreOffice from an .xlsx grid ---------------------------------------------------------

def xlsx(report: Report, font: str) -> bytes:
    """The report as a workbook: the 変更箇所 table on its own sheet with repeated title rows."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    plain = [t for t in report.tables if not t.header]
    sheets = [("様式", plain)] + [(f"別添{k}", [t]) for k, t in
                                  enumerate((t for t in report.tables if t.header), 1)]
    for name, tables in sheets:
        _sheet(book.create_sheet(name), tables, report, font)
    from io import BytesIO

    buf = BytesIO()
    book.save(buf)
    return buf.getvalue()


def _sheet(ws, tables: list[Table], report: Report, font_name: str) -> None:
    """One sheet: a grid column per distinct cell edge, a merged range per form cell. A cell
    taller than ``TALL`` points is written over several sheet rows without borders between
    them, as fillers of the Excel forms do, since a spreadsheet row cannot cross a page."""
    from openpyxl.styles import Font, Side

    style = report.style
    strip = lay_out(tables, style)
    lead = style.size * style.leading
    per = int(TALL * 0.75 / lead)  # lines per sheet row of a tall cell
    tall = {id(c) for c in strip.cells if c.bottom - c.top > TALL}
    extra = {round(c.top + style.pad + k * per * lead, 1) for c in strip.cells if id(c) in tall
             for k in range(1, (len(c.lines) - 1) // per + 1)}
    ys = sorted({round(v, 1) for c in strip.cells for v in (c.top, c.bottom)} | extra
                | {round(y, 1) for y, _t in strip.titles}
                | {round(y + lead * 1.5, 1) for y, _t in strip.titles})
    xs = sorted({round(v, 1) for c in strip.cells for v in (c.x0, c.x1)})
    col_of = {x: k + 1 for k, x in enumerate(xs)}
    row_of = {y: k + 1 for k, y in enumerate(ys)}
    for k in range(len(xs) - 1):
        ws.column_dimensions[_letter(k + 1)].width = (xs[k + 1] - xs[k]) / 5.6
    for k in range(len(ys) - 1):
        ws.row_dimensions[k + 1].height = max(ys[k + 1] - ys[k], 1.0) * 1.25
    font, side = Font(name=font_name, size=style.size), Side(style="thin")
    for y, title in strip.titles:
        ws.cell(row_of[round(y, 1)], 1, title).font = font
    for c in strip.cells:
        top, bottom = round(c.top, 1), round(c.bottom, 1)
        bounds = [top, *sorted(y for y in extra if top < y < bottom), bottom]
        pieces = len(bounds) - 1
        chunks = [c.lines[k * per:(k + 1) * per] for k in range(pieces)] if id(c) in tall \
            else [c.lines] + [[]] * (pieces - 1)
        for k in range(pieces):
            _range(ws, (row_of[bounds[k]], row_of[bounds[k + 1]] - 1),
                   (col_of[round(c.x0, 1)], col_of[round(c.x1, 1)] - 1), chunks[k], font, side,
                   (k == 0, k == pieces - 1))
    if any(c.header for c in strip.cells):
        head = [row_of[round(c.top, 1)] for c in strip.cells if c.header]
        ws.print_title_rows = f"{min(head)}:{min(head)}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    margin = style.margin / 72
    ws.page_margins.left = ws.page_margins.right = margin
    ws.page_margins.top = ws.page_margins.bottom = margin + 0.2
    ws.oddFooter.center.text = "- &P -"


def _range(ws, rows: tuple[int, int], cols: tuple[int, int], lines: list[str], font, side,
           closed: tuple[bool, bool]) -> None:
    """A merged range holding ``lines``, bordered left and right, top and bottom as asked."""
    from openpyxl.styles import Alignment, Border

    (r0, r1), (c0, c1) = rows, cols
    if r1 > r0 or c1 > c0:
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    first = ws.cell(r0, c0, "\n".join(lines) or None)
    first.font = font
    first.alignment = Alignment(wrap_text=True, vertical="top")
    for r in range(r0, r1 + 1):
        for col in range(c0, c1 + 1):
            ws.cell(r, col).border = Border(
                left=side if col == c0 else None, right=side if col == c1 else None,
                top=side if r == r0 and closed[0] else None,
                bottom=side if r == r1 and closed[1] else None)


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def libreoffice(report: Report, seed: int) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.xlsx"
        src.write_bytes(xlsx(report, LO_FONTS[seed % len(LO_FONTS)]))
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=300)
        return (Path(tmp) / "report.pdf").read_bytes()


# --- Chromium printing HTML tables ----------------------------------------------------------

def html_page(report: Report, font: str, bold_labels: bool) -> str:
    """The report as HTML tables: colspan/rowspan for merged cells, ``thead`` for title rows."""
    style = report.style
    parts = [f"<!doctype html><html lang=ja><head><meta charset=utf-8><title>{html.escape(report.title)}"
             f"</title><style>body{{font-family:'{font}';font-size:{style.size}pt;margin:0}}"
             "table{border-collapse:collapse;table-layout:fixed;margin-bottom:6pt}"
             f"td,th{{border:0.5pt solid #000;padding:{style.pad}pt;vertical-align:top;"
             "text-align:left;font-weight:normal;word-break:break-all}"
             "td.label{font-weight:bold} p{margin:4pt 0}</style></head><body>"]
    for table in report.tables:
        if table.title:
            parts.append(f"<p>{html.escape(table.title)}</p>")
        widths = [w * style.scale for w in table.widths]
        parts.append(f"<table style='width:{sum(widths):.1f}pt'><colgroup>"
                     + "".join(f"<col style='width:{w:.1f}pt'>" for w in widths) + "</colgroup>")
        if table.header:
            parts.append("<thead>" + _html_row(table.header, [], 0, "th", False) + "</thead>")
        parts.append("<tbody>")
        for r, row in enumerate(table.rows):
            parts.append(_html_row(row, table.rows, r, "td", bold_labels))
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)


def _html_row(row: list, rows: list, r: int, tag: str, bold_labels: bool) -> str:
    cells, col = [], 0
    for k, entry in enumerate(row):
        span = entry.cols if isinstance(entry, Span) else 1
        if entry is not MERGED:
            text = entry.text if isinstance(entry, Span) else entry
            down = rows_down(rows, r, col)
            attrs = (f" colspan={span}" if span > 1 else "") + (f" rowspan={down}" if down > 1 else "")
            if bold_labels and k == 0 and len(row) > 1:
                attrs += " class=label"
            body = "<br>".join(html.escape(line) for line in text.split("\n"))
            cells.append(f"<{tag}{attrs}>{body}</{tag}>")
        col += span
    return "<tr>" + "".join(cells) + "</tr>"


def chromium(report: Report, seed: int) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html_page(report, WEB_FONTS[seed % len(WEB_FONTS)], seed % 3 == 0),
                        encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}",
                        page.as_uri()], check=True, capture_output=True, timeout=300)
        return out.read_bytes()


def reportlab_ttf(report: Report, seed: int) -> bytes:
    font = embed_truetype(["IPAGothic", "IPAMincho"][seed % 2])
    return render(report.tables, replace(report.style, font=font, footer="- {page} -")).pdf


PRODUCERS = {"libreoffice": libreoffice, "chromium": chromium, "reportlab-ttf": reportlab_ttf}


def produce(producer: str, kind: str, seed: int) -> bytes:
    return PRODUCERS[producer](record(kind, seed), seed)


def main(argv: list[str]) -> None:
    """Regenerate the fixtures (all, or those of the producers named on the command line)."""
    FIXTURES.mkdir(parents=True, exist_ok=True)
    manifest_path = FIXTURES / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for producer, kind, seed in CASES:
        if argv and producer not in argv:
            continue
        path = fixture_path(producer, kind, seed)
        path.write_bytes(produce(producer, kind, seed))
        manifest[path.name] = record_digest(record(kind, seed))
        print(f"{path.name}: {path.stat().st_size // 1024} KB", file=sys.stderr)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
