"""The change table's words (``parsers/form/data/changes.json``) and the tests built from them:
headers and page furniture, item paths, 提出時期 tokens, 変更日 anchors, cells on one line."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Sequence

import regex

from normalizers.eras import find_era_dates
from normalizers.text import compact, nfkc

from parsers.form.sections import ROMAN, ROMAN_LETTERS
from parsers.form.template import form_data
from parsers.model import Line, wraps_on

MAX_PRE = 40  # a 説明 glued in front of a 変更日 is short
MAX_REST = 30  # an item glued after a 変更日 (no path, no timing) is short
NARROW = 16  # characters: lines of the 項目 column wrap at about this width or less
WRAP_WIDTH = 12  # an item this long may have wrapped in its narrow column
MIN_OPENING = 4  # characters of a shared opening line that tell where 変更後 starts
_ROMAN = "".join(ROMAN.values())
_ANNEX = r"[（(]別添[0-9０-９]{n}[）)]"  # （別添3）: an appendix heading


@cache
def words() -> dict:
    data = form_data("changes.json")
    return {k: v["value"] for k, v in data.items() if not k.startswith("_")}


def _alt(items: Sequence[str]) -> str:
    return "|".join(regex.escape(w) for w in items)


@cache
def _patterns() -> dict[str, regex.Pattern]:
    w = words()
    timing = _alt(w["timings"])
    stems = _alt(w["title_stems"])
    return {
        "timing": regex.compile(rf"(?:(?<=^)|(?<=[\s。．.、）)]))({timing})(?=$|\s)"),
        "timing_pre": regex.compile(rf"^\s*({timing})(?:\s+(.*))?$"),  # glued in front of a 変更日
        "annex_head": regex.compile(rf"^{_ANNEX.format(n='*')}\s*{regex.escape(w['title'])}$"),
        # an item path opens with a section: Ⅰ基本情報, Ⅱ３④…, Ⅲ２リスク１, 表紙, （別添1）, a bare
        # section title alone or before a heading number (基本情報 / ５．…), or a cover item
        "strong_path": regex.compile(
            rf"""^(?:
                [{_ROMAN}][\s　.．、]*(?:[0-9０-９]|{stems})
              | (?:{ROMAN_LETTERS})[\s.．、]*(?:[0-9０-９]|{stems})
              | {regex.escape(w["cover"])}
              | {_ANNEX.format(n='+')}
              | (?:{_alt(w["bare_titles"])})(?:$|[\s　]*[0-9０-９])
              | (?:{_alt(w["cover_items"])})$
            )""", regex.X),
        # how the next piece of an item path opens (a converted row may split the item cell at <br>)
        "label_start": regex.compile(
            rf"^\s*(?:[①-⑳㉑-㊿]|[（(][0-9０-９]+[)）]|[0-9０-９]+[.．]|(?:{_alt(w['block_stems'])})[0-9０-９])"),
    }


_PAGE_NO = regex.compile(r"^[-－‐ー]?\s*[0-9０-９]+\s*[-－‐ー]?$|^[0-9０-９]+\s*/\s*[0-9０-９]+$")
BARE_ROMAN = regex.compile(rf"^(?:[{_ROMAN}]|{ROMAN_LETTERS})$")
_NUM_HEAD = regex.compile(r"^[0-9０-９]+[.．]\S")  # ５.個人番号の利用 (an item path without its section)
INTERLEAVE = regex.compile(r"\S (?=[・【「○●◆■※])")  # a second column's first line glued on


def annex_head(text: str) -> bool:
    return bool(_patterns()["annex_head"].match(compact(text)))


def label_start(text: str) -> bool:
    return bool(_patterns()["label_start"].match(text))


def is_header(text: str) -> bool:
    """A (possibly partial) repeat of the column header, or the table heading itself."""
    c = compact(text)
    if not c:
        return False
    if annex_head(c):
        return True
    rest = c
    for w in words()["header_words"]:
        rest = rest.replace(w, "")
    return rest == "" and len(c) >= 2


def is_furniture(text: str) -> bool:
    return is_header(text) or bool(_PAGE_NO.match(text.strip()))


def header_at(lines: Sequence[Line], i: int) -> bool:
    """A header line: a wrapped piece inside a PDF cell (``項目`` of ``…記録される / 項目``) is cell
    text, not the column header."""
    return is_header(lines[i].text) and not (i > 0 and wraps_on(lines[i - 1], lines[i]))


def furniture_at(lines: Sequence[Line], i: int) -> bool:
    return is_furniture(lines[i].text) and not (i > 0 and wraps_on(lines[i - 1], lines[i]))


def blank(lines: Sequence[Line], i: int) -> bool:
    return not lines[i].text.strip()


def is_path(text: str) -> bool:
    """Does this text start like an item path (section name first)?"""
    s = text.strip()
    path = _patterns()["strong_path"]
    return bool(path.match(s) or path.match(nfkc(s).strip()))


def is_weak_path(block: list[str]) -> bool:
    """A short, narrow block starting with a numbered heading (an item path without its section)."""
    return bool(_NUM_HEAD.match(block[0].strip())) and len(block) <= 6 and all(len(t.strip()) <= 22 for t in block)


def narrow_wrapped(block: list[str]) -> bool:
    """A block of two or more lines wrapped at a narrow width (an item column)."""
    widths = [len(compact(t)) for t in block]
    return len(block) >= 2 and max(widths) <= NARROW and max(widths[:-1]) >= NARROW - 4


def split_cells(text: str) -> list[str]:
    """Split one line into the cells it carries: at single ASCII spaces between non-spaces."""
    return [p for p in regex.split(r"(?<=\S) (?=\S)", text.strip()) if p.strip()]


def starts_with_section_title(cell: str) -> bool:
    return any(compact(cell).startswith(t) for t in words()["section_titles"])


def find_timing(text: str) -> regex.Match | None:
    return _patterns()["timing"].search(text)


def timing_in_front(text: str) -> regex.Match | None:
    """``事後 体裁修正`` glued in front of a 変更日: the timing and the 説明 after it."""
    return _patterns()["timing_pre"].match(text)


@dataclass
class DateAnchor:
    index: int  # into lines
    raw: str
    pre: str  # text glued in front of the date on its line
    rest: str  # text after the date on its line


def date_anchor(text: str, index: int = 0) -> DateAnchor | None:
    """A 変更日 at the start of a line (after at most a short glued-on 説明/提出時期), followed by
    white space or the end of the line (``（平成27年6月3日法律第32号`` inside a text is not one)."""
    for m in find_era_dates(text):
        if m.precision != "day":
            continue
        pre, rest = text[: m.start], text[m.end:]
        if rest and not rest[0].isspace():
            continue
        pre_s = pre.strip()
        if pre_s and (len(pre_s) > MAX_PRE or pre_s[-1] in "（(「、"):
            continue
        rest_s = rest.strip()
        if rest_s and not is_path(rest_s) and not find_timing(rest_s) and len(compact(rest_s)) > MAX_REST:
            continue  # a sentence that opens with a date is cell text
        return DateAnchor(index, m.raw, pre_s, rest.strip())
    return None
