"""The tunables of extraction, in one place: ``ExtractSettings`` (the confidence scale every
extractor uses, and line windows) beside ``PdfSettings`` (every PDF tolerance, in points).

Confidence is one scale for the whole corpus: a reader comparing ``fields.confidence`` across
extractors compares the same evidence levels.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from parsers.read.pdf_page import DEFAULT_SETTINGS as PDF
from parsers.read.pdf_page import PdfSettings

__all__ = ["EXTRACT", "PDF", "ExtractSettings", "PdfSettings"]


@dataclass(frozen=True)
class ExtractSettings:
    # confidence scale, highest first
    sure: float = 0.9  # on its label's line or row, or only one question offers the answer
    nearby: float = 0.7  # right below its label, or near its only candidate question
    agreed: float = 0.6  # by unanimity or block order: the option is right, its position inferred
    distant: float = 0.4  # a paragraph away from its label
    ambiguous: float = 0.3  # cap when a label is shared by items and context did not decide
    unattributed: float = 0.1  # nothing could be attributed
    # thresholds on that scale
    confident: float = 0.7  # documents columns and block text values take only values this sure
    accepted_choice: float = 0.6  # a recorded choice at least this sure names the right option
    # line windows and shares
    near: int = 20  # lines: evidence farther than this from every label of its question is not near
    margin: int = 6  # lines: the runner-up must be at least this much farther than the nearest
    follow: int = 3  # ordered text: an answer this many lines after its label (or on its row) is its
    clean_order: float = 0.9  # share of label hits in form order above which the order is trusted
    loose_reach: int = 40  # lines: a box mark printed away from its option may belong to a box this far
    detail_lines: int = 4  # a （ ） detail after a box option wraps over at most this many lines
    cell_lines: int = 8  # a label's selection bracket is printed within this many lines of it

    def __post_init__(self) -> None:
        scale = [self.sure, self.nearby, self.agreed, self.distant, self.ambiguous, self.unattributed]
        if not all(0 <= v <= 1 for f in fields(self) if f.type == "float" for v in [getattr(self, f.name)]):
            raise ValueError("confidences and shares lie in [0, 1]")
        if scale != sorted(scale, reverse=True) or len(set(scale)) != len(scale):
            raise ValueError(f"the confidence scale must strictly decrease: {scale}")
        if not 0 < self.margin < self.near or min(self.follow, self.loose_reach, self.detail_lines, self.cell_lines) < 1:
            raise ValueError("line windows: 0 < margin < near, the others at least 1")


EXTRACT = ExtractSettings()
