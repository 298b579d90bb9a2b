"""Read a source file and decide by content what it is: PDF, markdown/HTML-fragment text or plain text.

Extensions lie (a markdown conversion saved as .txt, a PDF saved as .bin), so detection looks at bytes.
"""
from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import regex

from parsers.model import InputError, Source

PDF_MAGIC = b"%PDF-"
_MARKDOWN_HINTS = regex.compile(r"(?m)^#{1,6}\s|<(?:p|br|li|ul|input|table|tr|td|b)\b[^>]*>")
_MIN_MARKDOWN_HINTS = 3
# C0 controls other than tab/newline/carriage return/form feed: rare in real text, common in binaries.
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_source(path: str | Path) -> Source:
    """Read ``path`` whole and classify it; raises InputError with a one-line reason."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
    return source_from_bytes(str(path), data)


def source_from_bytes(path: str, data: bytes) -> Source:
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError("empty file")
    if data[:1024].lstrip().startswith(PDF_MAGIC):
        return Source(path=path, data=data, sha256=sha, format="pdf")
    text, encoding = decode_text(data)
    fmt = "markdown" if len(_MARKDOWN_HINTS.findall(text[:200_000])) >= _MIN_MARKDOWN_HINTS else "text"
    return Source(path=path, data=data, sha256=sha, format=fmt, text=text, encoding=encoding)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), UTF-16 (BOM or not) or Shift_JIS/CP932; reject binaries."""
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data.decode("utf-16"), "utf-16")
    utf16 = _bomless_utf16(data)
    if utf16:
        return _checked(data.decode(utf16), utf16)
    for encoding in ("utf-8", "cp932"):
        try:
            return _checked(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("binary data: not a PDF and not decodable as UTF-8, UTF-16 or Shift_JIS text")


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: Japanese text in UTF-16 has NULs in one byte lane for ASCII chars."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    lanes = len(sample) // 2
    for zeros, other, enc in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros > lanes * 0.2 and other < lanes * 0.02:
            try:
                data.decode(enc)
                return enc
            except UnicodeDecodeError:
                return None
    return None


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if len(_CONTROL.findall(text[:100_000])) > max(8, len(text[:100_000]) // 200):
        raise InputError("binary data: control characters in the text")
    return text, encoding
