"""Compare a restyled reading with the clean one, table by table: values that differ (never
allowed), values the restyled reading leaves null (recall lost, allowed) and rows it adds.

Which columns are compared (``COMPARED``) and which are not:

- never compared: ``doc_id``, ``source_ref`` and the ``*_source_ref`` columns (line numbers move
  with every style), ``seq`` (the order of a row among all fields, which moves when a style adds or
  loses a row), ``confidence``/``body_confidence`` (a restyled reading may be less sure; lowering
  it is the point), the documents row's file and run metadata (path, hash, encoding, status,
  warnings, versions);
- ``citations.law_name_source`` says what resolved a printed short name (the document's own
  definition or the shared alias table): a style that loses the definition resolves the same
  ``law_name`` from the table. Provenance, not a value; ``law_name`` itself is compared;
- ``changes`` rows are numbered in reading order (``row_no``), so a style that loses or splits one
  row renumbers every row after it; rows are matched on what they print instead (the 変更日).

Rows are matched on their identifying columns (``KEYS``), compared like values. When a key holds
one row in both readings the columns compare one to one; when it holds several (a date printed
twice, several changes on one day), every restyled row must agree with some clean row of the key
in all its non-null columns; so must a row whose key has a part left null (a file name not read),
with some clean row whose key agrees in the other parts. A null against a clean value is recall lost; a restyled value where
the clean row has null, or a row whose key the clean reading has not, is a value the clean reading
does not give ("extra"). Values compare as the evaluator compares them, without the white space and
punctuation the styles drop (and an alias definition, which the clean reading drops from a name
only when its 「」 are printed).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import regex

from pipeline.analysis.evaluate import norm_value

DOCUMENT_COLUMNS = ("assessment_number", "title", "org_name", "body_name", "assessment_kind", "form_version",
                    "published_on", "published_on_raw", "business_name", "target_population")
DITTO = ("ditto_columns",)

# table -> (key columns, value columns)
COMPARED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "documents": ((), DOCUMENT_COLUMNS),
    "fields": (("section", "path", "file_name", "label"), ("value", "kind")),
    "systems": (("system_no",), ("name", "functions", "connections", *DITTO)),
    "files": (("file_no",), ("file_name", "file_type", "subject_count", "subject_scope", "record_item_count",
                             "holding_start", "holding_start_raw", "department", "user_count", "entrusts",
                             "entrustment_count", "provides", "provision_count", "transfers", "transfer_count")),
    "selections": (("file_name", "path", "label"), ("chosen", "options")),
    "checklist_items": (("file_name", "path", "label", "option"), ("checked", "detail")),
    "entrustments": (("file_name", "entrustment_no"),
                     ("title", "content", "handler_count", "contractor", "subcontract", "subcontract_permission",
                      "subcontract_items", *DITTO)),
    "transfers": (("file_name", "kind", "transfer_no"),
                  ("counterparty", "legal_basis", "purpose", "information", "subject_count", "subject_scope",
                   "methods", "timing", *DITTO)),
    "risk_answers": (("file_name", "section", "risk", "question"), ("answer", "measures")),
    "changes": (("changed_on",), ("changed_on_raw", "item", "before", "after", "timing", "reason")),
    "dates": (("raw",), ("iso", "date", "era", "era_year", "valid", "path")),
    "citations": (("raw",), ("law_name", "law_number", "article", "appendix", "items", "law_name_printed",
                             "instrument", "promulgated_on", "path")),
    "aliases": (("alias",), ("full",)),
}

# What the punctuation-dropping styles remove, and an alias definition (以下「X」という。).
_DROPPED = regex.compile(r"[\s、。「」【】,]|\(以下.*?という\)")


def comparable(value):
    value = norm_value(value)
    if isinstance(value, frozenset):
        return frozenset(_DROPPED.sub("", _DROPPED.sub("", v)) for v in value)
    return _DROPPED.sub("", _DROPPED.sub("", value)) if isinstance(value, str) else value


def rows_by_key(ext, table: str) -> dict[tuple, list[dict]]:
    """key -> [{column: comparable value}] for one table of an extraction, in reading order."""
    keys, columns = COMPARED[table]
    rows = [ext.document] if table == "documents" else ext.tables.get(table, [])
    out: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        out[tuple(comparable(row.get(k)) for k in keys)].append({c: comparable(row.get(c)) for c in columns})
    return out


@dataclass
class Tally:
    """One table of one restyled reading against the clean one."""
    differ: list[str] = field(default_factory=list)  # a non-null value other than the clean one
    extra: list[str] = field(default_factory=list)  # a value where the clean reading has none
    nulls: int = 0  # a clean value the restyled reading leaves null (or whose row it lacks)
    values: int = 0  # clean non-null values compared


def _present(value) -> bool:
    return value is not None and value != frozenset()


def compare_table(clean: dict[tuple, list[dict]], styled: dict[tuple, list[dict]]) -> Tally:
    tally = Tally()
    for key, cleans in clean.items():
        tally.values += sum(_present(v) for row in cleans for v in row.values())
        got = styled.get(key, [])
        for column in (cleans[0] if cleans else {}):
            lost = sum(_present(r[column]) for r in cleans) - sum(_present(r[column]) for r in got)
            tally.nulls += max(lost, 0)
    for key, rows in styled.items():
        cleans = clean.get(key) or _unknown_key_matches(clean, key)
        if cleans is None:
            tally.extra += [f"{key}: no such row in the clean reading, restyled {row}"
                            for row in rows if any(_present(v) for v in row.values())]
            continue
        for row in rows:
            if len(cleans) == 1 and len(rows) == 1 and key in clean:
                _one_to_one(key, cleans[0], row, tally)
            elif not any(_agrees(c, row) for c in cleans):
                tally.differ.append(f"{key}: restyled {row} agrees with none of the clean rows {cleans}")
    return tally


def _unknown_key_matches(clean: dict[tuple, list[dict]], key: tuple) -> list[dict] | None:
    """A key read with a part left null (a file name not settled) may be any clean key agreeing
    in its other parts: the rows must agree with one of those clean rows."""
    if None not in key:
        return None
    rows = [r for k, rs in clean.items() if all(a is None or a == b for a, b in zip(key, k)) for r in rs]
    return rows or None


def _one_to_one(key, clean: dict, row: dict, tally: Tally) -> None:
    for column, value in row.items():
        if not _present(value) or value == clean[column]:
            continue
        target = tally.differ if _present(clean[column]) else tally.extra
        target.append(f"{key} {column}: clean {clean[column]!r}, restyled {value!r}")


def _agrees(clean: dict, row: dict) -> bool:
    return all(not _present(v) or v == clean[c] for c, v in row.items())


def compare(clean_ext, styled_ext) -> dict[str, Tally]:
    return {t: compare_table(rows_by_key(clean_ext, t), rows_by_key(styled_ext, t)) for t in COMPARED}


def counts(tallies: dict[str, Tally]) -> Counter:
    return Counter({t: len(x.differ) for t, x in tallies.items()})
