"""Everything read from one document's text: its metadata, its metrics, and for each metric its canonical
indicator, its attribution (organisation, region, period) and its relations to other metrics.

This is the one place that composes the extractor, the indicator catalog and attribution, so that the flow and
`report-metrics extract` always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from transforms.attribution import Attribution, attribute
from transforms.extract import DeadlineExceeded, Metric, check_deadline, clean_text, extract_metrics
from transforms.indicators import Catalog, Link, annotate, load_catalog
from transforms.metadata import DocumentMeta, document_metadata


@dataclass(frozen=True, slots=True)
class Analysis:
    """One document's reading: `metrics[i]` has indicator `codes[i]` and attribution `attributions[i]`."""

    meta: DocumentMeta
    metrics: list[Metric]
    codes: list[str | None]
    attributions: list[Attribution]
    links: list[Link]

    def records(self) -> list[dict[str, Any]]:
        """One JSON-serialisable dict per metric: the extractor's fields, indicator, org, region and period."""
        out = []
        for metric, code, attr in zip(self.metrics, self.codes, self.attributions, strict=True):
            out.append(
                {
                    **metric.to_dict(),
                    "indicator": code,
                    "org": attr.org,
                    "org_kind": attr.org_kind,
                    "region": attr.region,
                    "region_code": attr.region_code,
                    "period_start": attr.period_start.isoformat() if attr.period_start else None,
                    "period_end": attr.period_end.isoformat() if attr.period_end else None,
                    "as_of": attr.as_of.isoformat() if attr.as_of else None,
                }
            )
        return out


__all__ = ["Analysis", "DeadlineExceeded", "analyse"]


def analyse(
    text: str, catalog: Catalog | None = None, source_name: str | None = None, *, deadline: float | None = None
) -> Analysis:
    """Read one document's decoded text (offsets in the result point into `text`).

    `source_name`, the file's name, dates a document whose text states no date. Lone surrogates (undecodable
    bytes kept by `surrogateescape`) are read as U+FFFD, which keeps every offset. With a `deadline` (a
    `time.monotonic()` value), `DeadlineExceeded` is raised once it has passed: the clock is read between the
    stages and every few hundred candidate numbers, so a document overruns its limit by at most one stage of its
    reading (each stage takes time linear in the text).
    """
    text = clean_text(text)
    catalog = catalog or load_catalog()
    meta = document_metadata(text, source_name)
    check_deadline(deadline)
    metrics = extract_metrics(text, deadline=deadline)
    check_deadline(deadline)
    codes, links = annotate(text, metrics, catalog)
    check_deadline(deadline)
    attributions = attribute(text, [(m.start, m.end) for m in metrics], meta, [m.modifies for m in metrics])
    return Analysis(meta, metrics, codes, attributions, links)
