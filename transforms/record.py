"""One metric mention read whole, as `transforms.analyse.analyse` returns it, and its one serialisation.

A :class:`MetricRecord` is the figure as extracted, its canonical indicator, who reported it for when, where in
the document's layout it was read, and the ids that name it and the metric it changes. :meth:`MetricRecord.row`
names its values as the `metrics` columns (`validation.schemas.ExtractedMetrics`): the warehouse loads that row,
and `report-metrics extract --format jsonl` prints the same row under the names the evaluation reads
(:meth:`MetricRecord.json`). The value stays an exact `Decimal` until DuckDB's DECIMAL column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from transforms.attribution import Attribution
from transforms.extract import Metric, decimal_to_json

# What `report-metrics extract --format jsonl` prints of a row, in its order, under the extractor's names (the
# evaluation reads `start`, `end`, `indicator`, ...), with the path of the file read (`source_path`); `modifies` is
# the index of the base metric among the document's records, not its id. The other names are the row's columns.
JSON_FIELDS: tuple[str, ...] = (
    "doc_id",
    "source_path",
    "start",
    "end",
    "mention",
    "value",
    "unit",
    "unit_family",
    "approx",
    "kind",
    "subject",
    "subject_simplified",
    "sentence_start",
    "sentence_end",
    "modifies",
    "value_high",
    "indicator",
    "indicator_name",
    "org",
    "org_kind",
    "region",
    "region_code",
    "period_start",
    "period_end",
    "as_of",
    "page_number",
    "block_kind",
    "table_index",
    "table_row",
    "table_column",
    "row_label",
    "column_heading",
    "heading_period",
)
JSON_COLUMNS: dict[str, str] = {"start": "start_offset", "end": "end_offset", "indicator": "indicator_code"}


def metric_id(content_hash: str, start: int, end: int) -> str:
    """Stable id of a metric mention: the same span of the same document version always gets the same id."""
    return f"{content_hash[:16]}:{start}:{end}"


@dataclass(frozen=True, slots=True)
class MetricLayout:
    """Where in a document's layout one metric was read (all None for plain text), named as the `metrics` columns:
    the 1-based `page_number` (PDF), the `block_kind` (`heading`, `paragraph` or `table_cell`) and, for a table cell,
    the table, row and column indices (0-based), the row label, the column heading and the period the heading names
    as written (`2022年`, `本期`)."""

    page_number: int | None = None
    block_kind: str | None = None
    table_index: int | None = None
    table_row: int | None = None
    table_column: int | None = None
    row_label: str | None = None
    column_heading: str | None = None
    heading_period: str | None = None


NO_LAYOUT = MetricLayout()


class MetricRecord(NamedTuple):
    """One metric mention of one document version: the `metric` as extracted (offsets into the document's text),
    its canonical indicator, its `attribution` (organisation, region, period) and its `layout` provenance; its id
    and that of the metric it changes; the `context` around it and the text under its span (`source_slice`, which
    the validation gate compares with the mention), both None for a span outside the text.

    A named tuple, like `Metric`: built for every metric of every document, it is several times faster to make
    than a frozen dataclass."""

    doc_id: str
    content_hash: str
    metric_id: str
    metric: Metric
    modifies_metric_id: str | None
    indicator_code: str | None
    indicator_name: str | None
    attribution: Attribution
    layout: MetricLayout
    context: str | None
    source_slice: str | None
    doc_char_count: int

    def row(self) -> dict[str, object]:
        """The record named as the `metrics` columns, in their order: values exact (`Decimal`), dates as dates,
        and the two columns the validation gate checks the span with (`source_slice`, `doc_char_count`)."""
        m, attribution, layout = self.metric, self.attribution, self.layout
        return {
            "metric_id": self.metric_id,
            "doc_id": self.doc_id,
            "content_hash": self.content_hash,
            "start_offset": m.start,
            "end_offset": m.end,
            "mention": m.mention,
            "value": m.value,
            "value_high": m.value_high,
            "unit": m.unit,
            "unit_family": m.unit_family,
            "approx": m.approx,
            "kind": m.kind,
            "subject": m.subject,
            "subject_simplified": m.subject_simplified,
            "sentence_start": m.sentence_start,
            "sentence_end": m.sentence_end,
            "modifies_metric_id": self.modifies_metric_id,
            "indicator_code": self.indicator_code,
            "indicator_name": self.indicator_name,
            "context": self.context,
            "org": attribution.org,
            "org_kind": attribution.org_kind,
            "region": attribution.region,
            "region_code": attribution.region_code,
            "period_start": attribution.period_start,
            "period_end": attribution.period_end,
            "as_of": attribution.as_of,
            "page_number": layout.page_number,
            "block_kind": layout.block_kind,
            "table_index": layout.table_index,
            "table_row": layout.table_row,
            "table_column": layout.table_column,
            "row_label": layout.row_label,
            "column_heading": layout.column_heading,
            "heading_period": layout.heading_period,
            "source_slice": self.source_slice,
            "doc_char_count": self.doc_char_count,
        }

    def json(self, source_path: str | None = None) -> dict[str, object]:
        """The row as `report-metrics extract --format jsonl` prints it for the file at `source_path` (`JSON_FIELDS`):
        a value is a JSON number when a float prints back to exactly the same decimal (`69.11`, `242000`) and a
        decimal string otherwise (`"33.3333333333333333"`), so that no precision is lost; dates are ISO dates."""
        row = self.row()
        row["source_path"] = source_path
        row["modifies"] = self.metric.modifies
        return {name: _json_value(row[JSON_COLUMNS.get(name, name)]) for name in JSON_FIELDS}


class MetricLink(NamedTuple):
    """A relation read from the text between two metric mentions of one document version, named as the
    `metric_links` columns: a 其中 part of its total (`part_of`), an 已-resolved count of what it was resolved of
    (`resolved_of`), a stated rate and the counts it is computed from (`numerator`, `denominator`)."""

    metric_id: str
    related_metric_id: str
    relation: str
    content_hash: str


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return decimal_to_json(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
