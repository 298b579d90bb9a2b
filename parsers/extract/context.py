"""What every field extractor gets: the document's lines, its sections aligned to the form template,
and the 特定個人情報ファイル each Ⅱ/Ⅲ block is about. Built once per document."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from parsers.extract.fields import Aligned, aligned_hits, block_file_name
from parsers.form.template import FormTemplate, load_template
from parsers.model import Line, Section

FILE_BLOCKS = ("Ⅱ", "Ⅲ")


@dataclass(frozen=True)
class SectionView:
    section: Section
    hits: list[Aligned]
    file_name: str | None  # for Ⅱ/Ⅲ blocks, when printed where it can be read with confidence


@dataclass
class DocContext:
    lines: Sequence[Line]
    sections: list[Section]
    kind: str | None
    path_for: Callable[[int], str | None]
    views: list[SectionView] = field(default_factory=list)
    rows: dict[str, list[dict]] = field(default_factory=dict)  # what earlier extractors produced

    @property
    def template(self) -> FormTemplate | None:
        return load_template(self.kind) if self.kind else None

    def views_of(self, key: str) -> list[SectionView]:
        return [v for v in self.views if v.section.key == key]


def build_context(lines: Sequence[Line], sections: list[Section], kind: str | None,
                  path_for: Callable[[int], str | None]) -> DocContext:
    ctx = DocContext(lines, sections, kind, path_for)
    if kind is None:
        return ctx
    template = load_template(kind)
    for sec in sections:
        if sec.key == "cover":
            continue
        hits = aligned_hits(lines, sec, template)
        name = block_file_name(lines, sec, hits) if sec.key in FILE_BLOCKS else None
        ctx.views.append(SectionView(sec, hits, name))
    return ctx
