"""The measure texts a graded risk question grades (``risk_answers.measures``).

A question's measures are the text rows printed under it (具体的な管理方法 …); リスクへの対策は十分か
grades every text row of its risk (措置の内容, リスクに対する措置の内容, その他の措置の内容). A text
row is read at its label when the label says which row it is:
- in text that follows the form's order (markdown, PDF cells), by that order;
- in scrambled text, an unambiguous label stands for itself; a label every risk prints
  (リスクに対する措置の内容) belongs to the question, else the risk, else the section whose heading
  was printed last before it, when exactly one of its rows there carries that label.
A text that cannot be tied to its row stays out, with a warning.
"""
from __future__ import annotations

from typing import Sequence

import regex

from parsers.extract.contract import ExtractWarning
from normalizers.text import join_wrapped, nfkc
from parsers.form.align import NOT_TEXT, FOLLOWING, INLINE, LabelHit, text_value
from parsers.form.template import FormTemplate, Item
from parsers.model import Line, same_row, source_ref

RISK_GRADE = "OPT-十分か"  # the リスクへの対策は十分か options: the answer grades all measures of its risk
_EMPTY = regex.compile(r"^[\s\-－―ー‐]*$")  # "－": the cell is intentionally empty

Texts = dict[tuple, tuple[str, list[int]]]


def measure_texts(lines: Sequence[Line], scope, template: FormTemplate, hits: list[LabelHit],
                  resolved: dict[int, Item] | None) -> tuple[Texts, list[ExtractWarning]]:
    """Text item path -> (text, line indexes), and a warning per text that could not be placed.
    ``resolved`` maps label lines to items for ordered text; None for scrambled text."""
    if resolved is None:
        resolved = by_headings(hits)
    stop = {h.index for h in hits}
    rows = any(same_row(lines[i], lines[i - 1]) for i in range(scope.start + 1, scope.end))
    out: Texts = {}
    warnings = []
    running = _running_headers(hits)
    for n, h in enumerate(hits):
        if not any(c.type == "text" for c in h.items):
            continue
        item = resolved.get(h.index)
        value, used, confidence = text_value(lines, h, stop, scope.end)
        if confidence < FOLLOWING and not rows and item is not None:
            rank = _ranks(template)
            # the next label that says where the text ends; a running header or a heading of an
            # earlier section (printed again at a page top) says nothing
            following = next((x for x in hits[n + 1:] if x.index not in running and not all(
                rank[c.path] < rank[item.path[:2]] for c in x.items)), None)
            until = hits[n + 1].index if n + 1 < len(hits) else scope.end
            value, used, confidence = _enclosed(lines, h, item, following, until, resolved, rank)
            if _hides_label(lines, used[1:], template):
                value, used, confidence = "", [], 0.0
        if item is None and value.strip() and not _EMPTY.match(value):
            warnings.append(ExtractWarning("measure_unattributed", f"measure text under {h.items[0].label!r} "
                                           f"cannot be tied to one risk; left out",
                                           source_ref([lines[i] for i in [h.index, *used]])))
        # a table row keeps its cells on the label's line number: an empty cell is empty; in other
        # text a paragraph past blank lines may be another label's (labels stack above their texts)
        if item is None or confidence < (INLINE if rows else FOLLOWING) or _EMPTY.match(value):
            continue
        if item.type == "text" and item.path not in out:
            out[item.path] = (value, used)
    return out, warnings


def _enclosed(lines: Sequence[Line], h: LabelHit, item: Item, following: LabelHit | None, until: int,
              resolved: dict[int, Item], rank: dict[tuple, int]) -> tuple[str, list[int], float]:
    """Paragraphs past blank lines after a label (up to the next label, ``until``) are its text when
    the next label other than a running header can only be, in this section, a row of the same risk
    (リスクに対する措置の内容 … リスクへの対策は十分か) or the heading of a later risk: no other row's
    text can sit between them."""
    nxt = resolved.get(following.index) if following else None
    mine = [c for c in following.items if c.path[:2] == item.path[:2]] if following else []
    closes = bool(mine) and all(c.path[:3] == item.path[:3] or (c.type == "group" and len(c.path) == 3
                                                                and rank[c.path] > rank[item.path]) for c in mine)
    if len(item.path) < 3 or not (closes or (nxt is not None and nxt.path[:3] == item.path[:3])):
        return "", [], 0.0
    taken = [j for j in range(h.end, until)
             if lines[j].text.strip() and not NOT_TEXT.match(nfkc(lines[j].text))]
    return join_wrapped([lines[j].text for j in taken]), [h.index, *taken], FOLLOWING


def _hides_label(lines: Sequence[Line], taken: list[int], template: FormTemplate) -> bool:
    """A line, or two lines joined, of the text is a label the layout kept from being recognised
    (特定個人情報の提供・移転 / に関するルール): the text may be that row's, not the label's before it."""
    texts = [lines[i].text.strip() for i in taken]
    return any(template.match(t) for t in texts) or any(template.match(a + b) for a, b in zip(texts, texts[1:]))


def _ranks(template: FormTemplate) -> dict[tuple, int]:
    return {it.path: n for n, it in enumerate(template.items())}


def _running_headers(hits: list[LabelHit]) -> set[int]:
    """Lines of a label that only one item carries but that is printed three times or more: a
    page's running header (１．特定個人情報ファイル名), not a row of the text around it."""
    seen: dict[tuple, list[int]] = {}
    for h in hits:
        if len(h.items) == 1:
            seen.setdefault(h.items[0].path, []).append(h.index)
    return {i for found in seen.values() if len(found) >= 3 for i in found}


def by_headings(hits: list[LabelHit]) -> dict[int, Item]:
    """Label line -> item for scrambled text, by the headings printed before each label."""
    out: dict[int, Item] = {}
    context: list[tuple] = []  # section, risk, question paths printed last, broadest first
    for h in hits:
        if len(h.items) == 1:
            out[h.index] = h.items[0]
        if all(c.type == "group" for c in h.items):
            context = _heading(h.items, context)
            continue
        if h.index not in out:
            item = _within(h.items, context)
            if item is not None:
                out[h.index] = item
        item = out.get(h.index)
        if item is not None and item.type != "text" and len(context) >= 2 and item.path[:-1] == context[1]:
            context = context[:2] + [item.path]  # the question its detail rows follow
    return out


def _heading(groups: tuple[Item, ...], context: list[tuple]) -> list[tuple]:
    if len(groups) == 1 and len(groups[0].path) in (2, 3):  # a heading only one section prints
        path = groups[0].path
        return [path[:2], path][:len(path) - 1]
    under = [g for g in groups if context and g.path[:2] == context[0] and len(g.path) == 3]
    if len(under) == 1:
        return [context[0], under[0].path]
    return context[:1]  # a risk heading that cannot be placed: nothing is tied to it


def _within(items: tuple[Item, ...], context: list[tuple]) -> Item | None:
    """The one candidate under the narrowest heading that has any; None when ambiguous."""
    for path in reversed(context):
        cands = [c for c in items if c.path[:len(path)] == path]
        if len(cands) == 1:
            return cands[0]
        if cands:
            return None
    return None


def measure_of(q: Item, template: FormTemplate, texts: Texts) -> tuple[str | None, list[int]]:
    """The text a question grades: its own detail texts (具体的な管理方法 …); for リスクへの対策は十分か
    every measure text of its risk."""
    children = [it for it in template.items() if it.type == "text" and it.path[:len(q.path)] == q.path]
    if not children and q.options_id != RISK_GRADE:
        return None, []
    if not children:
        risk = q.path[:-1]
        children = [it for it in template.items() if it.type == "text" and it.path[:len(risk)] == risk
                    and len(risk) > 2]
    found = [texts[c.path] for c in children if c.path in texts]
    if not found:
        return None, []
    return " ".join(t for t, _ in found), [i for _, used in found for i in used]
