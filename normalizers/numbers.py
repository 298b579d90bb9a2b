"""Numbers as printed in the forms: ASCII, full-width and kanji numerals, thousands separators,
万/億 multipliers, counts such as ``（ 26 ）件`` and option bands such as ``10万人以上30万人未満``."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from normalizers.text import nfkc

_KANJI_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "壱": 1, "弐": 2, "参": 3}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12}

# One number as printed after NFKC: digits (with thousands commas) or kanji numerals, optionally
# scaled by 万/億/兆, possibly several times (``1億2,000万``).
NUMBER = r"(?:(?:\d{1,3}(?:,\d{3})+|\d+|[〇一二三四五六七八九零壱弐参十百千]+)[万億兆]?)+"
_NUMBER = regex.compile(NUMBER)
_PART = regex.compile(r"(\d{1,3}(?:,\d{3})+|\d+|[〇一二三四五六七八九零壱弐参十百千]+)([万億兆]?)")


def _small(s: str) -> int:
    """A numeral below 万: ``1,000``, ``二〇``, ``三百二十``, ``十``."""
    if s.replace(",", "").isdigit():
        return int(s.replace(",", ""))
    if not any(ch in _SMALL_UNITS for ch in s):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in s))  # positional: 二〇一九
    total, digit = 0, None
    for ch in s:
        if ch in _SMALL_UNITS:
            total += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            digit = _KANJI_DIGITS[ch]
    return total + (digit or 0)


def to_int(s: str) -> int | None:
    """The integer a numeral stands for (``１２``, ``1,000``, ``十二``, ``10万``), None if ``s``
    is not exactly one numeral (white space aside)."""
    t = regex.sub(r"\s+", "", nfkc(s or ""))
    if not t or not _NUMBER.fullmatch(t):
        return None
    total = 0
    for m in _PART.finditer(t):
        value = _small(m.group(1))
        total += value * _LARGE_UNITS[m.group(2)] if m.group(2) else value
    return total


def parse_count(s: str) -> int | None:
    """The first number in a count cell: ``（ 26 ）件`` → 26, ``1,000人以上`` → 1000."""
    m = _NUMBER.search(nfkc(s or ""))
    return to_int(m.group()) if m else None


@dataclass(frozen=True)
class Band:
    """A count band option: ``min`` inclusive, ``max`` exclusive, None where the band is open."""

    label: str
    min: int | None
    max: int | None


_BOUND = regex.compile(rf"({NUMBER})\s*[^\d\s以未超]{{0,4}}?\s*(以上|未満|以下|超)")
_LABEL_NOISE = regex.compile(r"^\s*(?:\[\s*|\d+\s*\)\s*)|\s*\]\s*$")


def parse_band(s: str) -> Band | None:
    """``10万人以上30万人未満`` → Band(label, 100000, 300000); ``10人未満`` → (None, 10).
    ``以下``/``超`` bounds are turned into the same inclusive/exclusive convention."""
    label = regex.sub(r"\s+", "", _LABEL_NOISE.sub("", nfkc(s or "")))
    lo = hi = None
    found = False
    for m in _BOUND.finditer(label):
        n, kind = to_int(m.group(1)), m.group(2)
        found = True
        if kind == "以上":
            lo = n
        elif kind == "超":
            lo = n + 1
        elif kind == "未満":
            hi = n
        else:
            hi = n + 1
    return Band(label, lo, hi) if found else None
