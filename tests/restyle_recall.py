"""Recall and precision per extraction style and table: the bundled samples restyled each way
(tests/restyle.py), ingested, and scored against tests/expected/ (the README's style table).
Styles that drop punctuation are scored without those marks (and without the alias definitions
that lose their 「」), since the text no longer prints them.

    python -m tests.restyle_recall [--seed 7]
    python -m tests.restyle_recall --differences   # against the clean reading (tests/restyle_compare.py)
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
from pipeline.ingest.process import process_path
from tests.restyle import STYLES, restyle
from tests.restyle_compare import COMPARED, compare

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


def differences(seed: int) -> str:
    """Per style and table: values differing from the clean reading / values the clean reading does
    not give (extra) / clean values left null, summed over the bundled samples."""
    sums: dict[tuple[str, str], list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(RAW.glob("*.txt")):
            clean = process_path(str(path))
            for style in STYLES:
                styled = Path(tmp) / style / path.name
                styled.parent.mkdir(exist_ok=True)
                styled.write_text(restyle(path.read_text(encoding="utf-8"), style, seed), encoding="utf-8")
                for name, t in compare(clean, process_path(str(styled))).items():
                    n = sums.setdefault((style, name), [0, 0, 0])
                    n[0], n[1], n[2] = n[0] + len(t.differ), n[1] + len(t.extra), n[2] + t.nulls
    lines = ["| table | " + " | ".join(STYLES) + " |", "|---|" + "---|" * len(STYLES)]
    for name in COMPARED:
        lines.append(f"| {name} | " + " | ".join("/".join(map(str, sums[(s, name)])) for s in STYLES) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--differences", action="store_true", help="differ/extra/null counts against the clean reading")
    args = parser.parse_args()
    print(differences(args.seed) if args.differences else table(scores(args.seed)))
