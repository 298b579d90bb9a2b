"""Round trip through other PDF producers: the committed fixtures of ``tests.producers``
(LibreOffice from an .xlsx grid, Chromium printing HTML tables, reportlab with an embedded
TrueType subset) are ingested on both backends and compared with the record they were drawn from.

Same record, other producer → the same rows (an unanswered question may be absent or null).
"""
from __future__ import annotations

import hashlib
import json
from functools import cache

import pytest

from parsers.model import Extraction, Source
from parsers.read import pdf_backends
from parsers.read.pdf_reader import read_pdf_layout
from tests.pdf_reports import expected_tables
from tests.producers import CASES, FIXTURES, fixture_path, record, record_digest
from tests.test_pdf_roundtrip import TABLES, process_with_backend, rows

BACKENDS = ["pdfium", "pdfplumber"]


@cache
def extracted(producer: str, kind: str, seed: int, backend: str) -> Extraction:
    return process_with_backend(fixture_path(producer, kind, seed), backend)


@pytest.mark.parametrize("producer,kind,seed", CASES)
def test_fixture_matches_its_record(producer, kind, seed):
    """A fixture drawn from an older record is stale: regenerate with ``python -m tests.producers``."""
    manifest = json.loads((FIXTURES / "manifest.json").read_text())
    assert manifest[fixture_path(producer, kind, seed).name] == record_digest(record(kind, seed))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("producer,kind,seed", CASES)
@pytest.mark.parametrize("table", TABLES)
def test_table_round_trips(producer, kind, seed, backend, table):
    expected = expected_tables(record(kind, seed))[table]
    got = extracted(producer, kind, seed, backend).tables.get(table, [])
    columns = list(expected[0]) if expected else ["source_ref"]
    assert rows(table, got, columns) == rows(table, expected, columns)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("producer,kind,seed", CASES)
def test_document_front(producer, kind, seed, backend):
    r = record(kind, seed)
    doc = extracted(producer, kind, seed, backend).document
    assert doc["status"] == "ok", doc["warnings"]
    assert (doc["assessment_number"], doc["title"], doc["org_name"], doc["assessment_kind"],
            doc["published_on_raw"], doc["business_name"]) == (
        r.number, r.title, r.org, kind, r.published, r.value("①事務の名称"))


@pytest.mark.parametrize("producer,kind,seed", CASES)
def test_no_page_falls_back(producer, kind, seed, monkeypatch):
    """pdfium reads every page of these producers whole: none is even handed to pdfplumber
    to verify, and the layout carries no fallback warning."""
    def refuse(*_args):
        raise AssertionError("page handed to pdfplumber")

    monkeypatch.setattr(pdf_backends, "_pdfplumber_page", refuse)
    data = fixture_path(producer, kind, seed).read_bytes()
    layout = read_pdf_layout(Source("x.pdf", data, hashlib.sha256(data).hexdigest(), "pdf"))
    assert layout.page_count > 1 and layout.warnings == ()
    assert not any(w.startswith("pdf:") for w in extracted(producer, kind, seed, "pdfium").document["warnings"])
