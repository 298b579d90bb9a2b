"""Hostile inputs, one case each: odd paths and names, special files, links, duplicates, damaged
encodings and PDFs. Every path given or found ends as a documents row or one escaped message line."""
from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from pipeline.cli import main
from pipeline.ingest import batch, inputs
from pipeline.ingest.batch import ingest
from pipeline.ingest.inputs import collect, message, one_line
from pipeline.ingest.process import failed_document, process_path

from . import pdfgen
from .conftest import seed
from .fuzz_inputs import PDF_MUTATIONS, SUMMARY, mutants
from .pdf_records import cover, report

ROOT = Path(__file__).resolve().parent.parent
GOOD = seed("003")




def docs(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "documents")


def err_lines(capsys) -> list[str]:
    return [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("pia: ")]


def test_missing_path_is_a_usage_error_that_writes_nothing(tmp_path, capsys):
    out = tmp_path / "corpus"
    assert main(["ingest", str(GOOD), str(tmp_path / "no-such-report.pdf"), "--out", str(out)]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert not out.exists()


def test_name_with_bytes_that_are_not_utf8(tmp_path, capsys):
    src = tmp_path / "raw"
    src.mkdir()
    bad = os.path.join(os.fsencode(src), b"report-\xff\xfe.txt")
    with open(bad, "wb") as fh:
        fh.write(GOOD.read_bytes())
    junk = os.path.join(os.fsencode(src), b"junk-\x81.txt")
    with open(junk, "wb") as fh:
        fh.write(b"")
    out = tmp_path / "corpus"
    assert main(["ingest", str(src), "--out", str(out)]) == 0
    rows = docs(out).set_index("source_path")
    assert rows.loc[f"{src}/report-\\xff\\xfe.txt", "status"] in {"ok", "partial"}
    assert rows.loc[f"{src}/junk-\\x81.txt", "error"] == "empty file"
    assert err_lines(capsys) == [f"pia: {src}/junk-\\x81.txt: empty file"]


def test_newline_in_a_name_cannot_split_or_fake_a_message(tmp_path, capsys):
    src = tmp_path / "raw"
    src.mkdir()
    (src / "a\npia: other.pdf: encrypted PDF\x1b[2J.txt").write_bytes(b"")
    out = tmp_path / "corpus"
    main(["ingest", str(src), "--out", str(out)])
    err = [ln for ln in capsys.readouterr().err.splitlines() if not SUMMARY.match(ln)]
    assert err == [f"pia: {src}/a\\npia: other.pdf: encrypted PDF\\x1b[2J.txt: empty file"]
    assert docs(out).source_path.item() == f"{src}/a\npia: other.pdf: encrypted PDF\x1b[2J.txt"


def test_one_line_escapes_controls_separators_and_direction_overrides():
    assert one_line("a\rb\tc\u2028d\u202ee\x85f") == "a\\rb\\tc\\u2028d\\u202ee\\x85f"
    assert one_line("評価書 (1).pdf") == "評価書 (1).pdf"
    assert message("x\ny", "bad\nreason") == "pia: x\\ny: bad\\nreason"


def test_failed_document_takes_any_name():
    name = os.fsdecode(b"/in/\xe3\x81\xff\nx.pdf")
    row = failed_document(name, None, "empty file").document
    assert row["source_path"] == "/in/\\xe3\\x81\\xff\nx.pdf"
    assert row["source_paths"] == [row["source_path"]]


def test_fifo_is_refused_before_it_is_opened(tmp_path):
    """Run in a child process: a reader that opened the FIFO would block forever."""
    src = tmp_path / "raw"
    src.mkdir()
    os.mkfifo(src / "pipe.txt")
    shutil.copy(GOOD, src / "good.txt")
    out = tmp_path / "corpus"
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(src), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0
    assert f"pia: {src}/pipe.txt: not a regular file: a named pipe (FIFO)" in done.stderr.splitlines()
    assert set(docs(out).status) == {"failed", "ok"} or set(docs(out).status) == {"failed", "partial"}


def test_link_to_a_device_is_refused(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    found = collect([str(tmp_path / "zero.txt")])
    assert found.inputs == [] and [(r.reason, r.failed) for r in found.refused] == [("not a regular file: a device", True)]
    assert process_path(str(tmp_path / "zero.txt")).document["error"] == "not a regular file: a device"


def test_unreadable_folder_gets_a_failed_row(tmp_path, monkeypatch, capsys):
    """Run as root the permission bits do not stop reading, so the refusal is simulated."""
    src = tmp_path / "raw"
    (src / "locked").mkdir(parents=True)
    shutil.copy(GOOD, src / "good.txt")
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(inputs.os, "scandir", scandir)
    out = tmp_path / "corpus"
    summary = ingest([str(src)], out)
    assert summary.status["failed"] == 1
    assert docs(out).set_index("source_path").loc[str(src / "locked"), "error"] == \
        "cannot read folder: Permission denied"
    assert err_lines(capsys) == [f"pia: {src}/locked: cannot read folder: Permission denied"]


@pytest.fixture
def linked(tmp_path):
    """raw/ with a file, a link to it, a linked folder inside, and links to a file and a folder
    outside raw/."""
    src, outside = tmp_path / "raw", tmp_path / "outside"
    (src / "sub").mkdir(parents=True)
    outside.mkdir()
    shutil.copy(GOOD, src / "sub" / "a.txt")
    shutil.copy(seed("000"), outside / "b.txt")
    (src / "alias.txt").symlink_to(src / "sub" / "a.txt")
    (src / "sub-link").symlink_to(src / "sub")
    (src / "out.txt").symlink_to(outside / "b.txt")
    (src / "out-dir").symlink_to(outside)
    (src / "sub" / "loop").symlink_to(src)
    return src


def test_links_stay_inside_the_given_folders(linked, tmp_path, capsys):
    out = tmp_path / "corpus"
    summary = ingest([str(linked)], out)
    rows = docs(out)
    assert len(rows) == 1  # the one file inside, under two paths
    assert list(rows.source_paths.item()) == [f"{linked}/alias.txt", f"{linked}/sub/a.txt"]
    assert summary.status["skipped"] == 4 and summary.status["ok"] + summary.status["partial"] == 1
    err = sorted(err_lines(capsys))
    assert err == sorted([
        f"pia: {linked}/sub-link: symbolic link to a folder already read: not followed",
        f"pia: {linked}/out-dir: symbolic link to outside the given folders: not followed (--follow-links reads it)",
        f"pia: {linked}/out.txt: symbolic link to outside the given folders: not followed (--follow-links reads it)",
        f"pia: {linked}/sub/loop: symbolic link to a folder already read: not followed",
    ])


def test_follow_links_reads_outside_once(linked, tmp_path):
    out = tmp_path / "corpus"
    ingest([str(linked)], out, follow_links=True)
    paths = sorted(p for ps in docs(out).source_paths for p in ps)
    assert f"{linked}/out.txt" in paths and f"{linked}/out-dir/b.txt" in paths
    assert len(docs(out)) == 2


def test_a_path_given_by_name_is_followed(linked):
    found = collect([str(linked / "out.txt")])
    assert [i.paths for i in found.inputs] == [(str(linked / "out.txt"),)]


def test_identical_bytes_are_one_document_with_every_path(tmp_path, capsys):
    src = tmp_path / "raw"
    src.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(GOOD, src / name)
    out = tmp_path / "corpus"
    main(["ingest", str(src), "--out", str(out)])
    assert re.search(r"^(1 ok, 0 partial|0 ok, 1 partial), 0 failed", capsys.readouterr().err, re.M)
    row = docs(out)
    assert list(row.source_paths.item()) == [str(src / "a.txt"), str(src / "b.txt")]
    assert row.source_path.item() == str(src / "a.txt")


def test_text_larger_than_the_limit_fails_with_that_reason(tmp_path, capsys):
    ext = process_path(str(seed("001")), max_text_mb=0.1)  # 234 kB
    assert ext.document["error"] == "text too large: 0.2 MB, the limit is 0.1 MB (--text-limit)"
    assert process_path(str(seed("000")), max_text_mb=0.1).document["status"] != "failed"  # 57 kB
    shutil.copy(seed("001"), tmp_path / "big.txt")
    assert main(["ingest", str(tmp_path / "big.txt"), "--out", str(tmp_path / "corpus"), "--text-limit", "0.1"]) == 0
    assert "big.txt: text too large: 0.2 MB, the limit is 0.1 MB (--text-limit)" in capsys.readouterr().err


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf \n"])
def test_a_file_that_is_only_a_bom_is_empty(tmp_path, data):
    (tmp_path / "bom.txt").write_bytes(data)
    assert process_path(str(tmp_path / "bom.txt")).document["error"] == "empty file"


def _same_report(a: dict, b: dict) -> None:
    keep = ("status", "title", "org_name", "assessment_kind", "business_name", "target_population")
    assert {k: a[k] for k in keep} == {k: b[k] for k in keep}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("n", ["000", "001", "002", "003", "004"])
def test_utf16_without_bom_reads_as_the_utf8_original(tmp_path, n, encoding):
    text = seed(n).read_text(encoding="utf-8")
    (tmp_path / "r.txt").write_bytes(text.encode(encoding))
    got = process_path(str(tmp_path / "r.txt")).document
    assert got["encoding"] == encoding
    _same_report(got, process_path(str(seed(n))).document)


@pytest.mark.parametrize("n", ["000", "001", "002", "003", "004"])
def test_utf8_with_a_few_bad_bytes_is_read_with_a_warning(tmp_path, n):
    data = bytearray(seed(n).read_bytes())
    for k in range(1, 6):  # five stray bytes where a copy was damaged, between lines
        at = data.index(b"\n", len(data) * k // 6)
        data[at:at] = b"\xff"
    (tmp_path / "r.txt").write_bytes(bytes(data))
    got = process_path(str(tmp_path / "r.txt")).document
    assert "read: 5 invalid UTF-8 byte sequences replaced by U+FFFD" in got["warnings"]
    _same_report(got, process_path(str(seed(n))).document)


def test_shift_jis_with_stray_bytes_is_not_taken_for_utf8(tmp_path):
    text = seed("000").read_text(encoding="utf-8")
    data = text.encode("cp932", errors="replace")
    (tmp_path / "r.txt").write_bytes(data)
    assert process_path(str(tmp_path / "r.txt")).document["encoding"] == "cp932"


def _with_mediabox(pdf: bytes, box: bytes) -> bytes:
    """The same PDF with every page's MediaBox replaced, padded so the xref offsets stay right."""
    return re.sub(rb"/MediaBox \[[^\]]*\]", lambda m: (b"/MediaBox " + box).ljust(len(m.group())), pdf)


@pytest.mark.parametrize("box", [b"[0 0 0 0]", b"[0 0 1e30 1e30]", b"[0 0 -595 -842]"])
def test_impossible_page_size_is_a_corrupt_pdf(tmp_path, box):
    (tmp_path / "r.pdf").write_bytes(_with_mediabox(pdfgen.render([cover()]).pdf, box))
    error = process_path(str(tmp_path / "r.pdf")).document["error"]
    assert re.fullmatch(r"corrupt PDF: (page 1 has an impossible size \(.* pt\)|its structure is damaged and "
                        r"could not be read)", error), error


def test_library_warnings_stay_with_the_document(tmp_path, capfd):
    """A PDF with flipped bytes (fuzz case flip_bytes-275): pdfminer, reading a page pdfium
    could not, logs about a broken font; that goes to the document's warnings, not to stderr."""
    pdfs = [pdfgen.render([cover()]).pdf, pdfgen.render(report()).pdf]
    name, data = next(m for m in mutants(pdfs, PDF_MUTATIONS, 330, seed=1) if m[0] == "flip_bytes-275")
    (tmp_path / name).write_bytes(data)
    handlers = logging.getLogger().handlers[:]
    doc = process_path(str(tmp_path / name)).document
    assert logging.getLogger().handlers == handlers  # logging is left as it was
    assert capfd.readouterr().err == ""
    assert any(w.startswith("library warning") and "pdfminer" in w for w in doc["warnings"]), doc["warnings"]


def test_a_very_deep_tree_is_walked(tmp_path):
    """Deeper than Python's recursion limit (within the 4,096-byte path limit). Removed here, from
    the bottom up: the standard library's rmtree recurses and would fail on it."""
    top = deep = str(tmp_path / "deep")
    os.mkdir(top)
    for _ in range(1200):
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    shutil.copy(GOOD, os.path.join(deep, "r.txt"))
    try:
        found = collect([top])
        assert [i.paths for i in found.inputs] == [(os.path.join(deep, "r.txt"),)] and not found.refused
    finally:
        os.unlink(os.path.join(deep, "r.txt"))
        while deep != top:
            os.rmdir(deep)
            deep = os.path.dirname(deep)


def test_rows_the_schema_rejects_fail_the_document_plainly(tmp_path, monkeypatch, capsys):
    real = batch.doc_rows

    def rejecting(ext):
        if ext.document["status"] != "failed":
            raise pa.ArrowInvalid("Could not convert 'x' with type str: tried to convert to int32")
        return real(ext)

    monkeypatch.setattr(batch, "doc_rows", rejecting)
    for name in ("a.txt", "b.txt"):
        shutil.copy(GOOD, tmp_path / name)
    out = tmp_path / "corpus"
    ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], out)
    row = docs(out)
    reason = "cannot write rows: a value does not fit the corpus schema (a bug: please report it with the file)"
    assert list(row.error) == [reason] and list(row.source_paths.item()) == [str(tmp_path / n) for n in ("a.txt", "b.txt")]
    assert err_lines(capsys) == [f"pia: {tmp_path}/a.txt: {reason}"]
