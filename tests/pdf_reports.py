"""Whole reports of each form kind, built from the form template and a seeded record of answers,
for rendering with ``tests.pdfgen`` and reading back through the pipeline (round trip).

``build(kind, seed)`` walks ``load_template(kind).items()`` in printed order and answers every
item: text and dates, a chosen option per selection (printed ``[ chosen ]`` then ``＜選択肢＞`` and
``1） … 2） …``), checklist states (``[ ○ ] X [ ] Y``), repeated blocks (``システム1``,
``委託事項1 <title>``, ``提供先1 <counterparty>``), Ⅱ/Ⅲ once per 特定個人情報ファイル, and the
変更箇所 table with its header row repeated on each page. The same seed varies the layout: column
widths, font, size, row splitting, shuffled content stream. The ``Report`` keeps the answers in the
shape of the corpus tables, so a test can compare what ingest returns with what was drawn.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth

from normalizers.text import nfkc, normalize_text
from parsers.form.template import COVER, Item, load_template
from tests.pdfgen import GOTHIC, MINCHO, MERGED, Span, Style, Table, render

_WORDS = ["特定個人情報は", "担当課の職員に限り", "業務端末から", "事務の処理に必要な範囲で", "参照する。",
          "アクセス記録を", "定期的に確認し、", "不正な利用を防止する。", "書類は施錠できる", "保管庫に保管し、",
          "保存期間の経過後は", "速やかに廃棄する。", "外部との通信は", "暗号化された回線を", "使用して行う。",
          "研修を", "年に一度実施し、", "受講状況を記録する。"]
_ORGS = ["北見市", "南丘町", "東浜村", "西原市", "中川町"]
_AFFAIRS = ["住民税の賦課に関する事務", "児童手当の支給に関する事務", "介護保険の給付に関する事務",
            "国民年金に関する事務"]
_FILES = ["住民税情報ファイル", "受給者台帳ファイル", "資格管理ファイル", "給付記録ファイル"]
_SYSTEMS = ["税務総合システム", "福祉総合システム", "団体内統合宛名システム", "中間サーバー"]
_COMPANIES = ["北光情報株式会社", "南星システムズ株式会社", "東和データサービス株式会社"]
_KIND_SHORT = {"基礎項目評価書": "基礎項目", "重点項目評価書": "重点項目", "全項目評価書": "全項目"}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_NUMBER = re.compile(r"[0-9０-９]+$")
_SIDE = 24.0  # width of the merged left cell of a group printed beside its rows (再委託)
_VALUED_GROUPS = {"対象となる本人の範囲", "使用方法"}  # group labels the form prints with a value too
_CHANGE_HEADER = ["変更日", "項目", "変更前の記載", "変更後の記載", "提出時期", "提出時期に係る説明"]


@dataclass
class Answer:
    """One answered leaf item, keyed as the corpus keys it (path with block instance numbers)."""

    section: str
    file_name: str | None
    path: str
    label: str
    type: str
    value: object  # text/date/count: str; selection: chosen option; checklist: [(option, checked, detail)]


@dataclass
class Report:
    kind: str
    seed: int
    number: int
    title: str
    org: str
    published: str
    answers: list[Answer] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    style: Style = field(default_factory=Style)

    def of(self, type_: str) -> list[Answer]:
        return [a for a in self.answers if a.type == type_]

    def value(self, path_end: str, file_name: str | None = None, after: str = "") -> object:
        """The answer whose path ends with ``path_end`` (and contains ``after``) in a file block."""
        hits = [a for a in self.answers if a.path.endswith(path_end) and after in a.path
                and a.file_name == file_name]
        assert len(hits) == 1, (path_end, after, file_name, len(hits))
        return hits[0].value


def _text(rng: random.Random, lo: int, hi: int) -> str:
    n = rng.randint(lo, hi)
    start = rng.randrange(len(_WORDS))
    return "".join(_WORDS[(start + k) % len(_WORDS)] for k in range(n))


def _date(rng: random.Random) -> str:
    return f"令和{rng.randint(2, 7)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"


def selection_text(chosen: str | None, options, rng: random.Random) -> str:
    """``[ chosen ]`` then ``＜選択肢＞`` and the numbered options, two or three to a line."""
    per_line = rng.choice([2, 3])
    numbered = [f"{k}） {o}" for k, o in enumerate(options, 1)]
    lines = [" ".join(numbered[i:i + per_line]) for i in range(0, len(numbered), per_line)]
    return "\n".join([f"[ {chosen or ''} ]", "＜選択肢＞", *lines])


def checklist_text(states: list[tuple[str, bool, str | None]], unit: str = "", per_line: int = 2) -> str:
    """``[ ○ ] X [ ] Y``, ``per_line`` options to a printed line; an option the form prints with a
    detail field gets ``（ detail ）``."""
    out = []
    for option, on, detail in states:
        text = ("[ ○ ] " if on else "[ ] ") + option
        if getattr(option, "detail", False):
            text += f" （ {detail or ''} ）{unit}"
        out.append(text)
    return "\n".join(" ".join(out[i:i + per_line]) for i in range(0, len(out), per_line))


def _side_group(item: Item, kids: list[Item]) -> bool:
    """A group the form prints as a tall left cell beside its rows (再委託, ④使用の主体): a
    marked-or-plain sub-group of plain leaf rows, not a risk heading."""
    return len(item.path) > 2 and "リスク" not in item.label and bool(kids) and all(
        not k.header_stem and k.type in ("text", "selection", "date") for k in kids)


class _Builder:
    """Walks the template once, drawing answers and layout choices from one seeded generator, so a
    (kind, seed) pair always gives the same report."""

    def __init__(self, kind: str, seed: int, long_changes: int | None = None):
        self.kind = kind
        self.long_changes = long_changes
        self.rng = random.Random(f"{kind}:{seed}")
        self.template = load_template(kind)
        self.children: dict[tuple, list[Item]] = {}
        for it in self.template.items():
            self.children.setdefault((it.section, it.path[:-1]), []).append(it)
        rng = self.rng
        org = rng.choice(_ORGS)
        self.affair = affair = rng.choice(_AFFAIRS)
        self.report = Report(kind, seed, rng.randint(1, 40), f"{affair} {_KIND_SHORT[kind]}評価書", org,
                             _date(rng))
        self.files = rng.sample(_FILES, rng.randint(1, 2)) if kind != "基礎項目評価書" else []
        self.systems = rng.randint(1, 3)
        self.file_blocks: dict[str | None, dict[str, int]] = {}  # per file: repeated block -> count
        self.blocks: dict[str, int] = {}
        self.blank = 0  # > 0 inside a group whose "not applicable" flag is checked

    # --- layout -------------------------------------------------------------------------------
    def build(self) -> Report:
        rng = self.rng
        self.report.style = Style(
            font=rng.choice([GOTHIC, MINCHO]), size=rng.choice([8.0, 8.5, 9.0, 10.0]),
            margin=rng.choice([28.0, 36.0, 42.0]),
            split_rows=rng.random() < 0.7, shuffle_seed=rng.randint(0, 10**6) if rng.random() < 0.8 else None,
            rects=rng.random() < 0.3, split_tokens=rng.random() < 0.3, jitter=rng.choice([0.0, 0.0, 0.6]),
            shading=rng.random() < 0.2, fill_borders=rng.random() < 0.2)
        self.stacked = rng.random() < 0.5  # a numbered text item as a heading row, its value below
        self.merged = rng.random() < 0.5  # 再委託-style groups as a merged left cell beside their rows
        label_w = rng.choice([120, 150, 170, 190, 210])
        self.widths = [_SIDE, label_w - _SIDE, 523 - label_w]
        tables = [self._cover()]
        for key, title in self.template.sections:
            for file_name in (self.files if key in ("Ⅱ", "Ⅲ") and self.files else [None]):
                tables.append(self._section(key, title, file_name))
        self.report.tables = tables
        return self.report

    def _heading(self, key: str, title: str) -> str:
        if key.startswith("別添"):
            return f"（{key}）{title}"
        return f"{key}　{title}"

    def _cover(self) -> Table:
        r = self.report
        self._answer(COVER, None, "評価書名", "評価書名", "text", r.title)
        rows = [["評価書番号", str(r.number)], ["評価書名", r.title],
                ["個人のプライバシー等の権利利益の保護の宣言", r.org + "は、" + _text(self.rng, 4, 8)],
                ["特記事項", _text(self.rng, 1, 3)], ["評価実施機関名", r.org], ["公表日", r.published]]
        return Table(list(self.widths), [[Span(a, 2), b] for a, b in rows], title=self.template.title)

    def _section(self, key: str, title: str, file_name: str | None) -> Table:
        if any(it.repeat == "変更箇所" for it in self.children.get((key, (title,)), [])):
            return self._changes(key, title)
        rows: list[list] = []
        self.blocks = self.file_blocks.setdefault(file_name, {})
        for item in self.children.get((key, (title,)), []):
            self._rows(item, (title,), file_name, rows)
        return Table(list(self.widths), rows or [[Span(_text(self.rng, 2, 4), 3)]],
                     title=self._heading(key, title))

    # --- items --------------------------------------------------------------------------------
    def _rows(self, item: Item, path: tuple[str, ...], file_name: str | None, rows: list) -> None:
        kids = self.children.get((item.section, item.path), [])
        if item.header_stem:
            stem = _NUMBER.sub("", item.label)
            for n in range(1, self._instances(stem) + 1):
                label = f"{stem}{n}"
                head = self._block_head(stem, n, path + (label,), item, file_name)
                rows.append([Span(label, 2), head] if head is not None else [Span(label, 3)])
                for kid in kids:
                    self._rows(kid, path + (label,), file_name, rows)
            return
        here = path + (item.label,)
        flags = [k for k in kids if k.type == "flag"]
        kids = [k for k in kids if k.type not in ("flag", "count")]
        cancelled = False  # a checked 委託しない-style flag: the form leaves the group's questions blank
        if item.type == "group" and flags:
            states = [(f.label, self._flag(f, file_name), None) for f in flags]
            rows.append([Span(item.label, 2), checklist_text(states)])
            cancelled = any(on for _f, on, _d in states)
        elif item.type == "group" and item.name in _VALUED_GROUPS:
            rows.append([Span(item.label, 2), self._value(item, here, file_name)])
        elif item.type == "group" and self.merged and _side_group(item, kids) \
                and not any(self.children.get((k.section, k.path)) for k in kids):
            for k, kid in enumerate(kids):
                rows.append([item.label if k == 0 else MERGED, kid.label,
                             self._value(kid, here + (kid.label,), file_name)])
            return
        elif item.type == "group":
            rows.append([Span(item.label, 3)])
        elif self.stacked and item.type == "text" and len(item.path) == 2:
            rows += [[Span(item.label, 3)], [Span(self._value(item, here, file_name) or " ", 3)]]
        else:
            rows.append([Span(item.label, 2), self._value(item, here, file_name)])
        self.blank += cancelled
        for kid in kids:
            self._rows(kid, here, file_name, rows)
        self.blank -= cancelled

    def _instances(self, stem: str) -> int:
        if stem == "システム":
            return self.systems
        return self.blocks.setdefault(stem, self.rng.randint(1, 2))

    def _block_head(self, stem: str, n: int, path: tuple, item: Item, file_name: str | None) -> str | None:
        if stem == "システム":
            return None
        value = f"{_text(self.rng, 1, 1).rstrip('。、')}に関する業務{n}" if stem == "委託事項" \
            else self.rng.choice(["北見市長", "南丘町教育委員会", "東浜村長", "西原市福祉事務所長"])
        self._answer(item.section, file_name, " > ".join(path), item.label, "head", value)
        return value

    def _flag(self, flag: Item, file_name: str | None) -> bool:
        if flag.label == "委託しない":
            on = self.blocks.get("委託事項") == 0
        elif flag.label == "提供・移転しない":
            on = self.blocks.get("提供先") == 0 and self.blocks.get("移転先") == 0
        else:
            on = False
        self._answer(flag.section, file_name, " > ".join(flag.path[:-1]), flag.label, "flag", on)
        return on

    def _value(self, item: Item, path: tuple[str, ...], file_name: str | None) -> str:
        rng = self.rng
        p = " > ".join(path)
        if self.blank:
            self._answer(item.section, file_name, p, item.label, item.type, None)
            return selection_text(None, item.options, rng) if item.type == "selection" else ""
        if item.type == "selection":
            count = next((k for k in self.children.get((item.section, item.path[:-1]), [])
                          if k.type == "count"), None)
            # now and then a question left unanswered (``[ ]``), outside the numbered blocks
            skip = count is None and item.repeat in (None, "特定個人情報ファイル", "リスク") and rng.random() < 0.1
            chosen = None if skip else rng.choice(item.options)
            self._answer(item.section, file_name, p, item.label, "selection", chosen and str(chosen))
            text = selection_text(chosen, item.options, rng)
            if count is not None:
                n = rng.randint(1, 3) if chosen == "委託する" else 0
                self.blocks["委託事項"] = n
                self._answer(item.section, file_name, " > ".join(path[:-1] + (count.label,)), count.label,
                             "count", str(n) if n else None)
                text += f"\n（ {n or ''} ） 件"
            return text
        if item.type == "checklist":
            states = self._checklist(item)
            self._answer(item.section, file_name, p, item.label, "checklist", states)
            return checklist_text(states, " 件" if item.options_id == "CHK-提供移転" else "",
                                  rng.choice([1, 2, 3]))
        if item.type == "date":
            value = _date(rng)
        elif item.label.endswith("特定個人情報ファイル名") and file_name:
            value = file_name
        elif item.label.endswith("システムの名称"):
            value = rng.choice(_SYSTEMS)
        elif item.label.endswith("事務の名称"):
            value = self.affair
        elif item.label.endswith("委託先名"):
            value = rng.choice(_COMPANIES)
        else:
            value = _text(rng, 1, 12 if rng.random() < 0.25 else 3)
        self._answer(item.section, file_name, p, item.label, item.type, value)
        return value

    def _checklist(self, item: Item) -> list[tuple[str, bool, str | None]]:
        rng = self.rng
        if item.options_id == "CHK-提供移転":
            prov, move = rng.randint(0, 2), rng.randint(0, 2)
            self.blocks["提供先"], self.blocks["移転先"] = prov, move
            return [(item.options[0], prov > 0, str(prov) if prov else None),
                    (item.options[1], move > 0, str(move) if move else None),
                    (item.options[2], not prov and not move, None)]
        states = []
        for opt in item.options:
            on = rng.random() < 0.4
            detail = (rng.choice(_SYSTEMS) if on else None) if opt.detail else None
            states.append((opt, on, detail))
        return states

    def _changes(self, key: str, title: str) -> Table:
        rng = self.rng
        rows = []
        long = self.long_changes is not None
        for k in range(self.long_changes if long else rng.randint(3, 12)):
            row = {"changed_on_raw": _date(rng),
                   "item": f"Ⅱ２．基本情報{_CIRCLED[k % 10]}記録される項目",
                   "before": _text(rng, 1, 30 if long else 4),
                   "after": "変更後：" + (_text(rng, 110, 130) if long and k == 1  # taller than a page
                                         else _text(rng, 4 if long else 1, 40 if long else 5)),
                   "timing": rng.choice(["事前", "事後"]),
                   "reason": _text(rng, 1, 2)}
            self.report.changes.append(row)
            rows.append([row[c] for c in ("changed_on_raw", "item", "before", "after", "timing", "reason")])
            row.update((k, normalize_text(v)) for k, v in row.items())
        # every column title fits on one line: the PDF reader recognises a header row repeated on a
        # page only when each of its cells is one line (parsers/read/pdf_reader.py _table_heads)
        style = self.report.style
        fit = [stringWidth(h, style.font, style.size) + 2 * style.pad + 2 for h in _CHANGE_HEADER]
        widths = [rng.choice([56, 62, 80]), rng.choice([90, 110]), 0, 0, rng.choice([36, 45]), 96]
        widths = [max(w, f) for w, f in zip(widths, fit)]
        widths[2] = widths[3] = (523 - sum(widths) + widths[2] + widths[3]) / 2  # the texts take the rest
        return Table(widths, rows, header=list(_CHANGE_HEADER),
                     title=self._heading(key, title))

    def _answer(self, section, file_name, path, label, type_, value) -> None:
        if isinstance(value, str) and type_ != "selection":
            value = normalize_text(value)
        self.report.answers.append(Answer(section, file_name, path, label, type_, value))


def build(kind: str, seed: int, long_changes: int | None = None) -> Report:
    """The seeded report; ``long_changes`` rows of 変更箇所 with texts of up to about 40
    printed lines, one row taller than a page, instead of a few short ones."""
    return _Builder(kind, seed, long_changes).build()


def render_report(report: Report) -> bytes:
    return render(report.tables, report.style).pdf


# --- the record in the shape of the corpus tables ---------------------------------------------
_SYSTEM_COLS = {"①システムの名称": "name", "②システムの機能": "functions", "③他のシステムとの接続": "connections"}
_FILE_COLS = {"①ファイルの種類": "file_type", "②対象となる本人の数": "subject_count",
              "③対象となる本人の範囲": "subject_scope", "④記録される項目": "record_item_count",
              "⑤保有開始日": "holding_start_raw", "⑥事務担当部署": "department", "使用者数": "user_count"}
_ENTRUST_COLS = {"委託内容": "content", "取扱者数": "handler_count", "委託先名": "contractor",
                 "再委託の有無": "subcontract", "再委託の許諾方法": "subcontract_permission",
                 "再委託事項": "subcontract_items"}
_TRANSFER_COLS = {"法令上の根拠": "legal_basis", "における用途": "purpose", "する情報": "information",
                  "本人の数": "subject_count", "本人の範囲": "subject_scope", "方法": "methods",
                  "時期・頻度": "timing"}
_BLOCK = re.compile(r"(システム|委託事項|提供先|移転先)([0-9]+)$")


def _column(label: str, columns: dict[str, str]) -> str | None:
    core = label.removesuffix("※")
    return next((col for key, col in columns.items() if core.endswith(key)), None)


def _checked(states) -> list[str]:
    return [str(o) for o, on, _d in states if on]


def _measures(report: Report, question: Answer) -> str | None:
    """The texts a risk answer grades: its own detail texts (具体的な管理方法 …); for a
    リスクへの対策は十分か every text of its risk; joined by a space in printed order."""
    items = list(load_template(report.kind).items())
    q = next(it for it in items if " > ".join(it.path) == question.path)
    texts = [it for it in items if it.type == "text" and it.path[:len(q.path)] == q.path]
    if not texts and q.options_id == "OPT-十分か" and len(q.path) > 3:
        texts = [it for it in items if it.type == "text" and it.path[:len(q.path) - 1] == q.path[:-1]]
    written = {a.path: a.value for a in report.answers if a.file_name == question.file_name and a.type == "text"}
    return " ".join(v for it in texts if (v := written.get(" > ".join(it.path)))) or None


def expected_tables(report: Report) -> dict[str, list[dict]]:
    """Rows the corpus tables must hold for this report (the columns the record decides)."""
    risk_sections = {key for key, title in load_template(report.kind).sections if "リスク対策" in title}
    out: dict[str, list[dict]] = {t: [] for t in ("selections", "checklist_items", "systems", "files",
                                                  "entrustments", "transfers", "risk_answers", "changes")}
    blocks: dict[tuple, dict] = {}
    for a in report.answers:
        if a.type == "selection" and not (a.value is None and a.section in risk_sections):
            out["selections"].append({"file_name": a.file_name, "path": a.path, "chosen": a.value})
        if a.type == "checklist" and a.value is not None:
            out["checklist_items"] += [{"file_name": a.file_name, "path": a.path, "option": str(o),
                                        "checked": on, "detail": d} for o, on, d in a.value]
        if a.type == "flag":
            out["checklist_items"].append({"file_name": a.file_name, "path": a.path, "option": nfkc(a.label),
                                           "checked": a.value, "detail": None})
        parts = a.path.split(" > ")
        inst = next(((k, p) for k, p in enumerate(parts) if _BLOCK.match(p)), None)
        if inst is None:
            continue
        stem, no = _BLOCK.match(inst[1]).groups()
        row = blocks.setdefault((a.file_name, stem, int(no)), {})
        if a.type == "head":
            row["title"] = a.value
            continue
        columns = {"システム": _SYSTEM_COLS, "委託事項": _ENTRUST_COLS}.get(stem, _TRANSFER_COLS)
        col = _column(a.label, columns)
        if col:
            row[col] = _checked(a.value) if a.type == "checklist" else a.value
    for (file_name, stem, no), row in blocks.items():
        if stem == "システム":
            out["systems"].append({"system_no": no, **row})
        elif stem == "委託事項":
            row["subcontract"] = {"再委託する": True, "再委託しない": False}[row["subcontract"]]
            out["entrustments"].append({"file_name": file_name, "entrustment_no": no, **row})
        else:
            out["transfers"].append({"file_name": file_name, "kind": stem[:2], "transfer_no": no,
                                     "counterparty": row.pop("title"), **row})
    for no, file_name in enumerate(dict.fromkeys(a.file_name for a in report.answers if a.file_name), 1):
        row = {"file_no": no, "file_name": file_name}
        for a in report.answers:
            if a.file_name == file_name and a.section == "Ⅱ" and "委託事項" not in a.path \
                    and "提供先" not in a.path and "移転先" not in a.path:
                col = _column(a.label, _FILE_COLS)
                if col and not a.path.endswith("その必要性"):
                    row[col] = a.value
        n = {stem: sum(1 for f, s, _n in blocks if f == file_name and s == stem)
             for stem in ("委託事項", "提供先", "移転先")}
        row.update(entrusts=n["委託事項"] > 0, entrustment_count=n["委託事項"] or None,
                   provides=n["提供先"] > 0, provision_count=n["提供先"] or None,
                   transfers=n["移転先"] > 0, transfer_count=n["移転先"] or None)
        out["files"].append(row)
    for a in report.answers:
        if a.type in ("selection", "checklist") and a.section in risk_sections and a.value is not None:
            parts = a.path.split(" > ")
            risk = next((p for p in parts[2:-1] if "リスク" in p), None)
            row = {"file_name": a.file_name, "section": parts[1], "risk": risk, "question": a.label,
                   "measures": _measures(report, a)}
            answers = [a.value] if a.type == "selection" else _checked(a.value) or [None]
            out["risk_answers"] += [dict(row, answer=x) for x in answers]
    out["changes"] = [{"row_no": k, **row} for k, row in enumerate(report.changes, 1)]
    return out
