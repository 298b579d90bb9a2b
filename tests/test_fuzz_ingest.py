"""Fuzz: 550 seeded bad inputs (mutated PDFs and texts) ingested in four batches into one corpus,
valid reports mixed into every batch. Nothing may crash or hang (each document runs under a time and
memory limit), every file written must be a documents row (or a named skip), every valid report
ok/partial, every failure one plain line.

A failing mutant is rebuilt from its name: ``fuzz_inputs.mutants(bases, MUTATIONS, n, seed)``.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from . import pdfgen
from .conftest import SEEDS
from .fuzz_inputs import PDF_MUTATIONS, SUMMARY, TEXT_MUTATIONS, mutants
from .pdf_records import cover, report

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT, MEMORY_LIMIT = 60, 1024  # per document; the largest input here is a few hundred kB
PDF_MUTANTS, TEXT_MUTANTS, BATCHES = 330, 220, 4
# What a user is told, by kind of bad input (README, "Bad input").
REASONS = ("empty file", "binary data: ", "corrupt PDF: ", "encrypted PDF", "no text layer",
           "no ToUnicode map", "not a PIA report: ", "text too large: ", "not a regular file: ",
           "cannot read file: ")
TECHNICAL = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Warning)\b|internal error|Traceback|<<|\{'|\bNoneType\b")


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    """Four batch folders of mutants and valid reports, ingested one after another by the CLI in
    a child process (so its stderr is all it printed, and a hang ends the test)."""
    root = tmp_path_factory.mktemp("fuzz")
    pdfs = [pdfgen.render([cover()]).pdf, pdfgen.render(report()).pdf]
    texts = [b"\n".join(p.read_bytes().split(b"\n")[:400]) for p in SEEDS]
    bad = mutants(pdfs, PDF_MUTATIONS, PDF_MUTANTS, seed=1) + mutants(texts, TEXT_MUTATIONS, TEXT_MUTANTS, seed=2)
    valid = [(p.name, p.read_bytes()) for p in SEEDS] + [("report.pdf", pdfs[1])]
    out, runs = root / "corpus", []
    for k in range(BATCHES):
        batch = root / f"batch{k}"
        batch.mkdir()
        for name, data in bad[k::BATCHES] + valid[k::BATCHES]:
            (batch / name).write_bytes(data)
        done = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(batch), "--out", str(out),
                               "--jobs", "2", "--time-limit", str(TIME_LIMIT), "--memory-limit", str(MEMORY_LIMIT)],
                              capture_output=True, text=True, cwd=ROOT, timeout=600,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        runs.append((batch, done))
    return out, runs, {name for name, _ in valid}


def test_batches_finish_with_every_input_accounted_for(fuzzed):
    out, runs, valid = fuzzed
    docs = pd.read_parquet(out / "documents")
    recorded = {p for ps in docs.source_paths for p in ps}
    for batch, done in runs:
        assert done.returncode == 0, done.stderr[-2000:]
        err = [line for line in done.stderr.splitlines() if not SUMMARY.match(line)]
        assert all(line.startswith("pia: ") for line in err), err[:3]
        written = {str(p) for p in batch.iterdir()}
        assert written <= recorded, sorted(written - recorded)[:5]
        failed = docs.query("status == 'failed'")
        said = {f"pia: {p}: {error}" for ps, error in zip(failed.source_paths, failed.error) for p in ps}
        assert set(err) <= said and len(set(err)) == len(err), "one whole line per failure"
        for path, error in zip(failed.source_path, failed.error):  # the path read last for each row
            assert not path.startswith(f"{batch}/") or f"pia: {path}: {error}" in err
    assert len(docs) == PDF_MUTANTS + TEXT_MUTANTS + len(valid)  # distinct bytes, one row each
    status_of = {Path(p).name: (status, error) for ps, status, error in zip(docs.source_paths, docs.status, docs.error)
                 for p in ps}
    for name in valid:
        assert status_of[name][0] in {"ok", "partial"}, (name, status_of[name])


def test_every_failure_is_one_plain_line_with_a_reason(fuzzed):
    out, _, _ = fuzzed
    docs = pd.read_parquet(out / "documents")
    failed = docs[docs.status == "failed"]
    assert len(failed) > 100  # the mutations do break files
    for path, error in zip(failed.source_path, failed.error):
        assert "\n" not in error and len(error) <= 200, (path, error)
        assert error.startswith(REASONS), (path, error)
        assert not TECHNICAL.search(error), (path, error)


def test_every_file_within_its_limits(fuzzed):
    """No input here needs more than a fraction of its limits: one that hits them (stopped, and
    failed with that reason) points at a hang or a blow-up to fix."""
    out, _, _ = fuzzed
    docs = pd.read_parquet(out / "documents")
    stopped = docs[docs.error.fillna("").str.contains("limit")]
    assert stopped.empty, list(zip(stopped.source_path, stopped.error))
