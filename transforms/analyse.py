"""Everything read from one document's text: its metadata, its metrics, and for each metric its canonical
indicator, its attribution (organisation, region, period) and its relations to other metrics.

This is the one place that composes the extractor, the indicator catalog and attribution, so that the flow and
`report-metrics extract` always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from transforms.attribution import Attribution, attribute
from transforms.extract import Metric, extract_metrics
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
                    "indicator_name": load_catalog().name(code),
                    "org": attr.org,
                    "region": attr.region,
                    "region_code": attr.region_code,
                    "period_start": attr.period_start.isoformat() if attr.period_start else None,
                    "period_end": attr.period_end.isoformat() if attr.period_end else None,
                    "as_of": attr.as_of.isoformat() if attr.as_of else None,
                }
            )
        return out


def analyse(text: str, catalog: Catalog | None = None) -> Analysis:
    """Read one document's decoded text (offsets in the result point into `text`)."""
    catalog = catalog or load_catalog()
    meta = document_metadata(text)
    metrics = extract_metrics(text)
    codes, links = annotate(text, metrics, catalog)
    attributions = attribute(text, [(m.start, m.end) for m in metrics], meta)
    return Analysis(meta, metrics, codes, attributions, links)
