"""Derived columns computed the same way for every extractor's rows: count bands as numbers and
organisation names in a comparable form (see BAND_COLUMNS / NAME_COLUMNS in pipeline/corpus/schema.py)."""
from __future__ import annotations

from normalizers.names import normalize_org_name
from normalizers.numbers import parse_band

from pipeline.corpus.schema import BAND_COLUMNS, NAME_COLUMNS


def enrich(table: str, rows: list[dict], aliases: dict[str, str]) -> None:
    """Add ``<col>_min``/``<col>_max`` and ``<col>_normalized`` in place."""
    for row in rows:
        for col in BAND_COLUMNS.get(table, []):
            band = parse_band(row[col]) if row.get(col) else None
            row[f"{col}_min"] = band.min if band else None
            row[f"{col}_max"] = band.max if band else None
        for col in NAME_COLUMNS.get(table, []):
            row[f"{col}_normalized"] = normalize_org_name(row[col], aliases) if row.get(col) else None
