"""Where a line sits in the form: the section title and the numbered heading above it."""
from __future__ import annotations

from collections import Counter
from typing import Callable, Sequence

import regex

from normalizers.text import compact, normalize_text
from parsers.extract.changes.vocabulary import words
from parsers.form.sections import holds_heading
from parsers.model import Line, Section

_NUMBERED_HEADING = regex.compile(r"^\s*[0-9０-９]{1,2}\s*[．.]\s*\S")
_MAX_HEADING = 70
_MIN_WRAP = 20
_WRAPPED_SHARE = 0.3
_ITEM_START = regex.compile(r"^\s*(?:[0-9０-９]{1,2}\s*[．.]|[①-⑳]|[(（][0-9０-９]+[)）]|[ⅠⅡⅢⅣⅤⅥ]|リスク|[<＜【●・※])")


def path_index(lines: Sequence[Line], sections: list[Section]) -> Callable[[int], str | None]:
    """Map a line index to ``Ⅰ 基本情報 > 1. 特定個人情報ファイルを取り扱う事務``; inside the 変更箇所
    table headings are quoted as item names, so only the section is used there. A cover line that
    prints a section heading (a whole text on one line, a site's flattened copy of the opening, the
    項目一覧) may already be past the cover: its path and the cover's after it are null."""
    paths: list[str | None] = [None] * len(lines)
    wrap = wrap_width(lines)
    for sec in sections:
        top = sec.title if sec.key == "cover" else f"{sec.key} {sec.title}"
        current = top
        for i in range(sec.start, sec.end):
            text = lines[i].text
            if sec.key == "cover" and holds_heading(text):
                current = None  # the cover ends here or earlier, where is not known
            if current and sec.title != words()["title"] and i > sec.start and len(compact(text)) <= _MAX_HEADING \
                    and _NUMBERED_HEADING.match(text):
                current = f"{top} > {normalize_text(_heading_text(lines, i, sec.end, wrap))}"
            paths[i] = current
    return lambda i: paths[i]


def wrap_width(lines: Sequence[Line]) -> int | None:
    """The width an extraction hard-wrapped the text at, when it did: most long lines are exactly
    that long (a PDF's own wrapping follows cell widths and varies)."""
    widths = Counter(len(ln.text.rstrip()) for ln in lines if len(ln.text.rstrip()) >= _MIN_WRAP)
    if not widths:
        return None
    width, n = widths.most_common(1)[0]
    return width if n >= _WRAPPED_SHARE * sum(widths.values()) else None


def _heading_text(lines: Sequence[Line], i: int, end: int, wrap: int | None) -> str:
    """A heading cut at the wrap width runs on into the next line, unless that line starts an
    item of its own."""
    text = lines[i].text.rstrip()
    j = i + 1
    while wrap and len(lines[j - 1].text.rstrip()) == wrap and j < end and lines[j].text.strip() \
            and not _ITEM_START.match(lines[j].text) and len(text) <= _MAX_HEADING:
        text += lines[j].text.strip()
        j += 1
    return text
