"""Property: whatever bytes a file holds, ingestion gives a document or a rejection with a reason (never a
crash), and a document's metrics always point at real characters of its text."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from transforms.extract import extract_metrics
from transforms.ingest import Document, Rejection, read_document

REPORTISH = st.text(
    alphabet=st.sampled_from(
        list("0123456789.,%万亿余多近约共全区名件次人第一二三四五十百千率同比上升下降增长减少 \n，。、")
    )
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"])


def _ingest(raw: bytes, suffix: str = ".txt") -> Document | Rejection:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc{suffix}"
        path.write_bytes(raw)
        return read_document(path)


def _check(result: Document | Rejection) -> None:
    if isinstance(result, Rejection):
        assert result.stage == "ingest" and result.check and result.reason
        return
    for m in extract_metrics(result.text):
        assert 0 <= m.start < m.end <= len(result.text)
        assert result.text[m.start : m.end] == m.mention
        assert math.isfinite(m.value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".html"]))
def test_random_bytes_become_a_document_or_a_rejection(raw: bytes, suffix: str) -> None:
    _check(_ingest(raw, suffix))


@settings(max_examples=150, deadline=None)
@given(text=st.one_of(st.text(max_size=500), REPORTISH), encoding=ENCODINGS)
@example(text="0\x00", encoding="utf-8")  # also BOM-less UTF-16-LE for "0": too short to read as UTF-16
@example(text="结案1000件", encoding="utf-16")
def test_random_text_in_any_supported_encoding(text: str, encoding: str) -> None:
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        raw = text.encode("utf-8")
    result = _ingest(raw)
    _check(result)
    if isinstance(result, Document) and encoding.startswith("utf"):
        # Unicode encodings are never misread: what was written is what is loaded
        assert result.text == text.removeprefix("\ufeff")
