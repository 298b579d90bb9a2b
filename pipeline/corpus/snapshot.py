"""What a reader sees: each table's rows as of one committed corpus version, as DuckDB SQL.

The latest version is the files its version row pins (one consistent commit across all tables, even
while an ingest writes the next one). An earlier version is the live rows written up to it plus the
history rows it still had (written at or before it, replaced after it).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import regex
from deltalake import DeltaTable

from pipeline.corpus import legacy, versions
from pipeline.corpus.layout import DOCUMENTS, HISTORY, REPLACED_COLUMN, VERSION_COLUMN, data_tables
from pipeline.corpus.schema import TABLES
from pipeline.corpus.versions import Version


# A folder becomes a table only when its name is a plain identifier: a folder named to smuggle SQL
# (``a" AS SELECT 1; CREATE TABLE …``) or with odd characters is not one of the corpus's tables.
_TABLE_NAME = regex.compile(r"[a-z][a-z0-9_]{0,62}")


def _literal(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _scan(files: list[str]) -> str | None:
    if not files:
        return None
    return f"read_parquet([{', '.join(_literal(f) for f in files)}], union_by_name = true)"


def _select(files: list[str]) -> str | None:
    return f"SELECT * FROM {_scan(files)}" if files else None


def _pinned_files(path: Path, version: int | None) -> list[str]:
    if not DeltaTable.is_deltatable(str(path)):
        return []
    table = DeltaTable(str(path), version=version) if version is not None else DeltaTable(str(path))
    return table.file_uris()


def table_sources(root: str | Path, as_of: str | int | None = None) -> dict[str, str | None]:
    """Table name -> a SELECT of its rows as of ``as_of`` (a version number or date; None = latest),
    or None when the table has no rows there. Schema tables first, then other table folders."""
    root = Path(root)
    head = versions.head(root)
    if head is None:  # per-document files not yet converted by an ingest, or a first commit cut short
        out = {t: _select([str(f) for f in legacy.files(root, t)]) for t in TABLES}
    else:
        at = versions.resolve(root, as_of) if as_of is not None else head
        pinned = _pinned(root, head, history=at.version != head.version)
        out = {t: _as_of(pinned, head, at, t) for t in TABLES}
    for folder in sorted(p for p in root.glob("*/") if p.name not in TABLES and _TABLE_NAME.fullmatch(p.name)):
        files = _pinned_files(folder, None) or [str(f) for f in sorted(folder.glob("*.parquet"))]
        if files:
            out[folder.name] = _select(files)
    return out


def _pinned(root: Path, head: Version, history: bool) -> dict[str, list[str]]:
    """Files of each table (and, for an earlier version, each history table) at the Delta version
    ``head`` pins. The logs are read in parallel: reading one mostly waits on the file system."""
    paths = {k: path for k, (path, _) in data_tables(root).items() if k in TABLES or (history and k in head.tables)}
    with ThreadPoolExecutor(8) as pool:
        files = pool.map(lambda k: _pinned_files(paths[k], head.tables.get(k, 0)), paths)
        return dict(zip(paths, files))


def _as_of(pinned: dict[str, list[str]], head: Version, at: Version, table: str) -> str | None:
    if at.version == head.version:
        return _select(pinned[table])
    live = _scan(pinned[table])
    n = at.version
    parts = []
    if live and table == DOCUMENTS:
        parts.append(f"SELECT * FROM {live} WHERE {VERSION_COLUMN} <= {n}")
    elif live:
        docs = _scan(pinned[DOCUMENTS])
        parts.append(f"SELECT * FROM {live} WHERE doc_id IN (SELECT doc_id FROM {docs} WHERE {VERSION_COLUMN} <= {n})")
    hist = _scan(pinned.get(f"{HISTORY}/{table}", []))
    if hist:
        drop = REPLACED_COLUMN if table == DOCUMENTS else f"{VERSION_COLUMN}, {REPLACED_COLUMN}"
        parts.append(f"SELECT * EXCLUDE ({drop}) FROM {hist} WHERE {VERSION_COLUMN} <= {n} AND {REPLACED_COLUMN} > {n}")
    return " UNION ALL BY NAME ".join(parts) or None
