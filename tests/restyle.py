"""Restyle a report's text the ways extraction tools and mirror sites print it (seeded, deterministic).

Each style is one seen in published report texts (../shared/samples/covers/README.md):

- ``wrapped``: hard line breaks at the PDF's wrap points, splitting words;
- ``one_line``: the whole text on one line, a space at each old line break;
- ``spaced``: a space next to every kanji, 、。「」 dropped;
- ``digits_spaced``: spaces around digits, 、。「」【】 dropped;
- ``raw_cells``: the cover's cells in raw PDF order (labels after their values, cells shuffled);
- ``clutter``: a site title, Download/Transcript/Page 1: lines, page markers and footers, repeated
  page headers, and the cover once more flattened onto one line at the top.

``restyle(text, style, seed)`` returns the restyled text; the same arguments give the same text.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

COVER_DATA = json.loads((Path(__file__).resolve().parent.parent / "parsers" / "form" / "data" / "cover.json")
                        .read_text(encoding="utf-8"))
STYLES = ("wrapped", "one_line", "spaced", "digits_spaced", "raw_cells", "clutter")
_HAN = re.compile(r"[\u3400-\u9fff々〆]")
_COVER_END = re.compile(r"^\s*(?:項目一覧|[ⅠI]\s*(?:基本情報|関連情報))")


def restyle(text: str, style: str, seed: int = 0) -> str:
    rng = random.Random(f"{style}:{seed}")
    return {"wrapped": _wrapped, "one_line": _one_line, "spaced": _spaced, "digits_spaced": _digits_spaced,
            "raw_cells": _raw_cells, "clutter": _clutter}[style](text.splitlines(), rng)


def _wrapped(lines: list[str], rng: random.Random) -> str:
    width = rng.randint(30, 44)
    out = []
    for line in lines:
        out += [line[i:i + width] for i in range(0, len(line), width)] or [""]
    return "\n".join(out)


def _one_line(lines: list[str], rng: random.Random) -> str:
    return " ".join(ln.strip() for ln in lines if ln.strip())


def _spaced(lines: list[str], rng: random.Random) -> str:
    def space(line: str) -> str:
        chars = [c for c in line if c not in "、。「」"]
        out = []
        for a, b in zip(chars, chars[1:] + [""]):
            out.append(a)
            if b and not a.isspace() and not b.isspace() and (_HAN.match(a) or _HAN.match(b)):
                out.append(" ")
        return "".join(out)
    return "\n".join(space(ln) for ln in lines)


def _digits_spaced(lines: list[str], rng: random.Random) -> str:
    def space(line: str) -> str:
        line = re.sub(r"[、。「」【】]", " ", line)
        return re.sub(r" {2,}", " ", re.sub(r"([0-9０-９]+)", r" \1 ", line)).rstrip()
    return "\n".join(space(ln) for ln in lines)


def _cover_span(lines: list[str]) -> int:
    """Index of the first line after the cover (項目一覧 or the Ⅰ heading), within the first 80 lines."""
    return next((i for i, ln in enumerate(lines[:80]) if _COVER_END.match(ln)), 0)


def _cells(cover: list[str]) -> list[list[str]]:
    """The cover's lines grouped into cells: a label line and the value lines after it."""
    labels = tuple(COVER_DATA["labels"].values())
    cells: list[list[str]] = [[]]
    for ln in cover:
        flat = re.sub(r"\s", "", ln)
        if flat.startswith((*labels, "[", "特定個人情報保護評価書")):
            cells.append([])
        cells[-1].append(ln)
    return [c for c in cells if any(x.strip() for x in c)]


def _raw_cells(lines: list[str], rng: random.Random) -> str:
    end = _cover_span(lines)
    cells = _cells(lines[:end])
    rng.shuffle(cells)
    out = []
    for cell in cells:
        body = [ln for ln in cell if ln.strip()]
        out += body[1:] + body[:1] if len(body) > 1 and rng.random() < 0.5 else body
    return "\n".join(out + lines[end:])


def _clutter(lines: list[str], rng: random.Random) -> str:
    end = _cover_span(lines)
    title = next((ln.strip() for ln in lines[:end] if re.search(r"評価書\s*$", ln) and "(" not in ln[:14]), "report")
    page = rng.randint(35, 60)
    pages = (len(lines) + page - 1) // page
    head = [f"{title} - pdf", "", "Upload: others", f"Download \"{title}\"", "", "Transcript", "",
            "Page 1: " + " ".join(ln.strip() for ln in lines[:end] if ln.strip())[:80] + "...", "",
            " ".join(ln.strip() for ln in lines[:end] if ln.strip()), ""]
    out = list(head)
    for n in range(pages):
        out += [f"({n + 1})", title] + lines[n * page:(n + 1) * page] + [f"{n + 1} / {pages}", ""]
    return "\n".join(out)
