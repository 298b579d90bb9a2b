"""Inputs that cannot be ingested fail with a short ``InputError`` reason on both backends."""
from __future__ import annotations

import hashlib

import pytest

from parsers.model import InputError, Source
from parsers.read.pdf_reader import read_pdf_layout
from tests import pdfgen
from tests.pdf_records import cover

BACKENDS = ["pdfium", "pdfplumber"]


def read(pdf: bytes, backend: str):
    return read_pdf_layout(Source("bad.pdf", pdf, hashlib.sha256(pdf).hexdigest(), "pdf"), backend)


@pytest.fixture(scope="module")
def good() -> bytes:
    return pdfgen.render([cover()]).pdf


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("make, reason", [
    (lambda good: pdfgen.encrypted(), "encrypted PDF"),
    (lambda good: pdfgen.scanned(), "no text layer"),
    (lambda good: pdfgen.without_tounicode(), "no ToUnicode map: text not extractable"),
    (lambda good: pdfgen.truncated(good), "corrupt PDF: truncated"),
    (lambda good: b"<html>not a pdf</html>", "corrupt PDF: no PDF header"),
])
def test_bad_input_reason(good, make, reason, backend):
    with pytest.raises(InputError) as err:
        read(make(good), backend)
    assert str(err.value).startswith(reason)


def test_owner_password_only_is_readable():
    """Permissions-only encryption (empty user password) does not stop the pdfium backend.
    pdfminer cannot map that file's CID text to Unicode, so the reference backend says so."""
    pdf = pdfgen.encrypted("評価書番号", password="")
    assert [ln.text for ln in read(pdf, "pdfium").lines] == ["評価書番号"]
    with pytest.raises(InputError, match="no ToUnicode map"):
        read(pdf, "pdfplumber")


def test_unknown_backend(good):
    with pytest.raises(ValueError):
        read(good, "ocr")
