"""The extractor contract: one registry, declared dependencies, structured warnings, settings."""
import pytest

from parsers.extract.context import build_context
from parsers.extract.contract import Extracted
from parsers.extract.registry import EXTRACTORS, Extractor, check_order, run_all
from parsers.form.sections import split_sections
from parsers.form.template import detect_kind
from parsers.read.readers import read_source
from parsers.read.text_layout import text_layout
from parsers.settings import ExtractSettings
from pipeline.ingest.paths import path_index
from pipeline.ingest.process import process_path

from .conftest import seed


def _ctx(n):
    layout = text_layout(read_source(seed(n)))
    kind = detect_kind("\n".join(ln.text for ln in layout.lines))
    sections = split_sections(layout, kind)
    return build_context(layout.lines, sections, kind, path_index(layout.lines, sections))


def test_a_dependency_must_be_registered_before_its_user():
    first, second = Extractor("a", lambda ctx: Extracted()), Extractor("b", lambda ctx: Extracted(), needs=("a",))
    check_order([first, second])
    with pytest.raises(ValueError, match="needs"):
        check_order([second, first])
    with pytest.raises(ValueError, match="twice"):
        check_order([first, first])


def test_an_extractor_sees_only_the_rows_it_declares():
    made = Extractor("maker", lambda ctx: Extracted({"things": [{"n": 1}]}))
    seen = {}

    def reader(name):
        def run(ctx):
            seen[name] = dict(ctx.rows)
            return Extracted()
        return run

    run_all(_ctx("003"), [made, Extractor("declared", reader("declared"), needs=("maker",)),
                          Extractor("undeclared", reader("undeclared"))])
    assert seen == {"declared": {"things": [{"n": 1}]}, "undeclared": {}}


def test_a_failing_stage_costs_its_rows_only():
    def broken(ctx):
        raise RuntimeError("odd document")

    run = run_all(_ctx("003"), [Extractor("broken", broken), *EXTRACTORS])
    assert run.failed == ["broken"]
    assert [(w.stage, w.code) for w in run.warnings][0] == ("broken", "stage_failed")
    assert run.tables["risk_answers"] and run.document["business_name"]


def test_every_warning_is_structured_and_documents_keep_their_text():
    ext = process_path(str(seed("000")))
    assert ext.warnings and all(w.code and w.stage for w in ext.warnings)
    assert ext.document["warnings"] == [w.text for w in ext.warnings]
    assert {w.stage for w in ext.warnings} <= {x.name for x in EXTRACTORS} | {"sections"}


def test_blocks_declare_that_they_read_the_choices():
    by_name = {x.name: x for x in EXTRACTORS}
    assert "choices" in by_name["blocks"].needs


@pytest.mark.parametrize("bad", [dict(sure=0.5), dict(agreed=0.7), dict(confident=1.5), dict(margin=25),
                                 dict(follow=0)])
def test_settings_are_validated(bad):
    with pytest.raises(ValueError):
        ExtractSettings(**bad)
