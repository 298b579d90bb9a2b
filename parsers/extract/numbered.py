"""Numbered block headers (システム1, 委託事項2, 提供先3, 移転先1 …): the one parser every extractor
uses to find which numbered blocks a section prints and where each header stands.

A header is a label hit whose item repeats per block (``Item.header_stem``). Its number is read
from the printed line: the stem, then the number; a range caption (``委託事項2～5``, a group of
blocks printed as one) is a header without a number. ``choices`` counts instances and regions
from these headers, ``blocks`` splits a section's hits into instances at them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import regex

from normalizers.text import compact, nfkc

from parsers.extract.fields import Aligned
from parsers.form.template import Item
from parsers.model import Line

_NUMBERED = regex.compile(r"^(\D+?)\s*(\d+)(\s*~\s*\d+)?(?!\d)")  # on nfkc(): 委託事項2 …, 委託事項2~5


@dataclass(frozen=True)
class Header:
    hit: Aligned
    item: Item  # the template's repeated header item (its ``header_stem`` is the printed stem)
    number: int | None  # None: a range caption or a header whose number could not be read

    @property
    def index(self) -> int:
        return self.hit.hit.index

    @property
    def stem(self) -> str:
        return self.item.header_stem


def header_item(a: Aligned) -> Item | None:
    """The repeated-block header this hit prints: its resolved item, else the first candidate."""
    if a.item.header_stem:
        return a.item
    return next((it for it in a.hit.items if it.header_stem), None)


def block_number(text: str, stem: str) -> int | None:
    """The number of a header line that opens with ``stem`` (``委託事項 2 …``); None for a range
    caption (``委託事項2～5``) or another line."""
    m = _NUMBERED.match(nfkc(text).strip())
    if m and not m.group(3) and compact(m.group(1)) == stem:
        return int(m.group(2))
    return None


def headers(lines: Sequence[Line], hits: Sequence[Aligned]) -> dict[int, Header]:
    """Line index -> the block header printed there, for every header hit among ``hits``."""
    out = {}
    for a in hits:
        item = header_item(a)
        if item is not None:
            out[a.hit.index] = Header(a, item, block_number(lines[a.hit.index].text, item.header_stem))
    return out
