"""Seeded bad inputs for the fuzz suite: mutations of valid PDFs (drawn by ``pdfgen``) and of texts.

Each mutation is a small, named function of (bytes, rng) -> bytes, so a failing case can be named
and rebuilt from its seed. Mutations aim where readers break: the envelope, the xref table and
object numbers, page sizes and stream lengths, content operators, encodings and line structure.
"""
from __future__ import annotations

import random
import re
from typing import Callable

Mutation = Callable[[bytes, random.Random], bytes]

# The ingest summary lines on stderr, which are not failure messages.
SUMMARY = re.compile(r"\d+ ok, \d+ partial, |rows written: |corpus: |corpus version ")
_NUMBER = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
_HOSTILE_NUMBERS = [b"0", b"-1", b"1e30", b"-1e30", b"99999999999999999999", b"2147483648", b"0.0000001",
                    b"NaN", b"1 0 R", b"[]"]
_NAMES = [b"/Type", b"/Pages", b"/Page", b"/Kids", b"/Count", b"/MediaBox", b"/Contents", b"/Length",
          b"/Font", b"/Resources", b"/Root", b"/Parent", b"/Filter", b"/ToUnicode", b"/Encoding"]


def _flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _cut(data: bytes, rng: random.Random) -> bytes:
    """Truncated, then given an end marker so the reader cannot reject it by its envelope alone."""
    return data[: rng.randrange(16, len(data))] + b"\n%%EOF\n"


def _drop_chunk(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 400):]


def _repeat_chunk(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    chunk = data[at:at + rng.randint(1, 300)]
    return data[:at] + chunk * rng.randint(2, 50) + data[at:]


def _swap_chunks(data: bytes, rng: random.Random) -> bytes:
    a, b = sorted(rng.sample(range(len(data)), 2))
    n = min(rng.randint(1, 200), b - a)
    return data[:a] + data[b:b + n] + data[a + n:b] + data[a:a + n] + data[b + n:]


def _numbers(data: bytes, rng: random.Random) -> bytes:
    """Some numbers (object ids, lengths, offsets, coordinates) replaced by hostile ones."""
    spots = [m.span() for m in _NUMBER.finditer(data)]
    chosen = sorted(rng.sample(spots, min(len(spots), rng.randint(1, 8))), reverse=True)
    out = data
    for a, b in chosen:
        out = out[:a] + rng.choice(_HOSTILE_NUMBERS) + out[b:]
    return out


def _names(data: bytes, rng: random.Random) -> bytes:
    """A structural name swapped for another (a /Page that is a /Font, a /Length that is /Count)."""
    out = data
    for _ in range(rng.randint(1, 4)):
        old, new = rng.sample(_NAMES, 2)
        spots = [m.start() for m in re.finditer(re.escape(old) + rb"(?![A-Za-z])", out)]
        if spots:
            at = rng.choice(spots)
            out = out[:at] + new + out[at + len(old):]
    return out


def _media_box(data: bytes, rng: random.Random) -> bytes:
    box = rng.choice([b"[0 0 0 0]", b"[0 0 1e30 1e30]", b"[0 0 -1 -1]", b"[]", b"[0 0 595]", b"null",
                      b"[1 1 1 1]", b"[0 0 99999999 99999999]"])
    return re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox " + box, data)


def _deep_nesting(data: bytes, rng: random.Random) -> bytes:
    at = data.find(b"<<") + 2
    depth = rng.choice([100, 1000, 50_000])
    return data[:at] + b"/X " + b"[" * depth + b"]" * depth + b" " + data[at:]


def _page_loop(data: bytes, rng: random.Random) -> bytes:
    """The page tree's kids point back to the tree itself."""
    m = re.search(rb"(\d+) 0 obj\s*<<[^>]*?/Type /Pages", data)
    if not m:
        return _flip_bytes(data, rng)
    return re.sub(rb"/Kids \[[^\]]*\]", b"/Kids [ " + m.group(1) + b" 0 R ]", data, count=1)


def _operators(data: bytes, rng: random.Random) -> bytes:
    """Garbage inside a content stream: broken text and path operators."""
    spots = [m.end() for m in re.finditer(rb"stream\r?\n", data)]
    if not spots:
        return _flip_bytes(data, rng)
    at = rng.choice(spots)
    junk = rng.choice([b"BT ET ET Tj TJ ( ", b"1e30 1e30 m 0 0 l S ", b"q " * 5000, b"/F9 12 Tf (x) Tj ",
                       b"[ (a) 1e30 (b) ] TJ ", b"0 0 0 0 re f ", b"BI /W 1 /H 1 ID \xff EI "])
    return data[:at] + junk + data[at:]


PDF_MUTATIONS: list[Mutation] = [_flip_bytes, _cut, _drop_chunk, _repeat_chunk, _swap_chunks, _numbers, _names,
                                 _media_box, _deep_nesting, _page_loop, _operators]


def _text_flip(data: bytes, rng: random.Random) -> bytes:
    return _flip_bytes(data, rng)


def _text_encoding(data: bytes, rng: random.Random) -> bytes:
    """Re-encoded (BOM or not), then maybe cut mid-character."""
    text = data.decode("utf-8", errors="replace")
    enc = rng.choice(["utf-16-le", "utf-16-be", "utf-16", "cp932", "utf-8-sig", "euc-jp", "utf-32"])
    out = text.encode(enc, errors="replace")
    return out[: rng.randrange(1, len(out))] if rng.random() < 0.5 else out


def _text_controls(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 300)):
        out.insert(rng.randrange(len(out)), rng.choice(b"\x00\x01\x07\x08\x0b\x0c\x1b\x7f\r"))
    return bytes(out)


def _text_lines(data: bytes, rng: random.Random) -> bytes:
    """Lines shuffled, repeated or dropped (a heading thousands of times, a section twice)."""
    lines = data.split(b"\n")
    how = rng.choice(["shuffle", "repeat", "drop", "heading"])
    if how == "shuffle":
        rng.shuffle(lines)
    elif how == "repeat":
        at = rng.randrange(len(lines))
        lines[at:at] = lines[at:at + rng.randint(1, 30)] * rng.randint(2, 200)
    elif how == "drop":
        lines = [ln for ln in lines if rng.random() < 0.5]
    else:
        heads = [ln for ln in lines if re.match(rb"\s*(I|II|III|IV|V|VI|\xe2\x85[\xa0-\xa5])\b", ln)] or lines[:1]
        lines[rng.randrange(len(lines)):0] = [rng.choice(heads)] * rng.randint(100, 3000)
    return b"\n".join(lines)


def _text_long_line(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.choice(["あ", "[ ", "○", "別添", "<p>", "\t"]).encode() * rng.randint(1000, 100_000) + data[at:]


def _text_markup(data: bytes, rng: random.Random) -> bytes:
    """Unbalanced and hostile markup in a markdown/HTML conversion."""
    junk = rng.choice([b"<table><tr><td>" * 500, b"<input checked " * 300, b"&#x0; &#99999999; &amp" * 100,
                       b"| --- |\n" * 1000, b"<p>" * 5000 + b"</p>", b"# \n" * 2000, b"\x1b]0;title\x07\x1b[31m"])
    at = rng.randrange(len(data))
    return data[:at] + junk + data[at:]


def _text_tiny(data: bytes, rng: random.Random) -> bytes:
    return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff\x00", b"\n" * 1000, b"\x00" * 64,
                       "Ⅰ 基本情報".encode(), b"%PDF-", b"%PDF-1.7\n%%EOF", data[: rng.randint(1, 50)]])


TEXT_MUTATIONS: list[Mutation] = [_text_flip, _text_encoding, _text_controls, _text_lines, _text_long_line,
                                  _text_markup, _text_tiny]


def mutants(bases: list[bytes], mutations: list[Mutation], count: int, seed: int) -> list[tuple[str, bytes]]:
    """``count`` distinct mutants, cycling through the mutations (a draw that repeats an earlier
    mutant or a base is dropped); named ``<mutation>-<n>``, n counting draws, to be rebuilt from the seed."""
    rng = random.Random(seed)
    out: dict[bytes, str] = {}
    n = 0
    while len(out) < count:
        mutate = mutations[n % len(mutations)]
        data = rng.choice(bases)
        for _ in range(1 + (rng.random() < 0.2)):  # now and then two mutations stacked
            data = mutate(data, rng)
        if data not in bases:
            out.setdefault(data, f"{mutate.__name__.lstrip('_')}-{n:03d}")
        n += 1
    return [(name, data) for data, name in out.items()]
