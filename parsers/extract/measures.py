"""The measure texts a graded risk question grades (``risk_answers.measures``).

A question's measures are the text rows printed under it (具体的な管理方法 …); リスクへの対策は十分か
grades every text row of its risk (措置の内容, リスクに対する措置の内容, その他の措置の内容). A text
row is read at its label when the label says which row it is:
- in text that follows the form's order (markdown, PDF cells), by that order;
- in scrambled text, an unambiguous label stands for itself; a label every risk prints
  (リスクに対する措置の内容) belongs to the question, else the risk, else the section whose heading
  was printed last before it, when exactly one of its rows there carries that label — unless the
  page shows it moved on (text under the heading before any label, a label that risk does not
  carry); its text runs over blank lines to the next label, unless labels are stacked above their
  texts; text right under the heading of a risk with one text row is that row's.
A text that cannot be tied to its row stays out, with a warning.
"""
from __future__ import annotations

from functools import cache
from typing import Sequence

import regex

from parsers.extract.contract import ExtractWarning
from parsers.extract.measure_content import by_content, split_by_content
from normalizers.text import join_wrapped, nfkc
from parsers.form.align import FOLLOWING, INLINE, LABEL_CELL, NOT_TEXT, WRAPPED_LINES, LabelHit, text_value
from parsers.form.template import FormTemplate, Item, load_template
from parsers.model import Line, same_row, source_ref

RISK_GRADE = "OPT-十分か"  # the リスクへの対策は十分か options: the answer grades all measures of its risk
_EMPTY = regex.compile(r"^[\s\-－―ー‐]*$")  # "－": the cell is intentionally empty

Texts = dict[tuple, tuple[str, list[int]]]


def measure_texts(lines: Sequence[Line], scope, template: FormTemplate, hits: list[LabelHit],
                  resolved: dict[int, Item] | None) -> tuple[Texts, list[ExtractWarning]]:
    """Text item path -> (text, line indexes), and a warning per text that could not be placed.
    ``resolved`` maps label lines to items for ordered text; None for scrambled text."""
    scrambled = resolved is None
    if resolved is None:
        resolved = by_headings(hits, lines, template)
    stop = {h.index for h in hits}
    rows = any(same_row(lines[i], lines[i - 1]) for i in range(scope.start + 1, scope.end))
    out: Texts = {} if rows or not scrambled else _under_headings(lines, hits, resolved, template, scope.end)
    warnings = []
    pending: list[tuple[tuple, tuple, str, list[int]]] = []  # texts under a label many rows carry
    held: list[ExtractWarning] = []  # their warnings, given only if their words do not place them
    answers = _answer_line(template.kind)
    for n, h in enumerate(hits):
        if not any(c.type == "text" for c in h.items):
            continue
        item = resolved.get(h.index)
        value, used, confidence = text_value(lines, h, stop, scope.end)
        if confidence < FOLLOWING and not rows and not _stacked(lines, hits, n):
            # scrambled text: the paragraphs after a placed label, up to the next label, are its text
            until = hits[n + 1].index if n + 1 < len(hits) else scope.end
            taken = [j for j in range(h.end, until) if _is_text(lines[j].text, answers)]
            value, used, confidence = join_wrapped([lines[j].text for j in taken]), [h.index, *taken], FOLLOWING
            if _hides_label(lines, taken, template):
                value, used, confidence = "", [], 0.0
        if item is None and value.strip() and not _EMPTY.match(value):
            where = sorted({h.index, *used})
            unplaced = ExtractWarning("measure_unattributed", f"measure text under {h.items[0].label!r} "
                                      f"cannot be tied to one risk; left out", source_ref([lines[i] for i in where]))
            if scrambled and confidence >= FOLLOWING:
                pending.append((tuple(c.path for c in h.items if c.type == "text"), _section_at(h.index, resolved),
                                value, where))
                held.append(unplaced)
            else:
                warnings.append(unplaced)
        # a table row keeps its cells on the label's line number: an empty cell is empty
        if item is None or confidence < (INLINE if rows else FOLLOWING) or _EMPTY.match(value):
            continue
        if item.type == "text" and item.path not in out:
            out[item.path] = (value, used)
    notes = _split_stacks(lines, hits, resolved, out, template, scope.end) if scrambled and not rows else []
    placed = by_content(pending, set(out), template)
    out.update(placed)
    wheres = [used for _, used in placed.values()]
    warnings += [w for p, w in zip(pending, held) if p[3] not in wheres]
    return out, warnings + notes + [_by_content_note(path, source_ref([lines[i] for i in used]))
                                    for path, (_, used) in placed.items()]


def _split_stacks(lines: Sequence[Line], hits: list[LabelHit], resolved: dict[int, Item], out: Texts,
                  template: FormTemplate, end: int) -> list[ExtractWarning]:
    """Texts printed after labels stacked one above the other, cut between the stack's rows by what
    they say (``split_by_content``) when all its rows are still empty."""
    notes, answers = [], _answer_line(template.kind)
    for stack in _stacks(lines, hits):
        rows = [resolved.get(hits[n].index) for n in stack]
        if any(r is None or r.type != "text" or r.path in out for r in rows) or len({r.path for r in rows}) < len(rows):
            continue
        until = hits[stack[-1] + 1].index if stack[-1] + 1 < len(hits) else end
        paragraphs: list[list[int]] = []
        for j in range(hits[stack[-1]].end, until):
            if _is_text(lines[j].text, answers):
                if not paragraphs or paragraphs[-1][-1] != j - 1:
                    paragraphs.append([])
                paragraphs[-1].append(j)
        texts = [join_wrapped([lines[j].text for j in p]) for p in paragraphs]
        runs = split_by_content(texts, [r.path for r in rows], template) or {}
        for path, run in runs.items():
            used = [j for i in run for j in paragraphs[i]]
            out[path] = (join_wrapped([lines[j].text for j in used]), [hits[stack[0]].index, *used])
            notes.append(ExtractWarning("measure_by_content", f"measure text of {' > '.join(path[1:])!r} placed "
                                        "by what it says (labels stacked above their texts); less sure",
                                        source_ref([lines[j] for j in used])))
    return notes


def _stacks(lines: Sequence[Line], hits: list[LabelHit]) -> list[list[int]]:
    """Hit numbers of each run of text-row labels stacked one above the other."""
    stacks: list[list[int]] = []
    for n in range(len(hits)):
        if _stacked(lines, hits, n):
            if stacks and stacks[-1][-1] == n - 1:
                stacks[-1].append(n)
            else:
                stacks.append([n - 1, n])
    return stacks


def _by_content_note(path: tuple, ref: str | None) -> ExtractWarning:
    """A text left out by the layout that its words tie to its row (``by_content``): said, and less sure."""
    return ExtractWarning("measure_by_content", f"measure text of {' > '.join(path[1:])!r} placed "
                          "by what it says (the form's labels), not by the layout; less sure", ref)


def _section_at(index: int, resolved: dict[int, Item]) -> tuple:
    """The section of the last label placed before line ``index``: where the page says it is."""
    before = [i for i in resolved if i < index]
    return resolved[max(before)].path[:2] if before else ()


def _stacked(lines: Sequence[Line], hits: list[LabelHit], n: int) -> bool:
    """The label follows another text row's label with nothing between (具体的なチェック方法 /
    具体的な内容): labels stacked above their texts, so which text is whose is not printed."""
    return n > 0 and any(c.type == "text" for c in hits[n - 1].items) and not hits[n - 1].rest and not any(
        lines[j].text.strip() for j in range(hits[n - 1].end, hits[n].index))


def _under_headings(lines: Sequence[Line], hits: list[LabelHit], resolved: dict[int, Item],
                    template: FormTemplate, end: int) -> Texts:
    """Scrambled pages print a cell's text right under its risk heading, before any label: that text
    is the risk's when the form gives the risk one text row only (リスクに対する措置の内容)."""
    out: Texts = {}
    for n, h in enumerate(hits):
        risk = resolved.get(h.index)
        if risk is None or risk.type != "group" or len(risk.path) != 3:
            continue
        rows = [it for it in template.items() if it.type == "text" and it.path[:3] == risk.path]
        until = hits[n + 1].index if n + 1 < len(hits) else end
        taken = [j for j in range(h.end, until) if _is_text(lines[j].text, _answer_line(template.kind))]
        if len(rows) == 1 and taken and not _hides_label(lines, taken, template):
            out.setdefault(rows[0].path, (join_wrapped([lines[j].text for j in taken]), [h.index, *taken]))
    return out


def _hides_label(lines: Sequence[Line], taken: list[int], template: FormTemplate) -> bool:
    """A line, two lines joined, or the first short lines (up to ``WRAPPED_LINES``) of the text are a label
    the layout kept from being recognised (特定個人情報の提供・移転 / に関するルール): the text may be that
    row's, not the label's before it."""
    texts = [lines[i].text.strip() for i in taken]
    starts = [texts[:k] for k in range(3, WRAPPED_LINES + 1) if all(len(t) <= LABEL_CELL for t in texts[:k])]
    return any(template.match(t) for t in texts) or any(template.match(a + b) for a, b in zip(texts, texts[1:])) \
        or any(template.match("".join(window)) for window in starts)


def by_headings(hits: list[LabelHit], lines: Sequence[Line], template: FormTemplate) -> dict[int, Item]:
    """Label line -> item for scrambled text, by the headings printed before each label (a risk
    heading maps to its group). Once text was printed after a risk heading, a label every risk
    prints is not placed by it when text was printed between them: the page then moved another cell's
text and label there."""
    out: dict[int, Item] = {}
    context: list[tuple] = []  # section, risk, question paths printed last, broadest first
    answers = _answer_line(template.kind)
    for n, h in enumerate(hits):
        if _page_header(h, template):
            out[h.index] = h.items[0]
            continue
        if len(h.items) == 1:
            out[h.index] = h.items[0]
        if all(c.type == "group" for c in h.items):
            context = _heading(h.items, context)
            risk = next((c for c in h.items if len(context) > 1 and c.path == context[1]), None)
            if risk is not None:
                out[h.index] = risk
            continue
        if n and hits[n - 1].index in out and out[hits[n - 1].index].type == "group" and len(context) > 1 \
                and _text_between(lines, hits[n - 1].end, h.index, answers):
            context = context[:1]  # text right under a risk heading, before any label: the page is scrambled
        context = _still_within(h.items, context)
        if h.index not in out:
            item = _within(h.items, context)
            if item is not None:
                out[h.index] = item
        item = out.get(h.index)
        if item is not None and item.type != "text" and len(context) >= 2 and item.path[:-1] == context[1]:
            context = context[:2] + [item.path]  # the question its detail rows follow
    return out


def _page_header(h: LabelHit, template: FormTemplate) -> bool:
    """A heading whose section holds no risk (１．特定個人情報ファイル名): pages repeat it at their
    top, so it says where a page starts, not which risk the labels after it belong to."""
    return len(h.items) == 1 and len(h.items[0].path) == 2 and not any(
        it.type == "group" and it.path[:2] == h.items[0].path for it in template.items())


def _still_within(items: tuple[Item, ...], context: list[tuple]) -> list[tuple]:
    """The headings a label can sit under: a label no row of the last risk (or section) carries
    shows that the page moved on, so that heading places nothing after it; a label only another
    section carries puts the reader in that section."""
    for depth, path in enumerate(context):
        if not any(c.path[:len(path)] == path for c in items):
            return [items[0].path[:2]] if depth == 0 and len(items) == 1 else context[:depth]
    return context


def _text_between(lines: Sequence[Line], start: int, end: int, answers: regex.Pattern) -> bool:
    return any(_is_text(lines[j].text, answers) for j in range(start, end))


def _is_text(text: str, answers: regex.Pattern) -> bool:
    """A line of measure text: not blank, not a check box or ＜選択肢＞ list, not a printed answer
    (政府機関ではない, [ 十分である)."""
    return bool(text.strip()) and not NOT_TEXT.match(nfkc(text)) and not answers.fullmatch(nfkc(text))


@cache
def _answer_line(kind: str) -> regex.Pattern:
    """A line made of option labels and brackets only: a printed answer, not a measure."""
    options = sorted({nfkc(o) for it in load_template(kind).items() for o in it.options}, key=len, reverse=True)
    one = "|".join(regex.escape(o) for o in options if o)
    return regex.compile(rf"[\s\[\]]*(?:(?:{one})[\s\[\]]*)+")


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
