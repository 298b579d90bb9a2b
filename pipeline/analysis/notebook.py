"""What the starter notebooks share: the corpus named by PIA_CORPUS, queries that say "no rows yet"
instead of drawing an empty chart while an extractor has not landed, and a Japanese font that
travels with the package (matplotlib-fontja bundles IPAexGothic), so a machine without CJK fonts
still draws every label."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.analysis.query import connect, run

DEFAULT_CORPUS = "../data/parquet"  # relative to notebooks/


def open_corpus() -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A DuckDB connection with every table as a view, and the corpus folder (PIA_CORPUS or ../data/parquet)."""
    root = Path(os.environ.get("PIA_CORPUS", DEFAULT_CORPUS))
    if not (root / "documents").is_dir():
        raise FileNotFoundError(f"no corpus at {root.resolve()}: run `pia ingest data/raw` or set PIA_CORPUS")
    print(f"corpus: {root.resolve()}")
    return connect(root), root


def frame(con: duckdb.DuckDBPyConnection, sql: str, what: str) -> pd.DataFrame | None:
    """The query's rows, or None after printing that ``what`` has no rows yet."""
    df = run(con, sql).to_pandas()
    if df.empty:
        print(f"no rows yet: {what}")
        return None
    return df


def use_japanese_font() -> str:
    """Make matplotlib draw Japanese labels with the bundled IPAexGothic; returns the font's name."""
    import matplotlib
    import matplotlib_fontja

    matplotlib_fontja.japanize()
    return matplotlib.rcParams["font.family"][0]
