"""A document whose analysis runs past its time limit is rejected with check `timeout`; the others are read."""

from __future__ import annotations

import time

from flows.pipeline import extract
from transforms.ingest import Document, content_hash


def _doc(doc_id: str, text: str) -> Document:
    raw = text.encode()
    return Document(doc_id, f"inbox/{doc_id}.txt", content_hash(raw), "utf_8", text, len(raw))


def test_a_document_over_its_time_limit_is_rejected_and_the_others_are_read() -> None:
    small = _doc("small", "全区458名政法干警参加了培训。")  # 458 officers took part in training
    huge = _doc("huge", "12件" * 400_000)  # 1.2 million characters, each three a metric: far over one second
    t0 = time.monotonic()
    extracted = extract.fn([huge, small], analysis_timeout_seconds=1.0)
    elapsed = time.monotonic() - t0
    assert [r["doc_id"] for r in extracted.rejections] == ["huge"]
    rejection = extracted.rejections[0]
    assert rejection["check_name"] == "timeout" and rejection["stage"] == "extract"
    assert "1 s" in str(rejection["reason"])
    assert list(extracted.documents["doc_id"]) == ["small"]
    assert list(extracted.metrics["mention"]) == ["458名"]
    assert elapsed < 30  # the huge document was cut short, not read to its end
