"""Selections and checklist states on the seeds, checked by reading the seed text (line numbers
cite the seed file). Scrambled seeds 000-002 test the attribution rules; markdown seed 003 is in
reading order and checks them where order is reliable."""
from functools import cache

import pytest

from parsers.extract.checkmarks import CHECKED, EMPTY, SPLIT, boxes, loose_marks, split_state
from parsers.model import Line
from pipeline.ingest.process import process_path
from tests.conftest import seed


@cache
def run(prefix: str):
    return process_path(str(seed(prefix)))


def rows(prefix: str, table: str) -> list[dict]:
    return run(prefix).tables.get(table, [])


def _at(path: str, parts: tuple[str, ...]) -> bool:
    """Each part is in a path element, in order (the full paths are long); the last part starts
    the last element, printed marker (①…) aside."""
    *heads, last = path.split(" > ")
    elements = iter(heads)
    return all(any(part in e for e in elements) for part in parts[:-1]) and \
        (last.startswith(parts[-1]) or last[1:].startswith(parts[-1]))


def only(found: list[dict]) -> dict:
    assert len(found) == 1, found
    return found[0]


def selection(prefix: str, *parts: str, file_name: str | None = "any") -> dict:
    return only([r for r in rows(prefix, "selections") if _at(r["path"], parts)
                 and (file_name == "any" or r["file_name"] == file_name)])


def box(prefix: str, option: str, *parts: str, block: int | None = None) -> dict:
    """The row of ``option``; ``block`` picks one of several Ⅱ blocks (in document order) when
    their file names could not be read."""
    found = [r for r in rows(prefix, "checklist_items") if r["option"] == option and _at(r["path"], parts)]
    return only(found if block is None else found[block:block + 1])


SELECTIONS = [
    # seed 003, markdown rows: value on the label's row
    ("003", ("１．", "③対象人数"), "1万人以上10万人未満"),  # L42
    ("003", ("５．", "①実施の有無"), "実施する"),  # L79
    ("003", ("２．基本情報", "①ファイルの種類"), "システム用ファイル"),  # L102
    ("003", ("２．基本情報", "②対象となる本人の数"), "1万人以上10万人未満"),  # L103
    ("003", ("２．基本情報", "④記録される項目"), "100項目以上"),  # L106
    ("003", ("使用者数",), "10人未満"),  # L118
    ("003", ("委託の有無",), "委託する"),  # L126
    ("003", ("委託事項1", "②委託先における取扱者数"), "10人未満"),  # L130
    ("003", ("委託事項3", "②委託先における取扱者数"), "50人以上100人未満"),  # L146
    ("003", ("委託事項1", "④再委託の有無"), "再委託しない"),  # L132
    ("003", ("委託事項4", "④再委託の有無"), "再委託する"),  # L156
    ("003", ("提供先1", "④提供する情報の対象となる本人の数"), "10万人以上100万人未満"),  # L174
    ("003", ("７．", "①事故発生時手順の策定・周知"), "十分に行っている"),  # L557
    ("003", ("７．", "②過去"), "発生なし"),  # L558
    ("003", ("②しきい値判断結果",), "基礎項目評価の実施が義務付けられる（任意に重点項目評価を実施）"),  # L663
    # seed 000, scrambled: choice list printed before the value, ] on a later line
    ("000", ("１．", "③対象人数"), "10万人以上30万人未満"),  # L112-119, L180-184
    ("000", ("２．基本情報", "④記録される項目"), "10項目以上50項目未満"),  # L324 bare, before the Ⅱ heading
    ("000", ("ユーザ認証の管理",), "行っている"),  # L1034 ＜選択肢＞[ 行っている
    ("000", ("②しきい値判断結果",),
     "特定個人情報保護評価の実施が義務付けられない（任意に重点項目評価を実施）"),  # L1479 ][ …
    # seed 002, scrambled 全項目
    ("002", ("１．", "③対象人数"), "10万人以上30万人未満"),  # L140
    ("002", ("２．基本情報", "②対象となる本人の数"), "10万人以上100万人未満"),  # L432
    ("002", ("使用者数",), "50人以上100人未満"),  # L606, shares its list with 7 取扱者数
    ("002", ("特定個人情報の使用の記録",), "記録を残している"),  # L2060 記録を残している[
    ("002", ("④安全管理体制・規程の職員への周知",), "十分に周知している"),  # L3002 ]十分に周知している
    ("002", ("１．監査", "①自己点検"), "十分に行っている"),  # L3316, same list as ②監査 and 教育: all agree
    ("002", ("②しきい値判断結果",), "基礎項目評価及び全項目評価の実施が義務付けられる"),  # L3462 …[ ]
    # seed 001: one Ⅱ block per file
    ("001", ("②しきい値判断結果",),
     "基礎項目評価及び重点項目評価の実施が義務付けられる（任意に全項目評価を実施）"),  # L4996
    ("001", ("①NISC政府機関統一基準群",), "政府機関ではない"),  # L4609
]


@pytest.mark.parametrize("prefix,parts,chosen", SELECTIONS)
def test_selection_answers(prefix, parts, chosen):
    assert selection(prefix, *parts)["chosen"] == chosen


def test_selections_per_file_block():
    """Seed 001 prints five Ⅱ blocks; each answers for its own file (L1063, L2272, L2045)."""
    users = [r["chosen"] for r in rows("001", "selections") if r["label"] == "使用者数"]
    assert users[0] == "100人以上500人未満" and users[2] == "10人以上50人未満"
    keeping = [r["chosen"] for r in rows("001", "selections") if r["label"] == "期間"]
    assert keeping[0] == "定められていない" and keeping[2:] == ["6年以上10年未満", "6年以上10年未満"]


CHECKLIST = [
    # seed 003 markdown: literal boxes, <input checked> → [ ○ ]
    ("003", "情報提供ネットワークシステム", ("システム1", "③他のシステムとの接続"), False),  # L55
    ("003", "税務システム", ("システム1", "③他のシステムとの接続"), False),
    ("003", "その他", ("システム1", "③他のシステムとの接続"), True),
    ("003", "提供を行っている", ("提供・移転の有無",), True),  # L169
    ("003", "移転を行っている", ("提供・移転の有無",), False),
    ("003", "行っていない", ("提供・移転の有無",), False),
    ("003", "情報提供ネットワークシステム", ("提供先1", "⑥提供方法"), True),  # L176
    ("003", "紙", ("提供先1", "⑥提供方法"), False),
    ("003", "その他", ("提供先1", "⑥提供方法"), False),
    # markdown boxes of a list with none checked: states lost
    ("003", "個人番号", ("主な記録項目",), None),  # L107
    ("003", "紙", ("②入手方法",), None),  # L115
    ("003", "自己点検", ("８．監査", "実施の有無"), None),  # L635 radio boxes
    ("003", "外部監査", ("８．監査", "実施の有無"), False),  # L635 a literal empty box
    # seed 002, one Ⅱ block with boxes split over lines (L434-500, L506-535)
    ("002", "個人番号", ("主な記録項目",), True),  # L443
    ("002", "個人番号対応符号", ("主な記録項目",), False),  # L434
    ("002", "その他識別情報（内部番号）", ("主な記録項目",), True),  # L434
    ("002", "障害者福祉関係情報", ("主な記録項目",), True),  # L463 ○ ] X
    ("002", "介護・高齢者福祉関係情報", ("主な記録項目",), False),  # L465
    ("002", "児童福祉・子育て関係情報", ("主な記録項目",), False),  # L469
    ("002", "年金関係情報", ("主な記録項目",), True),  # L500
    ("002", "雇用・労働関係情報", ("主な記録項目",), False),  # L500
    ("002", "災害関係情報", ("主な記録項目",), False),  # L498
    ("002", "本人又は本人の代理人", ("①入手元",), True),  # L514
    ("002", "行政機関・独立行政法人等", ("①入手元",), False),  # L508
    ("002", "地方公共団体・地方独立行政法人", ("①入手元",), True),  # L526
    ("002", "民間事業者", ("①入手元",), False),  # L524
    ("002", "紙", ("②入手方法",), True),  # L533, 紙 is also an option of 11 提供方法 lists
    ("002", "電子メール", ("②入手方法",), False),  # L530
    ("002", "電子記録媒体（フラッシュメモリを除く。）", ("②入手方法",), None),  # L528 ] X, L533 ends [ ○
    ("002", "提供を行っている", ("提供・移転の有無",), True),
    # seed 000: interleaved systems (L100-206) and an Ⅱ block printed around its heading
    ("000", "宛名システム等", ("システム1", "③他のシステムとの接続"), False),  # L162,164,206 all empty
    ("000", "宛名システム等", ("システム3", "③他のシステムとの接続"), False),
    ("000", "住民基本台帳ネットワークシステム", ("システム2", "③他のシステムとの接続"), None),  # L127,129 empty, L201 ○
    ("000", "情報提供ネットワークシステム", ("システム3", "③他のシステムとの接続"), None),  # L133,158 empty, L204 ○
    ("000", "紙", ("②入手方法",), True),  # L547 ○ ] 紙
    ("000", "フラッシュメモリ", ("②入手方法",), True),  # L547 [ ○ ] フラッシュメモリ]
    ("000", "雇用・労働関係情報", ("主な記録項目",), False),  # L302, before the Ⅱ heading
    ("000", "個人番号対応符号", ("主な記録項目",), False),  # L338 [ ] 個人番号対応符号 ○
    ("000", "専用線", ("移転先1", "⑥移転方法"), False),  # L904
    ("000", "庁内連携システム", ("移転先1", "⑥移転方法"), False),  # L896
    ("000", "評価実施機関内の他部署", ("①入手元",), False),  # L543
]


@pytest.mark.parametrize("prefix,option,parts,checked", CHECKLIST)
def test_checklist_states(prefix, option, parts, checked):
    assert box(prefix, option, *parts)["checked"] is checked


BLOCKS = [
    # numbered blocks printed in order: each 委託事項's region holds its own answers
    ("002", "紙", ("委託事項3", "④委託先への特定個人情報ファイルの提供方法"), True),  # L893
    ("002", "紙", ("委託事項4", "④委託先への特定個人情報ファイルの提供方法"), False),  # L967
    ("002", "電子記録媒体（フラッシュメモリを除く。）", ("委託事項2", "④委託先への特定個人情報ファイルの提供方法"), True),  # L814
    ("002", "紙", ("提供先2", "⑥提供方法"), False),  # L1325, printed after 提供先3's header: by unanimity
    ("001", "専用線", ("委託事項7", "④委託先への特定個人情報ファイルの提供方法"), True),  # L1646
    ("002", "その他", ("委託事項7", "④委託先への特定個人情報ファイルの提供方法"), True),  # L1195
]


@pytest.mark.parametrize("prefix,option,parts,checked", BLOCKS)
def test_checklist_states_by_block(prefix, option, parts, checked):
    assert box(prefix, option, *parts)["checked"] is checked


def test_shared_option_between_rows_of_one_list():
    """Seed 001 L923: その他 (offered by 入手元, 入手方法, 記録項目, 提供方法 …) between two 入手元
    rows (L921, L925) of the first Ⅱ block."""
    other = box("001", "その他", "①入手元", block=0)
    assert other["checked"] is True and other["detail"] == "東京都国民健康保険団体連合会"


def test_selections_by_block():
    """Seed 001's first Ⅱ block: 委託事項1-7 each in order (L1109 … L1667)."""
    handlers = [r["chosen"] for r in rows("001", "selections") if r["label"] == "③委託先における取扱者数"][:7]
    assert handlers == ["10人未満"] * 6 + ["50人以上100人未満"]
    subcontract = [r["chosen"] for r in rows("001", "selections") if r["label"] == "⑦再委託の有無※"][:7]
    assert subcontract == ["再委託しない"] * 6 + ["再委託する"]


def test_evidence_printed_across_a_heading():
    """Seed 002 prints Ⅴ's ④ answer (L3405) before the Ⅴ heading."""
    assert selection("002", "④個人情報ファイル簿の公表")["chosen"] == "行っていない"


def test_details_after_options():
    assert box("003", "その他", "システム1", "③他のシステムとの接続")["detail"] == \
        "中間サーバー等、健診システム、レセプト管理・分析システム、マイナポータル"
    assert box("003", "提供を行っている", "提供・移転の有無")["detail"] == "26"
    assert box("003", "行政機関・独立行政法人等", "①入手元")["detail"] == "日本年金機構、日本私立学校振興・共済事業団"
    assert box("002", "その他", "システム5", "③他のシステムとの接続")["detail"] is None  # three その他: which is which?


def test_heading_flags():
    flags = {(r["label"][:2], r["option"]): r["checked"] for r in rows("003", "checklist_items")
             if r["option"].endswith(("しない", ")"))}
    assert flags == {("４．", "委託しない"): False, ("６．", "接続しない(入手)"): False,
                     ("６．", "接続しない(提供)"): False}


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_chosen_is_an_option(prefix):
    for r in rows(prefix, "selections"):
        assert r["chosen"] is None or r["chosen"] in r["options"], r


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_every_option_once_per_instance(prefix):
    """An instance's rows are consecutive (several Ⅱ blocks may share a path when their file name
    is unreadable) and list each option of its template item exactly once."""
    from itertools import groupby

    from parsers.form.template import load_template, option_variants

    template = load_template(run(prefix).document["assessment_kind"])
    by_label = {it.label: sorted(str(o) for o in it.options) for it in template.items() if it.type == "checklist"}
    canonical = {v: c for it in template.items() if it.options_id
                 for c, vs in option_variants(it.options_id).items() for v in vs}
    instances = [(path, [canonical.get(r["option"], r["option"]) for r in group]) for (_, path), group in
                 groupby(rows(prefix, "checklist_items"), key=lambda r: (r["file_name"], r["path"]))]
    lists = [(path, options) for path, options in instances if path.split(" > ")[-1] in by_label]
    assert lists
    for path, options in lists:
        assert sorted(options) == by_label[path.split(" > ")[-1]], path


def test_abstention_is_null_with_a_warning():
    blank = selection("003", "委託事項5", "②委託先における取扱者数")  # L161: [ ]
    assert blank["chosen"] is None and blank["confidence"] < 0.5
    said = [w for w in run("003").warnings if (w.stage, w.code) == ("choices", "answer_unattributed")]
    assert blank["source_ref"] in [w.source_ref for w in said]
    # seed 000 Ⅲ: 8 リスクへの対策は十分か share one list; 5 answers are printed, order lost
    answers = [r for r in rows("000", "selections") if r["label"] == "リスクへの対策は十分か"]
    assert len(answers) == 8 and all(r["chosen"] is None for r in answers)
    said = [w for w in run("000").warnings if w.stage == "choices" and w.code.startswith("answer_")]
    assert {r["source_ref"] for r in answers} <= {w.source_ref for w in said}


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_target_population_agrees(prefix):
    doc = run(prefix).document
    mine = [r["chosen"] for r in rows(prefix, "selections") if r["label"] == "③対象人数"]
    assert mine == [doc["target_population"]]


def test_fields_rows_for_answers():
    fields = [f for f in rows("003", "fields") if f["kind"] in ("selection", "checklist")]
    assert {"selection", "checklist"} == {f["kind"] for f in fields}
    connection = only([f for f in fields if f["kind"] == "checklist" and _at(f["path"], ("システム1", "③他の"))])
    assert connection["value"] == "その他"
    assert only([f for f in fields if f["label"] == "使用者数"])["value"] == "10人未満"


def _lines(*texts: str) -> list[Line]:
    return [Line(n + 1, t) for n, t in enumerate(texts)]


def test_split_box_fragments():
    """Seed 000 L547: a close fragment carrying the mark, a full box, then an option whose box
    opened on another line."""
    lines = _lines("○ ] 紙 [ ○ ] フラッシュメモリ] 電子記録媒体（フラッシュメモリを除く。）")
    found = boxes(lines, [0], ["紙", "フラッシュメモリ", "電子記録媒体（フラッシュメモリを除く。）"])
    assert [(b.option, b.state) for b in found] == [
        ("紙", CHECKED), ("フラッシュメモリ", CHECKED), ("電子記録媒体(フラッシュメモリを除く。)", SPLIT)]


def test_split_state_unknown_near_a_loose_mark():
    lines = _lines("[ ○ ] 紙 [ ○", "", "] 電子記録媒体", *[""] * 60, "] 専用線")
    loose = loose_marks(lines)
    assert loose == [0]
    assert split_state(2, loose) is None and split_state(63, loose) == EMPTY


def test_wrapped_detail():
    lines = _lines("[ ○ ] その他 （", "日本年金機構、医療保険者等向け中間サーバー", "", "）")
    (found,) = boxes(lines, range(4), ["その他"])
    assert found.detail == "日本年金機構、医療保険者等向け中間サーバー"


def test_unread_block_header_still_competes(tmp_path):
    """提供先 rows printed without a readable 提供先N header: their checked 紙 must not be taken as
    入手方法's (the only other list offering 紙 here), so 入手方法 紙 is left unknown."""
    doc = tmp_path / "report.txt"
    doc.write_text("特定個人情報保護評価書（全項目評価書）\nⅡ　特定個人情報ファイルの概要\n ３．特定個人情報の入手・使用\n"
                   " ②入手方法\n ５．特定個人情報の提供・移転（委託に伴うものを除く。）\n"
                   " ①法令上の根拠 番号法第19条第8号\n ⑥提供方法\n[ ○ ] 紙\n", encoding="utf-8")
    paper = [r for r in process_path(str(doc)).tables["checklist_items"] if r["option"] == "紙"]
    assert [(r["label"], r["checked"]) for r in paper] == [("②入手方法", None)]
