"""Inputs that used to stop or corrupt a run, end to end on the real flow: non-UTF-8 names, the same bytes twice,
colliding names, symbolic links out of the folder, FIFOs, looping links and folders named like files."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey, FlowRunFilter, FlowRunFilterId

from flows.pipeline import build_warehouse
from warehouse.explorer import pages_folder
from warehouse.store import connect_read_only

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_server")]

# "This year the district court received 1379 new cases and closed 1000; the closure rate was 69.11%."
COURT = "今年以来,区法院新收案件1379件,结案1000件,结案率69.11%。"
# "The district's 458 political-legal officers took part in study."
OFFICERS = "全区458名政法干警参加学习教育。"
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>纪实</title></head><body><div class='article'>"
    "<h1>教育整顿纪实</h1><p>区委统筹全区312名政法干警,开展集中学习教育共227场次,为民办实事600余件次。</p>"
    "</div></body></html>"
)
SECRET = "root:x:0:0:SECRET-LINE-4711"


def _awkward_inbox(seed_inputs: Path, tmp_path: Path) -> Path:
    inbox = seed_inputs
    with open(os.path.join(os.fsencode(inbox), "报告.txt".encode("gbk")), "wb") as fh:  # a GBK-encoded file name
        fh.write(COURT.encode("utf-8"))
    seed = next(inbox.glob("000_*.txt"))
    (inbox / "copies").mkdir()
    shutil.copyfile(seed, inbox / "copies" / "seed copy.txt")  # the same bytes under a second name
    for folder, text in (("a", COURT + "另"), ("b", OFFICERS)):
        (inbox / folder).mkdir()
        (inbox / folder / "same.txt").write_text(text, encoding="utf-8")
    (inbox / "twin.txt").write_text(OFFICERS + "又", encoding="utf-8")
    (inbox / "twin.html").write_text(PAGE, encoding="utf-8")
    secret = tmp_path / "passwd"
    secret.write_text(SECRET + "\n" + "全区9名政法干警。\n", encoding="utf-8")
    (inbox / "passwd.txt").symlink_to(secret)
    os.mkfifo(inbox / "pipe.txt")
    (inbox / "loop.txt").symlink_to(inbox / "loop.txt")
    (inbox / "x.txt").mkdir()
    return inbox


def test_awkward_inputs_are_loaded_or_recorded_and_the_run_publishes(seed_inputs: Path, tmp_path: Path) -> None:
    inbox = _awkward_inbox(seed_inputs, tmp_path)
    warehouse = tmp_path / "metrics.duckdb"
    summary = build_warehouse(inbox, warehouse)
    assert summary.published, summary.reason
    with connect_read_only(warehouse) as con:
        loaded = {r[0] for r in con.execute("select doc_id from documents where status = 'current'").fetchall()}
        seeds = {p.name for p in seed_inputs.glob("0*.txt")}
        assert loaded == seeds | {"\\xb1\\xa8\\xb8\\xe6.txt", "a/same.txt", "b/same.txt", "twin.txt", "twin.html"}
        per_doc = dict(con.execute("select doc_id, count(*) from metrics group by doc_id").fetchall())
        assert all(per_doc.get(doc_id, 0) > 0 for doc_id in loaded)  # every loaded copy kept its metrics
        source = con.execute("select source_path from documents where doc_id like '%xb1%'").fetchall()
        assert source[0][0].endswith("\\xb1\\xa8\\xb8\\xe6.txt")
        rejected = {
            r[0]: r[1:]
            for r in con.execute(
                "select doc_id, stage, check_name, content_hash, offending_value from rejections"
            ).fetchall()
        }
    assert rejected.keys() == {"copies/seed copy.txt", "passwd.txt", "pipe.txt", "loop.txt", "x.txt"}
    seed_hash = hashlib.sha256(next(seed_inputs.glob("000_*.txt")).read_bytes()).hexdigest()
    assert rejected["copies/seed copy.txt"] == ("plan", "duplicate_content", seed_hash, None)
    assert rejected["passwd.txt"][1] == "symlink_outside"
    assert rejected["pipe.txt"][1] == "not_a_file" and rejected["x.txt"][1] == "not_a_file"
    assert rejected["loop.txt"][1] == "symlink_loop"
    entry = Path(summary.explorer or "")
    for page in [entry, *pages_folder(entry).iterdir()]:  # the entry page and every document page
        assert SECRET not in page.read_text(encoding="utf-8")
    assert summary.documents_rejected == 5

    with get_client(sync_client=True) as client:
        with connect_read_only(warehouse) as con:
            flow_run_id = con.execute("select flow_run_id from runs").fetchall()[0][0]
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["run-progress"])),
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(str(flow_run_id))])),
        )
    assert len(artifacts) == 1 and artifacts[0].type == "progress" and float(str(artifacts[0].data)) == 100.0


def test_symlinks_out_of_the_folder_are_read_when_the_operator_allows_it(seed_inputs: Path, tmp_path: Path) -> None:
    secret = tmp_path / "shared-report.txt"
    secret.write_text(OFFICERS + "共", encoding="utf-8")
    (seed_inputs / "shared.txt").symlink_to(secret)
    warehouse = tmp_path / "metrics.duckdb"
    assert build_warehouse(seed_inputs, warehouse, follow_symlinks_outside=True).published
    with connect_read_only(warehouse) as con:
        assert con.execute("select count(*) from documents where doc_id = 'shared.txt'").fetchall() == [(1,)]
        assert con.execute("select count(*) from rejections").fetchall() == [(0,)]


def test_a_warehouse_inside_its_input_folder_never_reads_itself_back(seed_inputs: Path) -> None:
    warehouse = seed_inputs / "metrics.duckdb"
    first = build_warehouse(seed_inputs, warehouse)
    assert first.published and (seed_inputs / "explorer.html").exists()
    second = build_warehouse(seed_inputs, warehouse)
    assert (second.documents_new, second.documents_changed, second.documents_rejected) == (0, 0, 0)
    assert second.metrics_total == first.metrics_total
    with connect_read_only(warehouse) as con:
        ids = {doc_id for (doc_id,) in con.execute("select doc_id from documents").fetchall()}
        assert ids == {p.name for p in seed_inputs.glob("*.txt")}
        assert con.execute("select count(*) from rejections").fetchall() == [(0,)]
