"""The extractors, in the order they run, with what each needs from the ones before it.

This list is the only place that knows the order. An extractor sees the rows of the stages it
``needs`` in ``ctx.rows`` (and only those: an undeclared dependency reads nothing), so adding or
moving one is a change to this file alone. A table whose name starts with ``_`` passes from one
stage to the next and never reaches the corpus. A stage that raises costs its own rows and a
``stage_failed`` warning; the others still run.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

from parsers.extract import block_tables, changes, choices, document, fields, front, mentions, risks
from parsers.extract.context import DocContext
from parsers.extract.contract import Extracted, ExtractWarning


PRIVATE = "_"  # prefix of a table handed between stages only


@dataclass(frozen=True)
class Extractor:
    name: str
    run: Callable[[DocContext], Extracted]
    needs: tuple[str, ...] = ()


EXTRACTORS: tuple[Extractor, ...] = (
    Extractor("front", front.extract),  # cover: 評価書番号, 評価書名, 評価実施機関名, 公表日, 様式
    Extractor("fields", fields.extract),  # text, date and count items of every section
    Extractor("choices", choices.extract),  # selections, checklist_items
    Extractor("blocks", block_tables.extract, needs=("choices",)),  # systems, files, entrustments, transfers
    Extractor("risks", risks.extract, needs=("choices",)),  # risk_answers; the graded selections
    Extractor("changes", changes.extract),  # changes (変更箇所)
    Extractor("mentions", mentions.extract),  # dates, citations, aliases
    Extractor("document", document.extract, needs=("front", "fields", "choices")),  # documents columns from Ⅰ
)


def check_order(extractors: Sequence[Extractor]) -> None:
    """Every dependency names an extractor registered before it; names are unique."""
    seen: set[str] = set()
    for ex in extractors:
        if ex.name in seen:
            raise ValueError(f"extractor {ex.name!r} registered twice")
        missing = [n for n in ex.needs if n not in seen]
        if missing:
            raise ValueError(f"extractor {ex.name!r} needs {missing}, not registered before it")
        seen.add(ex.name)


check_order(EXTRACTORS)


@dataclass
class Run:
    """What all extractors yielded for one document."""

    tables: dict[str, list[dict]] = field(default_factory=dict)
    warnings: list[ExtractWarning] = field(default_factory=list)
    document: dict = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)  # extractors that raised


def run_all(ctx: DocContext, extractors: Sequence[Extractor] = EXTRACTORS) -> Run:
    check_order(extractors)
    out = Run()
    produced: dict[str, dict[str, list[dict]]] = {}
    for ex in extractors:
        ctx.rows = {}
        for need in ex.needs:
            for table, rows in produced.get(need, {}).items():
                ctx.rows.setdefault(table, []).extend(rows)
        try:
            got = ex.run(ctx)
        except Exception as exc:  # noqa: BLE001 — recorded as a warning, the document stays partial
            out.failed.append(ex.name)
            out.warnings.append(ExtractWarning("stage_failed", f"stage failed: {type(exc).__name__}: {exc}",
                                               stage=ex.name))
            continue
        produced[ex.name] = got.tables
        for table, rows in got.tables.items():
            if not table.startswith(PRIVATE):
                out.tables.setdefault(table, []).extend(rows)
        out.warnings += [w if w.stage else replace(w, stage=ex.name) for w in got.warnings]
        out.document.update(got.document)
    ctx.rows = {}
    return out
