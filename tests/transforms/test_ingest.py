"""Decoding report bytes: what becomes a document, and what is rejected with which reason."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from transforms.ingest import DecodeError, Document, Rejection, decode_bytes, list_inputs, read_document

TEXT = "全区458名政法干警参加学习。"  # "All 458 political-legal officers of the district took part in study."
TRAD = "全區458名政法幹警參加學習,結案率69.11%。"  # the same, in traditional characters, plus "closure rate 69.11%"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        pytest.param(TEXT.encode("utf-8"), "utf_8", id="utf8"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf_8_sig", id="utf8_bom"),
        pytest.param(TEXT.encode("utf-16"), "utf_16", id="utf16_bom"),
        pytest.param((TEXT * 4).encode("gb18030"), "gb18030", id="gb18030"),
        pytest.param((TEXT * 4).encode("gbk"), "gb18030", id="gbk_read_as_its_superset"),
        pytest.param(TEXT.encode("utf-16-le"), "utf_16_le", id="utf16_without_bom"),
    ],
)
def test_decodes_common_encodings_to_the_same_text(raw: bytes, encoding: str) -> None:
    text, detected = decode_bytes(raw)
    assert text.startswith(TEXT)
    assert detected == encoding


def test_decodes_big5_traditional_text() -> None:
    text, detected = decode_bytes(TRAD.encode("big5"))
    assert (text, detected) == (TRAD, "big5")


@pytest.mark.parametrize(
    ("raw", "check"),
    [
        pytest.param(b"", "empty", id="empty_file"),
        pytest.param(b" \n\t\n", "empty", id="whitespace_only"),
        pytest.param(bytes(range(256)) * 8, "binary", id="binary_with_nul"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)) * 3, "decode", id="png_header_no_nul"),
        pytest.param(TEXT.encode("utf-8")[:-2], "truncated", id="utf8_cut_mid_character"),
    ],
)
def test_rejects_what_is_not_text(raw: bytes, check: str) -> None:
    with pytest.raises(DecodeError) as err:
        decode_bytes(raw)
    assert err.value.check == check
    assert str(err.value)


def test_read_document_keeps_identity_and_offsets(tmp_path: Path) -> None:
    path = tmp_path / "报告 one.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    doc = read_document(path)
    assert isinstance(doc, Document)
    assert doc.doc_id == "报告 one"
    assert doc.text == TEXT
    assert len(doc.content_hash) == 64
    assert doc.byte_count == len(TEXT.encode("utf-8"))


def test_read_document_rejects_with_reason(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = read_document(path)
    assert isinstance(result, Rejection)
    assert (result.stage, result.check, result.doc_id) == ("ingest", "empty", "empty")
    assert "empty" in result.reason


def test_list_inputs_is_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", ".hidden.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in list_inputs(tmp_path)] == ["a.txt", "b.txt"]


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>教育整顿纪实</title></head><body>
<nav><a href="/">首页</a></nav><div class="article"><h1>教育整顿纪实</h1>
<p>区委统筹全区458名政法干警,开展集中学习教育共227场次,结案率69.11%。为民办实事6000余件次,群众满意。</p>
</div><footer>Copyright 2021 版权所有 湘ICP备12003456号-1 电话:0731-22841234</footer></body></html>"""


def test_html_page_keeps_main_text_and_drops_footer(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = read_document(path)
    assert isinstance(doc, Document)
    assert doc.media_type == "text/html"
    assert "458名政法干警" in doc.text
    assert "ICP" not in doc.text and "0731" not in doc.text and "<p>" not in doc.text


def test_file_over_size_limit_is_rejected_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text(TEXT * 100, encoding="utf-8")
    result = read_document(path, max_bytes=1000)
    assert isinstance(result, Rejection)
    assert result.check == "too_large"
    assert result.value == str(path.stat().st_size)


@pytest.mark.parametrize("name", ["with space.txt", "quote'and\"double.txt", "石峰区 报告(2021).txt"])
def test_awkward_file_names_load(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(TEXT, encoding="utf-8")
    doc = read_document(path)
    assert isinstance(doc, Document)
    assert doc.doc_id == path.stem


def test_file_briefly_missing_while_saved_is_read_after_a_retry(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    listed = list_inputs(tmp_path)
    path.unlink()  # an editor or copier replaces the file: for a moment it is not there
    restore = threading.Timer(0.3, lambda: path.write_text(TEXT, encoding="utf-8"))
    restore.start()
    try:
        doc = read_document(listed[0])
    finally:
        restore.join()
    assert isinstance(doc, Document)
    assert doc.text == TEXT


def test_file_gone_for_good_is_rejected_with_the_reason(tmp_path: Path) -> None:
    result = read_document(tmp_path / "vanished.txt")
    assert isinstance(result, Rejection)
    assert result.check == "read"
    assert "No such file" in result.reason and "tried 4 times" in result.reason
