"""The build-warehouse flow: report files → decoded documents → metrics → validated frames → published DuckDB.

Tasks are coarse (one per stage, each over the whole batch of documents); the flow only sequences them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from transforms.extract import EXTRACTOR_VERSION, extract_metrics

from transforms.ingest import Document, Rejection, list_inputs, read_document
from transforms.rows import (
    METRIC_COLUMNS,
    document_rows,
    frame,
    metric_rows,
    rejection_rows,
)
from validation.schemas import Documents, ExtractedMetrics, gate
from warehouse.load import load_run
from warehouse.store import publish


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What one run did: documents read and rejected, metrics loaded, and whether it published."""

    run_id: str
    documents_read: int
    documents_rejected: int
    metrics_loaded: int
    rows_rejected: int
    published: bool
    warehouse: str
    reason: str | None = None


# Extract


@task(cache_policy=NO_CACHE)
def ingest(input_dir: Path) -> tuple[list[Document], list[Rejection]]:
    """Read and decode every report file under `input_dir`; unreadable ones become rejections."""
    docs: list[Document] = []
    rejected: list[Rejection] = []
    for path in list_inputs(input_dir):
        result = read_document(path)
        (docs if isinstance(result, Document) else rejected).append(result)
    return docs, rejected


# Transform


@task(cache_policy=NO_CACHE)
def extract(docs: list[Document]) -> tuple[list[Document], pd.DataFrame, list[Rejection]]:
    """Extract the metrics of every document; a document whose extraction fails is rejected, not the batch."""
    kept: list[Document] = []
    rows: list[dict[str, object]] = []
    rejected: list[Rejection] = []
    for doc in docs:
        try:
            rows.extend(metric_rows(doc, extract_metrics(doc.text)))
        except Exception as exc:  # one bad document must not stop the others
            rejected.append(Rejection(doc.doc_id, doc.source_path, "extract", type(exc).__name__, str(exc)))
            continue
        kept.append(doc)
    return kept, frame(rows, METRIC_COLUMNS), rejected


@task(cache_policy=NO_CACHE)
def validate(
    docs: list[Document], metrics: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, list[Rejection]]:
    """Gate documents and metrics through their schemas; failing rows become rejections with check and value."""
    by_id = {d.doc_id: d for d in docs}
    documents = document_rows(docs)
    doc_gate = gate(documents, Documents)
    metric_gate = gate(metrics, ExtractedMetrics)
    rejected: list[Rejection] = []
    for source, result in ((documents, doc_gate), (metrics, metric_gate)):
        for failure in result.failures.itertuples(index=False):
            doc_id = str(source.at[failure.index, "doc_id"]) if failure.index in source.index else ""
            doc = by_id.get(doc_id)
            rejected.append(
                Rejection(
                    doc_id,
                    doc.source_path if doc else "",
                    "validate",
                    str(failure.check),
                    f"column {failure.column!r} failed check {failure.check!r}",
                    None if pd.isna(failure.failure_case) else str(failure.failure_case),
                )
            )
    valid_docs = doc_gate.valid
    valid_metrics = metric_gate.valid[metric_gate.valid["content_hash"].isin(valid_docs["content_hash"])]
    return valid_docs, valid_metrics, rejected


# Load


@task(cache_policy=NO_CACHE)
def load_and_publish(
    warehouse: Path,
    run: dict[str, object],
    documents: pd.DataFrame,
    metrics: pd.DataFrame,
    rejections: pd.DataFrame,
) -> None:
    """Write the run into a copy of the warehouse and atomically publish it."""

    def write(con: duckdb.DuckDBPyConnection) -> None:
        load_run(con, run, documents, metrics, rejections)

    publish(warehouse, write)


@flow(name="build-warehouse", log_prints=False)
def build_warehouse(input_dir: Path, warehouse: Path, max_failure_share: float = 0.05) -> RunSummary:
    """Build or refresh the metrics warehouse at `warehouse` from the report files under `input_dir`."""
    run_id = uuid.uuid4().hex
    started = datetime.now(UTC).replace(tzinfo=None)
    docs, ingest_rejected = ingest(input_dir)
    docs, metrics, extract_rejected = extract(docs)
    valid_docs, valid_metrics, row_rejected = validate(docs, metrics)
    rejected = ingest_rejected + extract_rejected + row_rejected
    documents_read = len(docs) + len(ingest_rejected)
    documents_rejected = len(ingest_rejected) + len(extract_rejected) + len(docs) - len(valid_docs)
    failure_share = (len(metrics) - len(valid_metrics)) / len(metrics) if len(metrics) else 0.0
    summary = RunSummary(
        run_id=run_id,
        documents_read=documents_read,
        documents_rejected=documents_rejected,
        metrics_loaded=len(valid_metrics),
        rows_rejected=len(row_rejected),
        published=False,
        warehouse=str(warehouse),
    )
    if failure_share > max_failure_share:
        return replace(
            summary,
            reason=f"{failure_share:.1%} of metric rows failed validation (limit {max_failure_share:.1%}); "
            "the published warehouse was left unchanged",
        )
    run = {
        "run_id": run_id,
        "flow_run_id": flow_run.id,
        "started_at": started,
        "finished_at": datetime.now(UTC).replace(tzinfo=None),
        "status": "published",
        "documents_read": documents_read,
        "documents_rejected": documents_rejected,
        "metrics_loaded": len(valid_metrics),
        "extractor_version": EXTRACTOR_VERSION,
    }
    load_and_publish(
        warehouse, run, valid_docs, valid_metrics, rejection_rows(rejected).assign(run_id=run_id)
    )
    return replace(summary, published=True)
