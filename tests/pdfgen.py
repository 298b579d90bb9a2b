"""Render test PDFs in the official forms' bordered-grid style, and broken PDFs.

A record is a list of ``Table``s (rows of label cell + value cell(s)). The renderer lays the
tables out on one tall virtual strip, cuts the strip into pages (between rows, or inside a row
between text lines, leaving the cut sides of a cell unruled like a spreadsheet export does),
repeats header rows on continuation pages and can shuffle the content stream, so a reader
cannot lean on drawing order. It returns the PDF and the text each cell must read back as.
Fonts are reportlab's built-in CID fonts, so no system font is needed.
"""
from __future__ import annotations

import io
import random
import zlib
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

GOTHIC, MINCHO = "HeiseiKakuGo-W5", "HeiseiMin-W3"
for _name in (GOTHIC, MINCHO):
    pdfmetrics.registerFont(UnicodeCIDFont(_name))
TRUETYPE = {"IPAGothic": "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
            "IPAMincho": "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf"}  # fonts-ipafont


def embed_truetype(name: str) -> str:
    """Register a system TrueType font, which reportlab embeds as a subset; returns its name."""
    from reportlab.pdfbase.ttfonts import TTFont

    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, TRUETYPE[name]))
    return name

MERGED = None  # a row entry that merges the cell with the one above it (vertical merge)


@dataclass(frozen=True)
class Span:
    """A cell covering ``cols`` grid columns."""

    text: str
    cols: int = 1


@dataclass
class Table:
    widths: list[float]  # column widths, points
    rows: list[list]  # each entry: str, Span, or MERGED
    header: list | None = None  # first row, repeated on each page the table continues to
    title: str | None = None  # free text above the table


@dataclass
class Style:
    font: str = GOTHIC
    size: float = 9.0
    leading: float = 1.4  # × size
    pad: float = 3.0
    pagesize: tuple[float, float] = A4  # displayed page size
    margin: float = 36.0
    split_rows: bool = True  # cut a tall row between text lines at a page break
    shuffle_seed: int | None = None  # shuffle drawing order of every text run and ruling
    split_tokens: bool = False  # draw each space-separated token on its own, no space glyphs
    ghost_text: bool = False  # draw a cut cell's other lines too where they fall in the page
    #       margins or off the page, as a spreadsheet export does (clipped); not above a
    #       repeated header row, where a reader could not tell them from a page title
    jitter: float = 0.0  # move ruling ends by up to this many points
    rects: bool = False  # draw closed cells as rectangles instead of four lines
    fill_borders: bool = False  # draw rulings as thin filled boxes, not stroked lines
    shading: bool = False  # grey fill behind the upper half of every cell
    form_rulings: bool = False  # draw the rulings inside a shifted Form XObject
    rotate: bool = False  # /Rotate 90 page with content drawn so it displays upright
    scale: float = 1.0  # multiply every column width
    pad_single_glyphs: bool = True  # draw a lone CJK glyph with a trailing space (see _text_op)
    footer: str | None = None  # page number line below the content, e.g. "- {page} -"
    clutter: tuple[int, int] | None = None  # (page, n): n short random strokes on that page


@dataclass
class Rendered:
    pdf: bytes
    cells: list[list[str]]  # text lines of every logical cell, in row-major order
    titles: list[str]
    page_count: int


def norm(text: str) -> str:
    return " ".join(text.split())


def wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """Break text to fit ``width`` char by char (Japanese wraps mid-word); '\\n' forces a break."""
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for ch in para:
            if line and pdfmetrics.stringWidth(line + ch, font, size) > width:
                out.append(line)
                line = ch.lstrip()
            else:
                line += ch
        out.append(line)
    return [ln for ln in out if ln.strip()]


@dataclass
class _VCell:
    x0: float
    x1: float
    top: float  # virtual strip coordinates
    bottom: float
    lines: list[str]
    header: bool = False


@dataclass
class _Strip:
    cells: list[_VCell] = field(default_factory=list)
    titles: list[tuple[float, str]] = field(default_factory=list)
    breaks: set[float] = field(default_factory=set)  # allowed cut positions
    header_of: dict[int, tuple[float, float, list[_VCell]]] = field(default_factory=dict)
    height: float = 0.0


def _resolve(table: Table, style: Style, x_left: float):
    """Grid positions of each row's own cells: (row index, col index, x0, x1, text, rowspan)."""
    widths = [w * style.scale for w in table.widths]
    edges = [x_left]
    for w in widths:
        edges.append(edges[-1] + w)
    rows = ([table.header] if table.header else []) + table.rows
    placed = []
    for r, row in enumerate(rows):
        col = 0
        for entry in row:
            span = entry.cols if isinstance(entry, Span) else 1
            if entry is not MERGED:
                text = entry.text if isinstance(entry, Span) else entry
                down = rows_down(rows, r, col)
                placed.append((r, col, edges[col], edges[col + span], text, down))
            col += span
    return rows, placed


def _entry_at(row: list, col: int):
    c = 0
    for entry in row:
        span = entry.cols if isinstance(entry, Span) else 1
        if c <= col < c + span:
            return entry
        c += span
    return ""


def is_merged(row: list, col: int) -> bool:
    return _entry_at(row, col) is MERGED


def rows_down(rows: list, r: int, col: int) -> int:
    """How many rows the cell starting at row ``r``, column ``col`` spans (rows merged into it below)."""
    down = 1
    while r + down < len(rows) and is_merged(rows[r + down], col):
        down += 1
    return down

def lay_out(tables: list[Table], style: Style) -> _Strip:
    """Place every table on one virtual strip, recording where a page may be cut."""
    strip = _Strip()
    lead = style.size * style.leading
    y = 0.0
    for t_index, table in enumerate(tables):
        if table.title:
            strip.breaks.add(y)
            strip.titles.append((y, table.title))
            y += lead * 1.5
        strip.breaks.add(y)
        rows, placed = _resolve(table, style, style.margin)
        need = {}
        for r, col, x0, x1, text, _down in placed:
            lines = wrap(text, x1 - x0 - 2 * style.pad, style.font, style.size)
            need[(r, col)] = (lines, 2 * style.pad + max(len(lines), 1) * lead)
        heights = [0.0] * len(rows)
        for r, col, *_rest, down in placed:
            if down == 1:
                heights[r] = max(heights[r], need[(r, col)][1])
        for r, col, *_rest, down in placed:
            short = need[(r, col)][1] - sum(heights[r:r + down])
            if short > 0:
                heights[r + down - 1] += short
        tops = [y]
        for h in heights:
            tops.append(tops[-1] + h)
        table_cells = []
        for r, col, x0, x1, _text, down in placed:
            cell = _VCell(x0, x1, tops[r], tops[r + down], need[(r, col)][0],
                          header=bool(table.header) and r == 0)
            table_cells.append(cell)
        strip.cells += table_cells
        if table.header:
            header_cells = [c for c in table_cells if c.header]
            strip.header_of[t_index] = (tops[1], tops[-1], header_cells)
        for r in range(len(rows)):
            strip.breaks.add(tops[r + 1])
            if style.split_rows:
                gap = lead - style.size
                strip.breaks.update(tops[r] + style.pad + k * lead - gap / 2 for k in range(1, 200)
                                    if tops[r] + style.pad + k * lead < tops[r + 1] - style.pad)
        y = tops[-1] + lead
    strip.height = y
    strip.breaks = {b for b in strip.breaks if not any(
        c.top < b < c.bottom and _cuts_line(c, b, style) for c in strip.cells)}
    return strip


def _line_top(cell: _VCell, k: int, style: Style) -> float:
    return cell.top + style.pad + k * style.size * style.leading


def _cuts_line(cell: _VCell, b: float, style: Style) -> bool:
    """Whether a cut at ``b`` runs through one of the cell's text lines."""
    return any(_line_top(cell, k, style) - 1 < b < _line_top(cell, k, style) + style.size + 1
               for k in range(len(cell.lines)))


def _pages(strip: _Strip, style: Style) -> list[tuple[float, float, list[_VCell]]]:
    """Cut the strip into page windows (start, end, header cells repeated on top)."""
    content = style.pagesize[1] - 2 * style.margin
    windows = []
    start = 0.0
    breaks = sorted(strip.breaks | {strip.height})
    while start < strip.height - 1e-6:
        header: list[_VCell] = []
        for body_top, body_end, cells in strip.header_of.values():
            if body_top < start + 1e-6 < body_end:
                header = cells
        room = content - _span_height(header)
        fits = [b for b in breaks if start + 1e-6 < b <= start + room]
        end = fits[-1] if fits else start + room
        windows.append((start, end, header))
        start = end
    return windows


def _span_height(header: list[_VCell]) -> float:
    return max((c.bottom for c in header), default=0.0) - min((c.top for c in header), default=0.0)


def render(tables: list[Table], style: Style = Style()) -> Rendered:
    strip = lay_out(tables, style)
    windows = _pages(strip, style)
    width, height = style.pagesize
    rng = random.Random(style.shuffle_seed)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(height, width) if style.rotate else (width, height),
                    invariant=1)
    for start, end, header in windows:
        background, rules, texts = _page_ops(strip, style, start, end, header, rng)
        ops = texts if style.form_rulings else rules + texts
        if style.shuffle_seed is not None:
            rng.shuffle(ops)
        if style.rotate:
            canvas.setPageRotation(90)
            canvas.transform(0, 1, -1, 0, height, 0)
        for op in background + ops:
            op(canvas)
        if style.form_rulings:
            _draw_in_form(canvas, f"rulings{canvas.getPageNumber()}",
                          rules, style.pagesize)
        if style.clutter and style.clutter[0] == canvas.getPageNumber():
            _clutter(canvas, style.clutter[1], width, height)
        if style.footer:
            _text_op(style, width / 2 - 12, height - style.margin / 2 - style.size,
                     style.footer.format(page=canvas.getPageNumber()), height)(canvas)
        canvas.showPage()
    canvas.save()
    expected = [[norm(ln) for ln in c.lines if norm(ln)] for c in strip.cells]
    return Rendered(buf.getvalue(), expected, [norm(t) for _y, t in strip.titles], len(windows))


def _draw_in_form(canvas: Canvas, name: str, ops: list, pagesize: tuple[float, float]) -> None:
    """Draw ``ops`` into a Form XObject in shifted coordinates and place it shifted back, so
    a reader must apply the form's matrix."""
    dx, dy = 15.0, -25.0
    canvas.beginForm(name, lowerx=-dx, lowery=-dy, upperx=pagesize[0] - dx, uppery=pagesize[1] - dy)
    canvas.translate(-dx, -dy)
    for op in ops:
        op(canvas)
    canvas.endForm()
    canvas.saveState()
    canvas.translate(dx, dy)
    canvas.doForm(name)
    canvas.restoreState()


def _page_ops(strip: _Strip, style: Style, start: float, end: float, header: list[_VCell],
              rng: random.Random) -> list:
    """Background fills, rulings and text runs for one page window, in display coordinates
    (top grows down)."""
    height = style.pagesize[1]
    offset = style.margin
    rules, texts = [], []
    boxes = []
    if header:
        head_top = min(c.top for c in header)
        for c in header:
            boxes.append((c.x0, c.top - head_top + offset, c.x1, c.bottom - head_top + offset))
            _cell_ops(c, style, boxes[-1][1], boxes[-1][3], 0, len(c.lines), False, False, rng,
                      rules, texts)
        offset += _span_height(header)
    for y, title in strip.titles:
        if start - 1e-6 <= y < end - 1e-6:
            texts.append(_text_op(style, style.margin, y - start + offset, title, height))
    for c in strip.cells:
        if c.bottom <= start + 1e-6 or c.top >= end - 1e-6:
            continue
        top, bottom = max(c.top, start), min(c.bottom, end)
        boxes.append((c.x0, top - start + offset, c.x1, bottom - start + offset))
        shown = [k for k in range(len(c.lines))
                 if start - 1e-6 <= _line_top(c, k, style) < end - 1e-6]
        first = shown[0] if shown else 0
        _cell_ops(c, style, top - start + offset, bottom - start + offset, first, len(shown),
                  c.top < start - 1e-6, c.bottom > end + 1e-6, rng, rules, texts,
                  text_top=_line_top(c, first, style) - start + offset, ghost_up=not header)
    background = [lambda cv, b=b: _fill(cv, (b[0] + 1, b[1] + 1, b[2] - 1, (b[1] + b[3]) / 2),
                                        height, 0.85) for b in boxes] if style.shading else []
    return background, rules, texts


def _cell_ops(c: _VCell, style: Style, top: float, bottom: float, first: int, count: int,
              open_top: bool, open_bottom: bool, rng: random.Random, rules: list, texts: list,
              text_top: float | None = None, ghost_up: bool = True) -> None:
    """Append the cell part's rulings to ``rules`` and its text runs to ``texts``."""
    height = style.pagesize[1]
    lead = style.size * style.leading
    j = lambda v: v + rng.uniform(-style.jitter, style.jitter) if style.jitter else v  # noqa: E731
    sides = [(c.x0, top, c.x0, bottom), (c.x1, top, c.x1, bottom)]
    sides += [] if open_top else [(c.x0, top, c.x1, top)]
    sides += [] if open_bottom else [(c.x0, bottom, c.x1, bottom)]
    if style.fill_borders:
        for x0, t0, x1, t1 in sides:
            box = (x0 - 0.3, t0 - 0.3, x1 + 0.3, t1 + 0.3)
            rules.append(lambda cv, a=box: _fill(cv, a, height, 0))
    elif style.rects and not (open_top or open_bottom):
        rules.append(lambda cv, a=(c.x0, top, c.x1, bottom): cv.rect(
            a[0], height - a[3], a[2] - a[0], a[3] - a[1], stroke=1, fill=0))
    else:
        for x0, t0, x1, t1 in sides:
            rules.append(lambda cv, a=(j(x0), t0, j(x1), t1) if t0 == t1 else (x0, j(t0), x1, j(t1)):
                         cv.line(a[0], height - a[1], a[2], height - a[3]))
    y = top + style.pad if text_top is None else text_top
    for k in range(first, first + count):
        texts.append(_text_op(style, c.x0 + style.pad, y + (k - first) * lead, c.lines[k], height))
    if style.ghost_text and (open_top or open_bottom):
        for k in range(len(c.lines)):
            line_top = y + (k - first) * lead
            if (ghost_up and line_top + style.size < style.margin) \
                    or line_top > height - style.margin:
                texts.append(_text_op(style, c.x0 + style.pad, line_top, c.lines[k], height))


def _clutter(cv, n: int, width: float, height: float) -> None:
    """``n`` separate 3-point strokes all over the page (a drawn pattern, a logo traced in
    lines), each its own path, as heavy as a real drawing gets."""
    rng = random.Random(n)
    cv.setLineWidth(0.1)
    for _ in range(n):
        x, y = rng.uniform(0, width - 3), rng.uniform(0, height - 3)
        if rng.random() < 0.5:
            cv.line(x, y, x + 3, y)
        else:
            cv.line(x, y, x, y + 3)
    cv.setLineWidth(1)


def _fill(cv, box, height: float, grey: float) -> None:
    """A filled box without outline; the grey level is reset so text stays black."""
    cv.setFillGray(grey)
    cv.rect(box[0], height - box[3], box[2] - box[0], box[3] - box[1], stroke=0, fill=1)
    cv.setFillGray(0)


def _text_op(style: Style, x: float, top: float, text: str, height: float):
    """Draw one text line whose box starts at ``top``; split into tokens if asked."""
    baseline = height - (top + style.size * 0.88)
    runs = [(x, text)]
    if style.split_tokens:
        runs, pos = [], 0
        for token in text.split(" "):
            if token:
                runs.append((x + pdfmetrics.stringWidth(text[:pos], style.font, style.size), token))
            pos += len(token) + 1

    def draw(cv):
        cv.setFont(style.font, style.size)
        for rx, run in runs:
            # With no CJK system font, pdfium drops a one-glyph run of a non-embedded CJK font
            # and the reader falls back to pdfplumber for that page; a trailing space (stripped
            # by the reader) keeps such hosts testing the pdfium path itself.
            pad = style.pad_single_glyphs and len(run) == 1 and not run.isascii()
            cv.drawString(rx, baseline, run + " " if pad else run)
    return draw


# --- broken inputs -------------------------------------------------------------------------

def encrypted(text: str = "特定個人情報保護評価書", password: str = "secret") -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, encrypt=StandardEncryption(password, ownerPassword="owner"))
    canvas.setFont(GOTHIC, 9)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def scanned(pages: int = 2) -> bytes:
    """Pages holding only a picture of a grid: no text layer, as a scanner produces."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(img)
    for y in range(40, 520, 40):
        draw.line((20, y, 380, y), fill=0)
        draw.text((30, y + 10), "scan", fill=0)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4)
    for _ in range(pages):
        canvas.drawImage(ImageReader(img), 36, 100, width=520, height=700)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def truncated(pdf: bytes, keep: float = 0.6) -> bytes:
    return pdf[: int(len(pdf) * keep)]


def without_tounicode(glyphs: int = 20) -> bytes:
    """A bordered page whose text uses an Identity-H CID font with no ToUnicode map, so its
    chars cannot be turned into Unicode (pdfminer shows ``(cid:NN)``)."""
    codes = "".join(f"{cid:04X}" for cid in range(16, 16 + glyphs))
    content = (f"0.5 w 36 700 m 559 700 l S 36 760 m 559 760 l S 36 700 m 36 760 l S "
               f"559 700 m 559 760 l S BT /F1 12 Tf 48 724 Td <{codes}> Tj ET").encode()
    stream = zlib.compress(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMapGothic /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMapGothic /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /NoMapGothic /Flags 4 /FontBBox [0 -200 1000 800] "
        b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
