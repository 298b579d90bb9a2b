"""CI guards extraction quality: the bundled reports, ingested, must score at least the precision
and recall per table that the README states (its "Extraction and how well it works" table)."""
from pathlib import Path

import pytest
import regex

from pipeline.analysis.evaluate import evaluate
from pipeline.ingest.batch import ingest

ROOT = Path(__file__).resolve().parent.parent
# | table | expected | [emitted |] precision | recall |  (bold on the overall row)
_ROW = regex.compile(r"^\|\s*\**([a-z_]+)\**\s*(?:\|\s*\**\d+\**\s*){1,2}\|\s*\**([01]\.\d{3})\**\s*\|\s*\**([01]\.\d{3})\**\s*\|$")


def readme_floors() -> dict[str, tuple[float, float]]:
    """table -> (precision, recall) from the README's table; ``overall`` included."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return {m.group(1): (float(m.group(2)), float(m.group(3)))
            for m in map(_ROW.match, text.splitlines()) if m}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("quality")
    ingest([str(ROOT / "data" / "raw")], out)
    return evaluate(out, ROOT / "tests" / "expected")


def test_the_readme_states_a_floor_for_every_scored_table(report):
    assert set(report.by_table()) | {"overall"} == set(readme_floors())


def test_no_table_falls_below_the_readme(report):
    scores = {**report.by_table(), "overall": report.overall()}
    below = [f"{table}: {name} {got:.3f} < {floor:.3f}"
             for table, floors in readme_floors().items()
             for name, got, floor in zip(("precision", "recall"), (scores[table].precision, scores[table].recall), floors)
             if got is None or round(got, 3) < floor]
    assert not below, below


# Issue #12 asks for measures on >= 95% of the answered risk rows whose text prints one (94 of 98 on the
# bundled samples; 21 of them placed by what they say, measure_by_content). The 4 left are texts neither
# the layout nor their words tie to one row (AMBIGUOUS.md, "measures"); a wrong measure is never allowed.
MEASURES_FILL_FLOOR = 0.95


def test_measures_are_never_tied_to_another_row(report):
    c = report.by_field()[("risk_answers", "measures")]
    wrong = [m for m in report.mismatches if "risk_answers.measures" in m]
    assert c.expected >= 90 and c.emitted == c.right, wrong


def test_measures_fill_the_rows_whose_text_prints_one(report):
    c = report.by_field()[("risk_answers", "measures")]
    assert c.filled / c.expected >= MEASURES_FILL_FLOOR, f"{c.filled}/{c.expected}"
