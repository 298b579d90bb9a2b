"""Measure texts placed by what they say (``measure_by_content``): on the samples every such value is
warned and matches the hand-checked start (test_quality); here, that unclear cases abstain."""
from __future__ import annotations

from parsers.extract.measure_content import by_content, split_by_content
from parsers.form.template import load_template
from tests.test_risks import _extraction

FULL = load_template("全項目評価書")
AUTH = tuple(it.path for it in FULL.items() if it.type == "text" and it.label == "具体的な管理方法")
AUDIT = [next(it.path for it in FULL.items() if it.type == "text" and it.label == label)
         for label in ("具体的なチェック方法", "具体的な内容")]
SECTION = AUTH[0][:2]


def _pending(*texts):
    return [(AUTH, SECTION, text, [n]) for n, text in enumerate(texts)]


def test_three_texts_go_to_the_rows_their_words_name():
    placed = by_content(_pending("職員ごとにユーザーIDとパスワードで認証する。",
                                 "人事異動に合わせてアクセス権限を発効し、退職時に失効させる。",
                                 "担当業務別のアクセス権限表を作り、権限を見直す。"), set(), FULL)
    assert {p[-2]: t[:6] for p, (t, _) in placed.items()} == {
        "ユーザ認証の管理": "職員ごとにユ", "アクセス権限の発効・失効の管理": "人事異動に合", "アクセス権限の管理": "担当業務別の"}


def test_texts_that_name_no_row_or_two_alike_stay_out():
    # no label word at all: nothing to go on
    assert by_content(_pending("定期的に見直している。", "規程に従う。", "研修を行う。"), set(), FULL) == {}
    # two texts that read the same: no assignment beats the swap
    same = "アクセス権限を管理する。"
    assert by_content(_pending("ユーザー認証を行う。", same, same), set(), FULL) == {}
    # more texts than empty rows: two alike for one row stay out
    filled = {AUTH[0], AUTH[2]}
    assert by_content(_pending("権限を発効・失効する。", "権限を発効・失効する。"), filled, FULL) == {}


def test_a_text_like_a_filled_row_stays_out():
    # ユーザ認証の管理 is filled: the text about 認証 is its continuation, not another row's
    placed = by_content(_pending("ユーザー認証を行う。", "権限を発効・失効する。", "権限表を作る。"), {AUTH[0]}, FULL)
    assert {p[-2]: t for p, (t, _) in placed.items()} == {
        "アクセス権限の発効・失効の管理": "権限を発効・失効する。", "アクセス権限の管理": "権限表を作る。"}


def test_stacked_labels_are_cut_where_the_texts_change_subject():
    paragraphs = ["職員が自己点検表で点検する。", "年1回、自己点検を行う。", "外部機関による監査を行う。"]
    assert split_by_content(paragraphs, AUDIT, FULL) == {AUDIT[0]: [0, 1], AUDIT[1]: [2]}
    # a paragraph that speaks of neither could end either run: the cut is not clear
    assert split_by_content(["自己点検を行う。", "規程を定めている。", "監査を行う。"], AUDIT, FULL) is None


def test_every_value_placed_by_content_is_warned():
    ext = _extraction("002")
    warned = [w for w in ext.warnings if w.code == "measure_by_content"]
    assert len(warned) >= 10
    assert not [w for w in ext.warnings if w.code == "measure_unattributed"
                and any(w.source_ref == v.source_ref for v in warned)]
