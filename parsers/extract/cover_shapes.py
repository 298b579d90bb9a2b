"""Shape checks for cover values: the precision guard.

A value read from a scrambled or cluttered cover can come from the wrong cell (the form title as the
organisation, a site summary as the title, the ② paragraph as the business name). Each documents
column has a shape its values always have; a value without it is dropped to null with a warning,
never written. The vocabulary (heads of names, sentence marks) is form data (``cover.json``).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cache

import regex

from normalizers.text import compact
from parsers.extract.contract import ExtractWarning
from parsers.form.template import cover_vocabulary

MAX_ORG = 40  # the longest 評価実施機関名 seen is about 30 characters
MAX_NAME = 60  # a business name is a name, not a paragraph
MAX_TITLE = 150
MAX_NUMBER = 999_999  # 評価書番号: 1–6 digits


@cache
def _vocab() -> dict:
    v = cover_vocabulary()
    return {
        "org_heads": tuple(v["org_heads"]), "beside_label": tuple(v["org_heads_beside_label"]),
        "body_heads": tuple(v["body_heads"]),
        "local_heads": tuple(v["local_heads"]), "sentence": tuple(v["sentence_marks"]),
        "title_end": regex.compile(v["title_end"]), "form_title": regex.compile(v["form_title"]),
        "committees": {compact(p) for p in v["approval_parts"]},
        "generic": set(v["generic_bodies"]), "kind_word": compact(v["labels"]["title"])[:3],
    }


def is_sentence(flat: str) -> bool:
    return any(mark in flat for mark in _vocab()["sentence"])


def _balanced(flat: str) -> bool:
    """A name holds whole brackets: ``…(東京都`` is a piece cut out of a longer text."""
    return flat.count("(") == flat.count(")") and flat.count("「") == flat.count("」")


def org_name(value: str, beside_label: bool = False) -> bool:
    """評価実施機関名: ends in a head (市長, 知事, 大臣, 委員会, 組合, 機構 …) — or, right beside its
    label, in the body's own ending (○○町) — with no sentence, no 評価書, whole brackets."""
    flat = compact(value)
    v = _vocab()
    heads = v["org_heads"] + (v["beside_label"] if beside_label else ())
    return (2 <= len(flat) <= MAX_ORG and flat.endswith(heads) and not is_sentence(flat) and _balanced(flat)
            and "、" not in flat and v["kind_word"] not in flat and flat not in v["committees"]
            and not flat.isdigit())


def body_name(value: str) -> bool:
    """The body named by the 宣言 or title: ends in a body head (市, 県, 組合, 機構 …)."""
    flat = compact(value)
    v = _vocab()
    return (2 <= len(flat) <= MAX_ORG and flat.endswith(v["body_heads"]) and flat not in v["generic"] and _balanced(flat)
            and not is_sentence(flat) and "、" not in flat and v["kind_word"] not in flat)


def is_local(name: str) -> bool:
    """A local body (no 承認日 on its covers): its name, or its name without the trailing 長."""
    flat = compact(name)
    heads = _vocab()["local_heads"]
    return flat.endswith(heads) or flat.removesuffix(cover_vocabulary()["head_suffix"]).endswith(heads)


def title(value: str) -> bool:
    """評価書名: names an 評価書 at its end, is no form title and no sentence."""
    flat = compact(value)
    v = _vocab()
    return (bool(v["title_end"].search(flat)) and not v["form_title"].match(flat)
            and len(flat) <= MAX_TITLE and "。" not in flat)


def business_name(value: str) -> bool:
    """①事務の名称: short, one name, no sentence."""
    flat = compact(value)
    return 2 <= len(flat) <= MAX_NAME and not is_sentence(flat)


def number(value: object) -> bool:
    return isinstance(value, int) and 1 <= value <= MAX_NUMBER


CHECKS: dict[str, Callable] = {
    "assessment_number": number, "title": title, "org_name": org_name, "body_name": body_name,
    "business_name": business_name,
}


def guard(column: str, value) -> tuple[object, ExtractWarning | None]:
    """``(value, None)`` when it has its column's shape, else ``(None, warning)`` (code ``<column>_shape``)."""
    if value is None or CHECKS[column](value):
        return value, None
    return None, ExtractWarning(f"{column}_shape", f"{column}: {value!r} does not have the shape of {column}; dropped")
