"""Warm the process that forks a child per document (``limits.run_document``).

A forked child starts with its parent's memory: modules the parent imported, templates it
loaded, patterns it compiled, the tokenizer it built. A parent that never read a document
leaves every child to redo that set-up (about half a second a document), so before the first
fork the parent imports the readers and reads one blank form of each kind, printed from the
form data: its labels, options and section headings. Then the parent's objects are frozen out
of the garbage collector's reach: a child's collections would otherwise visit (and so copy) every
page of them.
"""
from __future__ import annotations

import gc
from functools import cache

from parsers.form.template import KINDS, load_template
from parsers.model import InputError
from parsers.read.readers import source_from_bytes

from pipeline.ingest.process import process_source


def blank_form(kind: str) -> str:
    """The form's printed skeleton: title, section headings, every label with its options."""
    template = load_template(kind)
    lines = [template.title]
    headings = dict(template.sections)
    for item in template.items():
        if item.section in headings:
            lines.append(f"{item.section} {headings.pop(item.section)}")
        lines.append(" ".join([item.label, *(f"{n}) {o}" for n, o in enumerate(item.options, 1))]))
    return "\n".join(lines) + "\n"


@cache
def warm_up() -> None:
    """Once per process (a worker of a pool or of a dask cluster, or the ingest itself); a process
    forked from a warmed one is warm already."""
    import pypdfium2.raw  # noqa: F401 — the PDF readers import these lazily
    from parsers.read import pdf_reader  # noqa: F401

    for kind in KINDS:
        try:
            process_source(source_from_bytes(f"<{kind}>", blank_form(kind).encode()))
        except InputError:
            pass  # a skeleton too bare to read still warmed what it reached
    gc.collect()
    gc.freeze()
