"""What every ``pia`` subcommand prints and how it fails: results alone on stdout, one-line notes
and errors on stderr, exit 1 when the work failed and 2 for a usage error."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer


def fail(message: str, code: int = 1) -> typer.Exit:
    """One line on stderr; the caller raises the returned Exit (code 1 = the work failed)."""
    print(f"pia: {message}", file=sys.stderr)
    return typer.Exit(code)


def usage(message: str) -> typer.Exit:
    return fail(message, 2)


def emit(data: str | bytes, output: Path | None = None) -> None:
    """Results to ``output`` or stdout (as UTF-8 whatever the locale). A reader that stops early
    (``pia query … | head``) is not an error."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    if output is not None:
        output.write_bytes(raw)
        return
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        raise typer.Exit(0) from None


def emit_json(value) -> None:
    emit(json.dumps(value, ensure_ascii=False, indent=1, default=str) + "\n")


def note(message: str) -> None:
    print(message, file=sys.stderr)
