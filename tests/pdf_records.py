"""Records in the shape of the report forms, for rendering with ``tests.pdfgen``.

Labels and option lists follow the forms; the filled-in values are invented.
"""
from __future__ import annotations

from tests.pdfgen import MERGED, Span, Table

OPT_SUFFICIENT = "＜選択肢＞\n1） 特に力を入れている 2） 十分である\n3） 課題が残されている"


def selection(chosen: str, options: str) -> str:
    return f"[ {chosen} ]\n{options}"


def checklist(items: list[tuple[str, bool]]) -> str:
    return " ".join(("[ ○ ] " if on else "[ ] ") + label for label, on in items)


def long_text(seed: int, sentences: int) -> str:
    words = ["特定個人情報", "の取扱いについて", "担当部署", "において", "定期的に確認し、",
             "記録を残している。", "システムへのアクセスは", "ユーザＩＤとパスワードにより", "制限する。"]
    return "".join(words[(seed + k) % len(words)] for k in range(sentences * 3))


def cover(widths=(160, 363)) -> Table:
    return Table(list(widths), [
        ["評価書番号", "12"],
        ["評価書名", "架空給付金支給事務　全項目評価書"],
        ["個人のプライバシー等の権利利益の保護の宣言", long_text(1, 4)],
        ["特記事項", "なし"],
        ["評価実施機関名", "架空県知事"],
    ], title="特定個人情報保護評価書（全項目評価書）")


def basic_info(widths=(40, 150, 333)) -> Table:
    methods = checklist([("紙", True), ("電子記録媒体（フラッシュメモリを除く。）", False),
                         ("フラッシュメモリ", False), ("電子メール", True), ("専用線", False),
                         ("庁内連携システム", True), ("その他", False)])
    return Table(list(widths), [
        [Span("１．特定個人情報ファイルを取り扱う事務", 3)],
        [Span("①事務の名称", 2), "架空給付金の支給に関する事務"],
        [Span("②事務の内容 ※", 2), long_text(2, 12)],
        [Span("③対象人数", 2), selection("10万人以上30万人未満", "＜選択肢＞\n1） 1,000人未満 "
                                    "2） 1,000人以上1万人未満\n3） 1万人以上10万人未満 4） 10万人以上30万人未満\n5） 30万人以上")],
        ["再\n委\n託", "⑦再委託の有無 ※", selection("再委託する", "＜選択肢＞\n1） 再委託する 2） 再委託しない")],
        [MERGED, "⑧再委託の許諾方法", long_text(3, 3)],
        [MERGED, "⑨再委託事項", "システムの保守"],
        [Span("②入手方法", 2), methods],
        [Span("リスクへの対策は十分か", 2), selection("十分である", OPT_SUFFICIENT)],
        [Span("⑥事務担当部署", 2), ""],
    ], title="Ⅰ　基本情報")


def long_block(widths=(190, 333), rows: int = 6) -> Table:
    return Table(list(widths), [[f"リスク{k}： その他の措置の内容", long_text(k, 30 + 7 * k)]
                                for k in range(1, rows + 1)],
                 title="Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策")


def changes(rows: int = 14, widths=(62, 100, 110, 110, 45, 96)) -> Table:
    body = []
    for k in range(rows):
        body.append([f"令和7年{k % 12 + 1}月1日", f"Ⅱ ファイルの概要\n２．基本情報\n④記録される項目{k}",
                     long_text(k, 2 + k % 4), long_text(k + 3, 3 + k % 5),
                     "事前" if k % 2 else "事後", "重要な変更のため" if k % 3 else "体裁修正"])
    return Table(list(widths), body, header=["変更日", "項目", "変更前の記載", "変更後の記載", "提出時期",
                                              "提出時期に係る説明"], title="（別添３）変更箇所")


def report() -> list[Table]:
    return [cover(), basic_info(), long_block(), changes()]
