"""Format detection by content and text decoding."""
import random

import pytest

from parsers.model import InputError
from parsers.read.readers import read_source, source_from_bytes

from .conftest import seed

SNIPPET = " ①事務の名称 国民健康保険に関する事務\n ③対象人数 [ 10万人以上30万人未満 ]\n＜選択肢＞\n1) 1,000人未満\n"


def test_seed_formats_detected_by_content():
    # all seeds are named .txt; 003 is a markdown/HTML conversion
    assert read_source(seed("003")).format == "markdown"
    for n in ("000", "001", "002", "004"):
        assert read_source(seed(n)).format == "text"


def test_pdf_detected_by_magic_whatever_the_name(tmp_path):
    p = tmp_path / "report.txt"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert read_source(p).format == "pdf"


@pytest.mark.parametrize(
    "encoding,raw",
    [
        ("utf-8", SNIPPET.encode("utf-8")),
        ("utf-8-sig", b"\xef\xbb\xbf" + SNIPPET.encode("utf-8")),
        ("cp932", SNIPPET.encode("cp932")),
        ("utf-16", SNIPPET.encode("utf-16")),  # with BOM
        ("utf-16-le", SNIPPET.encode("utf-16-le")),
        ("utf-16-be", SNIPPET.encode("utf-16-be")),
    ],
)
def test_text_decoded_in_each_encoding(encoding, raw):
    src = source_from_bytes("x.txt", raw)
    assert src.text == SNIPPET
    assert src.format == "text"
    assert src.encoding == encoding


def test_doc_id_is_prefix_of_sha256():
    src = source_from_bytes("x.txt", SNIPPET.encode())
    assert len(src.doc_id) == 16 and src.sha256.startswith(src.doc_id)


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (random.Random(7).randbytes(5000), "binary data"),
        (b"\x00\x01\x02\x03" * 500 + "特定個人情報".encode(), "binary data"),
    ],
)
def test_bad_bytes_rejected_with_reason(data, reason):
    with pytest.raises(InputError, match=reason):
        source_from_bytes("bad.bin", data)


def test_unreadable_path_rejected(tmp_path):
    with pytest.raises(InputError, match="cannot read file"):
        read_source(tmp_path / "missing.pdf")
    with pytest.raises(InputError, match="not a regular file: a folder"):
        read_source(tmp_path)


def test_page_numbers_and_the_header_beside_them_are_dropped_with_their_line_numbers_kept():
    from parsers.model import Line
    from parsers.read.text_layout import without_page_furniture

    page = ["(1)", "地方税事務 全項目評価書", "①事務の名称", "地方税事務", "1 / 3",
            "(2)", "地方税事務 全項目評価書", "-", "なし", "2 / 3",
            "(3)", "地方税事務 全項目評価書", "-", "3 / 3"]
    lines = [Line(no=n, text=t) for n, t in enumerate(page, 1)]
    kept = without_page_furniture(lines)
    assert [ln.text for ln in kept] == ["①事務の名称", "地方税事務", "-", "なし", "-"]
    assert [ln.no for ln in kept] == [3, 4, 8, 9, 13]


def test_a_line_beside_a_few_page_numbers_by_chance_is_kept():
    from parsers.model import Line
    from parsers.read.text_layout import without_page_furniture

    page = ["1 / 8", "-", "a", "2 / 8", "-", "b", "3 / 8", "-", "c", "4 / 8", "x", "5 / 8", "y", "6 / 8", "z",
            "7 / 8", "w", "8 / 8"]
    kept = [ln.text for ln in without_page_furniture([Line(no=n, text=t) for n, t in enumerate(page, 1)])]
    assert kept.count("-") == 3
