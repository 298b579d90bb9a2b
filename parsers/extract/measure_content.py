"""Measure texts tied to their rows by what they say, when the layout does not say it.

Scrambled pages print several texts under one label many rows carry (具体的な管理方法 under
ユーザ認証の管理, アクセス権限の発効・失効の管理 and アクセス権限の管理), with the question labels
before, after or far from them. The form's own labels name what each row's text is about. When a
label's k unplaced texts meet exactly k rows carrying that label that are still empty, each text is
scored against each row by the nouns of the label the row is printed under (its question, or its
risk), a noun weighing less the more of those labels carry it. The texts are given to their rows
only when one assignment beats every other by a clear margin and each text uses its row's words;
otherwise nothing is placed. Values placed so carry a ``measure_by_content`` warning.
"""
from __future__ import annotations

import math
from collections import Counter
from itertools import combinations, permutations

from normalizers.phrases import content_words
from parsers.form.template import FormTemplate

MAX_BLOCK = 5  # texts of one label compared at once (k! assignments)
MAX_PARAGRAPHS = 8  # paragraphs under stacked labels cut into runs (C(n-1, k-1) cuts)
MARGIN = 0.1  # summed shares by which the best assignment must beat the next


def by_content(pending: list[tuple[tuple, tuple, str, list[int]]], filled: set[tuple],
               template: FormTemplate) -> dict[tuple, tuple[str, list[int]]]:
    """``pending``: (candidate row paths, section printed last, text, line indexes) of texts under a
    label many rows carry. Returns row path -> (text, line indexes) for the texts placed by content:
    first among all the rows carrying the label (as many texts as empty rows), then, for texts left,
    among the rows of the section they are printed in, where a row already filled is a rival the
    text must not resemble and a text may stay out (a filled row's continuation)."""
    out = _place(pending, lambda cands, _: tuple(c for c in cands if c not in filled), filled, template, False)
    left = [p for p in pending if p[2:] not in out.values()]
    out.update(_place(left, lambda cands, section: tuple(c for c in cands if c[:2] == section),
                      filled | set(out), template, True))
    return out


def _place(pending: list, rows_of, filled: set[tuple], template: FormTemplate, spare: bool) -> dict[tuple, tuple]:
    groups: dict[tuple, list[tuple[str, list[int]]]] = {}
    for cands, section, text, used in pending:
        groups.setdefault(rows_of(cands, section), []).append((text, used))
    out: dict[tuple, tuple[str, list[int]]] = {}
    for rows, texts in groups.items():
        free = [n for n, p in enumerate(rows) if p not in filled]
        fits = 0 < len(free) <= len(texts) if spare else len(free) == len(texts)
        if not fits or len(rows) < 2 or len(texts) > MAX_BLOCK:
            continue
        weights = _label_weights(list(rows), template)
        shares = [_shares(text, weights) for text, _ in texts]
        out.update({rows[r]: texts[t] for r, t in _assignment(shares, free).items()})
    return out


def split_by_content(paragraphs: list[str], rows: list[tuple],
                     template: FormTemplate) -> dict[tuple, list[int]] | None:
    """Labels stacked one above the other (具体的なチェック方法 / 具体的な内容) with their texts printed
    after them: the cut of the paragraphs into one run per row and the assignment of runs to rows
    that beat every other cut and assignment by ``MARGIN``, each run using its row's label words.
    Returns row path -> paragraph numbers, or None when no cut is that clear."""
    k = len(rows)
    if not 1 < k <= len(paragraphs) <= MAX_PARAGRAPHS:
        return None
    ranked, weights = [], _label_weights(rows, template)
    for cuts in combinations(range(1, len(paragraphs)), k - 1):
        bounds = (0, *cuts, len(paragraphs))
        runs = [list(range(a, b)) for a, b in zip(bounds, bounds[1:])]
        shares = [_shares(" ".join(paragraphs[i] for i in run), weights) for run in runs]
        for order in permutations(range(k)):
            if all(shares[i][j] > 0 for i, j in enumerate(order)):
                ranked.append((sum(shares[i][j] for i, j in enumerate(order)), runs, order))
    ranked.sort(key=lambda r: -r[0])
    if not ranked or (len(ranked) > 1 and ranked[0][0] - ranked[1][0] < MARGIN):
        return None
    _, runs, order = ranked[0]
    return {rows[j]: runs[i] for i, j in enumerate(order)}


def _label_weights(rows: list[tuple], template: FormTemplate) -> list[dict[str, float]]:
    """Per row, the nouns of the label it is printed under (its question, or its risk), each weighted
    by how few of the rows' labels carry it (log m/df): a noun all labels carry tells nothing."""
    labels = {it.path: it.label for it in template.items()}
    words = [set(content_words(labels.get(p[:-1], p[-2]))) for p in rows]
    df = Counter(w for ws in words for w in ws)
    return [{w: math.log(len(rows) / df[w]) for w in ws if df[w] < len(rows)} for ws in words]


def _shares(text: str, weights: list[dict[str, float]]) -> list[float]:
    """How much of the text's talk of the rows' label words (``_label_weights``) goes to each row
    (0 when none): per row, the weighted mean of log(1 + count) of its label words in the text, as a
    share of all rows'."""
    said = Counter(content_words(text))
    scores = [sum(math.log1p(said[w]) * x for w, x in ws.items()) / sum(ws.values()) if ws else 0.0
              for ws in weights]
    total = sum(scores)
    return [s / total if total else 0.0 for s in scores]


def _assignment(shares: list[list[float]], free: list[int]) -> dict[int, int]:
    """Free row -> text: the one-to-one choice of a text for each free row that beats every other
    by ``MARGIN``, where each text uses its row's label words and beats each filled row's share by
    ``MARGIN``; empty when no choice is that clear."""
    def total(choice: tuple[int, ...]) -> float:
        return sum(shares[t][free[r]] for r, t in enumerate(choice))

    ranked = sorted(permutations(range(len(shares)), len(free)), key=lambda c: -total(c))
    best = ranked[0]
    if len(ranked) > 1 and total(best) - total(ranked[1]) < MARGIN:
        return {}
    filled = [n for n in range(len(shares[0])) if n not in free]
    clear = all(shares[t][free[r]] > 0 and all(shares[t][free[r]] - shares[t][n] >= MARGIN for n in filled)
                for r, t in enumerate(best))
    return {free[r]: t for r, t in enumerate(best)} if clear else {}
