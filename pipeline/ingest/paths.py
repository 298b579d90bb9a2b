"""Where a line sits in the form: the section title and the numbered heading above it."""
from __future__ import annotations

from typing import Callable, Sequence

import regex

from normalizers.text import normalize_text
from parsers.extract.changes.vocabulary import words
from parsers.model import Line, Section

_NUMBERED_HEADING = regex.compile(r"^\s*[0-9０-９]{1,2}\s*[．.]\s*\S")
_MAX_HEADING = 70


def path_index(lines: Sequence[Line], sections: list[Section]) -> Callable[[int], str | None]:
    """Map a line index to ``Ⅰ 基本情報 > 1. 特定個人情報ファイルを取り扱う事務``; inside the 変更箇所
    table headings are quoted as item names, so only the section is used there."""
    paths: list[str | None] = [None] * len(lines)
    for sec in sections:
        top = sec.title if sec.key == "cover" else f"{sec.key} {sec.title}"
        current = top
        for i in range(sec.start, sec.end):
            text = lines[i].text
            if sec.title != words()["title"] and i > sec.start and len(text) <= _MAX_HEADING and _NUMBERED_HEADING.match(text):
                current = f"{top} > {normalize_text(text)}"
            paths[i] = current
    return lambda i: paths[i]
