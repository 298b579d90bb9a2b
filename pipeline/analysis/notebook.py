"""What the starter notebooks share: the corpus named by PIA_CORPUS, queries that say "no rows yet"
instead of drawing an empty chart while an extractor has not landed, and a Japanese-capable font."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.analysis.query import connect, run

DEFAULT_CORPUS = "../data/parquet"  # relative to notebooks/
_CJK_FONTS = ["IPAGothic", "IPAexGothic", "IPAPGothic", "Noto Sans CJK JP", "Noto Sans JP", "TakaoGothic",
              "Hiragino Sans", "Yu Gothic", "MS Gothic"]


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


def use_japanese_font() -> str | None:
    """Make matplotlib draw Japanese labels with the first CJK font installed; returns its name."""
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((f for f in _CJK_FONTS if f in installed), None)
    if found:
        matplotlib.rcParams["font.family"] = [found, "sans-serif"]
    return found
