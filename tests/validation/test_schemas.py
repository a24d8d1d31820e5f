"""The validation gate: failing rows are dropped and reported with the check that failed; good rows pass."""

from __future__ import annotations

import pandas as pd

from validation.schemas import ExtractedMetrics, gate

HASH = "a" * 64


def _row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "metric_id": "m1",
        "doc_id": "d",
        "content_hash": HASH,
        "start_offset": 2,
        "end_offset": 6,
        "mention": "458名",
        "value": "458",
        "unit": "名",
        "unit_family": "people",
        "approx": None,
        "kind": "count",
        "subject": "政法干警",
        "subject_simplified": "政法干警",
        "sentence_start": 0,
        "sentence_end": 12,
        "modifies_metric_id": None,
    }
    row.update(changes)
    return row


def test_good_rows_pass_unchanged() -> None:
    result = gate(pd.DataFrame([_row(), _row(metric_id="m2", approx="more_than")]), ExtractedMetrics)
    assert len(result.valid) == 2
    assert result.failures.empty


def test_failing_rows_are_dropped_with_their_check() -> None:
    df = pd.DataFrame(
        [
            _row(),
            _row(metric_id="m2", kind="guess"),
            _row(metric_id="m3", value="nan"),
            _row(metric_id="m4", mention="458"),  # one character shorter than its span
        ]
    )
    result = gate(df, ExtractedMetrics)
    assert list(result.valid["metric_id"]) == ["m1"]
    failed = dict(zip(result.failures["index"], result.failures["check"].astype(str), strict=True))
    assert failed[1].startswith("isin")
    assert failed[2].startswith("str_matches")
    assert failed[3] == "mention_length_matches_span"


def test_duplicate_metric_ids_fail_uniqueness() -> None:
    result = gate(pd.DataFrame([_row(), _row()]), ExtractedMetrics)
    assert result.valid.empty
    assert (result.failures["check"].astype(str) == "field_uniqueness").all()
