"""Recall and precision per extraction style and table: the bundled samples restyled each way
(tests/restyle.py), ingested, and scored against tests/expected/ (the README's style table).
Styles that drop punctuation are scored without those marks (and without the alias definitions
that lose their 「」), since the text no longer prints them.

    python -m tests.restyle_recall [--seed 7]
"""
from __future__ import annotations

import argparse
import contextlib
import re
import tempfile
from pathlib import Path

from pipeline.analysis import evaluate as ev
from pipeline.analysis.evaluate import KEYS, evaluate
from pipeline.ingest.batch import ingest
from tests.restyle import STYLES, restyle

HERE = Path(__file__).resolve().parent
RAW = HERE.parent / "data" / "raw"
DROPPED = {"spaced": "、。「」", "digits_spaced": "、。「」【】"}


@contextlib.contextmanager
def _without(marks: str):
    """The evaluator's text normalisation, also dropping ``marks`` (NFKC forms included)."""
    original = ev.norm_text
    if marks:
        gone = re.compile(r"\(以下.*?という\)|[" + re.escape(marks + "､｡｢｣") + "]")
        ev.norm_text = lambda value: gone.sub("", original(gone.sub("", str(value))))
    try:
        yield
    finally:
        ev.norm_text = original


def scores(seed: int) -> dict[str, dict]:
    """style -> table -> Counts, the clean text first."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for style in ("clean", *STYLES):
            src = Path(tmp) / style / "raw"
            src.mkdir(parents=True)
            for path in sorted(RAW.glob("*.txt")):
                text = path.read_text(encoding="utf-8")
                (src / path.name).write_text(text if style == "clean" else restyle(text, style, seed), encoding="utf-8")
            ingest([str(src)], Path(tmp) / style / "corpus")
            with _without(DROPPED.get(style, "")):
                out[style] = evaluate(Path(tmp) / style / "corpus", HERE / "expected").by_table()
    return out


def _cell(c) -> str:
    """``recall (precision)``; precision is ``-`` when nothing was emitted."""
    if c is None or c.recall is None:
        return "-"
    return f"{c.recall:.2f} ({'-' if c.precision is None else f'{c.precision:.2f}'})"


def table(results: dict[str, dict]) -> str:
    tables = [t for t in KEYS if any(t in r for r in results.values())]
    lines = ["| style | " + " | ".join(tables) + " |", "|---|" + "---|" * len(tables)]
    for style, by_table in results.items():
        cells = [_cell(by_table.get(t)) for t in tables]
        lines.append(f"| {style} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    print(table(scores(parser.parse_args().seed)))
