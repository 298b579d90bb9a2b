"""Where each corpus table's columns stand in the form (``data/tables.json``): block stems,
column -> row name maps, the yes option of yes/no questions."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "tables.json"


@cache
def table_labels() -> dict:
    return json.loads(_DATA.read_text(encoding="utf-8"))
