"""The corpus seen whole (``pia report``): how bodies answer each graded question, who stands apart
from their peers, which contractors serve the most bodies, and what the corpus holds.

A body is an organisation (``org_name``, else the report's title when no organisation is printed);
each body counts once, by its latest report. A graded question is a Ⅲ/Ⅳ question answered from
one of the form's ＜選択肢＞ lists (``parsers/form/data/options.json``); each list ends with its
negative answer (課題が残されている, 行っていない, 定めていない …), which is what sets a body apart
when most of its peers give another answer.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from normalizers.text import normalize_text
from parsers.form.template import option_lists
from pipeline.analysis.diff_place import key_text
from pipeline.analysis.query import connect

# Each body by its latest report (reports without a date last).
_BODIES = """
SELECT doc_id, COALESCE(org_name, title, doc_id) AS body, assessment_kind, form_version, published_on
FROM documents WHERE status <> 'failed'
QUALIFY row_number() OVER (PARTITION BY COALESCE(org_name, title, doc_id)
                           ORDER BY published_on DESC NULLS LAST, doc_id) = 1
"""


@dataclass
class Question:
    label: str  # section › risk › question, as the first body prints it
    options: list[str]  # the ＜選択肢＞ list its answers come from, in form order
    answers: dict[str, set[str | None]] = field(default_factory=lambda: defaultdict(set))  # body -> answers

    def answer_of(self, body: str) -> str | None:
        """A body answering per file gives several answers; the negative one, then no answer, counts."""
        given = self.answers[body]
        for worst in (self.options[-1], None):
            if worst in given:
                return worst
        return next(iter(sorted(a for a in given if a is not None)), None)

    def spread(self) -> Counter:
        return Counter(self.answer_of(b) for b in self.answers)

    def peer_answer(self) -> str | None:
        """The answer most bodies give, when a majority of the answering bodies give it."""
        counted = Counter(a for a in map(self.answer_of, self.answers) if a is not None)
        if not counted:
            return None
        answer, n = counted.most_common(1)[0]
        return answer if n * 2 > sum(counted.values()) else None

    def outliers(self) -> list[tuple[str, str | None]]:
        """Bodies giving the list's negative answer, or none, where the peers give another."""
        peer = self.peer_answer()
        if peer is None or peer == self.options[-1]:
            return []
        return sorted((b, a) for b in self.answers if (a := self.answer_of(b)) in (self.options[-1], None))


@dataclass
class Contractor:
    name: str
    bodies: set[str] = field(default_factory=set)
    subcontracting: set[str] = field(default_factory=set)  # bodies whose entrustment to it is re-entrusted


@dataclass
class CorpusReport:
    root: str
    bodies: int
    reports: int
    questions: list[Question]
    contractors: list[Contractor]
    by_kind: list[tuple[str, int]]
    by_form: list[tuple[str, int]]
    by_year: list[tuple[str, int]]


def _options_of(answers: set[str]) -> list[str] | None:
    """The ＜選択肢＞ list holding every given answer (the shortest when several do)."""
    fits = [opts for opts in option_lists().values() if answers and answers <= set(opts)]
    return min(fits, key=len) if fits else None


def _questions(con) -> list[Question]:
    rows = con.execute(f"""
        SELECT r.section, r.risk, r.question, r.answer, d.body
        FROM risk_answers r JOIN ({_BODIES}) d USING (doc_id) ORDER BY d.body, r.source_ref""").fetchall()
    by_key: dict[tuple, Question] = {}
    given: dict[tuple, set[str]] = defaultdict(set)
    for section, risk, question, answer, body in rows:
        key = (key_text(section), key_text(risk), key_text(question))
        label = " › ".join(normalize_text(p) for p in (section, risk, question) if p)
        q = by_key.setdefault(key, Question(label, []))
        q.answers[body].add(answer)
        if answer is not None:
            given[key].add(answer)
    out = []
    for key, q in by_key.items():
        q.options = _options_of(given[key]) or []
        if q.options:
            out.append(q)
    return out


def _contractors(con) -> list[Contractor]:
    rows = con.execute(f"""
        SELECT COALESCE(e.contractor_normalized, e.contractor) AS name, d.body, bool_or(e.subcontract) AS sub
        FROM entrustments e JOIN ({_BODIES}) d USING (doc_id)
        WHERE COALESCE(e.contractor_normalized, e.contractor) IS NOT NULL GROUP BY ALL""").fetchall()
    found: dict[str, Contractor] = {}
    for name, body, sub in rows:
        c = found.setdefault(name, Contractor(name))
        c.bodies.add(body)
        if sub:
            c.subcontracting.add(body)
    return sorted(found.values(), key=lambda c: (-len(c.bodies), -len(c.subcontracting), c.name))


def _counts(con, column: str) -> list[tuple[str, int]]:
    return [(str(v) if v is not None else "不明", n) for v, n in con.execute(
        f"SELECT {column} AS v, count(*) AS n FROM documents WHERE status <> 'failed' GROUP BY 1 ORDER BY 1 NULLS LAST").fetchall()]


def corpus_report(root: str | Path) -> CorpusReport:
    con = connect(root)
    bodies = con.execute(f"SELECT count(*) FROM ({_BODIES})").fetchone()[0]
    reports = con.execute("SELECT count(*) FROM documents WHERE status <> 'failed'").fetchone()[0]
    return CorpusReport(str(root), bodies, reports, _questions(con), _contractors(con),
                        _counts(con, "assessment_kind"), _counts(con, "form_version"),
                        _counts(con, "CAST(year(published_on) AS VARCHAR)"))
