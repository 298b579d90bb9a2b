"""The printed forms (様式2/3/4) as data: typed loader over parsers/form/data/*.json.

Extractors align scrambled text to these items: `load_template(kind).items()` in printed order,
`match(text)` to recognise a label, `lists_containing(option)` to attribute a chosen option.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Iterator

import regex

from normalizers.text import compact, label_key

FORMS = Path(__file__).with_name("data")
KINDS = ("基礎項目評価書", "重点項目評価書", "全項目評価書")
COVER = "表紙"  # section key of the cover rows, printed before the outline's sections
_MARKER = regex.compile(r"^([①-⑳])")
_HEADING_NO = regex.compile(r"^[0-9０-９]+[.．]")
_NUMBER_TAIL = regex.compile(r"[0-9]+(?:~[0-9]+)?$")  # after compact(): ～ is ~, １ is 1


class Option(str):
    """An option label; `detail` is True when the form prints a （ ） detail field after it."""

    detail: bool

    def __new__(cls, label: str, detail: bool = False) -> Option:
        obj = super().__new__(cls, label)
        obj.detail = detail
        return obj


@dataclass(frozen=True)
class Item:
    path: tuple[str, ...]
    section: str
    label: str
    marker: str | None
    name: str
    variants: tuple[str, ...]
    type: str
    options: tuple[Option, ...]
    options_id: str | None
    repeat: str | None
    verified: bool
    source: str

    @cached_property  # computed once: the extractors ask for every item, per section and block
    def keys(self) -> frozenset[str]:
        """Compact forms under which the label is recognised (label and variants, ※ dropped)."""
        return frozenset(_key(s) for s in (self.label, *self.variants))

    @cached_property
    def header_stem(self) -> str | None:
        """For a repeated-block header (システム1), its label without the instance number."""
        key = _key(self.label)
        return _NUMBER_TAIL.sub("", key) if self.repeat and _NUMBER_TAIL.search(key) else None


@dataclass
class FormTemplate:
    kind: str
    form_no: int
    title: str
    revisions: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]  # (key, title) in printed order, from outline.json
    _items: list[Item] = field(default_factory=list, repr=False)
    _index: dict[str, list[Item]] = field(default_factory=dict, repr=False)
    _headers: dict[str, list[Item]] = field(default_factory=dict, repr=False)
    _deletion_index: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _ends: tuple[set[str], set[str]] = field(default_factory=lambda: (set(), set()), repr=False)

    def _add(self, item: Item) -> None:
        self._items.append(item)
        for key in item.keys:
            self._index.setdefault(key, []).append(item)
        if item.header_stem:
            self._headers.setdefault(item.header_stem, []).append(item)

    def items(self) -> Iterator[Item]:
        return iter(self._items)

    @cached_property
    def longest_key(self) -> int:
        """Length of the longest label key: a longer text cannot be a label (nor one typo from one)."""
        return max(map(len, [*self._index, *self._headers]), default=0)

    def match_misprinted(self, text: str) -> list[Item]:
        """Items whose label differs from ``text`` by one character (a filler's typo such as
        従業員 for 従業者), for labels long enough that one edit cannot make another label; edits
        touching digits or markers are never forgiven (リスク1 vs リスク2, ① vs ②)."""
        key = _key(text)
        if not _MISPRINT_MIN <= len(key) <= self.longest_key + 1 or not self._could_be_near(key):
            return []
        found = {k for d in _deletions(key) | {key} for k in self._near().get(d, ())
                 if k != key and _one_edit_without_digits(key, k)}
        return self._index[found.pop()] if len(found) == 1 else []

    def _could_be_near(self, key: str) -> bool:
        """One edit leaves the first or the last four characters of a long label intact."""
        self._near()
        return key[:4] in self._ends[0] or key[-4:] in self._ends[1]

    def _near(self) -> dict[str, set[str]]:
        if not self._deletion_index:
            for key in self._index:
                if len(key) >= _MISPRINT_MIN:
                    self._ends[0].add(key[:4])
                    self._ends[1].add(key[-4:])
                    for d in _deletions(key) | {key}:
                        self._deletion_index.setdefault(d, set()).add(key)
        return self._deletion_index

    def match(self, text: str) -> list[Item]:
        """Items whose label or a variant equals `text` (compacted, trailing ※ dropped), in
        printed order. A repeated-block header also matches other instances (システム2～5)."""
        key = _key(text)
        return self._index.get(key) or self._headers.get(_NUMBER_TAIL.sub("", key), [])


_MISPRINT_MIN = 8  # shorter labels are too close to each other to forgive an edit


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


def _one_edit_without_digits(a: str, b: str) -> bool:
    """True when a and b differ by one substitution, insertion or deletion of a non-digit."""
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    if len(a) == len(b):
        changed = {a[i], b[i]} if a[i + 1:] == b[i + 1:] else None
    else:
        changed = {b[i]} if a[i:] == b[i + 1:] else None
    return bool(changed) and not any(c.isdigit() or not c.isalnum() for c in changed)


def _key(s: str) -> str:
    return label_key(s, keep_numbering=True)


def cover_vocabulary() -> dict:
    """The cover page as data (``cover.json``): labels, form title and tag, heads of organisation
    names, site clutter marks."""
    return form_data("cover.json")


@cache
def form_data(name: str) -> dict:
    """One file of the form data (``parsers/form/data/NAME``), read once."""
    return json.loads((FORMS / name).read_text(encoding="utf-8"))


@cache
def _option_defs() -> dict[str, tuple[str, tuple[Option, ...]]]:
    """id -> (type, options)."""
    out = {}
    for oid, d in form_data("options.json").items():
        if not oid.startswith("_"):
            detail = set(d.get("detail", ()))
            out[oid] = (d["type"], tuple(Option(o, o in detail) for o in d["options"]))
    return out


def option_lists() -> dict[str, list[str]]:
    return {oid: list(opts) for oid, (_, opts) in _option_defs().items()}


def option_variants(option_id: str) -> dict[str, list[str]]:
    """Canonical option -> other printed forms (older revisions)."""
    return form_data("options.json")[option_id].get("variants", {})


def lists_containing(option: str) -> list[str]:
    """Ids of the option lists that contain `option` (or a printed variant of one)."""
    return list(_option_index().get(_key(option), ()))


@cache
def _option_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for oid, opts in option_lists().items():
        printed = {*opts, *(v for vs in option_variants(oid).values() for v in vs)}
        for key in {_key(o) for o in printed}:
            index[key] = index.get(key, ()) + (oid,)
    return index


def _expand(nodes: list[dict]) -> Iterator[dict]:
    blocks = form_data("blocks.json")
    for node in nodes:
        yield from (_expand(blocks[node["use"]]) if "use" in node else (node,))


def _walk(nodes: list[dict], section: str, path: tuple[str, ...], repeat: str | None,
          verified: bool) -> Iterator[Item]:
    for node in _expand(nodes):
        label = node["label"]
        children = node.get("children", [])
        opt_id = node.get("options")
        opt_type, options = _option_defs()[opt_id] if opt_id else (None, ())
        node_repeat = node.get("repeat", repeat)
        node_verified = node.get("verified", verified)
        marker = _MARKER.match(label)
        yield Item(
            path=path + (label,), section=section, label=label,
            marker=marker.group(1) if marker else None,
            name=_HEADING_NO.sub("", _MARKER.sub("", label)).removesuffix("※").strip(),
            variants=tuple(node.get("variants", ())),
            type=node.get("type") or opt_type or ("group" if children else "text"),
            options=options, options_id=opt_id, repeat=node_repeat,
            verified=node_verified, source=node.get("_source", ""),
        )
        yield from _walk(children, section, path + (label,), node_repeat, node_verified)


@cache
def load_template(kind: str) -> FormTemplate:
    outline = form_data("outline.json")[kind]
    spec = form_data(f"form{outline['form_no']}.json")
    titles = {s["key"]: s["title"] for s in outline["sections"]}
    template = FormTemplate(
        kind=kind, form_no=outline["form_no"], title=spec["title"],
        revisions=tuple(spec["revisions"]),
        sections=tuple((s["key"], s["title"]) for s in outline["sections"]),
    )
    if set(spec["sections"]) != {COVER, *titles}:
        raise ValueError(f"{kind}: template sections differ from outline.json")
    for key in (COVER, *titles):
        sec = spec["sections"][key]
        for item in _walk(sec["items"], key, (titles.get(key, key),), sec.get("repeat"),
                          sec.get("verified", True)):
            template._add(item)
    return template


_TITLE = regex.compile(r"評価書\((基礎項目|重点項目|全項目)評価書\)")  # on compact() text
_TAG = regex.compile(r"\[[^\]\[]{0,16}様式([234])\]")
_NAME_END = regex.compile(r"(基礎項目|重点項目|全項目)評価書(?:【[^】]*】)?$")
_COVER_LINES = 60
_MIN_SCORE = 3   # distinctive labels needed to decide by labels
_MIN_KEY = 5     # shorter labels are too common to be evidence
_DOMINANCE = 2   # the winning form needs this many times the runner-up's distinctive labels


def detect_kind(text: str) -> str | None:
    """Which form `text` is: its title line or form tag; else the form whose distinctive labels
    and 項目一覧 entries clearly dominate; else a cover 評価書名 ending in the kind; else None."""
    flat = compact(text)
    if m := _TITLE.search(flat):
        return m.group(1) + "評価書"
    if m := _TAG.search(flat):
        return next(k for k in KINDS if load_template(k).form_no == int(m.group(1)))
    scores = {k: sum(key in flat for key in keys) for k, keys in _distinctive_keys().items()}
    best, runner_up = sorted(scores, key=scores.get, reverse=True)[:2]
    if scores[best] >= _MIN_SCORE and scores[best] >= _DOMINANCE * scores[runner_up]:
        return best
    if "評価書名" in flat:
        for line in text.splitlines()[:_COVER_LINES]:
            if m := _NAME_END.search(compact(line)):
                return m.group(1) + "評価書"
    return None


@cache
def _distinctive_keys() -> dict[str, frozenset[str]]:
    """Per kind, the compacted labels and 項目一覧 entries printed in no other form."""
    keys = {}
    for kind in KINDS:
        t = load_template(kind)
        entries = {compact(f"({k}){title}" if k.startswith("別添") else k + title)
                   for k, title in t.sections}
        keys[kind] = {k for i in t.items() for k in i.keys if len(k) >= _MIN_KEY} | entries
    return {k: frozenset(v - set().union(*(keys[o] for o in KINDS if o != k)))
            for k, v in keys.items()}
