"""Observed placeholder values for an empty cell (記載なし, －, …), from ``data/placeholders.json``
where each is documented with the report it was seen in."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from normalizers.text import compact

_DATA = Path(__file__).with_name("data") / "placeholders.json"


@cache
def placeholders() -> frozenset[str]:
    """Compact forms of the values that say a cell is empty."""
    return frozenset(compact(v["value"]) for v in json.loads(_DATA.read_text(encoding="utf-8"))["values"])


def says_empty(text: str) -> bool:
    return compact(text) in placeholders()
