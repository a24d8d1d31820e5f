"""pandera schemas for the frames that cross into the warehouse, and the gate that splits passing from failing rows.

`ExtractedMetrics` is one row per metric mention as the extractor produced it; `Documents` is one row per decoded
document version. Rows that fail a check are not published: they become rejections naming the check and value.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

KINDS = ("count", "percent", "change_pct", "rank", "amount", "measure")
APPROX = ("more_than", "less_than", "about")
_DECIMAL_TEXT = r"^-?\d+(\.\d+)?$"
_SHA256 = r"^[0-9a-f]{64}$"


class ExtractedMetrics(pa.DataFrameModel):
    """One row per metric mention extracted from a document, before loading."""

    metric_id: Series[str] = pa.Field(unique=True)
    doc_id: Series[str] = pa.Field(str_length={"min_value": 1})
    content_hash: Series[str] = pa.Field(str_matches=_SHA256)
    start_offset: Series[int] = pa.Field(ge=0)
    end_offset: Series[int] = pa.Field(ge=1)
    mention: Series[str] = pa.Field(str_length={"min_value": 1})
    value: Series[str] = pa.Field(str_matches=_DECIMAL_TEXT)
    unit: Series[str]
    unit_family: Series[str]
    approx: Series[str] = pa.Field(nullable=True, isin=APPROX)
    kind: Series[str] = pa.Field(isin=KINDS)
    subject: Series[str] = pa.Field(nullable=True)
    subject_simplified: Series[str] = pa.Field(nullable=True)
    sentence_start: Series[int] = pa.Field(ge=0)
    sentence_end: Series[int] = pa.Field(ge=0)
    modifies_metric_id: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check(name="span_not_empty")
    def span_not_empty(cls, df: pd.DataFrame) -> Series[bool]:
        """The mention's span is non-empty and lies inside its sentence."""
        return (df["end_offset"] > df["start_offset"]) & (df["start_offset"] >= df["sentence_start"])

    @pa.dataframe_check(name="mention_length_matches_span")
    def mention_length_matches_span(cls, df: pd.DataFrame) -> Series[bool]:
        """The mention is exactly as long as its span."""
        return df["mention"].str.len() == df["end_offset"] - df["start_offset"]

    class Config:
        strict = True
        coerce = True


class Documents(pa.DataFrameModel):
    """One row per decoded document version."""

    doc_id: Series[str] = pa.Field(str_length={"min_value": 1})
    content_hash: Series[str] = pa.Field(str_matches=_SHA256, unique=True)
    source_path: Series[str]
    encoding: Series[str] = pa.Field(str_length={"min_value": 1})
    char_count: Series[int] = pa.Field(gt=0)
    byte_count: Series[int] = pa.Field(gt=0)

    class Config:
        strict = True
        coerce = True


@dataclass(frozen=True, slots=True)
class GateResult:
    """The rows that passed a schema, and one failure record per (row, check) that did not."""

    valid: pd.DataFrame
    failures: pd.DataFrame  # columns: row index, column, check, failure_case


def gate(df: pd.DataFrame, schema: type[pa.DataFrameModel]) -> GateResult:
    """Validate `df` lazily against `schema`; drop the rows that fail any check and report each failure."""
    try:
        return GateResult(schema.validate(df, lazy=True), pd.DataFrame())
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        row_level = cases[cases["index"].notna()]
        if len(row_level) < len(cases):
            # A failure not tied to a row (a missing column, a wrong dtype) invalidates the whole frame.
            bad_index = df.index
            row_level = cases
        else:
            bad_index = pd.Index(row_level["index"].astype(df.index.dtype).unique())
        valid = (
            schema.validate(df.drop(index=bad_index), lazy=True) if len(bad_index) < len(df) else df.iloc[:0]
        )
        return GateResult(
            valid, row_level[["index", "column", "check", "failure_case"]].reset_index(drop=True)
        )
