"""Read a source file and decide by content what it is: PDF, markdown/HTML-fragment text or plain text.

Extensions lie (a markdown conversion saved as .txt, a PDF saved as .bin), so detection looks at bytes.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

import regex

from parsers.model import InputError, Source

PDF_MAGIC = b"%PDF-"
_MARKDOWN_HINTS = regex.compile(r"(?m)^#{1,6}\s|<(?:p|br|li|ul|input|table|tr|td|b)\b[^>]*>")
_MIN_MARKDOWN_HINTS = 3
# C0 controls other than tab/newline/carriage return/form feed: rare in real text, common in binaries.
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
# What Japanese report text is made of: ASCII, kana, kanji, CJK and full-width punctuation, symbols.
_JAPANESE_TEXT = regex.compile(r"[\x21-\x7e\p{Hiragana}\p{Katakana}\p{Han}\u3000-\u30ff\uff00-\uffef"
                               r"\u2000-\u27ff\u00a0-\u00ff]")
REPLACEMENT = "\ufffd"


DEFAULT_MAX_TEXT_MB = 20.0  # the longest real report runs to about 1 MB of extracted text
_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def open_regular(path: str | Path) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file. Opened without blocking and checked
    on the open descriptor, so a FIFO, a device (a link to /dev/zero) or a socket is refused
    before a single byte is read, and nothing can be swapped in between check and read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(mode)), "a special file")
        raise InputError(f"not a regular file: {kind}")
    return os.fdopen(fd, "rb")


def read_source(path: str | Path, max_text_mb: float = DEFAULT_MAX_TEXT_MB) -> Source:
    """Read ``path`` whole and classify it; raises InputError with a one-line reason. A text
    larger than ``max_text_mb`` (``pia ingest --text-limit``) fails with that reason before it is
    read (a PDF has no such limit here: its pages are read one at a time)."""
    limit = int(max_text_mb * 1_000_000)
    with open_regular(path) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            head = fh.read(1024)
            if size > limit and not head.lstrip().startswith(PDF_MAGIC):
                raise InputError(f"text too large: {size / 1e6:.1f} MB, the limit is {max_text_mb:g} MB "
                                 "(--text-limit)")
            data = head + fh.read()
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    return source_from_bytes(str(path), data)


def source_from_bytes(path: str, data: bytes) -> Source:
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError("empty file")
    if data[:1024].lstrip().startswith(PDF_MAGIC):
        return Source(path=path, data=data, sha256=sha, format="pdf")
    text, encoding, warnings = decode_text(data)
    if not text.strip():
        raise InputError("empty file")  # a byte-order mark alone, or NULs
    fmt = "markdown" if len(_MARKDOWN_HINTS.findall(text[:200_000])) >= _MIN_MARKDOWN_HINTS else "text"
    return Source(path=path, data=data, sha256=sha, format=fmt, text=text, encoding=encoding,
                  warnings=tuple(warnings))


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Decode UTF-8 (with or without BOM), UTF-16 (BOM or not) or Shift_JIS/CP932; reject binaries.
    UTF-8 with a few bad bytes (a damaged copy) is decoded with U+FFFD in their place and a warning,
    when the rest is clearly UTF-8 text; returns (text, encoding, warnings)."""
    if data.startswith(codecs.BOM_UTF8):
        return _utf8(data[3:], "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            raise InputError("binary data: a UTF-16 byte-order mark, then bytes that are not UTF-16") from None
    utf16 = _bomless_utf16(data)
    if utf16:
        return _checked(data.decode(utf16), utf16)
    try:
        return _utf8(data, "utf-8")
    except InputError:
        pass
    try:
        return _checked(data.decode("cp932"), "cp932")
    except UnicodeDecodeError:
        raise InputError("binary data: not a PDF and not decodable as UTF-8, UTF-16 or Shift_JIS text") from None


def _utf8(data: bytes, encoding: str) -> tuple[str, str, list[str]]:
    """Strict UTF-8, or UTF-8 with replacements when bad sequences are rare (≤ 1 in 50 bytes)
    and valid multi-byte characters far outnumber them (text in some other encoding has
    next to none)."""
    try:
        return _checked(data.decode("utf-8"), encoding)
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count(REPLACEMENT)
    wide = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    if bad * 50 > len(data) or wide < 10 * bad:
        raise InputError("binary data: not valid UTF-8")
    text, encoding, warnings = _checked(text, encoding)
    return text, encoding, [f"{bad} invalid UTF-8 byte sequence{'s' if bad > 1 else ''} replaced by U+FFFD"]


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM. ASCII in UTF-16 has NULs in one byte lane; Japanese has none, but
    read in the right byte order it is kana, kanji and punctuation throughout, which text in any
    other encoding read as UTF-16 is not (ASCII pairs land on kanji, never on kana)."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    lanes = len(sample) // 2
    for zeros, other, enc in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros > lanes * 0.2 and other < lanes * 0.02:
            return enc if _decodes(data, enc) else None
    for enc in ("utf-16-le", "utf-16-be"):
        head = data[:20_000].decode(enc, errors="replace")
        chars = [ch for ch in head if not ch.isspace()]
        if (chars and len(_KANA.findall(head)) >= 0.1 * len(chars)
                and len(_JAPANESE_TEXT.findall(head)) >= 0.98 * len(chars) and _decodes(data, enc)):
            return enc
    return None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def _checked(text: str, encoding: str) -> tuple[str, str, list[str]]:
    if len(_CONTROL.findall(text[:100_000])) > max(8, len(text[:100_000]) // 200):
        raise InputError("binary data: control characters in the text")
    return text, encoding, []
