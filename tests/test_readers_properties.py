"""Property-based harness for the text readers: any bytes give a Source or a one-line InputError,
never another exception; Japanese text survives every supported encoding; the text layout keeps
every line's source number; a whole document from arbitrary text never raises."""
from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.model import InputError, Source
from parsers.read.readers import source_from_bytes
from parsers.read.text_layout import text_layout
from pipeline.ingest.process import process_source

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Report-like text: kana, kanji, ASCII, full-width forms, form markers, line breaks.
JAPANESE = st.text(alphabet=st.sampled_from(list(
    "あいうえおかきくけこのをにはがでとした特定個人情報保護評価書基本事務名称対象人数"
    "アイウエオシステムファイル０１２３①②③［］（）、。・ abcXYZ019[]()\n")), min_size=20, max_size=400)
REPORTISH = st.lists(st.sampled_from([
    "特定個人情報保護評価書（全項目評価書）", "Ⅰ 基本情報", "1.特定個人情報ファイルを取り扱う事務",
    "①事務の名称", "住民基本台帳に関する事務", "③対象人数", "[ 30万人以上 ]", "＜選択肢＞",
    "Ⅱ 特定個人情報ファイルの概要", "Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策",
    "<p>", "<input checked>", "| --- |", "\t", "システム1", "[ 十分である ]", "", "Ⅵ 評価実施手続",
]), max_size=80).map("\n".join)


def _kana_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    return sum("\u3040" <= c <= "\u30ff" for c in chars) / max(1, len(chars))


@FAST
@given(st.binary(max_size=3000))
def test_any_bytes_give_a_source_or_a_one_line_reason(data):
    try:
        src = source_from_bytes("x", data)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert src.format == "pdf" or (src.text and src.text.strip())
    if src.text is not None:
        src.text.encode("utf-8")  # no lone surrogates reach the layout


@FAST
@given(JAPANESE, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp932"]))
def test_japanese_text_survives_each_encoding(text, encoding):
    if not text.strip() or _kana_share(text) < 0.3:
        return  # too little text to tell an encoding from (a BOM-less UTF-16 guess needs kana)
    src = source_from_bytes("x", text.encode(encoding))
    assert src.text == text.removeprefix("\ufeff")


@FAST
@given(st.text(max_size=2000), st.booleans())
def test_layout_keeps_source_line_numbers(text, markdown):
    src = Source("x", b"", "0" * 64, "markdown" if markdown else "text", text=text)
    lines = text_layout(src).lines
    numbers = [ln.no for ln in lines]
    assert numbers == sorted(numbers)
    assert all(1 <= n <= max(1, len(text.splitlines())) for n in numbers)
    assert all("\n" not in ln.text for ln in lines)


@SLOW
@given(st.one_of(REPORTISH, st.text(max_size=500)))
def test_a_document_from_any_text_is_read_or_refused_plainly(text):
    data = text.encode("utf-8", errors="surrogatepass")
    src = Source("x", data, hashlib.sha256(data).hexdigest(), "text", text=text)
    try:
        ext = process_source(src)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert ext.document["status"] in {"ok", "partial"}
