"""A document whose analysis runs past its time limit is rejected with check `timeout`; the others are read."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from flows.pipeline import ANALYSIS_TIMEOUT_SECONDS, build_warehouse, extract
from flows.settings import Settings
from transforms.ingest import Document, content_hash
from warehouse.store import connect_read_only


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


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_server")
def test_a_flow_run_rejects_the_document_over_its_limit_and_publishes_the_others(
    seed_inputs: Path, tmp_path: Path
) -> None:
    seeds = sorted(p.name for p in seed_inputs.glob("*.txt"))
    (seed_inputs / "huge.txt").write_text("12件" * 400_000, encoding="utf-8")  # 1.2 million characters
    warehouse = tmp_path / "metrics.duckdb"
    t0 = time.monotonic()
    summary = build_warehouse(seed_inputs, warehouse, analysis_timeout_seconds=2.0)
    elapsed = time.monotonic() - t0
    assert summary.published
    with connect_read_only(warehouse) as con:
        rejected = con.execute("select doc_id, stage, check_name, reason from rejections").fetchall()
        loaded = sorted(r[0] for r in con.execute("select doc_id from documents").fetchall())
        huge_metrics = con.execute("select count(*) from metrics where doc_id = 'huge.txt'").fetchone()
    assert [r[:3] for r in rejected] == [("huge.txt", "extract", "timeout")]
    assert "2 s" in rejected[0][3]
    assert loaded == seeds and huge_metrics == (0,)
    assert elapsed < 120  # the huge document was cut short, not read to its end


def test_the_limit_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REPORT_METRICS_ANALYSIS_TIMEOUT_SECONDS", raising=False)
    assert Settings.from_env().analysis_timeout_seconds == ANALYSIS_TIMEOUT_SECONDS
    monkeypatch.setenv("REPORT_METRICS_ANALYSIS_TIMEOUT_SECONDS", "2.5")
    assert Settings.from_env().analysis_timeout_seconds == 2.5
