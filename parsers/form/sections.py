"""Split a layout into the form's top-level sections (cover, Ⅰ…Ⅵ, 別添N).

Extracted text is scrambled, so a heading-looking line is not enough:
- the 項目一覧 lists every heading in a cluster: clusters of headings with nothing between are skipped;
- the 変更箇所 table quotes headings as item paths: once its own heading is seen, the rest is that table;
- the remaining candidates must follow the form's order: the longest run in outline order is kept
  (repeatable sections such as Ⅱ, one per file, may repeat), so a stray heading cannot skip sections.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from normalizers.text import compact

from parsers.form.template import form_data
from parsers.model import Layout, Section

ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "VI": "Ⅵ"}  # as NFKC prints the section numerals
ROMAN_LETTERS = "|".join(sorted(ROMAN, key=len, reverse=True))  # an alternation, longest first
_ROMAN_HEAD = regex.compile(rf"^(?:\d{{1,3}}(?=[IV]))?({ROMAN_LETTERS})[.、:]?(.+)$")  # after a page number
_DROPPABLE = regex.compile(r"[、。「」，,]")  # punctuation some extraction styles drop
_ANNEX_HEAD = regex.compile(r"^\(別添(\d?)\)(.*)$")  # 基礎項目 prints （別添） without a number
_MIN_PREFIX = 4  # a heading wrapped by the PDF layer keeps at least this much of its title
_TOC_CLUSTER = 3  # this many headings with only blank lines between them are a 項目一覧


@cache
def outline() -> dict:
    return form_data("outline.json")


def kinds() -> list[str]:
    return [k for k in outline() if not k.startswith("_")]


@dataclass(frozen=True)
class _Candidate:
    index: int  # line index
    key: str
    title: str


def split_sections(layout: Layout, kind: str | None) -> list[Section]:
    """Sections in document order; lines before the first heading form the ``cover`` section."""
    if kind is None:
        splits = [_split(layout, k) for k in kinds()]
        return max(splits, key=lambda s: (len(s), -len(s[0].key)))
    return _split(layout, kind)


def _split(layout: Layout, kind: str) -> list[Section]:
    spec = outline()[kind]["sections"]
    order = {s["key"]: i for i, s in enumerate(spec)}
    cands = _drop_toc(layout, _candidates(layout, spec))
    changes = next((c for c in cands if _is_changes(spec, c.key)), None)
    if changes:
        cands = [c for c in cands if c.index < changes.index]
    chosen = _longest_ordered(cands, order, {s["key"] for s in spec if s.get("repeat")})
    if changes:
        chosen.append(changes)
    starts = [0] + [c.index for c in chosen]
    ends = starts[1:] + [len(layout.lines)]
    heads = [("cover", "表紙")] + [(c.key, c.title) for c in chosen]
    return [Section(key=k, title=t, start=s, end=e) for (k, t), s, e in zip(heads, starts, ends) if e > s or k != "cover"]


def _is_changes(spec: list[dict], key: str) -> bool:
    return any(s["key"] == key and s.get("changes") for s in spec)


def _candidates(layout: Layout, spec: list[dict]) -> list[_Candidate]:
    titles = {s["key"]: s["title"] for s in spec}
    out = []
    for i, line in enumerate(layout.lines):
        text = compact(line.text)
        if not text or len(text) > 80:
            continue
        m = _ROMAN_HEAD.match(text)
        key = ROMAN.get(m.group(1)) if m else None
        if key is None:
            m = _ANNEX_HEAD.match(text)
            key = f"別添{m.group(1)}" if m else None
            if key not in titles and m and "別添" in titles:
                key = "別添"
        if key in titles and _title_matches(m.group(2), titles[key]):
            out.append(_Candidate(i, key, titles[key]))
    return out


@cache
def _any_heading() -> regex.Pattern:
    titles = {_DROPPABLE.sub("", s["title"]) for k in kinds() for s in outline()[k]["sections"]}
    return regex.compile(rf"(?:(?:{ROMAN_LETTERS})[.:]?|\(別添\d?\))(?:" + "|".join(map(regex.escape, titles)) + ")")


def holds_heading(text: str) -> bool:
    """Whether a line prints a section heading of any form, alone or run into other text."""
    return bool(_any_heading().search(_DROPPABLE.sub("", compact(text))))


def _title_matches(printed: str, title: str) -> bool:
    printed, title = _DROPPABLE.sub("", printed.split("※", 1)[0]), _DROPPABLE.sub("", title)
    if printed == title:
        return True
    return len(printed) >= min(_MIN_PREFIX, len(title)) and title.startswith(printed)


def _drop_toc(layout: Layout, cands: list[_Candidate]) -> list[_Candidate]:
    """Drop clusters of distinct headings that only blank lines separate (the 項目一覧)."""
    clusters: list[list[_Candidate]] = []
    for c in cands:
        prev = clusters[-1] if clusters else []
        blank_gap = prev and all(not layout.lines[j].text.strip() for j in range(prev[-1].index + 1, c.index))
        if blank_gap and c.key not in {p.key for p in prev}:  # a 項目一覧 names each heading once
            prev.append(c)
        else:
            clusters.append([c])
    return [c for cl in clusters if len(cl) < _TOC_CLUSTER for c in cl]


def _longest_ordered(cands: list[_Candidate], order: dict[str, int], repeatable: set[str]) -> list[_Candidate]:
    """Longest subsequence whose outline order never goes back (equal only for repeatable sections).

    Linear in the candidates: per section key, the longest chain ending there (earliest on ties),
    so a text repeating one heading thousands of times costs no more than reading it."""
    parent: list[int | None] = []
    length: list[int] = []
    best_at: dict[str, int] = {}  # key -> index of the longest chain ending with that key
    for i, c in enumerate(cands):
        ends = [j for k, j in best_at.items()
                if order[k] < order[c.key] or (k == c.key and k in repeatable)]
        j = min(ends, key=lambda j: (-length[j], j), default=None)
        parent.append(j)
        length.append(1 + (length[j] if j is not None else 0))
        if c.key not in best_at or length[i] > length[best_at[c.key]]:
            best_at[c.key] = i
    if not cands:
        return []
    i: int | None = min(range(len(cands)), key=lambda i: (-length[i], i))
    chain = []
    while i is not None:
        chain.append(cands[i])
        i = parent[i]
    return chain[::-1]
