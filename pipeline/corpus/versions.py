"""The corpus version log: one row per committed version in the Delta table ``<corpus>/_versions``.

A version is committed exactly when its row is: the row pins the Delta version of every corpus table,
so readers see all tables as of the same commit, and a writer that finds a table ahead of the last
row knows a commit was cut short and rolls that table back.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

from pipeline.corpus.layout import TABLE_CONFIG, VERSIONS, read_files, step

LOG_SCHEMA = pa.schema([
    ("version", pa.int64()), ("committed_at", pa.timestamp("us", tz="UTC")), ("run", pa.string()),
    ("added", pa.list_(pa.string())), ("replaced", pa.list_(pa.string())), ("failed", pa.list_(pa.string())),
    ("tables", pa.string()),
])


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


class VersionError(Exception):
    """A version or date that names no corpus version; the message is one line."""


@dataclass(frozen=True)
class Version:
    version: int
    committed_at: dt.datetime
    run: str
    added: list[str] = field(default_factory=list)  # source paths new to the corpus
    replaced: list[str] = field(default_factory=list)  # source paths whose earlier rows this version replaced
    failed: list[str] = field(default_factory=list)  # "path: reason"
    tables: dict[str, int] = field(default_factory=dict)  # table key -> Delta version

    def row(self) -> dict:
        return {**self.__dict__, "tables": json.dumps(self.tables, sort_keys=True)}


def log_path(root: str | Path) -> Path:
    return Path(root) / VERSIONS


def read_log(root: str | Path) -> list[Version]:
    """Every committed version, oldest first (empty for a corpus never written)."""
    path = log_path(root)
    if not DeltaTable.is_deltatable(str(path)):
        return []
    table = read_files(DeltaTable(str(path)).file_uris(), LOG_SCHEMA)
    # as microseconds: pyarrow turns zoned timestamps into datetimes through pandas, slow to import
    # (and a cast loads pyarrow.compute); a view reads the same 64 bits as an integer
    table = table.set_column(1, "committed_at", table.column("committed_at").combine_chunks().view(pa.int64()))
    out = [Version(**{**r, "committed_at": _EPOCH + dt.timedelta(microseconds=r["committed_at"]),
                      "tables": json.loads(r["tables"])}) for r in table.to_pylist()]
    return sorted(out, key=lambda v: v.version)


def head(root: str | Path) -> Version | None:
    log = read_log(root)
    return log[-1] if log else None


def append(root: str | Path, version: Version) -> None:
    """The commit point of a version (one atomic Delta commit), then the log folded into one file."""
    path = str(log_path(root))
    step("version", VERSIONS)
    write_deltalake(path, pa.Table.from_pylist([version.row()], schema=LOG_SCHEMA), mode="append",
                    configuration=TABLE_CONFIG)
    table = DeltaTable(path)
    step("compact", VERSIONS)
    table.optimize.compact()
    step("vacuum", VERSIONS)
    table.vacuum(retention_hours=0, dry_run=False, enforce_retention_duration=False, full=True)


def resolve(root: str | Path, as_of: str | int) -> Version:
    """The version named by a number, or the last one committed at or before a date/time (ISO 8601;
    a date without a time means the end of that day, UTC unless the text gives a zone)."""
    log = read_log(root)
    if not log:
        raise VersionError(f"no corpus versions at {root}")
    text = str(as_of).strip()
    if text.isdigit():
        found = [v for v in log if v.version == int(text)]
        if not found:
            raise VersionError(f"no version {text}; versions are {log[0].version}…{log[-1].version} (pia log)")
        return found[0]
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise VersionError(f"--as-of {text!r} is neither a version number nor an ISO date") from None
    if len(text) <= 10:
        when += dt.timedelta(days=1, microseconds=-1)
    when = when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    before = [v for v in log if v.committed_at <= when]
    if not before:
        raise VersionError(f"the corpus has no version before {text} (first: {log[0].committed_at:%Y-%m-%d %H:%M:%S} UTC)")
    return before[-1]


def log_rows(root: str | Path) -> list[dict]:
    """``pia log``: each version with what it added, replaced and failed (newest first)."""
    return [{"version": v.version, "committed_at": f"{v.committed_at:%Y-%m-%d %H:%M:%S} UTC", "run": v.run,
             "added": v.added, "replaced": v.replaced, "failed": v.failed} for v in reversed(read_log(root))]
