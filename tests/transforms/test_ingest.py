"""Decoding report bytes: what becomes a document, and what is rejected with which reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.ingest import DecodeError, Document, Rejection, decode_bytes, list_inputs, read_document

TEXT = "全区458名政法干警参加学习。"  # "All 458 political-legal officers of the district took part in study."


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        pytest.param(TEXT.encode("utf-8"), "utf_8", id="utf8"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf_8_sig", id="utf8_bom"),
        pytest.param(TEXT.encode("utf-16"), "utf_16", id="utf16_bom"),
        pytest.param((TEXT * 4).encode("gb18030"), "gb18030", id="gb18030"),
    ],
)
def test_decodes_common_encodings_to_the_same_text(raw: bytes, encoding: str) -> None:
    text, detected = decode_bytes(raw)
    assert text.startswith(TEXT)
    assert detected == encoding


@pytest.mark.parametrize(
    ("raw", "check"),
    [
        pytest.param(b"", "empty", id="empty_file"),
        pytest.param(b" \n\t\n", "empty", id="whitespace_only"),
        pytest.param(bytes(range(256)) * 8, "binary", id="binary_with_nul"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)) * 3, "decode", id="png_header_no_nul"),
    ],
)
def test_rejects_what_is_not_text(raw: bytes, check: str) -> None:
    with pytest.raises(DecodeError) as err:
        decode_bytes(raw)
    assert err.value.check in {check, "binary", "decode"}
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
