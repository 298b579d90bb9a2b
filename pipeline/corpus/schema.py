"""The corpus contract (shared/corpus-schema.md v1) as data: one place for column names, Arrow types
and one-line meanings. The writer, the CLI's ``pia schema`` and the tests all read it from here.

Columns marked ``(ext)`` extend the contract; none of the contract's columns is renamed or dropped.
"""
from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1"

S, I32, F64, B, D = pa.string(), pa.int32(), pa.float64(), pa.bool_(), pa.date32()
LS = pa.list_(pa.string())

# table -> [(column, type, meaning)]
TABLES: dict[str, list[tuple[str, pa.DataType, str]]] = {
    "documents": [
        ("doc_id", S, "first 16 hex digits of the SHA-256 of the source bytes"),
        ("schema_version", S, "corpus contract version"),
        ("source_path", S, "path of the ingested file as given or found (bytes that are not UTF-8 as \\xNN)"),
        ("source_format", S, "pdf | text | markdown"),
        ("source_sha256", S, "SHA-256 of the source bytes"),
        ("page_count", I32, "PDF pages; null for text"),
        ("parser_version", S, "pia-corpus version that produced the rows"),
        ("status", S, "ok | partial | failed"),
        ("warnings", LS, "what could not be read or attributed with confidence"),
        ("assessment_number", I32, "評価書番号"),
        ("title", S, "評価書名"),
        ("org_name", S, "評価実施機関名 as printed (null when the text does not carry it)"),
        ("assessment_kind", S, "基礎項目評価書 | 重点項目評価書 | 全項目評価書"),
        ("form_version", S, "form tag, e.g. 令和7年5月 様式4"),
        ("published_on", D, "公表日"),
        ("published_on_raw", S, "公表日 as printed"),
        ("business_name", S, "Ⅰ1①事務の名称"),
        ("target_population", S, "Ⅰ1③対象人数 (option label)"),
        ("error", S, "(ext) why ingest failed; null unless status = failed"),
        ("encoding", S, "(ext) text encoding detected for text sources"),
        ("body_name", S, "(ext) the body the report is about, as the 宣言 or the title names it (当組合 resolved); "
                         "filled also when the 評価実施機関名 cell is blank"),
        ("body_source_ref", S, "(ext) where body_name was read"),
        ("body_confidence", F64, "(ext) 0–1: 0.9 named by the 宣言, 0.7 by the title, 0.6 by an opening sentence"),
        ("corpus_version", pa.int64(), "(ext) corpus version that wrote this document's rows (pia log)"),
        ("source_paths", LS, "(ext) every path the same bytes were found under (identical files are one document)"),
    ],
    "fields": [
        ("doc_id", S, "document"),
        ("seq", I32, "order in the document"),
        ("section", S, "Ⅰ…Ⅵ, 別添1…, or cover"),
        ("path", S, "headings joined with ' > '"),
        ("file_name", S, "特定個人情報ファイル the value belongs to, when known"),
        ("label", S, "form label"),
        ("value", S, "value as printed (normalised text)"),
        ("kind", S, "text | selection | checklist | date | number"),
        ("confidence", F64, "0–1: how sure the attribution of value to label is"),
        ("source_ref", S, "where the value came from: L12-L15 or p3:x0,top,x1,bottom"),
    ],
    "systems": [
        ("doc_id", S, "document"),
        ("system_no", I32, "システムN"),
        ("name", S, "①システムの名称"),
        ("functions", S, "②システムの機能"),
        ("connections", LS, "③他のシステムとの接続: checked options"),
        ("ditto_columns", LS, "(ext) cells printed as 同上/〃: value of the block before, or null"),
        ("ditto_source_ref", S, "(ext) source_ref of the block ditto values came from"),
        ("source_ref", S, "provenance"),
    ],
    "files": [
        ("doc_id", S, "document"),
        ("file_no", I32, "order of the Ⅱ block"),
        ("file_name", S, "１．特定個人情報ファイル名"),
        ("file_type", S, "①ファイルの種類"),
        ("subject_count", S, "②対象となる本人の数 (option label)"),
        ("subject_scope", S, "③対象となる本人の範囲"),
        ("record_item_count", S, "④記録される項目 (option label)"),
        ("holding_start", D, "⑤保有開始日"),
        ("holding_start_raw", S, "(ext) ⑤保有開始日 as printed (平成28年6月予定 has no date)"),
        ("department", S, "⑥事務担当部署"),
        ("user_count", S, "使用者数 (option label)"),
        ("entrusts", B, "委託の有無 = 委託する"),
        ("entrustment_count", I32, "委託の件数"),
        ("provides", B, "提供を行っている"),
        ("provision_count", I32, "提供の件数"),
        ("transfers", B, "移転を行っている"),
        ("transfer_count", I32, "移転の件数"),
        ("source_ref", S, "provenance"),
    ],
    "selections": [
        ("doc_id", S, "document"),
        ("file_name", S, "特定個人情報ファイル, when the question is inside a Ⅱ/Ⅲ block"),
        ("path", S, "headings joined with ' > '"),
        ("label", S, "question label"),
        ("chosen", S, "chosen option label (null when not attributable)"),
        ("options", LS, "the ＜選択肢＞ list"),
        ("confidence", F64, "0–1"),
        ("source_ref", S, "provenance"),
    ],
    "checklist_items": [
        ("doc_id", S, "document"),
        ("file_name", S, "特定個人情報ファイル, when known"),
        ("path", S, "headings joined with ' > '"),
        ("label", S, "checklist label"),
        ("option", S, "option label"),
        ("checked", B, "true/false; null when its state is not recoverable"),
        ("detail", S, "parenthesised text after the option, or null"),
        ("source_ref", S, "provenance"),
    ],
    "entrustments": [
        ("doc_id", S, "document"),
        ("file_name", S, "特定個人情報ファイル"),
        ("entrustment_no", I32, "委託事項N"),
        ("title", S, "委託事項N title"),
        ("content", S, "①委託内容"),
        ("handler_count", S, "取扱者数 (option label)"),
        ("contractor", S, "委託先名"),
        ("subcontract", B, "再委託の有無 = 再委託する"),
        ("subcontract_permission", S, "再委託の許諾方法"),
        ("subcontract_items", S, "再委託事項"),
        ("ditto_columns", LS, "(ext) cells printed as 同上/〃: value of the block before, or null"),
        ("ditto_source_ref", S, "(ext) source_ref of the block ditto values came from"),
        ("source_ref", S, "provenance"),
    ],
    "transfers": [
        ("doc_id", S, "document"),
        ("file_name", S, "特定個人情報ファイル"),
        ("kind", S, "提供 | 移転"),
        ("transfer_no", I32, "提供先N / 移転先N"),
        ("counterparty", S, "提供先 / 移転先"),
        ("legal_basis", S, "①法令上の根拠"),
        ("purpose", S, "②用途"),
        ("information", S, "③提供/移転する情報"),
        ("subject_count", S, "④対象となる本人の数 (option label)"),
        ("subject_scope", S, "⑤対象となる本人の範囲"),
        ("methods", LS, "⑥提供/移転方法: checked options"),
        ("timing", S, "⑦時期・頻度"),
        ("ditto_columns", LS, "(ext) cells printed as 同上/〃: value of the block before, or null"),
        ("ditto_source_ref", S, "(ext) source_ref of the block ditto values came from"),
        ("source_ref", S, "provenance"),
    ],
    "risk_answers": [
        ("doc_id", S, "document"),
        ("file_name", S, "特定個人情報ファイル"),
        ("section", S, "numbered heading in Ⅲ/Ⅳ"),
        ("risk", S, "リスクN: … (null when none)"),
        ("question", S, "graded question"),
        ("answer", S, "option label"),
        ("measures", S, "measure text the answer grades"),
        ("source_ref", S, "provenance"),
    ],
    "changes": [
        ("doc_id", S, "document"),
        ("row_no", I32, "row order"),
        ("changed_on", D, "変更日"),
        ("changed_on_raw", S, "変更日 as printed"),
        ("item", S, "項目"),
        ("before", S, "変更前の記載"),
        ("after", S, "変更後の記載"),
        ("timing", S, "事前 | 事後"),
        ("reason", S, "提出時期に係る説明"),
        ("source_ref", S, "provenance"),
    ],
    "dates": [
        ("doc_id", S, "document"),
        ("raw", S, "date as printed"),
        ("iso", S, "YYYY-MM-DD | YYYY-MM | YYYY"),
        ("date", D, "null when partial"),
        ("era", S, "明治…令和"),
        ("era_year", I32, "year within the era"),
        ("valid", B, "false for impossible dates such as 平成32年"),
        ("path", S, "where in the form"),
        ("source_ref", S, "provenance"),
    ],
    "citations": [
        ("doc_id", S, "document"),
        ("raw", S, "citation as printed"),
        ("law_name", S, "full law name, aliases resolved"),
        ("law_number", S, "e.g. 平成25年法律第27号"),
        ("article", S, "e.g. 第19条第8号"),
        ("appendix", S, "e.g. 別表第二"),
        ("items", S, "e.g. 項番58"),
        ("law_name_printed", S, "(ext) the name as printed (番号法, 同法); null for a bare 第N条 or 別表"),
        ("law_name_source", S, "(ext) document | law_aliases.json: what resolved the printed name; null when printed in full"),
        ("instrument", S, "(ext) 法律 | 政令 | 府令 | 省令 | 命令 | 施行令 | 施行規則 | 規則 | 条例 | 規程 | 指針 | 要綱 | 告示 | 通知"),
        ("promulgated_on", D, "(ext) 公布日, when printed with the number (平成25年5月31日法律第27号)"),
        ("path", S, "where in the form"),
        ("source_ref", S, "provenance"),
    ],
    "aliases": [
        ("doc_id", S, "document"),
        ("alias", S, "short name defined by 以下「X」という"),
        ("full", S, "what it stands for"),
        ("source_ref", S, "provenance"),
    ],
}


# Derived (ext) columns, added after each listed column by pipeline/ingest/enrich.py:
# a count band gets <col>_min (inclusive) and <col>_max (exclusive), null when open;
# an organisation name gets <col>_normalized (㈱ → 株式会社, document aliases resolved).
BAND_COLUMNS = {
    "documents": ["target_population"],
    "files": ["subject_count", "record_item_count", "user_count"],
    "entrustments": ["handler_count"],
    "transfers": ["subject_count"],
}
NAME_COLUMNS = {"documents": ["org_name"], "entrustments": ["contractor"], "transfers": ["counterparty"]}


def _derived(table: str, col: str) -> list[tuple[str, pa.DataType, str]]:
    out = []
    if col in BAND_COLUMNS.get(table, []):
        out += [(f"{col}_min", pa.int64(), f"(ext) lower bound of {col}, inclusive"),
                (f"{col}_max", pa.int64(), f"(ext) upper bound of {col}, exclusive")]
    if col in NAME_COLUMNS.get(table, []):
        out.append((f"{col}_normalized", S, f"(ext) {col} normalised for comparison (㈱→株式会社, aliases)"))
    return out


for _table, _cols in TABLES.items():
    TABLES[_table] = [c for col in _cols for c in [col, *_derived(_table, col[0])]]


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(name, typ) for name, typ, _ in TABLES[table]])


def columns(table: str) -> list[str]:
    return [name for name, _, _ in TABLES[table]]
