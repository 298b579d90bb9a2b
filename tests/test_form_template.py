"""The form template against the real seed reports in data/raw/."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import regex

from normalizers.text import compact
from parsers.form.template import (COVER, FORMS, KINDS, detect_kind, lists_containing,
                                   load_template, option_lists, option_variants)

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
SEEDS = {"重点項目評価書": ("000", "003"), "全項目評価書": ("001", "002", "004")}
SEED_KIND = {"000": "重点項目評価書", "001": "全項目評価書", "002": "全項目評価書",
             "003": "重点項目評価書", "004": "全項目評価書"}

# Printed labels absent from every seed text layer, with the reason (kept honest below).
NOT_IN_SEEDS = {
    ("全項目評価書", "公表日"): "cover row not in the text layer of seeds 001/002 (read in P7, P8)",
    ("全項目評価書", "特定個人情報保護委員会承認日【行政機関等のみ】"): "平成26年4月 print (P8); seeds are later",
}
TYPES = {"text", "selection", "checklist", "date", "count", "flag", "group"}


@cache
def options_spec() -> dict:
    return json.loads((FORMS / "options.json").read_text(encoding="utf-8"))


@cache
def seed(no: str) -> str:
    return next(RAW.glob(f"{no}_*.txt")).read_text(encoding="utf-8")


@cache
def flat(no: str) -> str:
    return compact(seed(no))


def printed(text: str, kind: str) -> bool:
    key = compact(text).removesuffix("※")
    return any(key in flat(no) for no in SEEDS[kind])


@pytest.mark.parametrize("kind", SEEDS)
def test_every_label_is_printed_in_a_seed(kind):
    missing = {v for i in load_template(kind).items() for v in (i.label, *i.variants)
               if not printed(v, kind)}
    assert missing == {label for k, label in NOT_IN_SEEDS if k == kind}


def test_every_option_is_printed_in_a_seed_of_a_form_using_it():
    users = {}
    for kind in SEEDS:
        for item in load_template(kind).items():
            if item.options_id:
                users.setdefault(item.options_id, set()).add(kind)
    missing = [(oid, text) for oid, kinds in users.items() for opt in option_lists()[oid]
               for text in (opt, *option_variants(oid).get(opt, ()))
               if not any(printed(text, k) for k in kinds)]
    assert missing == []
    # lists only 様式2 uses (no seed) must say so
    unused = set(option_lists()) - set(users)
    assert all(options_spec()[oid].get("verified") is False or "基礎" in options_spec()[oid]["_source"]
               for oid in unused), unused


def test_option_lists_have_no_duplicates_and_valid_details():
    for oid, opts in option_lists().items():
        keys = [compact(o) for o in opts]
        assert len(keys) == len(set(keys)), oid
        spec = options_spec()[oid]
        assert set(spec.get("detail", ())) <= set(opts), oid
        assert set(option_variants(oid)) <= set(opts), oid


@pytest.mark.parametrize("no", sorted(SEED_KIND))
def test_detect_kind_on_seeds(no):
    assert detect_kind(seed(no)) == SEED_KIND[no]


@pytest.mark.parametrize("no", sorted(SEED_KIND))
def test_detect_kind_from_labels_alone(no):
    """Without its title line and form tag a seed is still recognised by its labels."""
    body = regex.sub(r"(?m)^.*(評価書[（(]|様式\s*[２-４2-4]).*$", "", seed(no))
    assert detect_kind(body) == SEED_KIND[no]


def test_detect_kind_rejects_other_text():
    assert detect_kind("") is None
    assert detect_kind("個人情報の保護に関する法律についてのガイドライン（通則編）\n目次\n") is None
    assert detect_kind("特定個人情報保護評価書（基礎項目評価書）\n評価書番号 評価書名") == "基礎項目評価書"
    assert detect_kind("[平成26年4月 様式2]") == "基礎項目評価書"


def _cells(line: str) -> list[str]:
    """Label candidates of one markdown line: its cells without markup."""
    line = regex.sub(r"<[^>]+>|^#+|\*\*", "", line)
    return [c.strip() for c in line.split("\t") if c.strip()]


def test_printed_order_matches_markdown_seed():
    """Labels found in 003 (markdown keeps the printed order) follow the template's order;
    a repeated-block header (システム2, 委託事項3 …) may restart its block."""
    template = load_template("重点項目評価書")
    items = list(template.items())
    cursor, matched = 0, 0
    for lineno, line in enumerate(seed("003").splitlines(), 1):
        for cell in _cells(line):
            found = [items.index(i) for i in template.match(cell)]
            if not found:
                continue
            ahead = [n for n in found if n >= cursor]
            header = [n for n in found if items[n].repeat and regex.search(r"\d$", items[n].label)]
            assert ahead or header, f"L{lineno} {cell!r} printed before {items[cursor].path}"
            cursor, matched = min(ahead or header), matched + 1
    assert matched >= 100


def test_item_fields():
    t = load_template("全項目評価書")
    (item,) = [i for i in t.items() if i.label == "③対象人数"]
    assert (item.section, item.marker, item.name, item.type) == ("Ⅰ", "③", "対象人数", "selection")
    assert item.options[-1] == "30万人以上" and item.path[0] == "基本情報"
    (conn,) = {i.options for i in t.items() if i.name == "他のシステムとの接続"}
    assert [o for o in conn if o.detail] == ["その他"]
    assert all(i.repeat == "システム" for i in t.match("③他のシステムとの接続"))
    for kind in KINDS:
        for i in load_template(kind).items():
            assert i.type in TYPES, i.path
            assert bool(i.options) == (i.type in {"selection", "checklist"}), i.path
            assert i.section in {COVER} | {k for k, _ in load_template(kind).sections}


def test_match_tolerates_spacing_marks_and_variants():
    zen, ju = load_template("全項目評価書"), load_template("重点項目評価書")
    assert [i.name for i in zen.match(" ②事務の内容　※")] == ["事務の内容"]
    assert [i.label for i in zen.match("②所属長")] == ["②所属長の役職名"]
    assert [i.label for i in ju.match("⑦再委託の有無 ※")] == []
    assert [i.label for i in ju.match("④再委託の有無 ※")] == ["④再委託の有無※"]
    assert [i.label for i in zen.match("システム6～10")] == ["システム1"]
    assert [i.label for i in ju.match("委託事項3")] == ["委託事項1"]
    assert len(zen.match("リスクへの対策は十分か")) > 20
    assert all(i.repeat == "特定個人情報ファイル" for i in zen.match("１．特定個人情報ファイル名"))


def test_lists_containing():
    assert lists_containing("十分である") == ["OPT-十分か"]
    assert set(lists_containing("十分に行っている")) == {"OPT-再委託先", "OPT-行う3"}
    assert lists_containing("4情報（氏名、性別、生年月日、住所）") == ["CHK-記録項目"]
    assert lists_containing("存在しない選択肢") == []


def test_unverified_parts_are_marked():
    kiso = list(load_template("基礎項目評価書").items())
    assert all(i.verified for i in kiso if i.section in {"表紙", "Ⅰ"})
    assert not any(i.verified for i in kiso if i.section in {"Ⅲ", "Ⅳ", "別添"})


def test_cited_sources_exist():
    sources = json.loads((FORMS / "sources.json").read_text(encoding="utf-8"))
    texts = [f.read_text(encoding="utf-8") for f in FORMS.glob("*.json")]
    cited = {m for text in texts for m in regex.findall(r"\bP\d+\b", text)}
    assert cited <= set(sources)
    for no in {no for text in texts for no in regex.findall(r"seed (\d{3}) L", text)}:
        assert list(RAW.glob(f"{no}_*.txt")), no


def test_detect_kind_falls_back_to_the_cover_name():
    cover = "評価書番号 評価書名\n3\n○○に関する事務 全項目評価書\n"
    assert detect_kind(cover) == "全項目評価書"
    assert detect_kind(cover.replace("全項目", "重点項目")) == "重点項目評価書"
