"""Which official form a document is: 基礎項目 (様式2), 重点項目 (様式3) or 全項目 (様式4)."""
from __future__ import annotations

from typing import Sequence

import regex

from normalizers.text import nfkc

from .model import Line

KIND_NAMES = ("全項目評価書", "重点項目評価書", "基礎項目評価書")
_KIND_BY_FORM_NO = {"4": "全項目評価書", "3": "重点項目評価書", "2": "基礎項目評価書"}
FORM_TAG = regex.compile(r"\[\s*((?:昭和|平成|令和)\s*(?:\d+|元)\s*年\s*\d+\s*月)\s*様式\s*(\d)\s*\]")
HEAD_LINES = 400  # the cover and 項目一覧 fit well within this


def detect_kind(lines: Sequence[Line]) -> str | None:
    """The form from the first kind name printed (title line or 評価書名), else the form tag,
    else the change table's annex number (別添3 exists only in 様式4)."""
    head = nfkc("\n".join(ln.text for ln in lines[:HEAD_LINES]))
    found = [(head.find(k), k) for k in KIND_NAMES if k in head]
    if found:
        return min(found)[1]
    tag = FORM_TAG.search(head)
    if tag:
        return _KIND_BY_FORM_NO.get(tag.group(2))
    if regex.search(r"\(別添3\)\s*変更箇所", head):
        return "全項目評価書"
    return None
