"""Where a diff item sits in the form: alignment keys of headings and labels, the section group a
row is printed under (one name per heading), numbered blocks and the form's order."""
from __future__ import annotations

from functools import lru_cache

import regex

from normalizers.text import compact, label_key, normalize_text
from parsers.form.sections import outline
from parsers.model import parse_ref

_SECTION_ORDER = ["評価書", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "別添"]
_SECTION_KEY = regex.compile(r"^(Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|Ⅵ|別添\d+)\s*")


def key_text(s: str | None) -> str:
    """Alignment form of a heading, label or option: section key, numbering, ※ and white space removed."""
    raw = _SECTION_KEY.sub("", s or "")
    return ">".join(label_key(p) for p in raw.split(" > "))


def position(ref: str | None) -> tuple:
    r = parse_ref(ref)
    if r is None:
        return (1 << 30,)
    if not r.page:
        return (r.first,)
    return (r.first, r.box[1] if r.box else 0.0)


@lru_cache(maxsize=None)
def section_keys(kind: str | None) -> dict[str, str]:
    """Printed section title -> key (Ⅰ…Ⅵ, 別添N) for the document's form; titles differ between forms."""
    forms = outline()
    specs = forms[kind]["sections"] if kind in forms else []
    return {compact(s["title"]): s["key"] for s in specs}


def group_of(path: str | None, kind: str | None, section: str | None = None) -> str:
    """Section key, title and numbered heading of a path, e.g. ``Ⅱ 特定個人情報ファイルの概要 > 6.特定個人情報の
    保管・消去``: deeper path parts are labels, and paths are printed with or without the key (kept out of
    NFKC, which would turn Ⅱ into II)."""
    printed = _SECTION_KEY.match(path or "")
    parts = [normalize_text(p) for p in (path or "")[printed.end() if printed else 0:].split(" > ") if p.strip()][:2]
    key = printed.group(1) if printed else section or (parts and section_keys(kind).get(compact(parts[0])))
    return " ".join(filter(None, [key, " > ".join(parts)])) or "その他"


def form_order(group: str) -> tuple[int, int]:
    """Section (Ⅰ…Ⅵ, 別添) then the numbered heading inside it: the order the form prints them in."""
    head = group.split(" ")[0]
    rank = next((i for i, s in enumerate(_SECTION_ORDER) if head.startswith(s)), len(_SECTION_ORDER))
    number = regex.search(r" > (\d+)\.", group)
    return rank, int(number.group(1)) if number else 0
_BLOCK = regex.compile(r"^(?:システム|委託事項|提供先|移転先)\d+$")


def block_prefix(path: str | None) -> str:
    """``システム2 › `` when the row sits in a numbered block, so repeated questions read apart."""
    block = next((p for p in reversed((path or "").split(" > ")) if _BLOCK.match(p.strip())), None)
    return f"{block.strip()} › " if block else ""
_HEADING_NO = regex.compile(r" > (\d+)\.\s*")


def group_id(group: str) -> tuple:
    """Section key, heading number and file pairing: ``4.特定…の委託`` and ``4. 特定…の委託`` (or a
    heading printed with its parenthetical tail and without) are one group."""
    head, _, pairing = group.partition(" — ")
    number = _HEADING_NO.search(head)
    return (head.split(" ")[0], number.group(1), pairing) if number else (head, None, pairing)


def one_name_per_group(items: list) -> None:
    """Every item of a group takes the group's fullest printed name (one heading, one block)."""
    spaced = lambda g: _HEADING_NO.sub(lambda m: f" > {m.group(1)}. ", g)  # noqa: E731
    names: dict[tuple, str] = {}
    for group in map(spaced, dict.fromkeys(it.group for it in items)):
        if len(group) > len(names.get(group_id(group), "")):
            names[group_id(group)] = group
    for it in items:
        it.group = names[group_id(spaced(it.group))]
_BLOCK_NO = regex.compile(r"^(?:システム|委託事項|提供先|移転先) ?[AB]?(\d+)")


def block_number(label: str) -> int:
    """Numbered blocks (システム2 › …, 委託事項 A3 …) in number order within their group, unnumbered first."""
    m = _BLOCK_NO.match(label)
    return int(m.group(1)) if m else 0
