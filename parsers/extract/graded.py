"""The graded questions of the risk sections (Ⅲ, and Ⅳ in 全項目) have one owner: the risks stage.

The choices stage attributes bracketed answers section by section, the risks stage question by
question with its measure text; each finds answers the other misses. Letting both write their own
table let ``selections`` and ``risk_answers`` disagree (one null, the other answered). So the
choices stage hands its answer for a graded selection to the risks stage (the inter-stage table
``GRADED``, never written to the corpus), and the risks stage writes one answer into both
``selections`` and ``risk_answers``: the one both agree on, or the one given when the other stage
abstains; two different answers give null and a warning.
"""
from __future__ import annotations

from parsers.form.template import FormTemplate, Item

RISK_TITLE = "リスク対策"  # sections whose title contains this hold the graded questions
GRADED = "_graded"  # choices -> risks: the choices stage's answer to each graded selection


def risk_sections(template: FormTemplate) -> tuple[str, ...]:
    return tuple(key for key, title in template.sections if RISK_TITLE in title)


def is_graded(item: Item, template: FormTemplate) -> bool:
    """A single-choice question of a risk section (its answer is a ``risk_answers`` row too)."""
    return item.type == "selection" and item.section in risk_sections(template)


def reconcile(own: str | None, other: str | None) -> tuple[str | None, bool]:
    """(the one answer, whether the two conflicted)."""
    if own is None or other is None or own == other:
        return (own if own is not None else other), False
    return None, True
