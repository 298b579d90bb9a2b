"""Self-contained HTML report of a diff: inline CSS, no scripts, no network assets, so it can be
mailed or archived with an audit. One collapsible <details> per form section, the two documents in
two columns; what differs is in <mark> (the changed words of measure texts, the whole value otherwise).

Every value carries its provenance: the source reference and, folded under it, the source lines with
the value's lines marked (text) or the page region with its box outlined (PDF, an embedded PNG).
The head names the source files with their hashes, the parser version and when the page was made.
"""
from __future__ import annotations

import base64
import datetime as dt
from html import escape
from pathlib import Path

from pipeline.analysis.html_page import html_page, made_stamp
from pipeline.analysis.diff import DocDiff, Item
from pipeline.analysis.lookup import describe
from pipeline.analysis.diff_versions import History
from pipeline.analysis.provenance import ProvenanceError, Sources

_CHANGE_COLUMNS = ("changed_on_raw", "timing", "item", "before", "after", "reason")
_CSS = """
body{font-family:"IPAGothic","Noto Sans CJK JP","Hiragino Sans","Yu Gothic",sans-serif;margin:1.5em;color:#222;line-height:1.5}
h1{font-size:1.3em}h2{font-size:1.15em;border-bottom:2px solid #888;margin-top:2em}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left;word-break:break-all}
col.label{width:22%}col.side{width:39%}
thead th{background:#eef}
details{margin:.6em 0;border:1px solid #bbb;border-radius:4px;padding:.2em .6em}
summary{cursor:pointer;font-weight:bold;padding:.3em 0}
.count{font-weight:normal;color:#555;margin-left:.6em}
tr.same{color:#777}
td.missing{color:#999;font-style:italic;background:#f6f6f6}
td.a mark{background:#ffc9c9}td.b mark{background:#b9f2c0}
.score{font-size:.85em;color:#333;background:#eee;border-radius:3px;padding:0 4px;margin-left:.4em}
div.only{margin-top:.5em;font-size:.85em;color:#555}ul.only{margin:.1em 0 0 1.2em;padding:0}ul.only li{margin:0}
.note{color:#555}
details.src{margin-top:.3em;font-size:.8em;color:#555;border:none;padding:0}details.src summary{font-weight:normal}
details.src pre{white-space:pre-wrap;background:#f7f7f7;padding:4px;margin:.2em 0}pre .hit{background:#fff3b0}
details.src img{max-width:100%;border:1px solid #ccc}div.src{font-size:.8em;color:#777;margin-top:.3em}
dl.legend{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;font-size:.9em}dl.legend dt{font-weight:bold}
"""

_LEGEND = [("☑", "選択されている選択肢"), ("☐", "選択されていない選択肢"),
           ("?", "読み取れなかった値（抽出できず null）。相違には数えない"),
           ("(なし)", "この評価書にはない項目"), ("<mark>…</mark>", "相違する値、措置の文章では変わった語句"),
           ("類似度", "措置の文章の類似度（SudachiPy の正規化形で比較、1.00 = 同じ）"),
           ("出典", "値を読んだ箇所: L12-L15 = 原本テキストの行、p3:x0,top,x1,bottom = PDF の頁と枠（pt）")]


def _provenance(doc: dict, ref: str | None, sources: Sources) -> str:
    """The value's source reference, with the source lines or page region folded under it."""
    if not ref:
        return '<div class="src">出典なし</div>'
    try:
        shown = sources.view(doc, ref)
    except ProvenanceError as exc:
        return f'<div class="src">出典 {escape(ref)} <span class="note">（原本を表示できません: {escape(str(exc))}）</span></div>'
    if shown.png is not None:
        data = base64.b64encode(shown.png).decode("ascii")
        body = f'<img alt="{escape(ref)}" src="data:image/png;base64,{data}">'
    else:
        body = "<pre>" + "\n".join(
            (f'<span class="hit">{no:>5} {escape(text)}</span>' if hit else f"{no:>5} {escape(text)}")
            for no, text, hit in shown.lines) + "</pre>"
    return f'<details class="src"><summary>出典 {escape(ref)}</summary>{body}</details>'


def _cell(it: Item, side: str, doc: dict, sources: Sources) -> str:
    value = it.a if side == "a" else it.b
    if value is None:
        return f'<td class="side {side} missing">(なし)</td>'
    source = _provenance(doc, it.a_ref if side == "a" else it.b_ref, sources)
    if it.text is not None and it.a is not None and it.b is not None:
        segments = it.text.a_segments if side == "a" else it.text.b_segments
        body = "".join(f"<mark>{escape(s)}</mark>" if changed else escape(s) for s, changed in segments)
        only = it.text.only_a if side == "a" else it.text.only_b
        if only:
            body += (f'<div class="only">{"A" if side == "a" else "B"}にのみある記述:</div><ul class="only">'
                     + "".join(f"<li><mark>{escape(c)}</mark></li>" for c in only) + "</ul>")
    else:
        body = f"<mark>{escape(value)}</mark>" if it.differs else escape(value)
    return f'<td class="side {side}">{body}{source}</td>'


def _row(it: Item, d: DocDiff, sources: Sources) -> str:
    score = ""
    if it.text is not None and it.a is not None and it.b is not None:
        score = f'<span class="score" title="SudachiPy 正規化形による類似度">類似度 {it.text.similarity:.2f}</span>'
    state = "differs" if it.differs else "same"
    return (f'<tr class="item {state}" data-kind="{it.kind}"><th>{escape(it.label)}{score}</th>'
            f"{_cell(it, 'a', d.a, sources)}{_cell(it, 'b', d.b, sources)}</tr>")


def _name(doc: dict) -> str:
    return doc.get("org_name") or doc.get("title") or doc["doc_id"]


def _groups(d: DocDiff, show_all: bool, sources: Sources) -> str:
    head = (f'<colgroup><col class="label"><col class="side"><col class="side"></colgroup><thead><tr><th>項目</th>'
            f"<th>A: {escape(_name(d.a))}</th><th>B: {escape(_name(d.b))}</th></tr></thead>")
    out = []
    for group, shown, diffs, total in d.shown_groups(show_all):
        opened = " open" if diffs else ""
        out.append(f'<details class="group"{opened}><summary>{escape(group)}'
                   f'<span class="count">{diffs} 件の相違 / {total} 項目</span></summary>'
                   f'<table class="cmp">{head}<tbody>{"".join(_row(it, d, sources) for it in shown)}</tbody></table></details>')
    return "\n".join(out) or '<p class="note">相違はありません。</p>'


def _summary(d: DocDiff) -> str:
    return f'<p class="summary">{len(d.differences)} 件の相違 / {len(d.items)} 項目（SudachiPy の正規化形で比較）</p>'


def _legend() -> str:
    rows = "".join(f"<dt>{sym if sym.startswith('<') else escape(sym)}</dt><dd>{escape(text)}</dd>" for sym, text in _LEGEND)
    return f'<details class="legend" open><summary>凡例</summary><dl class="legend">{rows}</dl></details>'


def _page(title: str, body: str, made: dt.datetime) -> str:
    stamp = f'<p class="made note">{made_stamp(made)}</p>'
    return html_page(title, _CSS, f"<h1>{escape(title)}</h1>\n{stamp}{_legend()}\n{body}")


def _docs_table(docs: list[tuple[str, dict]]) -> str:
    """Each document and its source file: path, format, SHA-256 and the parser version that read it."""
    rows = "".join(
        f"<tr><th>{escape(tag)}</th><td>{escape(describe(doc))}<div class=\"src\">原本 <code>{escape(str(doc.get('source_path')))}</code>"
        f" ({escape(str(doc.get('source_format')))}, SHA-256 <code>{escape(str(doc.get('source_sha256') or '')[:16])}…</code>,"
        f" 解析 pia-corpus {escape(str(doc.get('parser_version')))})</div></td></tr>" for tag, doc in docs)
    return f'<table class="docs"><colgroup><col class="label"><col></colgroup>{rows}</table>'


def diff_html(d: DocDiff, show_all: bool = False, made: dt.datetime | None = None) -> str:
    body = _docs_table([("A", d.a), ("B", d.b)]) + _summary(d) + _groups(d, show_all, Sources())
    return _page(f"pia diff: {_name(d.a)} ↔ {_name(d.b)}", body, made or dt.datetime.now(dt.timezone.utc))


def versions_html(h: History, show_all: bool = False, made: dt.datetime | None = None) -> str:
    sources = Sources()
    parts = [_docs_table([(str(i), v.doc) for i, v in enumerate(h.versions, 1)])]
    for i, v in enumerate(h.versions[1:], 2):
        parts.append(f"<h2>{i - 1} → {i}: {escape(describe(v.doc))}</h2>{_summary(v.diff)}")
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(str(r[c] or ''))}</td>" for c in _CHANGE_COLUMNS) + "</tr>"
            for r in v.changes)
        parts.append(f'<details class="changes" open><summary>変更箇所（この版で追加された行: {len(v.changes)}）</summary>'
                     '<table><thead><tr><th>変更日</th><th>提出時期</th><th>項目</th><th>変更前の記載</th><th>変更後の記載</th>'
                     f"<th>説明</th></tr></thead><tbody>{rows}</tbody></table></details>")
        parts.append(_groups(v.diff, show_all, sources))
    return _page(f"pia diff --versions: {h.body}", "\n".join(parts), made or dt.datetime.now(dt.timezone.utc))


def write_html(result: DocDiff | History, path: str, show_all: bool = False) -> None:
    page = versions_html(result, show_all) if isinstance(result, History) else diff_html(result, show_all)
    Path(path).write_text(page, encoding="utf-8")
