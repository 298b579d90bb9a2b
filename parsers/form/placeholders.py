"""Observed placeholder values for an empty cell (記載なし, －, …), from ``data/placeholders.json``
where each is documented with the report it was seen in."""
from __future__ import annotations

from functools import cache

from normalizers.text import compact

from parsers.form.template import form_data


@cache
def placeholders() -> frozenset[str]:
    """Compact forms of the values that say a cell is empty."""
    return frozenset(compact(v["value"]) for v in form_data("placeholders.json")["values"])


def says_empty(line: str) -> bool:
    """A whole line that states the cell was empty (a placeholder: 記載なし, －, …), or a short
    「…に関する記載なし」 ending with a worded placeholder."""
    c = compact(line)
    worded = [p for p in placeholders() if len(p) > 2]
    return c in placeholders() or (len(c) <= 30 and c.rstrip("。").endswith(tuple(worded)))
