"""Extraction style as a tested dimension: every bundled sample, restyled each way the wild prints it
(tests/restyle.py), yields for every value either the clean reading's value or null — never another.

Rows are compared by their identifying key (the evaluator's ``KEYS``); a key printed twice in a
table is left out, since which copy is which is not a value. Values compare as the evaluator
compares them, without the punctuation the styles drop. Not held to this yet (see the README):
the free-text ``fields`` view, ``checklist_items``, ``changes`` (keyed by row number, which shifts),
``citations`` and ``aliases``. Recall per style and table: ``python -m tests.restyle_recall``.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import regex

from pipeline.analysis.evaluate import KEYS, norm_value
from pipeline.ingest.process import process_path

from .conftest import SEEDS
from .restyle import STYLES, restyle

COMPARED = {
    "documents": ("assessment_number", "title", "org_name", "body_name", "assessment_kind", "form_version",
                  "published_on", "business_name", "target_population"),
    "selections": ("chosen",),
    "risk_answers": ("answer",),
    "systems": ("name",),
    "files": ("file_type", "subject_count", "record_item_count", "user_count", "entrusts"),
    "entrustments": ("title", "contractor", "handler_count", "subcontract"),
    "transfers": ("counterparty", "subject_count", "methods", "timing"),
    "dates": ("iso",),
}


# What the punctuation-dropping styles remove, and an alias definition (以下「X」という。), which
# the clean reading drops from a name only when its punctuation is printed.
_DROPPED = regex.compile(r"[\s、。「」【】,]|\(以下.*?という\)")


def _comparable(value):
    value = norm_value(value)
    return _DROPPED.sub("", _DROPPED.sub("", value)) if isinstance(value, str) else value


def values(ext) -> dict[tuple, object]:
    """(table, key, column) -> value for every non-null compared value, keys printed once only."""
    out: dict[tuple, object] = {}
    for table, columns in COMPARED.items():
        rows = [ext.document] if table == "documents" else ext.tables.get(table, [])
        keys = KEYS[table]
        seen: dict[tuple, int] = {}
        for row in rows:
            key = tuple(row.get(k) for k in keys)
            seen[key] = seen.get(key, 0) + 1
        for row in rows:
            key = tuple(row.get(k) for k in keys)
            if seen[key] == 1:
                out.update({(table, key, c): _comparable(row[c]) for c in columns if row.get(c) is not None})
    return out


def differences(clean: dict, styled: dict) -> list[str]:
    return [f"{k}: clean {clean.get(k)!r}, restyled {v!r}" for k, v in styled.items()
            if k[0] == "documents" and v != clean.get(k) or k[0] != "documents" and k in clean and v != clean[k]]


@pytest.fixture(scope="module")
def clean_values():
    return {p.name: values(process_path(str(p))) for p in SEEDS}


def _restyled(tmp_path: Path, seed: Path, style: str):
    out = tmp_path / seed.name
    out.write_text(restyle(seed.read_text(encoding="utf-8"), style, seed=7), encoding="utf-8")
    return process_path(str(out))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_restyled_values_equal_the_clean_reading_or_are_null(tmp_path, clean_values, seed, style):
    got = values(_restyled(tmp_path, seed, style))
    assert differences(clean_values[seed.name], got) == []


@pytest.mark.parametrize("style", STYLES)
def test_restyling_is_deterministic_and_changes_the_text(style):
    text = SEEDS[1].read_text(encoding="utf-8")
    assert restyle(text, style, 3) == restyle(text, style, 3)
    assert restyle(text, style, 3) != text
