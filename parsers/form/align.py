"""Align lines to the form template: which line starts with which printed label, and the text value
that follows it.

A label is recognised at the start of a line, followed by white space, a tab-split markdown row or
the end of the line (so a label word inside prose is not a label). Many labels repeat across the
form (その妥当性, リスクへの対策は十分か …): a hit keeps every candidate item, and ``resolve`` picks
the one whose parent headings were seen last, abstaining (lower confidence, common path) on a tie.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Sequence

import regex

from normalizers.text import compact, join_wrapped, nfkc, normalize_text, unspace_cjk

from parsers.form.template import FormTemplate, Item
from parsers.model import Line, same_row, wraps_on
from parsers.settings import EXTRACT

_SPLITS = regex.compile(r"\s+")
# Lines that are form furniture, not a value: brackets, ＜選択肢＞, numbered options, counts, and a
# checklist detail box ``（ 戸籍住民課、税務課 ）`` (its paren is followed by a space) that the text
# layer put right under another cell.
NOT_TEXT = regex.compile(r"^\s*(?:[\[\]［］]|[<＜]選択肢[>＞]|\d{1,2}[)）]|\(?\s*\d*\s*\)?\s*件|\(\s)")
_MAX_LABEL_LINES = 6  # a label cell wraps a long label over at most this many lines
# a text layer prints a wrapped label cell as at most this many lines of at most this many characters
WRAPPED_LINES, LABEL_CELL = 4, 16
_LABEL_SLACK = 12  # characters a printed label may carry beyond its key: ※, a typo, a long block number
_MIN_INLINE_KEY = 3  # shorter labels (期間, 結果) only count when alone on their line

INLINE, FOLLOWING, DISTANT = EXTRACT.sure, EXTRACT.nearby, EXTRACT.distant  # by where a text value was found


@dataclass(frozen=True)
class LabelHit:
    index: int  # line index
    items: tuple[Item, ...]  # every template item printed with this label in the section
    rest: str  # text after the label on the same line, normalised
    last: int = -1  # index of the label's last line when a PDF cell wrapped it (else ``index``)

    @property
    def end(self) -> int:
        """Index of the first line after the label."""
        return max(self.index, self.last) + 1

    @property
    def label(self) -> str:
        return self.items[0].label


def find_label(text: str, template: FormTemplate, section: str,
               misprints: bool = True) -> tuple[tuple[Item, ...], str] | None:
    """The longest label of ``section`` that ``text`` starts with, cut at white space;
    (candidate items, rest of the line). With ``misprints``, a whole line one typo away from a
    long label counts too."""
    line = nfkc(text).strip()
    if not line:
        return None
    room = _label_room(line, template.longest_key)
    cuts = [len(line)] * (len(line) <= room) + [m.start() for m in reversed(list(_SPLITS.finditer(line, 0, room)))]
    for cut in cuts:
        head = line[:cut]
        if cut < len(line) and len(compact(head)) < _MIN_INLINE_KEY:
            continue
        items = tuple(it for it in template.match(head) if it.section == section)
        if items:
            return items, unspace_cjk(normalize_text(line[cut:])).removeprefix("※").strip()
    items = tuple(it for it in template.match_misprinted(line) if it.section == section) if misprints else ()
    return (items, "") if items else None


@cache
def _room_pattern(chars: int) -> regex.Pattern:
    return regex.compile(rf"(?:\s*\S){{{chars}}}")


def _label_room(line: str, longest: int) -> int:
    """How much of ``line`` can hold a label: a head with more non-space characters than the
    longest label (plus ※, a typo and a block number) matches none, so a line of 100,000
    characters costs no more than a short one."""
    m = _room_pattern(longest + _LABEL_SLACK).match(line)
    return m.end() if m else len(line)


def label_at(lines: Sequence[Line], i: int, end: int, template: FormTemplate,
             sections: Sequence[str]) -> LabelHit | None:
    """The label starting at line ``i`` (first matching section); a long label that a narrow PDF
    label cell wrapped is read from the cell's lines joined, when they hold nothing else. A label
    opens its PDF cell: a wrapped piece of a cell's text (``システム`` of ``住民基本台帳ネットワーク
    システム``) is none."""
    if i > 0 and lines[i].cell is not None and lines[i].cell == lines[i - 1].cell:
        return None
    if found := _in_sections(lines[i].text, template, sections, misprints=False):
        return LabelHit(i, *found)
    if i > 0 and wraps_on(lines[i - 1], lines[i]):
        return None  # inside a cell (by its geometry): only a cell's first line opens a wrapped label
    text, j = lines[i].text, i
    while j + 1 < end and j - i + 1 < _MAX_LABEL_LINES and wraps_on(lines[j], lines[j + 1]):
        j += 1
        text += lines[j].text.strip()  # Japanese wraps mid-word
        found = _in_sections(text, template, sections)
        if found and not found[1] and not (j + 1 < end and wraps_on(lines[j], lines[j + 1])):
            return LabelHit(i, found[0], "", j)
    if j > i:
        return None  # a wrapped cell whose joined text is no label: its first piece is none either
    # a typo is forgiven only on a line that is whole (the piece of a wrapped label is one "edit" away)
    return LabelHit(i, *found) if (found := _in_sections(lines[i].text, template, sections)) else None


def _in_sections(text: str, template: FormTemplate, sections: Sequence[str],
                 misprints: bool = True) -> tuple[tuple[Item, ...], str] | None:
    """The longest label ``text`` starts with in any of ``sections``, with the items of every
    section printing it (具体的な方法 is a row of Ⅲ and of Ⅳ)."""
    found = [f for key in sections if (f := find_label(text, template, key, misprints))]
    if not found:
        return None
    rest = min((f[1] for f in found), key=len)
    return tuple(it for items, r in found if r == rest for it in items), rest


def label_hits(lines: Sequence[Line], start: int, end: int, template: FormTemplate, section: str) -> list[LabelHit]:
    hits: list[LabelHit] = []
    for i in range(start, end):
        if hits and i < hits[-1].end:
            continue  # a wrapped label's other lines
        if hit := label_at(lines, i, end, template, (section,)):
            hits.append(hit)
    return hits


def resolve(hit: LabelHit, context: tuple[str, ...]) -> tuple[Item, bool]:
    """The candidate whose parents best match the headings seen so far; False when it was a tie."""
    if len(hit.items) == 1:
        return hit.items[0], True

    def shared(item: Item) -> int:
        n = 0
        for a, b in zip(item.path[:-1], context):
            if a != b:
                break
            n += 1
        return n

    scores = [shared(it) for it in hit.items]
    best = max(scores)
    return hit.items[scores.index(best)], scores.count(best) == 1


def text_value(lines: Sequence[Line], hit: LabelHit, stop: set[int], end: int) -> tuple[str, list[int], float]:
    """The value of a text item: inline rest plus wrapped continuation lines; without an inline
    rest, the next paragraph (markdown rows keep it on the label's source line: confident)."""
    taken: list[int] = []
    j = hit.end
    if not hit.rest:
        while j < end and not lines[j].text.strip() and j not in stop:
            j += 1
    while j < end and j not in stop and lines[j].text.strip() and not NOT_TEXT.match(nfkc(lines[j].text)):
        taken.append(j)
        j += 1
    parts = ([hit.rest] if hit.rest else []) + [lines[k].text for k in taken]
    value = unspace_cjk(join_wrapped(parts)).strip("※ ") if parts else ""  # a ※ wrapped off its label is no value
    if hit.rest:
        confidence = INLINE
    elif taken and same_row(lines[taken[0]], lines[hit.index]):
        confidence = INLINE
    elif taken and taken[0] == hit.end:
        confidence = FOLLOWING
    else:
        confidence = DISTANT
    return value, [hit.index] + taken, confidence


def wrapped_label(lines: Sequence[Line], i: int, end: int, template: FormTemplate,
                  sections: Sequence[str]) -> LabelHit | None:
    """A label a text layer wrapped (…入手を / 防止するための措置の内容, 委託先から他者への / 提供に関する
    ルールの / 内容及びルール遵守 / の確認方法): two to four joined lines that are one label, the longest."""
    for k in range(WRAPPED_LINES, 1, -1):
        part = [ln.text.strip() for ln in lines[i:min(i + k, end)] if ln.bbox is None]
        found = [f for key in sections if len(part) == k and all(part) and (k == 2 or max(map(len, part)) <= LABEL_CELL)
                 and (f := find_label("".join(part), template, key, False)) and not f[1]]
        if found:
            return LabelHit(i, tuple(it for f in found for it in f[0]), "", i + k)
    return None
