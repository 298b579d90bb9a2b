"""Where each corpus table's columns stand in the form (``data/tables.json``): block stems,
column -> row name maps, the yes option of yes/no questions."""
from __future__ import annotations

from functools import cache

from parsers.form.template import form_data


@cache
def table_labels() -> dict:
    return form_data("tables.json")
