"""Score a Parquet corpus against hand-checked expected values (``tests/expected/<seed>.json``).

The expected files are the project's independent yardstick: they were written from the source text,
never from extractor output. Each file names its source (``_source``), lists expected rows per
table, and may declare tables whose expected set is complete (``_complete``).

Scoring is per field. An expected row is matched to the corpus rows of the same document and table
that carry the same identifying key (``KEYS``); every other column the expected row gives is one
expected fact when it is not null. A matched corpus value that is not null (nor an empty list) is
one emitted fact; it is right when it equals the expected value after normalisation. So a null is
never emitted, and an expected null only counts against a value emitted where the text has none.
Corpus rows matching no expected key count as emitted (and wrong) only for tables declared
complete, so a partial yardstick never punishes extra, unchecked rows. Precision = right /
emitted, recall = right / expected.

Expected file: ``{"_source": "<seed file name>", "_notes": "...", "_complete": [tables],
"<table>": [rows]}``. A row names only what is certain; an explicit ``null`` is a fact ("not in the
text": nothing to find, but a value emitted there is wrong), an absent column is not checked. Key
matching: ``path`` lists headings that must appear in order in the emitted path; labels,
sections and risks ignore printed numbering (①, １．, リスク１：); citations match when the
expected ``raw`` is contained in the emitted one; a row may carry its own ``"_key": [columns]``
(matched by containment) when its number cannot be read from the source.
Values compare after NFKC with white space removed, 「(以下「X」という。)」 dropped and 第二 = 第2.
Long texts (``START_VALUES``: measures) give how each printed row starts; an emitted text must start so
(another risk's measure is wrong); ``measures_line`` states the fill rate (rows given any value / expected).
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from normalizers.text import label_key

# table -> identifying columns. Columns in PATH_KEYS match as an ordered subsequence of headings
# (the expected path may name only the last headings); LABEL_KEYS ignore printed numbering/※.
KEYS: dict[str, tuple[str, ...]] = {
    "documents": (),
    "systems": ("system_no",),
    "files": ("file_no",),
    "selections": ("file_name", "path", "label"),
    "checklist_items": ("file_name", "path", "label", "option"),
    "entrustments": ("file_name", "entrustment_no"),
    "transfers": ("file_name", "kind", "transfer_no"),
    "risk_answers": ("file_name", "section", "risk", "question"),
    "changes": ("row_no",),
    "dates": ("raw",),
    "citations": ("raw",),
    "aliases": ("alias",),
}
PATH_KEYS = {"path"}
LABEL_KEYS = {"file_name", "label", "section", "risk", "question"}
PREFIX_KEYS = {"section", "risk"}  # headings printed with or without a parenthetical tail
CONTAINED_KEYS = {("citations", "raw")}  # citation spans differ by extractor: expected ⊆ emitted
# Long texts: expected is how the text starts, or a list of how each of its printed rows starts
START_VALUES = {("risk_answers", "measures")}
META = "_"  # keys starting with this are notes, not tables

_WS = re.compile(r"\s+")
_ALIAS_DEF = re.compile(r"\(以下「[^」]*」という。?\)")
_KANJI_ORDINAL = re.compile(r"第([一二三四五六七八九十]+)")
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_MARKUP = re.compile(r"</?[A-Za-z][^<>]*>")  # HTML tags, not ＜…＞ headings


def _kanji_to_int(text: str) -> str:
    """一 … 九十九 as digits, so 別表第二 and 別表第2 compare equal."""
    if "十" not in text:
        return "".join(str(_KANJI_DIGITS[c]) for c in text)
    tens, _, ones = text.partition("十")
    return str(_KANJI_DIGITS.get(tens, 1) * 10 + _KANJI_DIGITS.get(ones, 0))


def norm_text(value: Any) -> str:
    """NFKC with all white space removed: Japanese cells wrap anywhere, so spacing is not a fact."""
    text = _WS.sub("", unicodedata.normalize("NFKC", str(value)))
    text = _ALIAS_DEF.sub("", text)  # the definition is the aliases table's fact, not part of the value
    return _KANJI_ORDINAL.sub(lambda m: "第" + _kanji_to_int(m.group(1)), text)


def norm_label(value: Any) -> str:
    """A label or heading without its printed number or ※ marker (①, 1., （１）, Ⅱ …)."""
    return norm_text(label_key(str(value)))


def norm_value(value: Any) -> Any:
    """Comparable form of a cell: text normalised, lists as sets, dates as ISO strings."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (list, tuple)):
        return frozenset(norm_text(v) for v in value if v is not None)
    text = norm_text(value)
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def starts_right(expected: Any, emitted: Any) -> bool:
    """A long text starts as one of the expected starts (HTML tags and entities dropped)."""
    bare = lambda t: norm_text(_MARKUP.sub("", html.unescape(str(t))))  # noqa: E731
    return any(bare(emitted).startswith(bare(s)) for s in (expected if isinstance(expected, list) else [expected]))


def _path_parts(path: Any) -> list[str]:
    return [norm_label(p) for p in str(path).split(">") if norm_text(p)]


def _path_matches(expected: Any, emitted: Any) -> bool:
    """Expected headings appear in order in the emitted path (each a prefix of one emitted heading)."""
    if emitted is None:
        return False
    parts = iter(_path_parts(emitted))
    return all(any(got.startswith(want) for got in parts) for want in _path_parts(expected))


def key_columns(table: str, expected: dict) -> tuple[str, ...]:
    """The table's identifying columns, or the row's own ``_key`` (columns matched by containment),
    for rows whose number cannot be read from a scrambled source but whose text can."""
    return tuple(expected.get("_key") or KEYS[table])


def key_matches(table: str, expected: dict, emitted: dict) -> bool:
    if "_key" in expected:
        return all(emitted.get(c) is not None and norm_text(expected[c]) in norm_text(emitted[c])
                   for c in expected["_key"])
    for col in KEYS[table]:
        if col not in expected:
            continue
        want, got = expected[col], emitted.get(col)
        if col in PATH_KEYS:
            ok = want is None or _path_matches(want, got)
        elif want is None or got is None:
            ok = want is None and got is None
        elif (table, col) in CONTAINED_KEYS:
            ok = norm_text(want) in norm_text(got)
        elif col in PREFIX_KEYS:
            a, b = norm_label(want), norm_label(got)
            ok = a.startswith(b) or b.startswith(a)
        elif col in LABEL_KEYS:
            ok = norm_label(want) == norm_label(got) or (
                col == "file_name" and norm_label(want) in norm_label(got)
            )
        else:
            ok = norm_value(want) == norm_value(got)
        if not ok:
            return False
    return True


def _specificity(table: str, expected: dict) -> int:
    """Prefer the expected row naming more (and longer) key parts when several match."""
    return sum(len(norm_text(expected[c])) for c in key_columns(table, expected) if expected.get(c) is not None)


@dataclass
class Counts:
    """``right`` counts emitted values that are right (precision); ``found`` expected values that
    some matched row carries (recall). They differ only when a row is emitted twice. ``filled``
    counts expected values some matched row gives any value for, right or wrong (fill rate)."""

    expected: int = 0
    emitted: int = 0
    right: int = 0
    found: int = 0
    filled: int = 0

    def add(self, other: "Counts") -> None:
        for name in ("expected", "emitted", "right", "found", "filled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float | None:
        return self.right / self.emitted if self.emitted else None

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None


@dataclass
class Report:
    """Counts per (seed, table, field), plus what could not be scored at all."""

    cells: dict[tuple[str, str, str], Counts] = field(default_factory=lambda: defaultdict(Counts))
    rows: dict[tuple[str, str], tuple[int, int, int]] = field(default_factory=dict)  # expected, in corpus, matched
    missing_documents: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    def _sum(self, keyfunc) -> dict:
        out: dict = defaultdict(Counts)
        for key, counts in self.cells.items():
            out[keyfunc(key)].add(counts)
        return dict(out)

    def by_table(self) -> dict[str, Counts]:
        return self._sum(lambda k: k[1])

    def by_field(self) -> dict[tuple[str, str], Counts]:
        return self._sum(lambda k: (k[1], k[2]))

    def by_seed(self) -> dict[str, Counts]:
        return self._sum(lambda k: k[0])

    def overall(self) -> Counts:
        return self._sum(lambda k: "all").get("all", Counts())


# --- reading ---------------------------------------------------------------------------------


def read_table(corpus_dir: Path, table: str) -> list[dict]:
    """All rows of one corpus table (every ``*.parquet`` under its folder; hidden temp files skipped)."""
    folder = Path(corpus_dir) / table
    rows: list[dict] = []
    for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        if not path.name.startswith((".", "_")):
            rows.extend(pq.read_table(path).to_pylist())
    return rows


def load_expected(expected_dir: Path) -> dict[str, dict]:
    """Seed prefix (file stem) -> expected document."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(expected_dir).glob("*.json"))}


def find_doc_id(documents: list[dict], seed: str, expected: dict) -> str | None:
    """The corpus document whose source file is this seed: by ``_source`` name, else ``<seed>_`` prefix."""
    source = expected.get("_source")
    for row in documents:
        name = Path(str(row.get("source_path") or "")).name
        if (source and name == source) or (not source and name.startswith(f"{seed}_")):
            return row["doc_id"]
    return None


# --- scoring ---------------------------------------------------------------------------------


def _assign(table: str, expected_rows: list[dict], emitted_rows: list[dict]) -> tuple[dict, list]:
    """Each emitted row goes to the most specific expected row whose key it matches."""
    matched: dict[int, list[dict]] = defaultdict(list)
    unmatched = []
    for row in emitted_rows:
        hits = [i for i, exp in enumerate(expected_rows) if key_matches(table, exp, row)]
        if hits:
            best = max(hits, key=lambda i: _specificity(table, expected_rows[i]))
            matched[best].append(row)
        else:
            unmatched.append(row)
    return matched, unmatched


def _emitted(value: Any) -> bool:
    """A value the extractor claims: null, an empty list or an empty text claims nothing."""
    return value is not None and value != [] and value != ""


def _score_row(report: Report, seed: str, table: str, exp: dict, rows: list[dict]) -> list[str]:
    """Count one expected row's facts against the corpus rows matched to it; returns its fields.
    An expected null ("not in the text") is nothing to find: it counts only against a row that
    emits a value there."""
    keys = set(key_columns(table, exp))
    if not rows:
        report.mismatches.append(f"{seed} {table} {_describe(exp, table)}: no row")
    fields = [c for c in exp if c not in keys and not c.startswith(META)]
    for col in fields:
        want = exp[col]
        cell = report.cells[(seed, table, col)]
        cell.expected += _emitted(want)
        hit = False
        given = [r for r in rows if _emitted(r.get(col))]
        cell.filled += _emitted(want) and bool(given)
        for row in given:
            got = row[col]
            cell.emitted += 1
            if _emitted(want) and (starts_right(want, got) if (table, col) in START_VALUES
                                   else norm_value(got) == norm_value(want)):
                cell.right += 1
                hit = True
            else:
                report.mismatches.append(
                    f"{seed} {table}.{col} {_describe(exp, table)}: expected {want!r}, got {got!r}")
        cell.found += hit
    return fields


def score_table(report: Report, seed: str, table: str, expected_rows: list[dict],
                emitted_rows: list[dict], complete: bool) -> None:
    """One document's table. Unmatched corpus rows are wrong claims only when the table is complete."""
    matched, unmatched = _assign(table, expected_rows, emitted_rows)
    report.rows[(seed, table)] = (len(expected_rows), len(emitted_rows), sum(map(len, matched.values())))
    fields_seen: set[str] = set()
    for i, exp in enumerate(expected_rows):
        fields_seen.update(_score_row(report, seed, table, exp, matched.get(i, [])))
    if complete:
        for row in unmatched:
            for col in fields_seen:
                if _emitted(row.get(col)):
                    report.cells[(seed, table, col)].emitted += 1
            report.mismatches.append(f"{seed} {table} unexpected row {_describe(row, table)}")


def _describe(row: dict, table: str) -> str:
    cols = key_columns(table, row)
    return "(" + ", ".join(f"{c}={row.get(c)!r}" for c in cols if row.get(c) is not None) + ")"


def evaluate(corpus_dir: str | Path, expected_dir: str | Path) -> Report:
    report = Report()
    expected_docs = load_expected(Path(expected_dir))
    corpus: dict[str, list[dict]] = {}
    documents = read_table(Path(corpus_dir), "documents")
    for seed, expected in expected_docs.items():
        doc_id = find_doc_id(documents, seed, expected)
        if doc_id is None:
            report.missing_documents.append(seed)
        complete = set(expected.get("_complete", []))
        for table, rows in expected.items():
            if table.startswith(META) or table not in KEYS:
                continue
            if table not in corpus:
                corpus[table] = documents if table == "documents" else read_table(Path(corpus_dir), table)
            emitted = [r for r in corpus[table] if doc_id is not None and r.get("doc_id") == doc_id]
            score_table(report, seed, table, rows, emitted, table in complete)
    return report


# --- output ----------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def _line(name: str, c: Counts) -> str:
    return f"{name:<42} {c.expected:>6} {c.emitted:>6} {c.right:>6} {c.found:>6} {_pct(c.precision)} {_pct(c.recall)}"


def measures_line(report: Report) -> str:
    """The measure texts against the rows whose text prints one: fill rate and attribution."""
    c = report.by_field().get(("risk_answers", "measures"), Counts())
    return (f"measures: {c.expected} answered risk rows print a measure; filled {c.filled} (fill "
            f"{_pct(c.filled / c.expected if c.expected else None).strip()}), right {c.right}, wrong or where none is "
            f"printed {c.emitted - c.right} (precision {_pct(c.precision).strip()})")


def format_report(report: Report, details: bool = False) -> str:
    """Per table, per field and overall; with ``details`` also every mismatch."""
    head = f"{'table / field':<42} {'exp':>6} {'emit':>6} {'right':>6} {'found':>6} {'prec':>6} {'recall':>6}"
    lines = [head, "-" * len(head)]
    fields = report.by_field()
    for table, counts in sorted(report.by_table().items(), key=lambda kv: list(KEYS).index(kv[0])):
        exp, got, hit = (sum(v[i] for (_, t), v in report.rows.items() if t == table) for i in range(3))
        lines.append(_line(table, counts) + f"   rows: {exp} expected, {got} in corpus, {hit} matched")
        lines += [_line(f"  .{col}", c) for (t, col), c in sorted(fields.items()) if t == table]
    lines.append("-" * len(head))
    lines += [_line(f"seed {seed}", c) for seed, c in sorted(report.by_seed().items())]
    lines.append(_line("overall", report.overall()))
    if ("risk_answers", "measures") in report.by_field():
        lines.append(measures_line(report))
    if report.missing_documents:
        lines.append("documents not in the corpus: " + ", ".join(report.missing_documents))
    if details and report.mismatches:
        lines += ["", "mismatches:"] + [f"  {m}" for m in report.mismatches]
    return "\n".join(lines)


def report_json(report: Report) -> dict:
    """The per-table and overall numbers as plain data (``pia eval --json``)."""
    def counts(c: Counts) -> dict:
        return {"expected": c.expected, "emitted": c.emitted, "right": c.right, "found": c.found,
                "filled": c.filled, "precision": c.precision, "recall": c.recall}
    return {"tables": {t: counts(c) for t, c in report.by_table().items()},
            "fields": {f"{t}.{col}": counts(c) for (t, col), c in sorted(report.by_field().items())},
            "overall": counts(report.overall()), "missing_documents": report.missing_documents}


def below_goals(report: Report, min_precision: float | None, min_recall: float | None) -> list[str]:
    """Goals: precision per table, recall overall."""
    failures = []
    if min_precision is not None:
        for table, c in report.by_table().items():
            if c.precision is not None and c.precision < min_precision:
                failures.append(f"precision of {table} {c.precision:.3f} < {min_precision}")
    recall = report.overall().recall
    if min_recall is not None and (recall or 0.0) < min_recall:
        failures.append(f"overall recall {recall or 0.0:.3f} < {min_recall}")
    return failures
