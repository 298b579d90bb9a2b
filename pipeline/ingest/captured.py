"""Library warnings (Python ``warnings`` and log records, e.g. pdfminer's) raised while one document
is processed, captured into that document's warnings instead of being sprayed on stderr where they
name no file."""
from __future__ import annotations

import logging
import warnings
from collections import Counter
from contextlib import contextmanager
from typing import Iterator

_MAX_KINDS = 10  # distinct messages kept per document; a broken PDF repeats one message thousands of times
_MAX_CHARS = 200  # a message may dump a whole PDF object


class _Collect(logging.Handler):
    def __init__(self, into: Counter):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.into[f"{record.name}: {record.getMessage()}"] += 1
        except Exception:  # noqa: BLE001 — a malformed log call must not break the document
            self.into[f"{record.name}: {record.msg!r}"] += 1


@contextmanager
def library_warnings() -> Iterator[list[str]]:
    """Collect warnings raised inside the block; the yielded list is filled, one line per distinct
    message (with its count), when the block ends."""
    counts: Counter = Counter()
    out: list[str] = []
    root = logging.getLogger()
    handler = _Collect(counts)
    handlers, level = root.handlers[:], root.level
    root.handlers[:] = [handler]  # the only handler while a document is read: nothing reaches stderr
    root.setLevel(min(level or logging.WARNING, logging.WARNING))
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield out
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for w in caught:
            counts[f"{w.category.__name__}: {w.message}"] += 1
        for text, n in counts.most_common(_MAX_KINDS):
            out.append(f"library warning{f' (×{n})' if n > 1 else ''}: {' '.join(text.split())[:_MAX_CHARS]}")
        if len(counts) > _MAX_KINDS:
            out.append(f"library warning: {len(counts) - _MAX_KINDS} more kinds")
