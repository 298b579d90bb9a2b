"""Rules 1-6 of the choices stage (see its docstring): which question a piece of evidence (a
bracketed option, a box) answers. Each rule either ties a piece to one question or leaves it to
the next; what no rule decides gets no answer."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from parsers.form.template import Item
from parsers.model import Line, cell_start, same_row
from parsers.settings import EXTRACT

NEAR, MARGIN = EXTRACT.near, EXTRACT.margin
SURE, NEARBY, AGREED, NONE = EXTRACT.sure, EXTRACT.nearby, EXTRACT.agreed, EXTRACT.unattributed  # by rule


@dataclass
class Question:
    """A choice question of the template, once per numbered block printed (its path numbered as
    printed: ``… > 委託事項2 > ②…``); the blocks themselves come from ``numbered.headers``."""

    item: Item
    path: str
    keys: dict[str, str]  # compact option (or printed variant) -> canonical option
    anchors: list[int] = field(default_factory=list)  # label lines tied to this instance
    labels: list[int] = field(default_factory=list)  # every line printing its label (any instance)
    shared: bool = False  # its label lines cannot be told from other instances' (positional rules off)
    complete: bool = True  # its block numbers run 1..N: no instance of the block went unseen
    region: range | None = None  # lines from its block header to the next, when headers run 1..N
    block: tuple | None = None  # path of its numbered block's header (委託事項1 …)
    phantom: bool = False  # printed, but its block's header was not read: competes for evidence, no row


@dataclass(frozen=True)
class Evidence:
    index: int
    key: str  # compact option
    value: object  # canonical option (selection) or box state (checklist)
    detail: str | None = None


def attribute(insts: list[Question], evidence: list[Evidence], offers, lines: Sequence[Line],
               per_option: bool = False) -> dict[tuple, list[tuple[Evidence, float]]]:
    """Slot -> [(evidence, confidence)]; a slot is (instance, None) for a selection or
    (instance, option key) for a checklist option."""
    slots: dict[tuple, list[tuple[Evidence, float]]] = defaultdict(list)
    left, placed = [], []  # placed: (line, instance) of evidence tied by rules 1-3
    for ev in evidence:
        cands = [n for n, inst in enumerate(insts) if offers(inst, ev)]
        if not cands:
            continue
        if len(cands) == 1:
            near = _distance(ev.index, insts[cands[0]].anchors) <= NEAR
            chosen, confidence = cands[0], SURE if near else NEARBY
        else:
            on_row = [n for n in cands if not insts[n].shared
                      and any(same_row(lines[a], lines[cell_start(lines, ev.index)]) for a in insts[n].anchors)]
            chosen = on_row[0] if len(on_row) == 1 else _nearest(ev, cands, insts, evidence, offers, per_option)
            confidence = SURE if len(on_row) == 1 else AGREED
        if chosen is None:
            left.append((ev, tuple(cands)))
        else:
            slots[(chosen, ev.key if per_option else None)].append((ev, confidence))
            placed.append((ev.index, chosen))
    if per_option:
        left = _between_rows(left, placed, slots)
    groups: dict[tuple, list[Evidence]] = defaultdict(list)
    for ev, cands in left:
        groups[(ev.key if per_option else None, cands)].append(ev)
    for (key, cands), evs in groups.items():
        open_slots = [(n, key) for n in cands if (n, key) not in slots]
        paired, open_slots, evs = _by_region(open_slots, evs, insts)
        for s, ev in paired:
            slots[s].append((ev, AGREED))
        if not open_slots:
            continue
        values = {ev.value for ev in evs}
        complete = all(insts[n].complete for n in cands)
        if evs and complete and len(values) == 1 and None not in values and len(evs) >= len(open_slots):
            details = {ev.detail for ev in evs}
            for s, ev in zip(open_slots, evs):  # which piece went where is unknown: keep only what all share
                slots[s].append((ev if len(details) == 1 else Evidence(ev.index, ev.key, ev.value), AGREED))
        else:
            for s in open_slots if evs else ():  # unattributable: null, citing where the evidence is
                slots[s].append((Evidence(evs[0].index, evs[0].key, None), NONE))
    return slots


def _between_rows(left: list, placed: list[tuple[int, int]], slots: dict) -> list:
    """A checklist option offered by several lists (その他, 紙) printed between two rows already tied
    to the same list, each within ``NEAR`` lines, belongs to that list: a list's rows stay together."""
    placed = sorted(placed)
    rest = []
    for ev, cands in left:
        before = [p for p in placed if ev.index - NEAR <= p[0] < ev.index]
        after = [p for p in placed if ev.index < p[0] <= ev.index + NEAR]
        owner = before[-1][1] if before and after and before[-1][1] == after[0][1] else None
        if owner in cands and (owner, ev.key) not in slots:
            slots[(owner, ev.key)].append((ev, AGREED))
        else:
            rest.append((ev, cands))
    return rest


def _by_region(open_slots: list[tuple], evs: list[Evidence], insts: list[Question]):
    """Pair numbered-block questions with evidence block by block: each kind of block (委託事項,
    提供先 …) whose regions hold exactly one piece each is paired; a block printed out of place
    leaves one region empty and another doubled, which refuses the pairing unless all the pieces
    within that kind's blocks agree (and are enough). Returns (pairs, slots and evidence left over
    for the other rules)."""
    regions = {s: insts[s[0]].region for s in open_slots}
    pairs, rest_slots, taken = [], [s for s in open_slots if regions[s] is None], set()
    for block in dict.fromkeys(insts[n].block for n, _ in open_slots if insts[n].region is not None):
        slots = [s for s in open_slots if insts[s[0]].block == block and regions[s] is not None]
        inside = [[ev for ev in evs if ev.index in regions[s]] for s in slots]
        local = [ev for found in inside for ev in found]
        values = {ev.value for ev in local}
        if all(len(found) == 1 for found in inside):
            pairs += [(s, found[0]) for s, found in zip(slots, inside)]
        elif len(values) == 1 and None not in values and len(local) >= len(slots):
            # out of place, but every piece within these blocks agrees: each block has that answer
            by_line = sorted(local, key=lambda e: e.index)
            pairs += [(s, Evidence(ev.index, ev.key, ev.value)) for s, ev in zip(slots, by_line)]
        else:
            rest_slots += slots
            continue
        taken.update(id(ev) for ev in local)
    return pairs, rest_slots, [ev for ev in evs if id(ev) not in taken]


def _distance(index: int, anchors: list[int]) -> int:
    return min((abs(index - a) for a in anchors), default=10 ** 6)


def _nearest(ev: Evidence, cands: list[int], insts: list[Question], evidence: list[Evidence], offers,
             per_option: bool) -> int | None:
    """The candidate whose label is clearly nearest to ``ev`` (a question with an unambiguous label:
    the others only need to be clearly farther), if ``ev`` is also clearly the nearest evidence for
    that question (of the same option, for a checklist)."""
    dist = sorted((_distance(ev.index, insts[n].labels if insts[n].shared else insts[n].anchors), n) for n in cands)
    (d1, best), d2 = dist[0], dist[1][0]
    if insts[best].shared or d1 > NEAR or d2 < d1 + MARGIN:
        return None
    rivals = [_distance(o.index, insts[best].anchors) for o in evidence
              if o is not ev and (o.key == ev.key or not per_option) and offers(insts[best], o)]
    if rivals and min(rivals) < d1 + MARGIN:
        return None
    return best
