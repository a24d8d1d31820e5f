"""pandera schemas for the frames that cross into the warehouse, and the gate that splits passing from failing rows.

`ExtractedMetrics` is one row per metric mention as the analysis produced it (`transforms.record.MetricRecord.row`),
with the document text under its span (`source_slice`) so that offsets are checked against the text itself;
`Documents` is one row per decoded document version. Frames are validated lazily, so every failing row and check
is reported at once. The row checks over several columns (`dataframe_check`) are declared `ignore_na=False`: they
say themselves what a missing value means, and pandera's default, which lets through a row whose every column is
missing, costs a scan of the whole frame per check (a third of the gate's time on 1,000 documents' rows).
Rows that fail are not published: they become rejections naming the check, the column and the offending value.

The models are the one list of the metric and link columns (`METRIC_COLUMNS`, `LINK_COLUMNS`): the rows the
analysis makes, the warehouse tables (`warehouse/schema/tables.sql`) and their comments are tested against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from transforms.attribution import ORG_KINDS
from transforms.indicators import load_catalog
from transforms.lexicon import load_lexicon

KINDS = ("count", "percent", "change_pct", "rank", "amount", "measure")
APPROX = ("more_than", "less_than", "about")
RELATIONS = ("part_of", "resolved_of", "numerator", "denominator")
BLOCK_KINDS = ("heading", "paragraph", "table_cell")
_UNITS = load_lexicon().units
# Units and families the extractor's lexicon knows; a rank (`第一`) or a bare scaled number (`120万`) has no unit.
KNOWN_UNITS = frozenset(_UNITS) | {""}
KNOWN_UNIT_FAMILIES = frozenset(_UNITS.values()) | {"rank", "other"}
INDICATOR_CODES = tuple(ind.code for ind in load_catalog().indicators)
# Plausible values of a percentage by kind: a share or rate (完成率 may pass 100%), a change in % or in points.
PERCENT_RANGES: dict[str, tuple[float, float]] = {"percent": (0.0, 200.0), "change_pct": (-100.0, 10_000.0)}
POINTS_RANGE = (-100.0, 100.0)  # a change in percentage points (个百分点)
_SHA256 = r"^[0-9a-f]{64}$"
_REGION_CODE = r"^\d{6}$"
EARLIEST_PUBLICATION = datetime(1949, 1, 1)

# For a check over several columns, the column whose value a rejection reports.
CHECK_COLUMNS: dict[str, str] = {
    "span_in_bounds": "end_offset",
    "mention_equals_text_slice": "mention",
    "value_finite": "value",
    "value_high_finite": "value_high",
    "percent_in_plausible_range": "value",
    "count_whole_non_negative": "value",
    "period_ordered": "period_start",
    "unique_doc_id": "doc_id",
    "unique_content_hash": "content_hash",
}


def _finite(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _finite_or_missing(value: object) -> bool:
    return _finite(value) if isinstance(value, Decimal) else bool(pd.isna(value))


def _numeric(values: pd.Series) -> pd.Series:
    """The finite values as numbers, the others NaN."""
    return pd.to_numeric(values.where(values.map(_finite)), errors="coerce")


class ExtractedMetrics(pa.DataFrameModel):
    """One row per metric mention extracted from a document version, before loading."""

    metric_id: Series[str] = pa.Field(unique=True)
    doc_id: Series[str] = pa.Field(str_length={"min_value": 1})
    content_hash: Series[str] = pa.Field(str_matches=_SHA256)
    start_offset: Series[int] = pa.Field(ge=0)
    end_offset: Series[int] = pa.Field(ge=1)
    mention: Series[str] = pa.Field(str_length={"min_value": 1})
    # an exact Decimal, cast to DECIMAL on load; `value_finite` rejects a null (pandas counts a NaN Decimal as one)
    value: Series[object] = pa.Field(nullable=True)
    value_high: Series[object] = pa.Field(nullable=True)  # upper bound of a range (5至8万元), else null
    unit: Series[str]
    unit_family: Series[str]
    approx: Series[str] = pa.Field(nullable=True, isin=APPROX)
    kind: Series[str]
    subject: Series[str] = pa.Field(nullable=True)
    subject_simplified: Series[str] = pa.Field(nullable=True)
    sentence_start: Series[int] = pa.Field(ge=0)
    sentence_end: Series[int] = pa.Field(ge=0)
    modifies_metric_id: Series[str] = pa.Field(nullable=True)
    indicator_code: Series[str] = pa.Field(nullable=True)
    indicator_name: Series[str] = pa.Field(nullable=True)
    context: Series[str] = pa.Field(nullable=True)
    org: Series[str] = pa.Field(nullable=True)
    org_kind: Series[str] = pa.Field(nullable=True, isin=ORG_KINDS)
    region: Series[str] = pa.Field(nullable=True)
    region_code: Series[str] = pa.Field(nullable=True, str_matches=_REGION_CODE)
    period_start: Series[pa.DateTime] = pa.Field(nullable=True)
    period_end: Series[pa.DateTime] = pa.Field(nullable=True)
    as_of: Series[pa.DateTime] = pa.Field(nullable=True)
    # layout provenance (null for plain text): where in a PDF, Word file or web page the figure was read
    page_number: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    block_kind: Series[str] = pa.Field(nullable=True, isin=BLOCK_KINDS)
    table_index: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    table_row: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    table_column: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    row_label: Series[str] = pa.Field(nullable=True)
    column_heading: Series[str] = pa.Field(nullable=True)
    heading_period: Series[str] = pa.Field(nullable=True)
    # checked by the gate, not loaded (transforms.rows.GATE_ONLY_COLUMNS)
    source_slice: Series[str] = pa.Field(nullable=True)
    doc_char_count: Series[int] = pa.Field(gt=0)

    @pa.check("kind", name="known_kind")
    def known_kind(cls, kind: Series[str]) -> Series[bool]:
        """The kind is one the warehouse knows how to aggregate."""
        return kind.isin(KINDS)

    @pa.check("unit", name="known_unit")
    def known_unit(cls, unit: Series[str]) -> Series[bool]:
        """The unit is in the extractor's unit lexicon (or empty, for ranks and bare scaled numbers)."""
        return unit.isin(KNOWN_UNITS)

    @pa.check("unit_family", name="known_unit_family")
    def known_unit_family(cls, family: Series[str]) -> Series[bool]:
        """The unit family is one of the lexicon's families."""
        return family.isin(KNOWN_UNIT_FAMILIES)

    @pa.check("indicator_code", name="known_indicator")
    def known_indicator(cls, code: Series[str]) -> Series[bool]:
        """A canonical indicator, when set, is in the catalog."""
        return code.isna() | code.isin(INDICATOR_CODES)

    @pa.dataframe_check(name="span_in_bounds", ignore_na=False)
    def span_in_bounds(cls, df: pd.DataFrame) -> Series[bool]:
        """The span is non-empty, inside its sentence, and the sentence inside the document."""
        return (
            (df["start_offset"] < df["end_offset"])
            & (df["sentence_start"] <= df["start_offset"])
            & (df["end_offset"] <= df["sentence_end"])
            & (df["sentence_end"] <= df["doc_char_count"])
        )

    @pa.dataframe_check(name="mention_equals_text_slice", ignore_na=False)
    def mention_equals_text_slice(cls, df: pd.DataFrame) -> Series[bool]:
        """The mention is exactly the document text under its span."""
        return (df["mention"] == df["source_slice"]).fillna(False).astype(bool)

    @pa.dataframe_check(name="value_finite", ignore_na=False)
    def value_finite(cls, df: pd.DataFrame) -> Series[bool]:
        """The value is a finite decimal number (a `Decimal`, neither null, NaN nor infinite)."""
        return df["value"].map(_finite).astype(bool)

    @pa.dataframe_check(name="value_high_finite", ignore_na=False)
    def value_high_finite(cls, df: pd.DataFrame) -> Series[bool]:
        """The upper bound of a range, when there is one, is a finite decimal number too."""
        return df["value_high"].map(_finite_or_missing).astype(bool)

    @pa.dataframe_check(name="percent_in_plausible_range", ignore_na=False)
    def percent_in_plausible_range(cls, df: pd.DataFrame) -> Series[bool]:
        """A percentage lies in the range plausible for its kind: a rate 0–200 %, a change −100 % up, points ±100."""
        value = _numeric(df["value"])
        ok = pd.Series(True, index=df.index)
        is_pct = df["unit_family"] == "percent"
        points = is_pct & df["unit"].str.contains("百分点", na=False)
        for kind, (lo, hi) in PERCENT_RANGES.items():
            rows = is_pct & ~points & (df["kind"] == kind)
            ok &= ~rows | value.between(lo, hi)
        ok &= ~points | value.between(*POINTS_RANGE)
        return ok.fillna(False).astype(bool)

    @pa.dataframe_check(name="count_whole_non_negative", ignore_na=False)
    def count_whole_non_negative(cls, df: pd.DataFrame) -> Series[bool]:
        """A count is a whole number, and not negative unless it is a change of another metric (`减少12名`)."""
        value = _numeric(df["value"])
        is_count = df["kind"] == "count"
        whole = value == value.round()
        non_negative = (value >= 0) | df["modifies_metric_id"].notna()
        return (~is_count | (whole & non_negative)).fillna(False).astype(bool)

    @pa.dataframe_check(name="period_ordered", ignore_na=False)
    def period_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        """A period, when both ends are known, does not end before it starts."""
        return (df["period_start"].isna() | df["period_end"].isna() | (df["period_start"] <= df["period_end"])).astype(
            bool
        )

    class Config:
        strict = True
        coerce = True


class Documents(pa.DataFrameModel):
    """One row per decoded document version, with what its text says about title, publisher, date and region."""

    doc_id: Series[str] = pa.Field(str_length={"min_value": 1})
    content_hash: Series[str] = pa.Field(str_matches=_SHA256)
    source_path: Series[str] = pa.Field(str_length={"min_value": 1})
    encoding: Series[str] = pa.Field(str_length={"min_value": 1})
    media_type: Series[str] = pa.Field(nullable=True)
    char_count: Series[int] = pa.Field(gt=0)
    byte_count: Series[int] = pa.Field(gt=0)
    text: Series[str] = pa.Field(str_length={"min_value": 1})
    title: Series[str] = pa.Field(nullable=True)
    title_source: Series[str] = pa.Field(nullable=True)
    publisher: Series[str] = pa.Field(nullable=True)
    publisher_source: Series[str] = pa.Field(nullable=True)
    published_at: Series[pa.DateTime] = pa.Field(nullable=True)
    published_at_source: Series[str] = pa.Field(nullable=True)
    region: Series[str] = pa.Field(nullable=True)
    region_code: Series[str] = pa.Field(nullable=True, str_matches=_REGION_CODE)
    region_source: Series[str] = pa.Field(nullable=True)
    extractor_version: Series[str] = pa.Field(str_length={"min_value": 1})
    catalog_version: Series[str] = pa.Field(str_length={"min_value": 1})

    @pa.dataframe_check(name="char_count_matches_text", ignore_na=False)
    def char_count_matches_text(cls, df: pd.DataFrame) -> Series[bool]:
        """The stored text is the whole decoded text: as many characters as counted."""
        return df["text"].str.len() == df["char_count"]

    @pa.dataframe_check(name="unique_content_hash", ignore_na=False)
    def unique_content_hash(cls, df: pd.DataFrame) -> Series[bool]:
        """A document version is loaded once: a second file with the same bytes is rejected as a duplicate."""
        return ~df["content_hash"].duplicated(keep="first")

    @pa.dataframe_check(name="unique_doc_id", ignore_na=False)
    def unique_doc_id(cls, df: pd.DataFrame) -> Series[bool]:
        """One file per document id (file name without extension): a second file of the same name is rejected."""
        return ~df["doc_id"].duplicated(keep="first")

    @pa.check("published_at", name="published_at_plausible")
    def published_at_plausible(cls, published: Series[pd.Timestamp]) -> Series[bool]:
        """A publication date, when known, is after 1949 and not in the future."""
        latest = pd.Timestamp(datetime.now()) + pd.Timedelta(days=1)
        return published.isna() | ((published >= pd.Timestamp(EARLIEST_PUBLICATION)) & (published <= latest))

    class Config:
        strict = True
        coerce = True


class MetricLinks(pa.DataFrameModel):
    """One row per relation read from the text between two metric mentions of one document version."""

    metric_id: Series[str] = pa.Field(str_length={"min_value": 1})
    related_metric_id: Series[str] = pa.Field(str_length={"min_value": 1})
    relation: Series[str] = pa.Field(isin=RELATIONS)
    content_hash: Series[str] = pa.Field(str_matches=_SHA256)

    @pa.dataframe_check(name="not_self_related", ignore_na=False)
    def not_self_related(cls, df: pd.DataFrame) -> Series[bool]:
        """A metric does not relate to itself."""
        return df["metric_id"] != df["related_metric_id"]

    class Config:
        strict = True
        coerce = True
        unique = ["metric_id", "related_metric_id", "relation"]  # noqa: RUF012 (pandera reads it as is)


def columns(model: type[pa.DataFrameModel]) -> tuple[str, ...]:
    """The columns of a model's frames, in the model's order."""
    return tuple(model.to_schema().columns)


METRIC_COLUMNS = columns(ExtractedMetrics)
LINK_COLUMNS = columns(MetricLinks)


@dataclass(frozen=True, slots=True)
class GateResult:
    """The rows that passed a schema, and one failure record per (row, check) that did not."""

    valid: pd.DataFrame
    failures: pd.DataFrame  # columns: index, column, check, failure_case


FAILURE_COLUMNS = ["index", "column", "check", "failure_case"]


def _row_failures(df: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """One failure per (row, check): a check over several columns reports the value of its own column."""
    cases = cases.assign(check=cases["check"].astype(str))
    rows = []
    for (index, check), group in cases.groupby(["index", "check"], sort=False):
        column = CHECK_COLUMNS.get(check)
        if column is None:
            column = next((c for c in group["column"] if isinstance(c, str) and c in df.columns), None)
        value = df.at[index, column] if column is not None and index in df.index else group["failure_case"].iloc[0]
        rows.append({"index": index, "column": column, "check": check, "failure_case": value})
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


def gate(df: pd.DataFrame, schema: type[pa.DataFrameModel]) -> GateResult:
    """Validate `df` lazily against `schema`; drop the rows that fail any check and report each failure."""
    try:
        return GateResult(schema.validate(df, lazy=True), pd.DataFrame(columns=FAILURE_COLUMNS))
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        row_level = cases[cases["index"].notna()]
        if len(row_level) < len(cases):
            # A failure not tied to a row (a missing column, a wrong dtype) invalidates the whole frame.
            frame_level = cases[cases["index"].isna()]
            failures = pd.DataFrame(
                {
                    "index": None,
                    "column": frame_level["column"].astype(str),
                    "check": frame_level["check"].astype(str),
                    "failure_case": frame_level["failure_case"],
                }
            )
            return GateResult(df.iloc[:0], failures.reset_index(drop=True))
        index = row_level["index"].astype(df.index.dtype)
        row_level = row_level.assign(index=index)
        bad_index = pd.Index(index.unique())
        valid = schema.validate(df.drop(index=bad_index), lazy=True) if len(bad_index) < len(df) else df.iloc[:0]
        return GateResult(valid, _row_failures(df, row_level).reset_index(drop=True))
