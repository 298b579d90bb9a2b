"""Front-page fields (評価書番号, 評価書名, 評価実施機関名, 公表日, form tag).

Cover labels and values are far apart in extracted text, so each value is taken only where its shape
leaves no doubt (a lone number, the one paragraph naming an 評価書, a date right after 公表日);
otherwise it stays null and a warning says why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import regex

from normalizers.eras import parse_era_date
from normalizers.text import compact, join_wrapped, nfkc, normalize_text

from parsers.extract.context import DocContext
from parsers.extract.contract import Extracted, ExtractWarning
from parsers.form.template import KINDS
from parsers.model import Line, Section, new_cell, source_ref

FORM_TAG = regex.compile(r"\[\s*((?:昭和|平成|令和)\s*(?:\d+|元)\s*年\s*\d+\s*月)\s*様式\s*(\d)\s*\]")
HEAD_LINES = 400  # the cover and 項目一覧 fit well within this
_LONE_NUMBER = regex.compile(r"^\d{1,5}$")
_COVER_LABELS = ("評価書番号", "評価書名", "個人のプライバシー等の権利利益の保護の宣言", "特記事項", "評価実施機関名",
                 "承認日", "公表日", "項目一覧")
_MAX_ORG_NAME = 60


@dataclass
class Front:
    assessment_number: int | None = None
    title: str | None = None
    org_name: str | None = None
    assessment_kind: str | None = None
    form_version: str | None = None
    published_on: object = None
    published_on_raw: str | None = None
    fields: list[dict] = field(default_factory=list)  # rows for the ``fields`` table
    warnings: list[ExtractWarning] = field(default_factory=list)


def extract(ctx: DocContext) -> Extracted:
    front = read_front(ctx.lines, ctx.sections, ctx.kind)
    columns = ("assessment_number", "title", "org_name", "form_version", "published_on", "published_on_raw")
    return Extracted({"fields": front.fields}, front.warnings, {c: getattr(front, c) for c in columns})


def read_front(lines: Sequence[Line], sections: list[Section], kind: str | None) -> Front:
    front = Front(assessment_kind=kind)
    cover = next((s for s in sections if s.key == "cover"), None)
    cover_idx = list(range(cover.start, cover.end)) if cover else []
    _number(front, lines, cover_idx)
    _title(front, lines, cover_idx)
    _org_name(front, lines, cover_idx)
    _published(front, lines, cover_idx)
    _form_tag(front, lines)
    return front


def _add(front: Front, label: str, value: str, kind: str, lines: Sequence[Line], confidence: float = 1.0) -> None:
    front.fields.append({"section": "cover", "path": "表紙", "file_name": None, "label": label, "value": value,
                         "kind": kind, "confidence": confidence, "source_ref": source_ref(lines)})


def _number(front: Front, lines: Sequence[Line], idx: list[int]) -> None:
    hits = [i for i in idx if _LONE_NUMBER.match(normalize_text(lines[i].text))]
    if len(hits) == 1:
        front.assessment_number = int(normalize_text(lines[hits[0]].text))
        _add(front, "評価書番号", str(front.assessment_number), "number", [lines[hits[0]]])
    elif any("評価書番号" in lines[i].text for i in idx):
        front.warnings.append(ExtractWarning("number_ambiguous",
                                             f"評価書番号: {len(hits)} candidate numbers on the cover, none taken"))


def _paragraphs(lines: Sequence[Line], idx: list[int]) -> list[list[int]]:
    """Runs of lines between blank lines; a PDF line has no blank lines around a cell, so there
    a line that opens another cell (by its box) starts a paragraph too."""
    paras: list[list[int]] = []
    for i in idx:
        if not lines[i].text.strip():
            paras.append([])
        elif paras and paras[-1] and paras[-1][-1] == i - 1 and not (
                lines[i].bbox and lines[i - 1].bbox and new_cell(lines[i - 1], lines[i])):
            paras[-1].append(i)
        else:
            paras.append([i])
    return [p for p in paras if p]


def _title(front: Front, lines: Sequence[Line], idx: list[int]) -> None:
    titles = []
    for para in _paragraphs(lines, idx):
        para = [i for i in para if not _is_cover_label_or_number(lines[i].text)]
        text = join_wrapped([lines[i].text for i in para])
        if any(k in text for k in KINDS) and not text.startswith("特定個人情報保護評価書") and len(text) < 150:
            titles.append((text, para))
    if len(titles) == 1:
        text, para = titles[0]
        front.title = text
        _add(front, "評価書名", text, "text", [lines[i] for i in para])
    else:
        front.warnings.append(ExtractWarning("title_ambiguous",
                                             f"評価書名: {len(titles)} candidate paragraphs on the cover, none taken"))


def _is_cover_label_or_number(text: str) -> bool:
    """Labels and the 評価書番号 share lines or paragraphs with the title in extracted text."""
    flat = compact(text)
    return bool(_LONE_NUMBER.match(flat)) or bool(flat) and not flat.strip("評価書番号名")


def _next_value(lines: Sequence[Line], idx: list[int], label: str) -> int | None:
    """Index of the first non-blank line after the line holding exactly ``label``, if it is no label."""
    pos = next((k for k, i in enumerate(idx) if compact(lines[i].text) == label), None)
    if pos is None:
        return None
    for i in idx[pos + 1:]:
        text = compact(lines[i].text)
        if text:
            return None if any(text.startswith(lb) for lb in _COVER_LABELS) else i
    return None


def _org_name(front: Front, lines: Sequence[Line], idx: list[int]) -> None:
    i = _next_value(lines, idx, "評価実施機関名")
    value = normalize_text(lines[i].text) if i is not None else ""
    if value and len(value) <= _MAX_ORG_NAME and not _LONE_NUMBER.match(value):
        front.org_name = value
        _add(front, "評価実施機関名", value, "text", [lines[i]])
    else:
        front.warnings.append(ExtractWarning("org_name_unread", "評価実施機関名: no value next to its label in the text"))


def _published(front: Front, lines: Sequence[Line], idx: list[int]) -> None:
    i = _next_value(lines, idx, "公表日")
    date = parse_era_date(normalize_text(lines[i].text)) if i is not None else None
    if date is None:
        front.warnings.append(ExtractWarning("published_unread", "公表日: no date next to its label in the text"))
        return
    front.published_on_raw = date.raw
    front.published_on = date.date if date.date else None
    _add(front, "公表日", date.raw, "date", [lines[i]])
    if not date.valid:
        front.warnings.append(ExtractWarning("published_invalid", f"公表日: {date.raw} is not a valid date in its era",
                                             source_ref([lines[i]])))


def _form_tag(front: Front, lines: Sequence[Line]) -> None:
    for ln in lines[:HEAD_LINES]:
        m = FORM_TAG.search(nfkc(ln.text))
        if m:
            era_month = regex.sub(r"\s+", "", m.group(1))
            front.form_version = f"{era_month} 様式{m.group(2)}"
            _add(front, "様式", front.form_version, "text", [ln])
            return

