"""「（以下「X」という。）」 definitions: the short name X and the full name it stands for.

The full name is what the parentheses say before ``。以下`` when that is not a law number
(``（A及びB。以下「構成組合」という。）``), else what is printed right before them: a law's title,
the clause itself when it ends with a verb (``…が取りまとめて運営する（以下…）``), or the defined
noun phrase (``normalizers.phrases``).
"""
from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from normalizers.citations import break_start, ends_as_law, name_start
from normalizers.law_numbers import parse_law_number
from normalizers.phrases import noun_phrase_start
from normalizers.text import compact

_ALIAS = regex.compile(
    r"""[（(](?P<pre>[^（）()]*?)以下\s*[、,]?\s*(?:[^「」（）()。、]{0,12}において\s*)?
    「(?P<alias>[^「」]{1,60})」\s*と\s*(?:い\s*う|総\s*称\s*す\s*る|称\s*す\s*る|略\s*(?:称\s*)?す\s*る|表\s*記\s*す\s*る|す\s*る)""",
    regex.VERBOSE,
)
# 「（以下「X」という。）」 or 「（「X」と同義）」 printed after a name; the quotes may be lost in extraction
_PART = r"(?:[^（）()「」]|「[^「」]*」)"  # a quoted name may hold parentheses
_DEFINITION = regex.compile(rf"\s*[（(]\s*(?:以下{_PART}{{0,80}}?と\s*(?:い\s*う|\S{{0,3}}す\s*る)|{_PART}{{1,62}}?と\s*同\s*義)"
                             r"\s*。?\s*[）)]\s*$")
_SYNONYM = regex.compile(r"[（(]\s*「(?P<alias>[^「」]{1,60})」\s*と\s*同\s*義\s*[）)]")
_FLATTENED = 400  # characters: no printed line is this long
_NEAR = 16  # characters before a name's start that decided where it starts
_INNER_SPACE = regex.compile(r"[^\s、。，,「」（）()]\s+[^\s、。，,「」（）()]")
_VERB_END = regex.compile(r"(?:する|した|いる|ある|れる|せる)$")


@dataclass(frozen=True)
class AliasDef:
    alias: str
    full: str
    start: int
    end: int
    law_number: str | None = None  # printed inside the defining parentheses


def _full_before(text: str, end: int) -> str:
    start = break_start(text, end, 0)
    name = text[start:end]
    if ends_as_law(name):
        return text[name_start(text, end, start):end]
    if _VERB_END.search(name):
        return name
    return text[noun_phrase_start(text, end):end]  # its words, not break characters, end it (年金裁定・支給事務)


def _may_run_on(text: str, start: int, line_starts: Sequence[int]) -> bool:
    """Inside a flattened text (a line longer than any printed line) a space between two words is
    a line break the flattening printed as a space (``…番号の利用 等に関する法律``, ``外付Ｈ ＤＤ``);
    a name whose start was read next to one may have begun before it. Where is not known."""
    k = bisect.bisect_right(line_starts, start) - 1
    line_start = line_starts[k] if k >= 0 else 0
    line_end = line_starts[k + 1] if k + 1 < len(line_starts) else len(text)
    near = text[max(line_start, start - _NEAR):start + 1]
    return line_end - line_start > _FLATTENED and _INNER_SPACE.search(near) is not None


def without_definition(name: str | None) -> str | None:
    """A name with the definition printed after it dropped (``基幹システム（以下「基幹」という。）`` →
    ``基幹システム``): the definition is an ``aliases`` row, not part of the name."""
    return _DEFINITION.sub("", name) or name if name else name


def find_aliases(text: str, line_starts: Sequence[int] = ()) -> list[AliasDef]:
    """Every ``（以下「X」という。）`` / ``（以下、「X」という。）`` definition in ``text``, and every
    ``（「X」と同義）`` (X is another name of the name before it). ``line_starts``: offsets where
    each line joined into ``text`` begins, in order."""
    out = [AliasDef(compact(m.group("alias")), compact(_full_before(text, m.start())), m.start(), m.end())
           for m in _SYNONYM.finditer(text)]
    for m in _ALIAS.finditer(text):
        pre = m.group("pre").strip().rstrip("。").strip()
        number = parse_law_number(compact(pre)) if pre else None
        inside = bool(pre) and not number  # the parentheses name it: (A及びB。以下「X」という。)
        before = "" if inside else _full_before(text, m.start())
        full = compact(pre if inside else before)
        if full and (inside or not _may_run_on(text, m.start() - len(before), line_starts)):
            out.append(AliasDef(compact(m.group("alias")), full, m.start(), m.end(),
                                number.text if number else None))
    return sorted(out, key=lambda a: a.start)
