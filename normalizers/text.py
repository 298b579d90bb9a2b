"""One text normaliser for every value and label (contract: NFKC, whitespace collapsed, trimmed).

PDF text layers carry glyph look-alikes that NFKC leaves alone or handles only in part:
Kangxi radicals (U+2F00–2FD5, which NFKC does fold) and CJK radical supplement forms
(U+2E80–2EF3, of which NFKC folds two), e.g. ``⼀`` for 一 and ``⻑`` for 長, and ``‧`` for ・. Wave dash and
tilde variants are range markers (``1995〜2001年``) and are unified to ``~``, never dropped.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

_WS = regex.compile(r"\s+")

# CJK radical supplement forms that stand for an ordinary ideograph when a PDF maps a glyph to
# them (mapping as in Unicode's CJKRadicals.txt); radicals with no standalone ideograph are left.
_SUPPLEMENT = {
    "⺊": "卜", "⺠": "民", "⺩": "王", "⻁": "虎", "⻄": "西", "⻆": "角", "⻑": "長",
    "⻘": "青", "⻝": "食", "⻤": "鬼", "⻩": "黄", "⻫": "斉", "⻭": "歯", "⻯": "竜", "⻲": "亀",
}


def _radical_table() -> dict[int, str]:
    table = {}
    for cp in [*range(0x2E80, 0x2EF4), *range(0x2F00, 0x2FD6)]:
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition.startswith("<compat> "):
            table[cp] = chr(int(decomposition.split()[1], 16))
    table.update({ord(k): v for k, v in _SUPPLEMENT.items()})
    return table


# Look-alikes a PDF's ToUnicode map may give for ordinary characters; readers fold them as they
# read, so that every match (dates, labels, options) sees the ordinary character.
LOOKALIKES = {**_radical_table(), 0x2027: "・"}  # ‧ hyphenation point for the middle dot


def fold_lookalikes(s: str) -> str:
    return s.translate(LOOKALIKES)


_TABLE = {
    **LOOKALIKES,
    0x00AD: "-",  # soft hyphen: printed as a hyphen in PDF text layers, not an invisible break
    0x301C: "~", 0x3030: "~", 0x223C: "~", 0x2053: "~", 0xFF5E: "~",  # wave dash / tildes
}


@lru_cache(maxsize=1 << 16)  # extractors normalise the same lines and labels many times
def nfkc(s: str) -> str:
    """NFKC after folding radical look-alikes, soft hyphens and wave-dash variants."""
    return unicodedata.normalize("NFKC", s.translate(_TABLE))


def normalize_text(s: str) -> str:
    """NFKC, runs of white space to one ASCII space, trimmed."""
    return _WS.sub(" ", nfkc(s)).strip()


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of one cell: Japanese wraps mid-word, so lines join with no space."""
    return normalize_text("".join(part.strip() for part in lines))


_CLOSED = regex.compile(r"(?:[。）)」』】］]|[0-9０-９〇一二三四五六七八九十]\s*[項号]|の項)\s*$")
_LIST_ITEM = regex.compile(r"\s*(?:[0-9０-９]{1,2}\s*[．.）)]|[（(]\s*[0-9０-９]{1,2}\s*[）)]|[・◆◇●○■□※＊①-⑳])")


def line_separator(previous: str, following: str) -> str:
    """What goes between two consecutive lines of running text when it is not known whether
    they belong to one cell: nothing for a wrap (Japanese wraps mid-word), one space where the
    text layer marks a cell or row boundary — a tab; a line indented with ASCII spaces, which is
    a new row (a wrapped continuation is indented with U+3000 if at all); the line after such a
    row label; a line starting a list item (``3．``, ``・``, ``①``), so that ``…77の9`` and
    ``3．所得税法`` do not become ``77の93``; or a line ending a sentence, bracket or
    ``…第N項``/``…号`` reference."""
    if previous.endswith("\t") or following.startswith((" ", "\t")) or previous.startswith(" "):
        return " "
    return " " if _CLOSED.search(previous) or _LIST_ITEM.match(following) else ""


@lru_cache(maxsize=1 << 16)
def compact(s: str) -> str:
    """Form for comparing labels: NFKC with every white space removed."""
    return _WS.sub("", nfkc(s))


_CIRCLED = regex.compile(r"^\s*[①-⑳㉑-㊿]")  # dropped before NFKC, which turns ① into 1
# after compact(): （１） → (1), １． → 1., Ⅱ → II, リスク１： → リスク1:
_NUMBERING = regex.compile(r"^(?:\(\d+\)|\d+[.:)]|[IVX]+\.?(?=[^\x00-\x7f])|リスク\d*:)")


def label_key(s: str, keep_numbering: bool = False) -> str:
    """The key a label or heading is compared by: ``compact`` without a trailing ※ (a note mark).
    Across documents and against expected values the printed numbering (①, １．, （１）, Ⅱ,
    リスク１：) and every ※ go too, as they differ between form revisions while the label stays;
    aligning a text to the form keeps the numbering (``keep_numbering``): there it tells items apart."""
    if keep_numbering:
        return compact(s).removesuffix("※")
    key = compact(_CIRCLED.sub("", s)).replace("※", "")
    while m := _NUMBERING.match(key):
        key = key[m.end():]
    return key


_CJK = r"[\p{Han}\p{Hiragana}\p{Katakana}ー々〆、。「」『』【】・]"
_CJK_SPACE = regex.compile(rf"(?<={_CJK})[ \u3000]+(?={_CJK})")
_CJK_PAIR = regex.compile(rf"{_CJK}(?={_CJK})")


def unspace_cjk(s: str) -> str:
    """A letter-spaced line (``特 定 個 人 情 報``: some PDF producers and converters put a space
    between every character) without the spaces between CJK characters, so labels and options
    match and values read as printed. A line is letter-spaced when more of its CJK neighbours are
    spaced than adjacent; other lines (``○○県 ○○町長``) keep their spaces. Spaces next to digits
    and Latin letters are kept."""
    spaced = len(_CJK_SPACE.findall(s))
    if not spaced or spaced <= len(_CJK_PAIR.findall(s)):
        return s
    return _CJK_SPACE.sub("", s)
