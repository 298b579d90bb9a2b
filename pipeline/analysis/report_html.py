"""The corpus report as one self-contained HTML page (inline CSS, no scripts, no network): one
section a screen — what the corpus holds, how bodies answer each graded question, who stands apart
from their peers, the contractors serving the most bodies. Long lists show their first rows and fold
the rest."""
from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from pipeline.analysis.html_page import html_page, made_stamp
from pipeline.analysis.report import Contractor, CorpusReport, Question

SHOWN = 12  # rows of a list before the rest is folded: a section fits one screen
_UNANSWERED = "未回答"
_CSS = """
body{font-family:"IPAGothic","Noto Sans CJK JP","Hiragino Sans","Yu Gothic",sans-serif;margin:0 1.5em;color:#222;
line-height:1.4;font-size:14px}
section{box-sizing:border-box;padding:1em 0 1.5em;border-bottom:2px solid #ccc}
h1{font-size:1.3em;margin:.5em 0 .2em}h2{font-size:1.15em;margin:.2em 0 .5em}.note{color:#555;font-size:.9em}
table{border-collapse:collapse;width:100%;table-layout:fixed}th,td{border-bottom:1px solid #ddd;padding:2px 6px;
text-align:left;vertical-align:top;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
td.num,th.num{text-align:right;width:5em}th{background:#eef}
.counts{display:grid;grid-template-columns:repeat(3,1fr);gap:1.5em}
.bar{display:flex;height:1.1em;border-radius:3px;overflow:hidden;background:#eee}.bar span{display:block;height:100%}
.o0{background:#2e8b57}.o1{background:#4a7fc1}.o2{background:#d9534f}.na{background:#bbb}.last{background:#d9534f}
.key span{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin:0 .3em 0 1em;vertical-align:middle}
details summary{cursor:pointer;color:#335}col.q{width:55%}col.bar{width:30%}
"""


def _css_class(q: Question, answer: str | None) -> str:
    if answer is None:
        return "na"
    i = q.options.index(answer) if answer in q.options else -1
    return "last" if i == len(q.options) - 1 else f"o{min(i, 1)}"


def _fold(rows: list[str], head: str, colgroup: str = "") -> str:
    """A table of the first SHOWN rows, the rest under a <details>."""
    table = lambda rs: f"<table>{colgroup}<thead>{head}</thead><tbody>{''.join(rs)}</tbody></table>"  # noqa: E731
    if not rows:
        return '<p class="note">該当なし</p>'
    out = table(rows[:SHOWN])
    if len(rows) > SHOWN:
        out += f"<details><summary>残り {len(rows) - SHOWN} 件</summary>{table(rows[SHOWN:])}</details>"
    return out


def _holdings(r: CorpusReport) -> str:
    def small(title: str, counts: list[tuple[str, int]]) -> str:
        rows = "".join(f"<tr><td>{escape(k)}</td><td class=num>{n}</td></tr>" for k, n in counts)
        return f'<div><table><thead><tr><th>{title}</th><th class="num">件数</th></tr></thead><tbody>{rows}</tbody></table></div>'
    return (f'<section id="holdings"><h2>報告書の内訳</h2><p>{r.reports} 件の評価書、{r.bodies} 機関'
            f'（機関ごとに最新の評価書で集計）</p><div class="counts">{small("評価書の種類", r.by_kind)}'
            f'{small("様式", r.by_form)}{small("公表年", r.by_year)}</div></section>')


def _spread_row(q: Question) -> str:
    spread = q.spread()
    total = sum(spread.values())
    order = [*q.options, None]
    bar = "".join(f'<span class="{_css_class(q, a)}" style="width:{100 * spread[a] / total:.1f}%" '
                  f'title="{escape(a or _UNANSWERED)}: {spread[a]}"></span>' for a in order if spread[a])
    text = "、".join(f"{escape(a or _UNANSWERED)} {spread[a]}" for a in order if spread[a])
    return (f'<tr><td title="{escape(q.label)}">{escape(q.label)}</td><td><div class="bar">{bar}</div></td>'
            f"<td>{text}</td></tr>")


def _spreads(r: CorpusReport) -> str:
    ranked = sorted(r.questions, key=lambda q: (-len(q.spread()), -q.spread()[None], q.label))
    key = ('<p class="key note">色: <span class="o0"></span>最上位の選択肢（特に力を入れている 等）<span class="o1"></span>'
           '中位（十分である 等）<span class="last"></span>否定の選択肢（課題が残されている、行っていない 等）'
           '<span class="na"></span>未回答</p>')
    head = "<tr><th>質問</th><th>回答の分布（機関数）</th><th>内訳</th></tr>"
    colgroup = '<colgroup><col class="q"><col class="bar"><col></colgroup>'
    return (f'<section id="spread"><h2>評価の分布（{len(r.questions)} 問）</h2>'
            f'<p class="note">回答が分かれている質問から順に。</p>{key}{_fold([_spread_row(q) for q in ranked], head, colgroup)}</section>')


def _outliers(r: CorpusReport) -> str:
    rows = [f'<tr><td title="{escape(q.label)}">{escape(q.label)}</td><td>{escape(q.peer_answer() or "")}</td>'
            f'<td title="{escape(b)}">{escape(b)}</td><td>{escape(a or _UNANSWERED)}</td></tr>'
            for q in r.questions for b, a in q.outliers()]
    head = "<tr><th>質問</th><th>多数の回答</th><th>機関</th><th>この機関の回答</th></tr>"
    colgroup = '<colgroup><col style="width:45%"><col style="width:12%"><col style="width:28%"><col></colgroup>'
    return (f'<section id="outliers"><h2>仲間と異なる回答（{len(rows)} 件）</h2><p class="note">多数の機関が否定以外の'
            f"回答（十分である 等）をしている質問で、否定の選択肢を選んだか未回答の機関。</p>{_fold(rows, head, colgroup)}</section>")


def _contractor_row(c: Contractor) -> str:
    return (f'<tr><td title="{escape(c.name)}">{escape(c.name)}</td><td class="num">{len(c.bodies)}</td>'
            f'<td class="num">{len(c.subcontracting)}</td><td title="{escape("、".join(sorted(c.bodies)))}">'
            f'{escape("、".join(sorted(c.bodies)))}</td></tr>')


def _contractors(r: CorpusReport) -> str:
    head = ('<tr><th>委託先</th><th class="num">機関数</th><th class="num">再委託あり</th><th>委託元の機関</th></tr>')
    colgroup = '<colgroup><col style="width:30%"><col style="width:7em"><col style="width:7em"><col></colgroup>'
    return (f'<section id="contractors"><h2>委託先（{len(r.contractors)} 社・団体）</h2><p class="note">多くの機関から'
            f"委託を受けている順。再委託あり = その機関の委託で再委託する。</p>"
            f"{_fold([_contractor_row(c) for c in r.contractors], head, colgroup)}</section>")


def report_html(r: CorpusReport, made: dt.datetime | None = None) -> str:
    made = made or dt.datetime.now(dt.timezone.utc)
    head = (f'<h1>pia report: 特定個人情報保護評価書コーパス</h1><p class="note">コーパス <code>{escape(r.root)}</code> · '
            f"{made_stamp(made)}</p>")
    return html_page("pia report", _CSS, head + _holdings(r) + _spreads(r) + _outliers(r) + _contractors(r))


def write_report(r: CorpusReport, path: str | Path) -> None:
    Path(path).write_text(report_html(r), encoding="utf-8")
