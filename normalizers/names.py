"""Organisation names in one comparable form; the printed form is kept by the caller.

Parenthesised legal-form abbreviations are spelled out: the enclosed ideographs of Unicode's
Enclosed CJK block (``㈱`` U+3231, ``㈲`` U+3232, ``㈳`` U+3233, ``㈶`` U+3236) and their
bracketed spellings, plus the bracketed abbreviations for the 公益法人制度改革 (2008) forms
(``（一社）`` 一般社団法人, ``（公財）`` 公益財団法人 …) as used in public procurement lists.
"""
from __future__ import annotations

from collections.abc import Mapping

import regex

from normalizers.text import normalize_text

_FORMS = {
    "株": "株式会社", "有": "有限会社", "合": "合同会社", "名": "合名会社", "資": "合資会社",
    "社": "社団法人", "財": "財団法人", "一社": "一般社団法人", "一財": "一般財団法人",
    "公社": "公益社団法人", "公財": "公益財団法人", "独": "独立行政法人", "医": "医療法人",
    "福": "社会福祉法人", "学": "学校法人", "特非": "特定非営利活動法人", "NPO": "特定非営利活動法人",
}
_FORM = regex.compile(r"\(\s*(" + "|".join(sorted(map(regex.escape, _FORMS), key=len, reverse=True)) + r")\s*\)")
_CJK_SPACE = regex.compile(r"(?<=[^\x00-\x7F])\s+|\s+(?=[^\x00-\x7F])")


def normalize_org_name(s: str, aliases: Mapping[str, str] | None = None) -> str:
    """NFKC, ``㈱``/``(株)``/``（株）`` → 株式会社 (and the other forms above), no space next to
    Japanese characters; a short name the document defines (``支払基金``) → its full name."""
    t = _CJK_SPACE.sub("", _FORM.sub(lambda m: _FORMS[m.group(1)], normalize_text(s)))
    if aliases:
        table = {normalize_text(k): v for k, v in aliases.items()}
        seen = set()
        while t in table and t not in seen:
            seen.add(t)
            t = _CJK_SPACE.sub("", normalize_text(table[t]))
    return t
