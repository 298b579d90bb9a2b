"""Front-page fields (評価書番号, 評価書名, 評価実施機関名, 公表日, form tag) and the body the
report is about (``body_name``, from the 宣言 or the title).

Extraction tools print the cover's cells in any order: labels before or after their values, the
title and number swapped, the 宣言 first, whole covers flattened onto one line, site clutter around
them. So the cover is cut into a stream of label and text tokens (labels from ``cover.json``,
matched with any spacing), and each value is taken by its shape — next to its label when it is
there, else as the only token of that shape on the cover — or left null with a warning. Every
value then passes the shape guard (``cover_shapes``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import regex

from normalizers.eras import find_era_dates
from normalizers.text import compact, join_wrapped, nfkc, normalize_text, unspace_cjk
from parsers.extract import cover_shapes
from parsers.extract.context import DocContext
from parsers.extract.contract import Extracted, ExtractWarning
from parsers.form.template import COVER, cover_vocabulary
from parsers.model import Line, Section, source_ref

HEAD_LINES = 400  # the cover and 項目一覧 fit well within this
_LONE_NUMBER = regex.compile(r"^\d{1,6}$")
_LEADING_NUMBER = regex.compile(r"^(\d{1,6})(?:\s+|$)")
_QUOTED = regex.compile(r"\"([^\"]+)\"")
SURE, LIKELY, WEAK = 0.9, 0.7, 0.6  # confidence: next to its label / sole of its shape / indirect


@dataclass
class Front:
    assessment_number: int | None = None
    title: str | None = None
    org_name: str | None = None
    body_name: str | None = None
    body_source_ref: str | None = None
    body_confidence: float | None = None
    assessment_kind: str | None = None
    form_version: str | None = None
    published_on: object = None
    published_on_raw: str | None = None
    fields: list[dict] = field(default_factory=list)  # rows for the ``fields`` table
    warnings: list[ExtractWarning] = field(default_factory=list)


@dataclass(frozen=True)
class Token:
    line: int  # index into the document's lines
    label: str | None  # cover.json label key, "form_title", "tag", "footer"; None for text; "" blank
    text: str  # NFKC text of the token


def spaced(word: str) -> str:
    """A pattern matching ``word`` printed with any spacing between its characters (評 価 書 名)."""
    return r"\s*".join(regex.escape(ch) for ch in word)


@cache
def _vocab() -> dict:
    v = cover_vocabulary()
    parts = [(key, spaced(label)) for key, label in v["labels"].items()]
    parts += [("approval", spaced(p)) for p in v["approval_parts"]]
    parts += [("form_title", v["form_title"]), ("tag", v["form_tag"]), ("footer", v["page_footer"])]
    parts.sort(key=lambda kp: -len(kp[1]))
    return {
        "split": regex.compile("|".join(f"(?P<{k}{n}>{p})" for n, (k, p) in enumerate(parts))),
        "tag": regex.compile(v["form_tag"]), "tag_format": v["tag_format"],
        "clutter": tuple(v["clutter_marks"]), "draft": v["draft_mark"], "verb": v["declaration_verb"],
        "subject": regex.compile(v["declaration_subject"]), "alias": regex.compile(v["alias_definition"]),
        "alias_prefix": v["alias_prefix"],
        "lead": regex.compile(r"^(?:\d{1,6}\s+)?(?:" + v["form_tag"] + r")?\s*"),
    }


def extract(ctx: DocContext) -> Extracted:
    front = read_front(ctx.lines, ctx.sections, ctx.kind)
    columns = ("assessment_number", "title", "org_name", "body_name", "body_source_ref", "body_confidence",
               "form_version", "published_on", "published_on_raw")
    return Extracted({"fields": front.fields}, front.warnings, {c: getattr(front, c) for c in columns})


def read_front(lines: Sequence[Line], sections: list[Section], kind: str | None) -> Front:
    front = Front(assessment_kind=kind)
    cover = next((s for s in sections if s.key == "cover"), None)
    clutter = _clutter_lines(lines)
    idx = [i for i in range(cover.start, cover.end) if i not in clutter] if cover else []
    tokens = _tokens(lines, idx)
    title_tokens = _title(front, lines, tokens)
    _number(front, lines, tokens, {tokens[k].line for k in title_tokens})
    _org_name(front, lines, tokens, title_tokens)
    _body_name(front, lines, tokens, title_tokens)
    _published(front, lines, tokens)
    _form_tag(front, lines, clutter)
    return front


def _clutter_lines(lines: Sequence[Line]) -> set[int]:
    """Lines a mirror site added (``Download "…"``, ``Page 1:``, view counts …) and lines repeating
    a title it quoted."""
    marks = _vocab()["clutter"]
    head = range(min(len(lines), HEAD_LINES))
    marked = {i for i in head if any(m in lines[i].text for m in marks)}
    quoted = {compact(q) for i in marked for q in _QUOTED.findall(nfkc(lines[i].text))}
    return marked | {i for i in head if compact(lines[i].text) and compact(lines[i].text) in quoted}


def _tokens(lines: Sequence[Line], idx: list[int]) -> list[Token]:
    out: list[Token] = []
    split = _vocab()["split"]
    for i in idx:
        text = nfkc(lines[i].text)
        if not text.strip():
            out.append(Token(i, "", ""))
            continue
        pos = 0
        for m in split.finditer(text):
            if piece := text[pos:m.start()].strip():
                out.append(Token(i, None, piece))
            out.append(Token(i, regex.sub(r"\d+$", "", m.lastgroup), m.group()))
            pos = m.end()
        if piece := text[pos:].strip():
            out.append(Token(i, None, piece))
    return out


def _add(front: Front, label: str, value: str, kind: str, lines: Sequence[Line], confidence: float) -> None:
    front.fields.append({"section": "cover", "path": COVER, "file_name": None, "label": label, "value": value,
                         "kind": kind, "confidence": confidence, "source_ref": source_ref(lines)})


def _label_text(key: str) -> str:
    return cover_vocabulary()["labels"][key]


def _next_text(tokens: list[Token], k: int, skip: tuple[str, ...] = ()) -> int | None:
    """Index of the first text token after ``tokens[k]``, past blanks and the labels in ``skip``."""
    for j in range(k + 1, len(tokens)):
        if tokens[j].label is None:
            return j
        if tokens[j].label not in ("", *skip):
            return None
    return None


def _nearby_labels(tokens: list[Token], k: int) -> set[str]:
    """Labels printed right before and right after text token ``k`` (blanks aside)."""
    out = set()
    for step in (-1, 1):
        j = k + step
        while 0 <= j < len(tokens) and tokens[j].label == "":
            j += step
        if 0 <= j < len(tokens) and tokens[j].label:
            out.add(tokens[j].label)
    return out


def _spans(tokens: list[Token], keys: tuple[str, ...]) -> set[int]:
    """Text tokens inside the cells opened by the labels in ``keys`` (up to the next label)."""
    inside, out = False, set()
    for k, t in enumerate(tokens):
        if t.label:
            inside = t.label in keys
        elif t.label is None and inside:
            out.add(k)
    return out


def _decide(front: Front, column: str, candidates: list[tuple[str, float, list[int]]]) -> tuple | None:
    """The value all best candidates agree on (compared as compact text), else None and a warning."""
    if not candidates:
        return None
    best = max(c[1] for c in candidates)
    top = [c for c in candidates if c[1] == best]
    if len({compact(str(c[0])) for c in top}) > 1:
        front.warnings.append(ExtractWarning(f"{column}_ambiguous",
                                             f"{column}: {len(top)} different candidates on the cover, none taken"))
        return None
    return top[0]


def _title(front: Front, lines: Sequence[Line], tokens: list[Token]) -> set[int]:
    """評価書名: the text after its label, else the one title-shaped run of text on the cover."""
    found = []
    for k, t in enumerate(tokens):
        if t.label == "title" and (j := _next_text(tokens, k)) is not None:
            text, used = _run(tokens, j)
            found.append((text, SURE, [tokens[i].line for i in used], used))
    if not any(cover_shapes.title(c[0]) for c in found):
        front.warnings += [cover_shapes.guard("title", c[0])[1] for c in found]
        found = [c for c in _title_runs(tokens) if c[0]]
    found = [c for c in found if cover_shapes.title(c[0])]
    chosen = _decide(front, "title", found)
    if not chosen:
        front.warnings.append(ExtractWarning("title_unread", f"title: no {_label_text('title')} on the cover"))
        return set()
    text, conf, used, used_tokens = chosen
    front.title = text
    _add(front, _label_text("title"), text, "text", [lines[i] for i in sorted(set(used))], conf)
    return set(used_tokens)


def _run(tokens: list[Token], j: int) -> tuple[str, list[int]]:
    """Consecutive text tokens from ``j`` up to a label, a blank, a lone number or a title's end."""
    parts, used = [], []
    first = _LEADING_NUMBER.sub("", tokens[j].text)  # 評価書番号 評価書名 / 7 介護保険に関する事務
    for k in range(j, len(tokens)):
        t = tokens[k]
        if t.label is not None or (k > j and _LONE_NUMBER.match(t.text)):
            break
        part = first if k == j else t.text
        if part:  # a number alone before the title (評価書番号 評価書名 / 2 / title) is not the title's
            parts.append(part)
            used.append(k)
        if cover_shapes.title(join_wrapped(parts)):
            break
    return unspace_cjk(join_wrapped(parts)), used


def _title_runs(tokens: list[Token]) -> list[tuple[str, float, list[int]]]:
    """Title-shaped text anywhere on the cover, with the lines it wrapped from (blanks between
    them allowed: some converters put every line in its own paragraph)."""
    out = []
    for k, t in enumerate(tokens):
        if t.label is not None or not cover_shapes.title(t.text):
            continue
        parts, used, j = [t.text], [k], k - 1
        while j >= 0 and tokens[j].label in ("", None):
            prev = tokens[j]
            if prev.label is None:
                if _LONE_NUMBER.match(prev.text) or "。" in prev.text or prev.line == tokens[used[0]].line:
                    break
                parts.insert(0, prev.text)
                used.insert(0, j)
            j -= 1
        out.append((unspace_cjk(join_wrapped(parts)), LIKELY, [tokens[i].line for i in used], used))
    return out


def _number(front: Front, lines: Sequence[Line], tokens: list[Token], title_lines: set[int]) -> None:
    """評価書番号: the number right after its label, else the one lone number next to the title."""
    found = []
    for k, t in enumerate(tokens):
        j = _next_text(tokens, k, ("title",)) if t.label == "number" else None
        if j is not None and (m := _LEADING_NUMBER.match(tokens[j].text)):
            found.append((int(m.group(1)), SURE, [tokens[j].line]))
    if not found and title_lines:
        near = _neighbour_lines(lines, min(title_lines), max(title_lines))
        found = [(int(t.text), LIKELY, [t.line]) for t in tokens
                 if t.label is None and t.line in near and _LONE_NUMBER.match(compact(lines[t.line].text))]
    chosen = _decide(front, "assessment_number", found)
    if not chosen:
        return
    if _is_draft(front):
        front.warnings.append(ExtractWarning("assessment_number_draft",
                                             "assessment_number: a draft has none; the number is not taken"))
        return
    value, warning = cover_shapes.guard("assessment_number", chosen[0])
    if warning:
        front.warnings.append(warning)
        return
    front.assessment_number = value
    _add(front, _label_text("number"), str(value), "number", [lines[i] for i in chosen[2]], chosen[1])


def _neighbour_lines(lines: Sequence[Line], first: int, last: int) -> set[int]:
    """The nearest non-blank line before ``first`` and after ``last``."""
    out = set()
    for start, step in ((first - 1, -1), (last + 1, 1)):
        i = start
        while 0 <= i < len(lines) and not lines[i].text.strip():
            i += step
        if 0 <= i < len(lines):
            out.add(i)
    return out


def _is_draft(front: Front) -> bool:
    return bool(front.title) and compact(_vocab()["draft"]) in compact(front.title)


def _org_name(front: Front, lines: Sequence[Line], tokens: list[Token], title_tokens: set[int]) -> None:
    """評価実施機関名 as printed: an organisation-shaped cell, preferably next to its label (or to
    公表日, which scrambled covers print it beside)."""
    prose = _spans(tokens, ("notes", "declaration"))
    found = []
    for k, t in enumerate(tokens):
        if t.label is None and k not in prose and k not in title_tokens:
            text = unspace_cjk(normalize_text(t.text))
            near = _nearby_labels(tokens, k) & {"org", "published"}
            if cover_shapes.org_name(text, beside_label="org" in near):
                found.append((text, SURE if near else LIKELY, [t.line]))
    chosen = _decide(front, "org_name", found)
    if not chosen:
        front.warnings.append(ExtractWarning("org_name_unread", f"org_name: no {_label_text('org')} on the cover"))
        return
    front.org_name = chosen[0]
    _add(front, _label_text("org"), chosen[0], "text", [lines[i] for i in chosen[2]], chosen[1])


def _body_name(front: Front, lines: Sequence[Line], tokens: list[Token], title_tokens: set[int]) -> None:
    """The body the 宣言 names (``○○市は、…宣言する``; 当組合 resolved through its 以下「…」という
    definition), else the first word of the title (``○○市 住民基本台帳事務``)."""
    v = _vocab()
    text_all = unspace_cjk(" ".join(t.text for t in tokens if t.label is None))
    aliases = {m.group("alias"): m.group("full") for m in v["alias"].finditer(text_all)}
    found = []
    for k, t in enumerate(tokens):
        starts = k == 0 or tokens[k - 1].line != t.line or tokens[k - 1].label
        if t.label is not None or not starts or k in title_tokens:
            continue
        m = v["subject"].match(v["lead"].sub("", unspace_cjk(t.text)))
        body = m and (aliases.get(m.group("body")) if m.group("body").startswith(v["alias_prefix"])
                      else m.group("body"))
        if body and cover_shapes.body_name(body):
            found.append((body, SURE if v["verb"] in _cell_text(tokens, k) else WEAK, [t.line]))
    if not found and front.title and len(words := front.title.split()) > 1 and cover_shapes.body_name(words[0]):
        found = [(words[0], LIKELY, sorted({tokens[k].line for k in title_tokens}))]
    chosen = _decide(front, "body_name", found)
    if chosen:
        front.body_name, front.body_confidence = chosen[0], chosen[1]
        front.body_source_ref = source_ref([lines[i] for i in chosen[2]])


def _cell_text(tokens: list[Token], k: int) -> str:
    """Text tokens from ``k`` up to the next label, joined."""
    parts = []
    for t in tokens[k:]:
        if t.label:
            break
        parts.append(t.text)
    return compact("".join(parts))


def _published(front: Front, lines: Sequence[Line], tokens: list[Token]) -> None:
    """公表日: a date standing alone in a cell, right after its label; else the cover's only such
    date when no 承認日 can be meant (forms 2/3 have none; local bodies leave it blank)."""
    prose = _spans(tokens, ("notes", "declaration"))
    labelled, free = [], []
    approval = any(t.label == "approval" for t in tokens)
    for k, t in enumerate(tokens):
        if t.label is not None or (k in prose and len(find_era_dates(t.text)) != 1):
            continue
        before = next((tokens[j].label for j in range(k - 1, -1, -1) if tokens[j].label != ""), None)
        for d in find_era_dates(t.text):
            alone = (d.start == 0 or t.text[d.start - 1].isspace()) and (
                d.end == len(t.text) or t.text[d.end].isspace())
            if not (alone and d.precision == "day") or (k in prose and compact(d.raw) != compact(t.text)):
                continue
            if before == "published" and d.start == 0:
                labelled.append((d, SURE, [t.line]))
            elif before != "approval":
                free.append((d, LIKELY, [t.line]))
    local = any(n and cover_shapes.is_local(n) for n in (front.org_name, front.body_name))
    found = labelled or (free if not approval or local else [])
    chosen = _decide(front, "published_on", [(d.iso, c, ls, d) for d, c, ls in found])
    if not chosen:
        return
    date = chosen[3]
    if _is_draft(front):
        front.warnings.append(ExtractWarning("published_draft", "published_on: a draft has none; the date is not taken"))
        return
    front.published_on_raw = unspace_cjk(normalize_text(date.raw))
    front.published_on = date.date
    _add(front, _label_text("published"), front.published_on_raw, "date", [lines[i] for i in chosen[2]], chosen[1])
    if not date.valid:
        front.warnings.append(ExtractWarning("published_invalid", f"published_on: {date.raw} is not a valid date in its era",
                                             source_ref([lines[i] for i in chosen[2]])))


def _form_tag(front: Front, lines: Sequence[Line], clutter: set[int]) -> None:
    v = _vocab()
    found = []
    for i, ln in enumerate(lines[:HEAD_LINES]):
        if i not in clutter and (m := v["tag"].search(unspace_cjk(nfkc(ln.text)))):
            era_month = regex.sub(r"\s+", "", m.group(1))
            found.append((v["tag_format"].format(era_month=era_month, form_no=m.group(2)), SURE, [i]))
    chosen = _decide(front, "form_version", found)
    if chosen:
        front.form_version = chosen[0]
        _add(front, cover_vocabulary()["tag_label"], chosen[0], "text", [lines[chosen[2][0]]], SURE)
