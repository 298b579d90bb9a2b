"""Japanese texts compared by meaning-bearing words, not characters.

Each text is tokenised with SudachiPy and every word is compared by its normalised form, so spelling
variants (行う/行なう, 取扱い/取り扱い, 漏洩/漏えい), full/half width and spacing are not differences;
punctuation and white space are shown but never compared. Texts are split into clauses (sentences,
headings, bracketed labels) so a report can say which measures one body takes and the other does not.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from normalizers.phrases import tokenizer as _tokenizer
from normalizers.text import nfkc

# One tokenize() call accepts at most 49,149 bytes; a UTF-8 Japanese character takes up to 3.
_MAX_CHARS = 16_000
_NOISE_POS = {"補助記号", "空白"}
# Clause boundaries: after 。 and closing brackets, before headings and bracketed labels, at line breaks.
_CLAUSE_BREAK = regex.compile(r"(?<=[。】>])|(?=[【<○●■◆])|\n")
# A clause reworded (same measure, different words) rather than a measure only one text has.
REWORDED = 0.6


@dataclass(frozen=True)
class Token:
    surface: str
    key: str | None  # normalised form; None for punctuation and space


@dataclass
class TextComparison:
    similarity: float  # 0–1 over the words of the whole texts
    only_a: list[str] = field(default_factory=list)  # clauses of A with no counterpart in B
    only_b: list[str] = field(default_factory=list)
    reworded: list[tuple[str, str, float]] = field(default_factory=list)  # (clause A, clause B, similarity)
    a_segments: list[tuple[str, bool]] = field(default_factory=list)  # (text, differs) for highlighting
    b_segments: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return self.similarity == 1.0


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    out: list[Token] = []
    for clause in clauses(text):
        for start in range(0, len(clause), _MAX_CHARS):
            for m in _tokenizer().tokenize(clause[start:start + _MAX_CHARS]):
                noise = m.part_of_speech()[0] in _NOISE_POS
                out.append(Token(m.surface(), None if noise else m.normalized_form()))
    return tuple(out)


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(nfkc(text)) if c.strip()]


def keys(text: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokens(text) if t.key is not None)


def similarity(a: str | None, b: str | None) -> float:
    ka, kb = keys(a or ""), keys(b or "")
    if ka == kb:
        return 1.0
    return difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio()


def compare(a: str | None, b: str | None) -> TextComparison:
    ta, tb = tokens(a or ""), tokens(b or "")
    ia = [i for i, t in enumerate(ta) if t.key is not None]
    ib = [i for i, t in enumerate(tb) if t.key is not None]
    matcher = difflib.SequenceMatcher(None, [ta[i].key for i in ia], [tb[i].key for i in ib], autojunk=False)
    changed_a, changed_b = set(), set()
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "equal":
            changed_a.update(ia[a0:a1])
            changed_b.update(ib[b0:b1])
    sim = 1.0 if not changed_a and not changed_b else matcher.ratio()
    result = TextComparison(sim, a_segments=_segments(ta, changed_a), b_segments=_segments(tb, changed_b))
    if sim < 1.0:
        _match_clauses(clauses(a or ""), clauses(b or ""), result)
    return result


def _segments(toks: tuple[Token, ...], changed: set[int]) -> list[tuple[str, bool]]:
    """Runs of tokens with the same state; punctuation between two changed words counts as changed."""
    segs: list[tuple[str, bool]] = []
    for i, t in enumerate(toks):
        differs = i in changed or (t.key is None and bool(segs) and segs[-1][1] and i + 1 in changed)
        if segs and segs[-1][1] == differs:
            segs[-1] = (segs[-1][0] + t.surface, differs)
        else:
            segs.append((t.surface, differs))
    return segs


def _match_clauses(ca: list[str], cb: list[str], out: TextComparison) -> None:
    """Each clause's best counterpart on the other side: none close enough means only that side has it."""
    ka = [(c.strip(), keys(c)) for c in ca if keys(c)]
    kb = [(c.strip(), keys(c)) for c in cb if keys(c)]
    for text, k in ka:
        best, partner = max(((_ratio(k, o), t) for t, o in kb), default=(0.0, ""))
        if best < REWORDED:
            out.only_a.append(text)
        elif best < 1.0:
            out.reworded.append((text, partner, best))
    out.only_b = [t for t, k in kb if max((_ratio(k, o) for _, o in ka), default=0.0) < REWORDED]


def _ratio(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    return 1.0 if a == b else difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
