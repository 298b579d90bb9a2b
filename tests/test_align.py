"""Recognising form labels at line starts, including a filler's one-character typo."""
from parsers.form.align import find_label
from parsers.form.template import load_template

T = load_template("重点項目評価書")


def labels(text, section):
    found = find_label(text, T, section)
    return (sorted({i.label for i in found[0]}), found[1]) if found else None


def test_label_with_inline_value():
    assert labels(" ①事務の名称 短期給付業務等に関する事務", "Ⅰ") == (["①事務の名称"], "短期給付業務等に関する事務")


def test_label_word_inside_prose_is_not_a_label():
    assert labels("事務の名称は前述のとおり", "Ⅰ") is None


def test_one_character_typo_in_a_long_label_is_forgiven():
    # seed 003 L638 prints 従業員 where the form says 従業者
    assert labels("従業員に対する教育・啓発", "Ⅲ")[0] == ["従業者に対する教育・啓発"]
    # seed 003 L422 prints 必要なない where the form says 必要のない
    typo = "リスク1: 目的を超えた紐付け、事務に必要なない情報との紐付けが行われるリスク"
    assert labels(typo, "Ⅲ")[0] == ["リスク１： 目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスク"]


def test_numbers_and_short_labels_are_never_forgiven():
    assert labels("リスク2: 目的外の入手が行われるリスク", "Ⅲ") is None  # the 重点 form has no リスク2 here
    assert labels("４．特定個人情報ファイル名", "Ⅰ") is None  # ３．特定個人情報ファイル名 with another number
    assert labels("変更前の記載", "別添1") is None
