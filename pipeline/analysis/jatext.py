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
from sudachipy import Dictionary, SplitMode

from normalizers.text import nfkc

# One tokenize() call accepts at most 49,149 bytes; a UTF-8 Japanese character takes up to 3.
_MAX_CHARS = 16_000
_NOISE_POS = {"補助記号", "空白"}
# Clause boundaries: after 。 and closing brackets, before headings and bracketed labels, at line breaks.
_CLAUSE_BREAK = regex.compile(r"(?<=[。】>])|(?=[【<○●■◆])|\n")
# A clause reworded (same measure, different words) rather than a measure only one text has.
REWORDED = 0.6
# Word pairs difflib may examine once the common head and tail are cut off; a longer middle is
# counted as changed as a whole (its similarity is then a lower bound) so no comparison runs away.
MAX_WORK = 4_000_000
MAX_PAIRS = 20_000  # clause pairs compared when matching the clauses of two texts


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


@lru_cache(maxsize=1)
def _tokenizer():
    return Dictionary().tokenizer(mode=SplitMode.C)


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
    return _ratio(keys(a or ""), keys(b or ""))


def compare(a: str | None, b: str | None) -> TextComparison:
    ta, tb = tokens(a or ""), tokens(b or "")
    ia = [i for i, t in enumerate(ta) if t.key is not None]
    ib = [i for i, t in enumerate(tb) if t.key is not None]
    ka, kb = tuple(ta[i].key for i in ia), tuple(tb[i].key for i in ib)
    if ka == kb:
        return TextComparison(1.0, a_segments=_segments(ta, set()), b_segments=_segments(tb, set()))
    changes, sim = _diff(ka, kb)
    changed_a = {ia[k] for a0, a1, _, _ in changes for k in range(a0, a1)}
    changed_b = {ib[k] for _, _, b0, b1 in changes for k in range(b0, b1)}
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
    """Each clause's best counterpart on the other side: none close enough means only that side has it.
    A clause printed word for word on the other side needs no search."""
    ka = [(c.strip(), keys(c)) for c in ca if keys(c)]
    kb = [(c.strip(), keys(c)) for c in cb if keys(c)]
    in_a, in_b = {k for _, k in ka}, {k for _, k in kb}
    ra, rb = [c for c in ka if c[1] not in in_b], [c for c in kb if c[1] not in in_a]
    for (text, _), (best, partner) in zip(ra, _best(ra, kb)):
        if best < REWORDED:
            out.only_a.append(text)
        elif best < 1.0:
            out.reworded.append((text, partner, best))
    out.only_b = [t for (t, _), (best, _) in zip(rb, _best(rb, ka)) if best < REWORDED]


def _best(side: list[tuple[str, tuple]], other: list[tuple[str, tuple]]) -> list[tuple[float, str]]:
    """For each clause of ``side``, the most similar clause of ``other`` (similarity, text). With
    more than ``MAX_PAIRS`` pairs, each clause is compared with the clauses at about the same place
    in the other text only."""
    reach = len(other) if len(side) * len(other) <= MAX_PAIRS else max(1, MAX_PAIRS // max(len(side), 1))
    out = []
    for n, (_, k) in enumerate(side):
        centre = n * len(other) // max(len(side), 1)
        start = min(max(0, centre - reach // 2), max(0, len(other) - reach))
        near = [(t, o) for t, o in other[start:start + reach] if _could_be_reworded(k, o)]
        out.append(max(((_ratio(k, o), t) for t, o in near), default=(0.0, "")))
    return out


def _could_be_reworded(a: tuple, b: tuple) -> bool:
    """Clauses of very different lengths cannot reach ``REWORDED`` (the bound difflib's
    ``real_quick_ratio`` uses), so they are not compared word by word."""
    return 2 * min(len(a), len(b)) >= REWORDED * (len(a) + len(b))


def _ratio(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    return 1.0 if a == b else _diff(a, b)[1]


def _diff(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[list[tuple[int, int, int, int]], float]:
    """The changed ranges ``(a0, a1, b0, b1)`` and the similarity (difflib's ratio), with bounded
    work: texts too long for difflib within ``MAX_WORK`` word pairs have their common head and
    tail matched first (revised texts share most of both), and only the middle goes to difflib."""
    head = tail = 0
    if len(a) * len(b) > MAX_WORK:
        while head < min(len(a), len(b)) and a[head] == b[head]:
            head += 1
        while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
            tail += 1
    ma, mb = a[head:len(a) - tail], b[head:len(b) - tail]
    total = len(a) + len(b)
    if not ma and not mb:
        return [], 1.0
    if not ma or not mb or len(ma) * len(mb) > MAX_WORK:
        return [(head, len(a) - tail, head, len(b) - tail)], 2 * (head + tail) / total
    matcher = difflib.SequenceMatcher(None, ma, mb, autojunk=False)
    changes = [(head + a0, head + a1, head + b0, head + b1)
               for op, a0, a1, b0, b1 in matcher.get_opcodes() if op != "equal"]
    matched = head + tail + sum(m.size for m in matcher.get_matching_blocks())
    return changes, 2 * matched / total
