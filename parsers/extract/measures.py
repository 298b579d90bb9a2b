"""The measure text a risk question grades: read where it can be attributed with confidence."""
from __future__ import annotations

from typing import Sequence

import regex

from parsers.form.align import FOLLOWING, INLINE, LabelHit, text_value
from parsers.form.template import FormTemplate, Item
from parsers.model import Line, same_row

RISK_GRADE = "OPT-十分か"  # the リスクへの対策は十分か options: the answer grades all measures of its risk
_EMPTY = regex.compile(r"^[\s\-－―ー‐]*$")  # "－": the cell is intentionally empty


def measures(lines: Sequence[Line], span: range, hits: list[LabelHit],
             resolved: dict[int, Item]) -> dict[tuple, tuple[str, list[int]]]:
    """Text item path -> (text, line indexes) for the measure texts that can be read with confidence:
    an unambiguous label, or any label in ordered text, with the paragraph that follows it (in a
    markdown table, the cells of its own row only). ``resolved``: label line -> its item."""
    stop = {h.index for h in hits}
    rows = any(same_row(lines[i], lines[i - 1]) for i in range(span.start + 1, span.stop))
    out = {}
    for h in hits:
        item = resolved.get(h.index)
        if item is None or item.type != "text":
            continue
        value, used, confidence = text_value(lines, h, stop, span.stop)
        # a table row keeps its cells on the label's line number: an empty cell is empty; in other
        # text a paragraph past blank lines may be another label's (labels stack above their texts)
        keep = confidence >= (INLINE if rows else FOLLOWING)
        if keep and not _EMPTY.match(value) and item.path not in out:
            out[item.path] = (value, used)
    return out


def measure_of(q: Item, template: FormTemplate, measures: dict[tuple, tuple[str, list[int]]]
               ) -> tuple[str | None, list[int]]:
    """The text a question grades: its own detail texts (具体的な管理方法 …); for リスクへの対策は十分か
    every measure text of its risk."""
    children = [it for it in template.items() if it.type == "text" and it.path[:len(q.path)] == q.path]
    if not children and q.options_id != RISK_GRADE:
        return None, []
    if not children:
        risk = q.path[:-1]
        children = [it for it in template.items() if it.type == "text" and it.path[:len(risk)] == risk
                    and len(risk) > 2]
    found = [measures[c.path] for c in children if c.path in measures]
    if not found:
        return None, []
    return " ".join(t for t, _ in found), [i for _, used in found for i in used]
