"""The `report-metrics` command line: extract prints metrics with true offsets; run publishes and summarises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.cli import main, run_settings

SENTENCE = (
    "全区458名政法干警参加学习,结案率69.11%。"  # "All 458 officers took part in study; case closure rate 69.11%."
)


def test_extract_jsonl_offsets_point_at_the_mention(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.txt"
    report.write_text(SENTENCE, encoding="utf-8")
    assert main(["extract", "--format", "jsonl", str(report)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["mention"] for r in records} >= {"458名", "69.11%"}
    for rec in records:
        assert rec["doc_id"] == "report"
        assert SENTENCE[rec["start"] : rec["end"]] == rec["mention"]
        assert {"value", "unit", "approx", "kind", "subject"} <= rec.keys()
        assert {"indicator", "org", "region", "region_code", "period_start", "period_end", "as_of"} <= rec.keys()


def test_extract_reports_a_rejected_file_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["extract", str(empty)]) == 1
    assert "rejected (empty)" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_server")
def test_run_publishes_and_prints_a_summary(
    seed_inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "out" / "metrics.duckdb"
    assert main(["run", "--input", str(seed_inputs), "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "documents read:     2 (2 new," in out
    assert str(warehouse) in out
    assert warehouse.exists()
    parquet = tmp_path / "parquet"
    assert main(["export", "--warehouse", str(warehouse), "--out", str(parquet)]) == 0
    assert {p.name for p in parquet.iterdir()} >= {"documents.parquet", "metrics.parquet", "runs.parquet"}


def test_export_without_a_warehouse_fails_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--warehouse", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "pq")]) == 2
    assert "run `report-metrics run` first" in capsys.readouterr().err


def test_run_with_missing_input_folder_fails_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--input", str(tmp_path / "nope")]) == 2
    assert "input folder not found" in capsys.readouterr().err


def test_extract_jsonl_carries_attribution(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # "Up to now, the Shifeng district court closed 1000 cases."
    report = tmp_path / "court.txt"
    report.write_text("截至目前,石峰区人民法院结案1000件。", encoding="utf-8")
    assert main(["extract", "--format", "jsonl", str(report)]) == 0
    (rec,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rec["mention"] == "1000件"
    assert rec["org"] == "石峰区人民法院"
    assert rec["region"] == "湖南省株洲市石峰区" and rec["region_code"] == "430204"


def test_extract_output_is_utf8_for_any_file_name_and_a_fifo_is_refused_unread(
    tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    import os

    gbk = os.path.join(os.fsencode(tmp_path), "报告.txt".encode("gbk"))  # a name that is not UTF-8
    with open(gbk, "wb") as fh:
        fh.write("全区458名政法干警参加学习。".encode())
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # reading it would block forever
    status = main(["extract", "--format", "jsonl", os.fsdecode(gbk), str(fifo)])
    out, err = capfdbinary.readouterr()
    assert status == 1 and b"pipe.txt: not a regular file" in err
    (record,) = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    assert record["doc_id"] == "\\xb1\\xa8\\xb8\\xe6" and record["source_path"].endswith("\\xb1\\xa8\\xb8\\xe6.txt")
    assert record["mention"] == "458名"


def test_a_run_on_its_own_server_sends_no_heartbeats_and_one_on_a_given_server_keeps_them() -> None:
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    url = "http://127.0.0.1:4200/api"
    configured = PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value()
    assert configured is not None  # Prefect's default: every 180 s
    with temporary_settings(run_settings(url, own_server=True)):
        assert PREFECT_API_URL.value() == url and PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() is None
    with temporary_settings(run_settings(url, own_server=False)):
        assert PREFECT_API_URL.value() == url and PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() == configured
