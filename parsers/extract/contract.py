"""What every extractor returns: rows per table and structured warnings.

An extractor is ``extract(ctx: DocContext) -> Extracted``; ``parsers.extract.registry`` lists them
in the order they run. A warning has a stable ``code`` (what tests and programs check), the
``stage`` that raised it (filled in by the registry), where it is (``source_ref``) and a message
for people; ``documents.warnings`` stores its ``text``.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExtractWarning:
    code: str  # stable identifier, e.g. ``choices.conflicting_answers``'s ``conflicting_answers``
    message: str  # for people: what could not be read and why
    source_ref: str | None = None  # where in the source, when one place is meant
    stage: str = ""  # the extractor (or pipeline step) that raised it

    @property
    def text(self) -> str:
        where = f" ({self.source_ref})" if self.source_ref and self.source_ref not in self.message else ""
        return f"{self.stage}: {self.message}{where}" if self.stage else f"{self.message}{where}"


@dataclass
class Extracted:
    """Rows per table (without ``doc_id``), warnings, and ``documents`` columns this stage fills."""

    tables: dict[str, list[dict]] = field(default_factory=dict)
    warnings: list[ExtractWarning] = field(default_factory=list)
    document: dict = field(default_factory=dict)

    def warn(self, code: str, message: str, source_ref: str | None = None) -> None:
        self.warnings.append(ExtractWarning(code, message, source_ref))
