"""Warehouses built for tests the way a run builds them: the flow's own extract, validate, load and publish steps
and the runs row of `warehouse.load.run_row`, on real DuckDB files (no Prefect server)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from flows.pipeline import extract, finish_and_publish, load_batch, validate
from transforms.ingest import Document, content_hash
from transforms.rows import rejection_frame
from warehouse.backend import DuckDBFileWarehouse
from warehouse.load import RunCounts, run_row


def text_document(doc_id: str, text: str) -> Document:
    """A UTF-8 text report `inbox/<doc_id>.txt` holding `text`."""
    raw = text.encode()
    return Document(doc_id, f"inbox/{doc_id}.txt", content_hash(raw), "utf_8", text, len(raw))


def publish_run(
    target: Path,
    run_id: str,
    docs: list[Document],
    present: list[str] | None = None,
    extra_rejections: list[dict[str, object]] | None = None,
    new: bool = False,
) -> dict[str, object]:
    """Publish one run into `target`: `docs` are the documents it (re-)extracted, `present` every doc id its input
    folder held (default: those of `docs`; the others become missing), `extra_rejections` rejection rows of its
    own. With `new`, the documents count as new in the runs row. Returns what `load_run` reports it wrote."""
    present = present if present is not None else [d.doc_id for d in docs]
    extracted = extract.fn(docs)
    validated = validate.fn(extracted, {d.doc_id: d.source_path for d in docs})
    counts = RunCounts(
        documents_read=len(present),
        documents_new=len(docs) if new else 0,
        documents_changed=0,
        documents_reextracted=0,
        documents_unchanged=0,
        documents_rejected=validated.documents_rejected,
        metrics_loaded=len(validated.metrics),
        rows_rejected=validated.rows_rejected,
        failure_share=validated.failure_share,
    )
    run = run_row(run_id, pd.Timestamp("2026-01-01"), counts, 0.05)
    rejections = rejection_frame(extracted.rejections + validated.rejections + (extra_rejections or []))
    with DuckDBFileWarehouse(target).new_version() as version:
        load_batch.fn(version, run_id, validated)
        written, _ = finish_and_publish.fn(version, run, rejections, present)
    return written
