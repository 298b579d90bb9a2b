"""``pia report``: the corpus whole, on the bundled samples, and its HTML page in headless Chromium."""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser

import pytest
from PIL import Image, ImageStat

from pipeline.analysis.report import Question, corpus_report
from pipeline.cli import main
from pipeline.ingest.batch import ingest
from tests.conftest import RAW

GRADES = ["特に力を入れている", "十分である", "課題が残されている"]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "corpus"
    ingest([str(RAW)], out)
    return out


def _question(answers: dict[str, set]) -> Question:
    q = Question("リスク1 › リスクへの対策は十分か", GRADES)
    for body, given in answers.items():
        q.answers[body] = set(given)
    return q


def test_outliers_are_negative_or_missing_answers_against_a_majority():
    q = _question({"A": {"十分である"}, "B": {"十分である"}, "C": {"課題が残されている"}, "D": {None},
                   "E": {"十分である", "課題が残されている"},  # E answers per file: its weakest answer counts
                   "F": {"十分である"}, "G": {"特に力を入れている"}})
    assert q.peer_answer() is None and q.outliers() == []  # 3 of the 6 answering bodies: no majority yet
    q.answers["H"] = {"十分である"}
    assert q.peer_answer() == "十分である"
    assert q.outliers() == [("C", "課題が残されている"), ("D", None), ("E", "課題が残されている")]
    assert dict(q.spread()) == {"十分である": 4, "課題が残されている": 2, "特に力を入れている": 1, None: 1}
    split = _question({"A": {"十分である"}, "B": {"課題が残されている"}})
    assert split.peer_answer() is None and split.outliers() == []  # no majority, no outlier


def test_bundled_corpus_counts(corpus_dir):
    r = corpus_report(corpus_dir)
    # the five samples' covers, read by hand: three 全項目評価書, two 重点項目評価書; one prints 令和7年5月 様式4,
    # one a 公表日 (2020); the others print neither
    assert (r.reports, r.bodies) == (5, 5)
    assert r.by_kind == [("全項目評価書", 3), ("重点項目評価書", 2)]
    assert r.by_form == [("令和7年5月 様式4", 1), ("不明", 4)] and r.by_year == [("2020", 1), ("不明", 4)]
    graded = [q for q in r.questions if q.options == GRADES]
    assert graded and all(set(q.spread()) <= {*GRADES, None} for q in graded)
    assert all(len(c.subcontracting) <= len(c.bodies) for c in r.contractors)
    counts = [len(c.bodies) for c in r.contractors]
    assert counts == sorted(counts, reverse=True)


def test_cli_html_json_and_terminal(corpus_dir, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", "--corpus", str(corpus_dir), "--html", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip() == f"wrote {out}"
    assert main(["report", "--corpus", str(corpus_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reports"] == 5 and data["by_kind"] == {"全項目評価書": 3, "重点項目評価書": 2}
    assert main(["report", "--corpus", str(corpus_dir)]) == 0
    assert "委託先" in capsys.readouterr().out


class _Probe(HTMLParser):
    probe = None

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.probe = dict(attrs).get("data-probe") or self.probe


PROBE = """<script>
const sections = [...document.querySelectorAll('section')].map(s => ({id: s.id, height: s.getBoundingClientRect().height,
  bars: s.querySelectorAll('div.bar').length, rows: s.querySelectorAll('tbody tr').length}));
document.body.setAttribute('data-probe', JSON.stringify({sections, innerHeight, overflow: document.documentElement.scrollWidth
  > document.documentElement.clientWidth, font: getComputedStyle(document.body).fontFamily}));
</script>"""
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars", "--window-size=1280,800"]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (Debian: apt-get install chromium)")
def test_report_page_in_headless_chromium(corpus_dir, tmp_path):
    page = tmp_path / "report.html"
    assert main(["report", "--corpus", str(corpus_dir), "--html", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http" not in html.replace('content="pia-corpus', "")  # self-contained
    probed = tmp_path / "probed.html"
    probed.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run([*CHROMIUM, f"--user-data-dir={profile}", "--dump-dom", probed.as_uri()],
                             capture_output=True, text=True, timeout=120, check=True).stdout
        shot = tmp_path / "report.png"
        subprocess.run([*CHROMIUM, f"--user-data-dir={profile}", f"--screenshot={shot}", page.as_uri()],
                       capture_output=True, timeout=120, check=True)
    parser = _Probe()
    parser.feed(dom)
    result = json.loads(parser.probe)
    assert [s["id"] for s in result["sections"]] == ["holdings", "spread", "outliers", "contractors"]
    for s in result["sections"]:  # one screen each
        assert 0 < s["height"] <= result["innerHeight"], s
    spread = result["sections"][1]
    assert spread["bars"] == spread["rows"] > 0 and not result["overflow"]
    image = Image.open(shot).convert("L")
    assert image.size == (1280, 800)
    assert ImageStat.Stat(image).stddev[0] > 10  # something is drawn, not a blank page
