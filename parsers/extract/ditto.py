"""Ditto marks in a block's cell (同上, 上記に同じ, 〃, 同左): never a value of their own.

Reports list 委託事項 and 提供先 as repeated blocks of the same rows, and a filler may write 同上 in
a cell to mean "the same as this cell of the block printed before". That block is the previous
one of the same 特定個人情報ファイル (a different file's blocks are a different table in the form);
when there is none, or the mark is 同左 (a one-value row has no cell to its left), the value is not
attributable: the cell becomes null and a warning says so. A resolved row lists the columns in
``ditto_columns`` and the block copied from in ``ditto_source_ref``.
"""
from __future__ import annotations

import regex

from parsers.extract.contract import ExtractWarning

_DITTO = regex.compile(r"^\s*(?:同\s*上|上\s*記\s*に\s*同\s*じ|上\s*に\s*同\s*じ|〃|″|同\s*左)\s*[。.]?\s*$")
_ABOVE = regex.compile(r"上|〃|″")

# table -> columns a filler may fill with a ditto mark
COLUMNS = {
    "systems": ("name", "functions"),
    "entrustments": ("title", "content", "contractor", "subcontract_permission", "subcontract_items"),
    "transfers": ("counterparty", "legal_basis", "purpose", "information", "subject_scope", "timing"),
}


def is_ditto(value) -> bool:
    return isinstance(value, str) and bool(_DITTO.match(value))


def resolve(table: str, rows: list[dict]) -> list[ExtractWarning]:
    """Replace ditto marks in ``rows`` (in document order) in place; warnings for those left null."""
    warnings = []
    before: dict[object, dict] = {}  # the previous row of the same file (and kind)
    for row in rows:
        group = (row.get("file_name"), row.get("kind"))
        previous = before.get(group)
        row["ditto_columns"], row["ditto_source_ref"] = None, None
        for col in COLUMNS[table]:
            value = row.get(col)
            if not is_ditto(value):
                continue
            row["ditto_columns"] = [*(row["ditto_columns"] or []), col]
            source = previous.get(col) if previous and _ABOVE.search(value) else None
            row[col] = source
            if source is None:
                warnings.append(ExtractWarning("ditto_unresolved", f"{table}.{col} printed {value.strip()!r} with no "
                                               "block before it in the same file to refer to; left null",
                                               row.get("source_ref")))
            else:
                row["ditto_source_ref"] = previous.get("source_ref")
        before[group] = row
    return warnings
