"""①事務の名称 as a name: the value the fields extractor read for it often runs on into the form's
next item (② or its <制度内容>, 【概要】, a paragraph), on the same line or the next; a narrow cell
wraps a long name. The name is the part that has a name's shape and is not a wrapped piece."""
from __future__ import annotations

from collections.abc import Sequence

import regex

from normalizers.text import compact, normalize_text, unspace_cjk
from parsers.extract import cover_shapes
from parsers.extract.front import spaced
from parsers.form.template import cover_vocabulary
from parsers.model import Line, parse_ref

_NAME_STOP = regex.compile(cover_vocabulary()["name_stop"])


def business_name(value: str | None, ref: str | None, label: str, lines: Sequence[Line],
                  title: str | None = None) -> str | None:
    """①事務の名称 as a name. The form's next item (② or its <制度内容>, 【概要】, a paragraph) often
    follows on the same or the next line, and a narrow cell wraps a long name: so the value is cut
    where a marker begins, and of the whole value and its first line the one the title repeats
    wins; else the whole value when it is one line, else the first line (or its first word) only
    when prose follows it. None when no name-shaped value is left."""
    if not value:
        return None
    stop = _NAME_STOP
    value_lines = _value_lines(ref, label, lines) or [value]
    first = _name(stop.split(value_lines[0], 1)[0])
    whole = _name(stop.split(value, 1)[0])
    named = [n for n in (whole, first) if cover_shapes.business_name(n) and title and compact(n) in compact(title)]
    if named:
        return named[0]
    if first != _name(value_lines[0]) or len(value_lines) > 1 and _is_prose(value_lines[1]):
        if cover_shapes.business_name(first):
            return first
    elif len(value_lines) == 1 and cover_shapes.business_name(whole):
        return whole
    head, _, rest = value_lines[0].partition(" ")
    return _name(head) if _is_prose(rest) and cover_shapes.business_name(_name(head)) else None


def _name(text: str) -> str:
    return unspace_cjk(normalize_text(text))


def _is_prose(text: str) -> bool:
    """Text that opens another item or is a sentence, not the rest of a name."""
    flat = compact(text)
    return bool(flat) and (bool(_NAME_STOP.match(text.strip())) or cover_shapes.is_sentence(flat))


def _value_lines(ref: str | None, label: str, lines: Sequence[Line]) -> list[str]:
    """For a text source (``L24-L30``): the rest of the label's line (if any) and the lines after it."""
    r = parse_ref(ref)
    if r is None or r.page:
        return []
    key = regex.sub(r"^\d+", "", compact(label))  # ① is 1 after NFKC
    at = next((i for i, ln in enumerate(lines) if ln.no == r.first and key in compact(ln.text)), None)
    if at is None:
        return []
    text = lines[at].text  # not NFKC: ② would become 2
    rest = regex.sub(r"^.*?" + spaced(key), "", text, count=1).strip()
    after = [ln.text.strip() for ln in lines[at + 1:] if ln.no <= r.last and ln.text.strip()]
    return ([rest] if rest else []) + after
