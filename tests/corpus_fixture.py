"""A small corpus written through the real store, modelled on the bundled 重点項目評価書 samples:
two reports of one health-insurance society (2019 and 2024) and one of a mutual-aid association.

The rows are chosen so that every difference is known: what differs is listed in EXPECTED_*, and the
risk measures of the first section differ only by normalisation noise (行う/行なう, 取扱い/取り扱い,
全角/半角, spacing), which a diff must not report.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from parsers.model import Extraction
from pipeline.corpus.schema import SCHEMA_VERSION
from pipeline.corpus.store import CorpusStore

SAKURA_2019 = "3f2a9c0d11e84b70"
SAKURA_2024 = "3f9be1c2a7d04e55"
AOBA_2024 = "b95387230c1d2e3f"

SAKURA = "さくら信用金庫健康保険組合"
AOBA = "あおば職員共済組合"

S2 = "2. 特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。)"
S3 = "3. 特定個人情報の使用"
S4 = "4. 特定個人情報ファイルの取扱いの委託"
S7 = "7. 特定個人情報の保管・消去"
P_BASIC = "Ⅰ 基本情報 > 1. 特定個人情報ファイルを取り扱う事務"
P_INFO = "Ⅱ 特定個人情報ファイルの概要 > 2. 基本情報"
P_GET = "Ⅱ 特定個人情報ファイルの概要 > 3. 特定個人情報の入手・使用"
P_KEEP = "Ⅱ 特定個人情報ファイルの概要 > 6. 特定個人情報の保管・消去"
P_USE = "Ⅲ リスク対策 > 3. 特定個人情報の使用"

HANDLERS = ["10人未満", "10人以上50人未満", "50人以上100人未満", "100人以上500人未満", "500人以上1,000人未満", "1,000人以上"]
PERIODS = ["1年未満", "1年", "2年", "3年", "4年", "5年", "6年以上10年未満", "10年以上20年未満", "20年以上", "定められていない"]
GRADES = ["特に力を入れている", "十分である", "課題が残されている"]

# The same measure, printed with different okurigana, width and spacing: no real difference.
MEASURE_GET = ("【本人から個人番号を入手する場合の措置】・郵送又は対面により個人番号を入手する場合は、番号法第16条に"
               "則り本人確認書類を提出させて本人確認を行う。・届出書の取扱いについて、様式を明示して周知する。"
               "・共用のユーザIDは使用しない。")
MEASURE_GET_NOISY = ("【本人から個人番号を入手する場合の措置】 ・郵送又は対面により個人番号を入手する場合は、番号法第１６条に"
                     "則り本人確認書類を提出させて本人確認を行なう。 ・届出書の取り扱いについて、様式を明示して周知する。"
                     "・共用のユーザＩＤは使用しない。")
AUTH_BASE = "・共用のユーザIDは使用しない。・パスワードに有効期間を設けて、定期的に変更する。"
AUTH_EXTRA = "・ログイン時には生体認証装置による認証を実施する。"
KEEP_BASE = "・サーバは施錠されたサーバ室に設置し、入退室管理を行う。"
KEEP_EXTRA = "・監視カメラを設置し、入退室の映像を記録する。"
SUBCONTRACT_TEXT = ("委託先から再委託先の名称、再委託する業務及び取り扱う特定個人情報の範囲を記載した書面による再委託申請を"
                    "受け、再委託先における安全管理措置を確認した上で、再委託を許諾する。")


def _doc(doc_id: str, org: str, number: int, title: str, published: dt.date, raw: str, form: str, target: str) -> dict:
    return {
        "doc_id": doc_id, "schema_version": SCHEMA_VERSION, "source_path": f"data/raw/{doc_id}.txt",
        "source_format": "text", "source_sha256": doc_id * 4, "page_count": None, "parser_version": "test",
        "status": "ok", "warnings": [], "assessment_number": number, "title": title, "org_name": org,
        "assessment_kind": "重点項目評価書", "form_version": form, "published_on": published,
        "published_on_raw": raw, "business_name": title.split("における")[-1].replace(" 重点項目評価書", "").strip(" 、"),
        "target_population": target, "encoding": "utf-8",
    }


def _entrustment(file_name, no, title, content, handlers, contractor, sub, line):
    return {"file_name": file_name, "entrustment_no": no, "title": title, "content": content, "handler_count": handlers,
            "contractor": contractor, "subcontract": sub, "subcontract_permission": SUBCONTRACT_TEXT if sub else None,
            "subcontract_items": "中間サーバー等の運用・保守業務" if sub else None, "source_ref": f"L{line}-L{line + 6}"}


def _sel(file_name, path, label, chosen, options, line):
    return {"file_name": file_name, "path": path, "label": label, "chosen": chosen, "options": options,
            "confidence": 1.0, "source_ref": f"L{line}-L{line + 2}"}


def _checks(file_name, label, states: dict, line):
    return [{"file_name": file_name, "path": P_GET, "label": label, "option": opt, "checked": checked,
             "detail": detail, "source_ref": f"L{line + i}"} for i, (opt, (checked, detail)) in enumerate(states.items())]


def _risk(file_name, section, risk, question, answer, measures, line):
    return {"file_name": file_name, "section": section, "risk": risk, "question": question, "answer": answer,
            "measures": measures, "source_ref": f"L{line}-L{line + 9}"}


def _sakura(year: int) -> Extraction:
    new = year == 2024
    doc_id = SAKURA_2024 if new else SAKURA_2019
    f = "健康保険基幹情報ファイル"
    doc = _doc(doc_id, SAKURA, 1, f"{SAKURA}における 適用、給付及び徴収関係事務 重点項目評価書",
               dt.date(2024, 3, 15) if new else dt.date(2019, 6, 28),
               "令和6年3月15日" if new else "令和元年6月28日", "令和5年4月 様式3" if new else "平成31年4月 様式3",
               "1万人以上10万人未満")
    old_change = {"row_no": 1, "changed_on": dt.date(2017, 5, 1), "changed_on_raw": "平成29年5月1日", "item": "全体",
                  "before": "―", "after": "―", "timing": "事後", "reason": "体裁修正", "source_ref": "L1210-L1212"}
    changes = [old_change]
    if new:
        changes += [
            {"row_no": 2, "changed_on": dt.date(2021, 4, 1), "changed_on_raw": "令和3年4月1日",
             "item": "Ⅱ 4. 委託事項1 ③委託先名", "before": "さくら電算株式会社", "after": "株式会社さくらシステムサービス",
             "timing": "事後", "reason": "委託先の社名変更であり、重要な変更に当たらない", "source_ref": "L1213-L1215"},
            {"row_no": 3, "changed_on": dt.date(2023, 10, 1), "changed_on_raw": "令和5年10月1日",
             "item": "Ⅲ 7. リスクへの対策は十分か", "before": "十分である", "after": "特に力を入れている",
             "timing": "事前", "reason": "監視カメラの設置による", "source_ref": "L1216-L1218"},
        ]
    tables = {
        "files": [{"file_no": 1, "file_name": f, "file_type": "システム用ファイル", "subject_count": "1万人以上10万人未満",
                   "subject_scope": "当組合の加入者", "record_item_count": "50項目以上100項目未満",
                   "holding_start": dt.date(2017, 5, 1), "department": "業務部", "user_count": "10人未満",
                   "entrusts": True, "entrustment_count": 3, "provides": True, "provision_count": 1,
                   "transfers": False, "transfer_count": 0, "source_ref": "L120-L180"}],
        "selections": [
            _sel(None, P_BASIC, "③対象人数", "1万人以上10万人未満", ["1万人未満", "1万人以上10万人未満", "10万人以上30万人未満"], 40),
            _sel(f, P_INFO, "②対象となる本人の数", "1万人以上10万人未満", ["1万人未満", "1万人以上10万人未満", "10万人以上100万人未満"], 130),
            _sel(f, P_KEEP, "期間", "10年以上20年未満" if new else "6年以上10年未満", PERIODS, 300),
            _sel(f, P_USE, "ユーザ認証の管理", "行っている", ["行っている", "行っていない"], 520),
        ],
        "checklist_items": _checks(f, "①入手元", {
            "本人又は本人の代理人": (True, None), "評価実施機関内の他部署": (False, None),
            "地方公共団体・地方独立行政法人": (True, None), "民間事業者": (True, "事業主"),
            "その他": (True, "地方公共団体情報システム機構(支払基金経由)")}, 150)
        + _checks(f, "②入手方法", {"紙": (True, None), "電子記録媒体(フラッシュメモリを除く。)": (True, None),
                                 "専用線": (True, None), "情報提供ネットワークシステム": (True, None)}, 160),
        "entrustments": [
            _entrustment(f, 1, "基幹システムの保守", "基幹システムの導入・設定作業、定期保守・点検、障害調査や復旧等の作業",
                         "10人未満", "株式会社さくらシステムサービス" if new else "さくら電算株式会社", False, 200),
            _entrustment(f, 2, "資格履歴管理事務", "個人番号を利用した加入者資格の履歴管理、被保険者枝番の採番管理、"
                         "被保険者枝番と個人番号との紐付管理", "50人以上100人未満", "社会保険診療報酬支払基金", True, 210),
            _entrustment(f, 3, "情報提供ネットワークシステムを使用した情報照会・情報提供事務",
                         "情報提供ネットワークシステムを使用した情報照会・情報提供、機関別符号の取得及び管理",
                         "50人以上100人未満", "社会保険診療報酬支払基金", True, 220),
        ],
        "transfers": [{"file_name": f, "kind": "提供", "transfer_no": 1, "counterparty": "市町村長",
                       "legal_basis": "番号法第19条第8号 別表第2 項番1", "purpose": "保険料の賦課に関する事務",
                       "information": "資格情報", "subject_count": "1万人以上10万人未満", "subject_scope": "加入者",
                       "methods": ["情報提供ネットワークシステム"], "timing": "照会の都度", "source_ref": "L240-L255"}],
        "fields": [{"seq": 1, "section": "Ⅱ", "path": P_KEEP, "file_name": f, "label": "保管場所 ※",
                    "value": KEEP_BASE + (KEEP_EXTRA if new else ""), "kind": "text", "confidence": 1.0, "source_ref": "L305-L309"}],
        "risk_answers": [
            _risk(f, S2, "リスク: 目的外の入手が行われるリスク", "リスクへの対策は十分か", "十分である", MEASURE_GET, 400),
            _risk(f, S3, "リスク2: 権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク",
                  "ユーザ認証の管理", "行っている", AUTH_BASE, 520),
            _risk(f, S3, "リスク2: 権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク",
                  "リスクへの対策は十分か", "十分である", AUTH_BASE, 530),
            _risk(f, S7, "リスク: 特定個人情報の漏えい・滅失・毀損リスク", "リスクへの対策は十分か",
                  "特に力を入れている" if new else "十分である", KEEP_BASE + (KEEP_EXTRA if new else ""), 700),
        ],
        "changes": changes,
    }
    return Extraction(document=doc, tables=tables)


def _aoba() -> Extraction:
    f = "個人番号管理ファイル"
    doc = _doc(AOBA_2024, AOBA, 2, f"{AOBA}における、短期給付業務等に関する事務 重点項目評価書", dt.date(2024, 10, 1),
               "令和6年10月1日", "令和5年4月 様式3", "10万人以上30万人未満")
    tables = {
        "files": [{"file_no": 1, "file_name": f, "file_type": "システム用ファイル", "subject_count": "10万人以上100万人未満",
                   "subject_scope": "組合員及び被扶養者", "record_item_count": "10項目未満",
                   "holding_start": dt.date(2017, 7, 18), "department": "保険課", "user_count": "10人以上50人未満",
                   "entrusts": True, "entrustment_count": 3, "provides": True, "provision_count": 1,
                   "transfers": True, "transfer_count": 1, "source_ref": "L360-L420"}],
        "selections": [
            _sel(None, P_BASIC, "③対象人数", "10万人以上30万人未満", ["1万人未満", "1万人以上10万人未満", "10万人以上30万人未満"], 45),
            _sel(f, P_INFO, "②対象となる本人の数", "10万人以上100万人未満", ["1万人未満", "1万人以上10万人未満", "10万人以上100万人未満"], 380),
            _sel(f, P_KEEP, "期間", "20年以上", PERIODS, 870),
            _sel(f, P_USE, "ユーザ認証の管理", "行っている", ["行っている", "行っていない"], 1030),
        ],
        "checklist_items": _checks(f, "①入手元", {
            "本人又は本人の代理人": (True, None), "評価実施機関内の他部署": (True, "人事部門"),
            "地方公共団体・地方独立行政法人": (True, None), "民間事業者": (False, None),
            "その他": (True, "地方公共団体情報システム機構(支払基金経由)")}, 520)
        + _checks(f, "②入手方法", {"紙": (True, None), "電子記録媒体(フラッシュメモリを除く。)": (True, None),
                                 "専用線": (False, None), "情報提供ネットワークシステム": (True, None)}, 530),
        "entrustments": [
            _entrustment(f, 1, "資格履歴管理事務", "個人番号を利用した組合員資格の履歴管理、被保険者枝番の採番管理、"
                         "被保険者枝番と個人番号との紐付管理", "100人以上500人未満", "社会保険診療報酬支払基金", True, 690),
            _entrustment(f, 2, "情報提供ネットワークシステムを使用した情報照会・情報提供事務",
                         "情報提供ネットワークシステムを使用した情報照会・情報提供、機関別符号の取得及び管理",
                         "50人以上100人未満", "社会保険診療報酬支払基金", False, 700),
            _entrustment(f, 3, "個人番号管理システムの運用保守", "個人番号管理システムのサーバ監視及びデータバックアップ",
                         "10人未満", "株式会社あおば情報", False, 710),
        ],
        "transfers": [
            {"file_name": f, "kind": "提供", "transfer_no": 1, "counterparty": "市町村長",
             "legal_basis": "番号法第19条第8号 別表第2 項番1", "purpose": "保険料の賦課に関する事務",
             "information": "資格情報", "subject_count": "10万人以上100万人未満", "subject_scope": "組合員",
             "methods": ["情報提供ネットワークシステム", "紙"], "timing": "照会の都度", "source_ref": "L730-L745"},
            {"file_name": f, "kind": "移転", "transfer_no": 1, "counterparty": "年金部門",
             "legal_basis": "番号法第9条第1項 別表第1 項番58", "purpose": "年金給付の事務", "information": "個人番号",
             "subject_count": "10万人以上100万人未満", "subject_scope": "組合員", "methods": ["庁内連携システム"],
             "timing": "随時", "source_ref": "L800-L830"},
        ],
        "fields": [{"seq": 1, "section": "Ⅱ", "path": P_KEEP, "file_name": f, "label": "保管場所 ※",
                    "value": KEEP_BASE + KEEP_EXTRA, "kind": "text", "confidence": 1.0, "source_ref": "L871-L880"}],
        "risk_answers": [
            _risk(f, S2, "リスク1: 目的外の入手が行われるリスク", "リスクへの対策は十分か", "十分である", MEASURE_GET_NOISY, 980),
            _risk(f, S3, "リスク2: 権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク",
                  "ユーザ認証の管理", "行っている", AUTH_BASE + AUTH_EXTRA, 1030),
            _risk(f, S3, "リスク2: 権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク",
                  "リスクへの対策は十分か", "課題が残されている", AUTH_BASE + AUTH_EXTRA, 1040),
            _risk(f, S7, "リスク: 特定個人情報の漏えい・滅失・毀損リスク", "リスクへの対策は十分か", "十分である",
                  KEEP_BASE + KEEP_EXTRA, 1300),
        ],
        "changes": [],
    }
    return Extraction(document=doc, tables=tables)


def extractions() -> list[Extraction]:
    return [_sakura(2019), _sakura(2024), _aoba()]


def write_corpus(root: str | Path, tables: set[str] | None = None) -> Path:
    """Write the three documents; ``tables`` keeps only those tables' rows (documents always),
    like a corpus built before the extractors exist."""
    store = CorpusStore(root)
    for ext in extractions():
        if tables is not None:
            ext.tables = {t: rows for t, rows in ext.tables.items() if t in tables}
        store.write(ext)
    return Path(root)
