"""End to end: the real build-warehouse flow on a real Prefect test server into temporary DuckDB files."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey, FlowRunFilter, FlowRunFilterId

import flows.pipeline
from flows.cli import main
from flows.pipeline import build_warehouse
from transforms.version import TRANSFORMS_DIR, analysis_version, compute_analysis_version
from warehouse.explorer import pages_folder
from warehouse.explorer_page import page_name
from warehouse.store import connect_read_only

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_server")]
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _bad_files(inbox: Path) -> None:
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (inbox / "truncated.txt").write_bytes("全区458名政法干警".encode()[:-1] + b"\xff\xfe\xfd")


def _counts(warehouse: Path) -> dict[str, int]:
    with connect_read_only(warehouse) as con:
        return {
            t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
            for t in ("documents", "metrics", "metric_links", "rejections", "runs")
        }


def test_flow_loads_seed_reports_and_records_bad_files(seed_inputs: Path, tmp_path: Path) -> None:
    _bad_files(seed_inputs)
    warehouse = tmp_path / "metrics.duckdb"
    summary = build_warehouse(seed_inputs, warehouse)

    assert summary.published
    assert summary.documents_read == 5
    assert summary.documents_rejected == 3
    assert summary.documents_new == 2
    with connect_read_only(warehouse) as con:
        loaded = {r[0] for r in con.execute("select doc_id from documents").fetchall()}
        assert loaded == {p.name for p in seed_inputs.glob("0*.txt")}
        per_doc = dict(con.execute("select doc_id, count(*) from metrics group by doc_id").fetchall())
        assert len(per_doc) == 2 and all(n >= 5 for n in per_doc.values())
        officers = con.execute(
            "select value, unit, kind, subject, indicator_code from metrics "
            "where mention = '458名' and doc_id like '000_%'"
        ).fetchall()
        assert officers == [(Decimal("458"), "名", "count", "政法干警", "political_legal_officers")]
        rejected = dict(con.execute("select doc_id, check_name from rejections where stage = 'ingest'").fetchall())
        assert rejected.keys() == {"empty.txt", "binary.txt", "truncated.txt"}
        assert rejected["empty.txt"] == "empty"
        # a rejected file's hash is its content_hash, not an offending value
        hashes = con.execute(
            "select content_hash, offending_value from rejections where doc_id = 'binary.txt'"
        ).fetchall()
        assert len(hashes) == 1 and len(hashes[0][0]) == 64 and hashes[0][1] is None
        run = con.execute("select flow_run_id, documents_read, documents_rejected, status from runs").fetchall()
        assert len(run) == 1 and run[0][0] is not None and run[0][1:] == (5, 3, "published")
        closure = con.execute(
            "select recomputed_from, is_consistent from consistency_checks where stated_mention = '69.11%'"
        ).fetchall()
        assert closure == [("1000件 / (1379件 + 68件)", True)]
        assert con.execute("select count(*) from documents where region_code is not null").fetchall() == [(2,)]
        # provenance: every mention is exactly the characters its offsets point at in the stored text
        mismatched = con.execute(
            "select count(*) from metrics join documents using (content_hash) "
            "where substr(documents.text, start_offset + 1, end_offset - start_offset) <> mention"
        ).fetchone()
        assert mismatched == (0,)
        flow_run_id = run[0][0]
    assert summary.explorer == str(tmp_path / "explorer.html")
    page = Path(summary.explorer).read_text(encoding="utf-8")
    documents = [p.read_text(encoding="utf-8") for p in pages_folder(Path(summary.explorer)).glob("*.html")]
    assert all(page_name(doc_id) in page for doc_id in loaded)  # the index links every document page
    assert any('data-metric-id="' in d and "458名" in d for d in documents)
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["run-summary"])),
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(str(flow_run_id))])),
        )
    assert len(artifacts) == 1 and artifacts[0].type == "markdown"
    assert "published" in str(artifacts[0].data)


def test_rerun_changes_nothing_then_follows_edits_deletions_and_version_bumps(
    seed_inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bad_files(seed_inputs)
    warehouse = tmp_path / "metrics.duckdb"
    first = build_warehouse(seed_inputs, warehouse)
    before = _counts(warehouse)
    with connect_read_only(warehouse) as con:
        ids_before = con.execute("select metric_id from metrics order by metric_id").fetchall()

    second = build_warehouse(seed_inputs, warehouse)
    assert first.metrics_loaded > 0 and second.metrics_loaded == 0
    assert (second.documents_unchanged, second.documents_new, second.documents_changed) == (2, 0, 0)
    assert second.up_to_date and not second.published  # nothing new: nothing published, not even a runs row
    assert _counts(warehouse) == before
    with connect_read_only(warehouse) as con:
        assert con.execute("select metric_id from metrics order by metric_id").fetchall() == ids_before

    # edit one report, delete the other
    seeds = sorted(seed_inputs.glob("0*.txt"))
    seeds[0].write_text("全市法院新收案件1400件,结案1200件。", encoding="utf-8")
    seeds[1].unlink()
    third = build_warehouse(seed_inputs, warehouse)
    assert (third.documents_changed, third.documents_missing, third.metrics_loaded) == (1, 1, 2)
    with connect_read_only(warehouse) as con:
        status = dict(con.execute("select doc_id, status from documents").fetchall())
        assert status == {seeds[0].name: "current", seeds[1].name: "missing"}
        edited = con.execute("select mention from metrics where doc_id = ? order by start_offset", [seeds[0].name])
        assert edited.fetchall() == [("1400件",), ("1200件",)]
        assert con.execute("select count(*) from metrics where doc_id = ?", [seeds[1].name]).fetchall()[0][0] > 0

    # an edited lexicon file is a new analysis version: every current document is analysed again
    edited_tree = tmp_path / "transforms"
    shutil.copytree(TRANSFORMS_DIR, edited_tree, ignore=shutil.ignore_patterns("__pycache__"))
    units = edited_tree / "lexicon" / "units.json"
    units.write_text(units.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited_version = compute_analysis_version(edited_tree)
    assert edited_version != analysis_version()
    monkeypatch.setattr(flows.pipeline, "analysis_version", lambda: edited_version)
    fourth = build_warehouse(seed_inputs, warehouse)
    assert (fourth.documents_reextracted, fourth.documents_unchanged) == (1, 0)
    with connect_read_only(warehouse) as con:
        versions = con.execute("select extractor_version from documents where status = 'current'").fetchall()
        assert versions == [(edited_version,)]
        assert con.execute("select count(*) from runs").fetchall() == [(3,)]


# "This year the district court received 1379 new cases and closed 1000; the closure rate was 69.11%."
SMALL_REPORT = "今年以来,区法院新收案件1379件,结案1000件,结案率69.11%。"
# "The closure rate was 350% and the mediation rate 420%": rates no report can have, which fail validation.
IMPLAUSIBLE_REPORT = "今年以来,区法院结案率350%,调解率420%。"


def test_too_many_failing_rows_refuses_to_publish_and_the_cli_fails(
    seed_inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    assert build_warehouse(seed_inputs, warehouse).published
    published = warehouse.read_bytes()
    # A new file whose two rates are out of any plausible range: two of the three rows this run checked fail.
    inbox = tmp_path / "new-inbox"
    inbox.mkdir()
    (inbox / "court.txt").write_text(IMPLAUSIBLE_REPORT, encoding="utf-8")
    summary = build_warehouse(inbox, warehouse, max_failure_share=0.05)
    assert not summary.published and summary.reason and "failed validation" in summary.reason
    assert summary.failure_share > 0.05
    assert warehouse.read_bytes() == published

    monkeypatch.setenv("REPORT_METRICS_MAX_FAILURE_SHARE", "0.05")
    assert main(["run", "--input", str(inbox), "--warehouse", str(warehouse)]) == 1
    assert "NOT published" in capsys.readouterr().err
    assert warehouse.read_bytes() == published

    # Within the limit, the same input publishes: the document is loaded, its two rates recorded as rejected rows.
    assert build_warehouse(inbox, warehouse, max_failure_share=0.9).published
    with connect_read_only(warehouse) as con:
        rejected = con.execute(
            "select doc_id, offending_value from rejections where check_name = 'percent_in_plausible_range' "
            "order by offending_value"
        ).fetchall()
        loaded = con.execute("select doc_id from documents where doc_id like 'court%'").fetchall()
    assert [doc_id for doc_id, _ in rejected] == ["court.txt", "court.txt"] and loaded == [("court.txt",)]


def test_copy_of_a_loaded_report_is_recorded_as_a_duplicate(seed_inputs: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    assert build_warehouse(seed_inputs, warehouse).published
    original = next(seed_inputs.glob("000_*.txt"))
    (seed_inputs / "copy of report.txt").write_bytes(original.read_bytes())
    summary = build_warehouse(seed_inputs, warehouse)
    assert summary.published and summary.documents_rejected == 1 and summary.documents_changed == 0
    with connect_read_only(warehouse) as con:
        assert con.execute("select doc_id, check_name, reason from rejections").fetchall() == [
            ("copy of report.txt", "duplicate_content", f"same content as {original.name}, already loaded")
        ]
        assert con.execute("select count(*) from documents where status = 'current'").fetchone() == (2,)


_KILLED_LOAD = """
import sys, time
from pathlib import Path
from flows.pipeline import extract, validate
from transforms.ingest import list_inputs, read_document
from transforms.indicators import load_catalog
from transforms.rows import rejection_frame
from warehouse.load import indicator_frame, load_run
from warehouse.store import publish

inbox, target = Path(sys.argv[1]), Path(sys.argv[2])
docs = [read_document(p) for p in list_inputs(inbox)]
extracted = extract.fn(docs)
validated = validate.fn(extracted, {d.doc_id: d.source_path for d in docs})

def write(con):
    run = {"run_id": "killed", "flow_run_id": None, "started_at": __import__("datetime").datetime(2026, 1, 1),
           "status": "published", "documents_read": 2, "documents_new": 2, "documents_changed": 0,
           "documents_reextracted": 0, "documents_unchanged": 0, "documents_rejected": 0,
           "metrics_loaded": len(validated.metrics), "rows_rejected": 0, "failure_share": 0.0,
           "max_failure_share": 0.05, "extractor_version": "x", "catalog_version": "x"}
    load_run(con, run, validated.documents, validated.metrics, validated.links, rejection_frame([]),
             [d.doc_id for d in docs], indicator_frame(load_catalog()))
    print("loaded", flush=True)
    time.sleep(600)  # killed here: rows written into the copy, not yet published

publish(target, write)
"""


def test_run_killed_mid_load_leaves_the_published_version_and_the_next_run_succeeds(
    seed_inputs: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    assert build_warehouse(seed_inputs, warehouse).published
    published = warehouse.read_bytes()
    seeds = sorted(seed_inputs.glob("0*.txt"))
    seeds[0].write_text("全市法院新收案件1400件,结案1200件。", encoding="utf-8")

    loader = subprocess.Popen(
        [sys.executable, "-c", _KILLED_LOAD, str(seed_inputs), str(warehouse)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert loader.stdout is not None
    try:
        assert loader.stdout.readline().strip() == "loaded"
        with connect_read_only(warehouse) as reader:  # readers are not blocked by the held run
            assert reader.execute("select count(*) from runs").fetchall() == [(1,)]
    finally:
        os.kill(loader.pid, signal.SIGKILL)
        loader.wait(timeout=30)
    assert warehouse.read_bytes() == published

    summary = build_warehouse(seed_inputs, warehouse)
    assert summary.published and summary.documents_changed == 1
    with connect_read_only(warehouse) as con:
        assert con.execute("select count(*) from runs where run_id = 'killed'").fetchall() == [(0,)]
        assert con.execute("select count(*) from runs").fetchall() == [(2,)]
    # the dead run's building copy is gone; what is left is the input, the warehouse and its explorer
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [
        "explorer.html",
        "explorer.html.pages",
        "inbox",
        "metrics.duckdb",
    ]


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_corrupt_warehouse_is_refused_clearly_then_rebuilt(seed_inputs: Path, tmp_path: Path, damage: str) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    assert build_warehouse(seed_inputs, warehouse).published
    if damage == "truncate":
        with warehouse.open("r+b") as fh:
            fh.truncate(warehouse.stat().st_size // 3)
    else:
        warehouse.write_bytes(b"not a database at all\n" * 100)
    broken = warehouse.read_bytes()

    refused = build_warehouse(seed_inputs, warehouse)
    assert not refused.published
    assert refused.reason is not None and "report-metrics run --rebuild" in refused.reason
    assert warehouse.read_bytes() == broken

    rebuilt = build_warehouse(seed_inputs, warehouse, rebuild=True)
    assert rebuilt.published and rebuilt.documents_new == 2
    assert [p.read_bytes() for p in tmp_path.glob("metrics.duckdb.broken-*")] == [broken]
    with connect_read_only(warehouse) as con:
        assert con.execute("select count(*) from documents").fetchone() == (2,)
        assert con.execute("select count(*) from runs").fetchone() == (1,)


def test_missing_input_folder_publishes_nothing(seed_inputs: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    assert build_warehouse(seed_inputs, warehouse).published
    before = warehouse.read_bytes()
    summary = build_warehouse(tmp_path / "unmounted-inbox", warehouse)
    assert not summary.published
    assert summary.reason is not None and "does not exist" in summary.reason
    assert warehouse.read_bytes() == before  # the documents were not marked missing
