"""Repeated blocks of the form (システムN, 委託事項N, 提供先N, 移転先N): split a section's label hits
into block instances, and read an instance's answers.

In scrambled text an instance's rows are not guaranteed to follow its header, so attribution is
deliberately narrow:
- an instance starts at a numbered header hit (``委託事項2 …``); a group caption (``委託事項2～5``)
  starts nothing and ends the open instance;
- its members are the following hits of items printed under that header; hits of the enclosing
  headings or of sibling rows (``４．…委託``, ``委託の有無``) are tolerated, any other hit or header
  ends it;
- the members before the first tolerated hit are the instance's *core*; a label with exactly one
  core hit takes it, else a label with exactly one hit overall takes it, else the label is ambiguous
  (two hits of ``③委託先名`` cannot both be this instance's) and stays unanswered;
- the first block of a kind, when its header is number 1 and no instance is open, also takes the
  run of its rows printed right before the header (the text layer often puts the first row of a
  page above the block's header); a later header could not say whose such rows are.

Answers chosen by the choices stage (selections, checklist_items) are looked up by the instance's
path (header element numbered as printed, see the path convention) and must come from lines inside
the instance's span, so a row attributed elsewhere is never borrowed.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from itertools import takewhile
from typing import Iterable, Sequence

import regex

from normalizers.text import compact, join_wrapped, nfkc

from parsers.form.align import LabelHit, text_value
from parsers.extract import numbered
from parsers.extract.brackets import chosen_option
from parsers.extract.fields import Aligned
from parsers.form.template import FormTemplate, Item, load_template
from parsers.model import Line, parse_ref
from parsers.settings import EXTRACT, PDF

_MIN_LABEL_START = 4  # a shorter line start is too common to be a wrapped label
_NOTE = regex.compile(r"^\s*[*＊※]")


@dataclass
class Instance:
    """One numbered block as printed: ``label`` is e.g. ``委託事項2``."""

    stem: str
    number: int
    header: Aligned
    header_item: Item
    start: int  # line index of the header
    end: int = 0  # line index where the instance stops (exclusive)
    items: tuple[Item, ...] = ()  # the template rows printed under the header
    members: list[tuple[Aligned, Item, bool]] = field(default_factory=list)  # (hit, item, in core)

    @property
    def label(self) -> str:
        return f"{self.stem}{self.number}"

    def path(self, item: Item) -> str:
        """``item``'s path with the header element numbered as this instance (path convention)."""
        depth = len(self.header_item.path)
        return " > ".join(item.path[:depth - 1] + (self.label,) + item.path[depth:])

    def hit_for(self, name: str) -> Aligned | None:
        """The one hit of the member item named ``name`` (label without marker/※), or None."""
        found = [(a, core) for a, it, core in self.members if it.name == name]
        pick = [a for a, core in found if core] or [a for a, _ in found]
        return pick[0] if len(pick) == 1 else None

    def item_named(self, name: str) -> Item | None:
        """The template item ``name`` under this instance's header, whether or not it was hit."""
        return next((it for it in self.items if it.name == name), None)


def _under(item: Item, header: Item) -> bool:
    return item.path[:len(header.path)] == header.path and item.path != header.path


def _tolerated(a: Aligned, header: Item) -> bool:
    """An enclosing heading, or a row printed beside the blocks in the same group."""
    parent = header.path[:-1]
    return any(it.path == parent[:len(it.path)] or (it.path[:-1] == parent and not it.header_stem)
               for it in a.hit.items)


def split_instances(lines: Sequence[Line], hits: Sequence[Aligned], end: int,
                    template_items: Iterable[Item]) -> list[Instance]:
    """Every numbered block instance among ``hits`` (one section's aligned hits, ending at line
    index ``end``), in order; ``template_items`` tell an instance the rows it could have."""
    items = tuple(template_items)
    out: list[Instance] = []
    current: Instance | None = None
    loose: list[Aligned] = []  # hits since the last instance closed
    seen: set[str] = set()  # stems whose first header has been met
    core = True

    def close(at: int) -> None:
        nonlocal current
        if current is not None:
            current.end = at
            out.append(current)
        current = None
        loose.clear()

    printed = numbered.headers(lines, hits)
    for a in hits:
        found = printed.get(a.hit.index)
        if found is not None:
            header = found.item
            was_open = current is not None
            if was_open:
                close(a.hit.index)
            if found.number is not None:
                current = Instance(header.header_stem, found.number, a, header, a.hit.index,
                                   items=tuple(it for it in items if _under(it, header)))
                if current.number == 1 and header.header_stem not in seen and not was_open:
                    current.members += _leading_rows(loose, header)
                core = True
            seen.add(header.header_stem)
            loose.clear()
            continue
        if current is None:
            loose.append(a)
            continue
        member = next((it for it in a.hit.items if _under(it, current.header_item)), None)
        if member is not None:
            current.members.append((a, member, core))
        elif _tolerated(a, current.header_item):
            core = False
        else:
            close(a.hit.index)
            loose.append(a)
    close(end)
    return out


def _leading_rows(loose: list[Aligned], header: Item) -> list[tuple[Aligned, Item, bool]]:
    """Rows of the first block printed just before its header (``①委託内容 …`` then ``委託事項1``):
    the run of its rows (and tolerated headings) that ends at the header, outside any instance.
    They count like rows after a tolerated heading (never over a core row)."""
    run: list[tuple[Aligned, Item, bool]] = []
    for a in reversed(loose):
        member = next((it for it in a.hit.items if _under(it, header)), None)
        if member is not None:
            run.insert(0, (a, member, False))
        elif not _tolerated(a, header):
            break
    return run


def placed_text(lines: Sequence[Line], hit: LabelHit, stop: set[int], end: int, template: FormTemplate
                ) -> tuple[str | None, list[int]]:
    """The text value after ``hit`` when it is placed with confidence. A value line that begins a
    label of the form (``②取扱いを委託する特定個`` wrapped before ``人情報ファイルの範囲``) is a label
    the aligner could not match, not a value."""
    value, used, confidence = text_value(lines, hit, stop, end)
    if not value or confidence < EXTRACT.confident:
        return None, []
    if not hit.rest and _begins_label(lines[used[1]].text, template.kind):
        return None, []
    return value, used


def _begins_label(text: str, kind: str) -> bool:
    key = compact(text).removesuffix("※")
    return len(key) >= _MIN_LABEL_START and any(k.startswith(key) for k in _label_keys(kind))


@cache
def _label_keys(kind: str) -> frozenset[str]:
    return frozenset(k for it in load_template(kind).items() for k in it.keys)


def instance_text(lines: Sequence[Line], inst: Instance, name: str, stop: set[int], end: int,
                  template: FormTemplate) -> tuple[str | None, list[int]]:
    """The text value of the member named ``name`` when it can be placed with confidence."""
    found = inst.hit_for(name)
    return placed_text(lines, found.hit, stop, end, template) if found else (None, [])


def before_note(lines: Sequence[Line], hit: LabelHit, used: list[int]) -> tuple[str | None, list[int]]:
    """A name cell's text before its first note line (``＊国保総合システムは…``, ``※…``): the note
    explains the name, it is not part of it. ``used`` as returned by ``placed_text``."""
    parts = ([(hit.index, hit.rest)] if hit.rest else []) + [(i, lines[i].text) for i in used[1:]]
    keep = parts[:1] + list(takewhile(lambda p: not _NOTE.match(nfkc(p[1])), parts[1:]))
    value = join_wrapped([text for _, text in keep])
    return (value or None), sorted({hit.index, *(i for i, _ in keep)})


def header_text(lines: Sequence[Line], inst: Instance, stop: set[int], end: int, template: FormTemplate
                ) -> tuple[str | None, list[int]]:
    """The title printed on the header row (inline, or the next row of a markdown table)."""
    return placed_text(lines, inst.header.hit, stop, end, template)


# --- answers chosen by the choices stage ------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """The lines an instance (or a Ⅱ block) covers: 1-based line numbers and PDF pages, and for a
    PDF layout read in reading order the (page, top) where it starts and ends, so two blocks
    sharing a page are told apart."""

    first: int
    last: int
    pages: frozenset[int]
    start_at: tuple[int, float] | None = None
    end_at: tuple[int, float] | None = None

    @classmethod
    def of(cls, lines: Sequence[Line], start: int, end: int) -> Span:
        part = lines[start:end] or lines[start:start + 1]
        pages = frozenset(ln.page for ln in part if ln.page is not None)
        if part[0].bbox and part[-1].bbox and _reading_order(part):
            return cls(part[0].no, part[-1].no, pages, (part[0].page, part[0].bbox[1] - PDF.row_tolerance),
                       (part[-1].page, part[-1].bbox[3] + PDF.row_tolerance))
        return cls(part[0].no, part[-1].no, pages)

    def holds(self, ref: str | None) -> bool:
        r = parse_ref(ref)
        if r is None:
            return False
        if not r.page:
            return self.first <= r.first <= self.last
        if r.box and self.start_at and self.end_at:
            return self.start_at <= (r.first, r.box[1]) <= self.end_at
        return r.first in self.pages


def _reading_order(part: Sequence[Line]) -> bool:
    """Whether the first line is the topmost of the first page and the last line ends lowest on the
    last page (a PDF layout read cell by cell), so positions bound the span."""
    first, last = part[0], part[-1]
    return (all((ln.page, ln.bbox[1]) >= (first.page, first.bbox[1] - PDF.row_tolerance) for ln in part if ln.bbox)
            and all((ln.page, ln.bbox[3]) <= (last.page, last.bbox[3] + PDF.row_tolerance) for ln in part if ln.bbox))


class RowIndex:
    """One table's rows by path, each path's rows sorted by where they were read (source line, or
    PDF page and top), so a block finds its rows by bisection instead of a scan of the whole
    document: a report with thousands of Ⅱ blocks stays linear."""

    _FAR = float("inf")

    def __init__(self, rows: Iterable[dict]):
        by_path: dict[str | None, list[tuple[tuple, int, dict]]] = {}
        for n, row in enumerate(rows):
            by_path.setdefault(row.get("path"), []).append((self._key(row.get("source_ref")), n, row))
        self._rows = {path: sorted(entries, key=lambda e: e[:2]) for path, entries in by_path.items()}
        self._keys = {path: [e[0] for e in entries] for path, entries in self._rows.items()}

    @classmethod
    def _key(cls, ref: str | None) -> tuple:
        r = parse_ref(ref)
        if r is None:
            return (2, 0, 0.0)  # never inside a span
        if not r.page:
            return (0, r.first, 0.0)
        return (1, r.first, r.box[1] if r.box else -cls._FAR)  # no box: the page alone places the row

    def inside(self, path: str, within: Span) -> list[dict]:
        """The rows of ``path`` that ``within`` holds, in the order they were recorded."""
        entries, keys = self._rows.get(path, []), self._keys.get(path, [])
        ranges = [((0, within.first, -self._FAR), (0, within.last, self._FAR))]
        if within.pages:
            ranges.append(((1, min(within.pages), -self._FAR), (1, max(within.pages), self._FAR)))
        near = [e for lo, hi in ranges for e in entries[bisect_left(keys, lo):bisect_right(keys, hi)]]
        return [row for _, _, row in sorted(near, key=lambda e: e[1]) if within.holds(row.get("source_ref"))]


def rows_at(rows: RowIndex, path: str, span: Span, within: Span) -> list[dict] | None:
    """The rows recorded for ``path`` in the block ``within`` (a section); None when any of them lies
    outside ``span``: the choices stage placed part of the answer elsewhere, so none is used."""
    found = rows.inside(path, within)
    return found if all(span.holds(r.get("source_ref")) for r in found) else None


def chosen(rows: RowIndex, path: str, span: Span, within: Span) -> str | None:
    """The single-choice answer recorded for ``path`` inside ``span``; None when absent, unsure or
    contradictory."""
    values = {r.get("chosen") for r in rows_at(rows, path, span, within) or ()
              if r.get("confidence") is None or r["confidence"] >= EXTRACT.accepted_choice}
    return values.pop() if len(values) == 1 else None


def checked(rows: RowIndex, path: str, span: Span, within: Span) -> list[str] | None:
    """The checked options of the checklist at ``path`` inside ``span``; None when the list was not
    found or any box's state is unknown."""
    found = rows_at(rows, path, span, within)
    if not found or any(r.get("checked") is None for r in found):
        return None
    out: list[str] = []
    for r in found:
        if r["checked"] and r["option"] not in out:
            out.append(r["option"])
    return out


def cell_choice(lines: Sequence[Line], hit: LabelHit, stop: set[int], end: int, options: Sequence[str]
                ) -> str | None:
    """The option bracketed in the label's own cell: between the label and the next label hit, at
    most ``ExtractSettings.cell_lines`` lines on, exactly one distinct option of the question's list. Used for a
    block row the choices stage could not tie to its instance (it abstains on labels printed in
    every instance); here the label hit already belongs to the instance."""
    after = min([i for i in stop if i > hit.index] + [end, hit.index + EXTRACT.cell_lines + 1])
    value, _ = chosen_option(lines, range(hit.index, after), options)
    return value
