"""One text normaliser for every value and label (contract: NFKC, whitespace collapsed, trimmed)."""
from __future__ import annotations

import unicodedata

import regex

_WS = regex.compile(r"\s+")


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def normalize_text(s: str) -> str:
    """NFKC, runs of white space to one ASCII space, trimmed."""
    return _WS.sub(" ", nfkc(s)).strip()


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of one cell: Japanese wraps mid-word, so lines join with no space."""
    return normalize_text("".join(part.strip() for part in lines))


def compact(s: str) -> str:
    """Form for comparing labels: NFKC with every white space removed."""
    return _WS.sub("", nfkc(s))
