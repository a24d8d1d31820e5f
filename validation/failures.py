"""A run's gate: its extracted frames split into what passes the schemas and the rejection rows of what does not,
with the share of checked rows that failed and whether that share still allows the run to publish.

A failing document or metric row becomes one rejection per (row, check), naming the check, the column and the
offending value (stage `validate`). A document that extraction already rejected counts as checked and failed. A
metric passes only when its document passes; a link only when both of its metrics pass. Pure: frames in, frames
and rows out, nothing read or written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from transforms.rows import rejection_row
from validation.schemas import Documents, ExtractedMetrics, MetricLinks, gate


@dataclass(slots=True)
class Validated:
    """What passed the gate, the rejection rows of what did not (documents' failures, then metrics'), how many
    rows were checked and how many failed (a metric of a failed document counts as failed)."""

    documents: pd.DataFrame
    metrics: pd.DataFrame
    links: pd.DataFrame
    document_failures: list[dict[str, object]]
    metric_failures: list[dict[str, object]]
    documents_rejected: int
    rows_rejected: int
    checked: int
    failed: int

    @property
    def rejections(self) -> list[dict[str, object]]:
        """The rejection rows: the documents' failures, then the metrics'."""
        return self.document_failures + self.metric_failures

    @property
    def failure_share(self) -> float:
        """The share of checked rows that failed."""
        return failure_share(self.checked, self.failed)


def failure_rows(
    source: pd.DataFrame, failures: pd.DataFrame, key: str, paths: Mapping[str, str]
) -> list[dict[str, object]]:
    """The rejection rows of a gate's `failures` over `source`: each names its document (by the row's `doc_id`
    and its path in `paths`), the row (by its `key` column), the check, the column and the value. A failure not
    tied to a row (a missing column) names no document."""
    rows = []
    for failure in failures.itertuples(index=False):
        known = failure.index is not None and failure.index in source.index
        doc_id = str(source.at[failure.index, "doc_id"]) if known else ""
        rows.append(
            rejection_row(
                doc_id,
                paths.get(doc_id, ""),
                "validate",
                str(failure.check),
                f"column {failure.column!r} failed check {failure.check!r}",
                failure.failure_case,
                content_hash=str(source.at[failure.index, "content_hash"]) if known else None,
                column=None if failure.column is None else str(failure.column),
                row_key=str(source.at[failure.index, key]) if known else None,
            )
        )
    return rows


def failure_share(checked: int, failed: int) -> float:
    """The share of `checked` rows that `failed`; 0 when nothing was checked."""
    return failed / checked if checked else 0.0


def validate_frames(
    documents: pd.DataFrame,
    metrics: pd.DataFrame,
    links: pd.DataFrame,
    extraction_rejected: int,
    paths: Mapping[str, str],
) -> Validated:
    """Gate a run's documents, metrics and links through their schemas (see the module docstring).

    `extraction_rejected` is how many documents extraction rejected before the gate; `paths` gives each doc_id
    its source path for the rejection rows.
    """
    doc_gate = gate(documents, Documents)
    metric_gate = gate(metrics, ExtractedMetrics)
    valid_docs = doc_gate.valid
    valid_metrics = metric_gate.valid[metric_gate.valid["content_hash"].isin(valid_docs["content_hash"])]
    link_gate = gate(links, MetricLinks)
    valid_ids = set(valid_metrics["metric_id"])
    valid_links = link_gate.valid[
        link_gate.valid["metric_id"].isin(valid_ids) & link_gate.valid["related_metric_id"].isin(valid_ids)
    ]
    failed_docs = len(documents) - len(valid_docs)
    failed_metrics = len(metrics) - len(valid_metrics)
    return Validated(
        valid_docs,
        valid_metrics,
        valid_links,
        failure_rows(documents, doc_gate.failures, "doc_id", paths),
        failure_rows(metrics, metric_gate.failures, "metric_id", paths),
        documents_rejected=failed_docs + extraction_rejected,
        rows_rejected=failed_docs + (len(metrics) - len(metric_gate.valid)),
        checked=len(documents) + len(metrics) + extraction_rejected,
        failed=failed_docs + failed_metrics + extraction_rejected,
    )


def refusal(share: float, limit: float) -> str | None:
    """Why a run whose checked rows failed in this `share` must not publish, or None when `limit` allows it."""
    if share <= limit:
        return None
    return (
        f"{share:.1%} of the documents and metric rows checked failed validation "
        f"(limit {limit:.1%}); the published warehouse was left unchanged"
    )
