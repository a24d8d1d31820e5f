"""Analysis in chunks: on a local process pool or a Dask cluster, the rows are those of a run in one process."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import cloudpickle
import pandas as pd
import pytest
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from flows.analysis import (
    Extracted,
    Packed,
    analyse_documents,
    chunk_bounds,
    framed,
    handed_out,
    plan_analysis,
    pool_min_characters,
    stream_chunks,
)
from flows.cli import _run_parameters, build_parser
from flows.pipeline import Ingested, _conformed, _Run, build_warehouse
from flows.settings import CHUNK_DOCUMENTS, Settings
from transforms.ingest import Document, content_hash
from transforms.version import analysis_version
from validation.schemas import LINK_COLUMNS, METRIC_COLUMNS
from warehouse.load import LoadPlan
from warehouse.store import connect_read_only

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((PROJECT_ROOT / "seeds").glob("*.txt"))
# the task below is sent to worker processes by value: they cannot import a test module by its name
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def _doc(doc_id: str, text: str) -> Document:
    raw = text.encode()
    return Document(doc_id, f"inbox/{doc_id}.txt", content_hash(raw), "utf_8", text, len(raw))


def _seed_docs(n: int) -> list[Document]:
    """`n` distinct documents made of the seed reports, each under its own first line."""
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    return [_doc(f"report_{i:03d}", f"（汇编第{i + 1}份）\n{texts[i % len(texts)]}") for i in range(n)]


# Where and in what pieces


def test_chunks_keep_the_documents_order_and_cover_them_all() -> None:
    sizes = [5, 1, 1, 400, 1, 1, 1, 30, 2, 2] * 7
    for parts in (1, 2, 3, 8, 100):
        for most in (1, 3, 200):
            bounds = chunk_bounds(sizes, parts, most)
            assert [i for a, b in bounds for i in range(a, b)] == list(range(len(sizes)))
            assert all(0 < b - a <= most for a, b in bounds)
    assert chunk_bounds([], 4) == []
    assert len(chunk_bounds([10] * 1000, 6, 200)) == 6  # six chunks of similar size, not five and a remainder


def test_one_core_or_a_small_batch_stays_in_process_and_a_large_one_goes_to_a_pool() -> None:
    docs = _seed_docs(4)
    assert plan_analysis(docs, workers=1, min_pool_characters=0).runner is None
    assert plan_analysis(docs, workers=2).runner is None  # far below what a pool costs to start
    assert pool_min_characters(2) > pool_min_characters(8) > 0
    pooled = plan_analysis(docs, workers=2, min_pool_characters=0)
    assert isinstance(pooled.runner(), ProcessPoolTaskRunner)  # type: ignore[misc]
    assert [d for chunk in pooled.chunks for d in chunk] == docs and len(pooled.chunks) == 4
    on_dask = plan_analysis(docs, dask_address="tcp://127.0.0.1:8786", chunk_documents=3)
    assert [len(c) for c in on_dask.chunks] == [2, 2] and on_dask.runner is not None


def test_where_the_analysis_runs_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DASK_ADDRESS", "WORKERS", "CHUNK_DOCUMENTS", "POOL_MIN_CHARACTERS"):
        monkeypatch.delenv(f"REPORT_METRICS_{name}", raising=False)
    default = Settings.from_env()
    assert (default.dask_address, default.workers, default.chunk_documents, default.pool_min_characters) == (
        None,
        None,
        CHUNK_DOCUMENTS,
        None,
    )
    monkeypatch.setenv("REPORT_METRICS_DASK_ADDRESS", "tcp://10.0.0.5:8786")
    monkeypatch.setenv("REPORT_METRICS_WORKERS", "3")
    monkeypatch.setenv("REPORT_METRICS_CHUNK_DOCUMENTS", "50")
    monkeypatch.setenv("REPORT_METRICS_POOL_MIN_CHARACTERS", "0")
    given = Settings.from_env()
    assert (given.dask_address, given.workers, given.chunk_documents, given.pool_min_characters) == (
        "tcp://10.0.0.5:8786",
        3,
        50,
        0,
    )


def test_run_and_serve_take_the_cluster_from_their_option_else_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORT_METRICS_DASK_ADDRESS", "tcp://10.0.0.5:8786")
    for command in ("run", "serve"):
        given = build_parser().parse_args([command, "--dask-address", "tcp://127.0.0.1:8786"])
        assert _run_parameters(given, Settings.from_env())["dask_address"] == "tcp://127.0.0.1:8786"
        assert _run_parameters(build_parser().parse_args([command]), Settings.from_env())["dask_address"] == (
            "tcp://10.0.0.5:8786"
        )


# On a real process pool


def _rows(frame: pd.DataFrame) -> list[dict[str, object]]:
    """A frame's rows as dicts, a missing value as None whatever the column's type."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _as_rows(parts: Iterable[Extracted]) -> tuple[list[dict[str, object]], ...]:
    """The documents, metrics, links and rejections of `parts`, in order, as rows."""
    documents, metrics, links, rejections = [], [], [], []
    for part in parts:
        documents += _rows(part.documents)
        metrics += _rows(part.metrics)
        links += _rows(part.links)
        rejections += part.rejections
    return documents, metrics, links, rejections


@task(cache_policy=NO_CACHE)
def _dies_on_a_crash_document(docs: list[Document], analysis_timeout_seconds: float, extractor_version: str) -> Packed:
    """A chunk task whose worker process dies (as if killed) when its chunk holds the document `crash`."""
    if any(d.doc_id == "crash" for d in docs):
        os._exit(1)
    return Packed.of(framed(analyse_documents(docs, analysis_timeout_seconds, extractor_version)))


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_server")
def test_a_process_pool_gives_the_rows_of_one_process_and_a_dead_worker_loses_nothing() -> None:
    docs = [*_seed_docs(3), _doc("huge", "12件" * 400_000), _doc("crash", "全区458名政法干警参加了培训。")]
    chunks = [[d] for d in docs]
    here = analyse_documents(docs, analysis_timeout_seconds=1.0)
    assert [r["doc_id"] for r in here.rejections] == ["huge"] and here.rejections[0]["check_name"] == "timeout"

    pooled = _as_rows(
        stream_chunks(chunks[:4], ProcessPoolTaskRunner(max_workers=2), 1.0, analysis_version(), window=4)
    )
    # the time limit holds in a worker
    assert pooled == _as_rows([framed(analyse_documents(docs[:4], analysis_timeout_seconds=1.0))])

    done: list[int] = []
    crashed = _as_rows(
        stream_chunks(
            chunks,
            ProcessPoolTaskRunner(max_workers=2),
            1.0,
            analysis_version(),
            done.append,
            _dies_on_a_crash_document,
        )
    )
    assert crashed == _as_rows([framed(here)])  # the chunks lost with the worker were analysed again here, in order
    assert sum(done) == len(docs)


_STARTED: list[str] = []


@task(cache_policy=NO_CACHE)
def _noting_its_start(docs: list[Document], analysis_timeout_seconds: float, extractor_version: str) -> Packed:
    """A chunk task that notes which chunk started (by its first document) before analysing it."""
    _STARTED.append(docs[0].doc_id)
    return Packed.of(framed(analyse_documents(docs, analysis_timeout_seconds, extractor_version)))


@pytest.mark.usefixtures("prefect_server")
def test_chunks_stream_back_in_order_with_at_most_a_window_of_them_in_flight() -> None:
    docs = _seed_docs(10)
    chunks = [[d] for d in docs]
    _STARTED.clear()
    streamed = []
    for i, analysed in enumerate(
        stream_chunks(chunks, ThreadPoolTaskRunner(max_workers=4), 30.0, analysis_version(), None, _noting_its_start, 3)
    ):
        # chunk i is back: chunks i+1 and i+2 may be out, chunk i+3 not yet
        assert len(_STARTED) <= i + 3, (i, _STARTED)
        streamed.append(analysed)
    assert [a.documents["doc_id"].tolist() for a in streamed] == [[d.doc_id] for d in docs]
    whole = analyse_documents(docs, 30.0)
    assert _as_rows(streamed)[1] == whole.metrics


def test_the_plan_hands_its_chunks_out_in_order_and_keeps_none() -> None:
    docs = _seed_docs(3)
    plan = [[d] for d in docs]
    handing = handed_out(plan)
    first = next(handing)
    assert first == [docs[0]] and len(plan) == 2  # the plan no longer holds what it handed out
    assert [first, *handing] == [[d] for d in docs] and plan == []


def test_the_run_keeps_its_documents_without_their_texts_once_it_hands_them_over() -> None:
    docs = _seed_docs(2)
    ingested = Ingested(docs, {}, [])
    run = _Run(None, None, None, None, ingested, LoadPlan(new=[d.doc_id for d in docs]))  # type: ignore[arg-type]
    due = run.take_due()
    assert [d.text for d in due] == [d.text for d in docs] and all(d.text for d in due)
    assert [(d.doc_id, d.source_path, d.content_hash, d.text) for d in run.ingested.documents] == [
        (d.doc_id, d.source_path, d.content_hash, "") for d in docs
    ]


# The whole flow, in one process, on a pool and on a Dask cluster

_RUN_COLUMNS = ("run_id", "missing_since_run_id", "published_at", "loaded_at", "rejected_at")
# the listing of each file when it was read: when it was written decides whether its time is recorded yet
_LISTING_COLUMNS = ("file_size", "file_mtime_ns", "file_inode")


def _tables(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    """Each table's rows in the order they were loaded, without the run's ids and times."""
    with connect_read_only(warehouse) as con:
        out = {}
        for table in ("documents", "metrics", "metric_links", "rejections", "indicators"):
            columns = [r[0] for r in con.execute(f"describe {table}").fetchall()]
            kept = ", ".join(
                c for c in columns if c not in (*_RUN_COLUMNS, *_LISTING_COLUMNS) and not c.endswith("_at")
            )
            out[table] = con.execute(f"select {kept} from {table} order by rowid").fetchall()
    return out


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("parallel") / "inbox"
    folder.mkdir()
    for doc in _seed_docs(12):
        (folder / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_text("12件" * 400_000, encoding="utf-8")  # over its time limit anywhere
    return folder


@pytest.fixture(scope="module")
def in_one_process(inbox: Path, prefect_server: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("one-process") / "metrics.duckdb"
    assert build_warehouse(inbox, warehouse, analysis_timeout_seconds=2.0, workers=1).published
    return warehouse


@pytest.mark.slow
def test_a_flow_run_on_a_process_pool_publishes_the_rows_of_one_process(
    inbox: Path, in_one_process: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    summary = build_warehouse(
        inbox, warehouse, analysis_timeout_seconds=2.0, workers=2, chunk_documents=4, pool_min_characters=0
    )
    assert summary.published and summary.documents_rejected == 2
    assert _tables(warehouse) == _tables(in_one_process)


@pytest.mark.slow
def test_a_flow_run_loading_in_many_small_batches_publishes_the_rows_of_one_batch(
    inbox: Path, in_one_process: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("flows.pipeline.LOAD_DOCUMENTS", 3)  # 14 files: five batches checked and loaded in turn
    warehouse = tmp_path / "metrics.duckdb"
    summary = build_warehouse(inbox, warehouse, analysis_timeout_seconds=2.0, workers=1, chunk_documents=2)
    assert summary.published and summary.documents_rejected == 2
    assert _tables(warehouse) == _tables(in_one_process)


@pytest.mark.slow
def test_a_flow_run_on_a_dask_cluster_publishes_the_rows_of_one_process(
    inbox: Path, in_one_process: Path, tmp_path: Path
) -> None:
    from dask.distributed import LocalCluster

    warehouse = tmp_path / "metrics.duckdb"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = build_warehouse(
            inbox, warehouse, analysis_timeout_seconds=2.0, dask_address=cluster.scheduler_address, chunk_documents=4
        )
    assert summary.published and summary.documents_rejected == 2
    assert _tables(warehouse) == _tables(in_one_process)
    with connect_read_only(warehouse) as con:
        rejected = con.execute("select doc_id, check_name from rejections order by doc_id").fetchall()
    assert rejected == [("empty.txt", "empty"), ("huge.txt", "timeout")]


def test_a_chunk_travels_as_its_frames_pickled_once_and_a_chunk_without_metrics_gets_every_column() -> None:
    docs = [*_seed_docs(1), _doc("plain", "本报告没有数字。")]  # "this report has no figures"
    frames = framed(analyse_documents(docs, 30.0))
    travelled = cloudpickle.loads(cloudpickle.dumps(Packed.of(frames))).unpack()  # as a worker's result arrives
    assert _as_rows([travelled]) == _as_rows([frames]) and len(travelled.metrics) > 0

    empty = framed(analyse_documents(docs[1:], 30.0))
    assert len(empty.metrics) == 0 and list(empty.metrics.columns) == []
    conformed = _conformed(empty)
    assert tuple(conformed.metrics.columns) == METRIC_COLUMNS and tuple(conformed.links.columns) == LINK_COLUMNS
    assert _conformed(frames).metrics is frames.metrics  # rows that name every column are kept as they are
