"""A run's gate: rejection rows of failing rows, what a failing document takes with it, the failure share and the
limit that refuses a publish."""

from __future__ import annotations

import pandas as pd
import pytest
from schema_rows import HASH, document_row, metric_row

from validation.failures import failure_share, refusal, validate_frames
from validation.schemas import LINK_COLUMNS

PATHS = {"d": "inbox/d.txt"}


def _links(*pairs: tuple[str, str]) -> pd.DataFrame:
    rows = [{"metric_id": a, "related_metric_id": b, "relation": "part_of", "content_hash": HASH} for a, b in pairs]
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def test_good_frames_pass_whole() -> None:
    metrics = pd.DataFrame([metric_row(), metric_row(metric_id="m2")])
    out = validate_frames(pd.DataFrame([document_row()]), metrics, _links(("m2", "m1")), 0, PATHS)
    assert (len(out.documents), len(out.metrics), len(out.links)) == (1, 2, 1)
    assert out.rejections == []
    assert (out.documents_rejected, out.rows_rejected, out.failure_share) == (0, 0, 0.0)


def test_a_failing_metric_is_a_rejection_naming_its_document_row_check_and_value() -> None:
    metrics = pd.DataFrame([metric_row(), metric_row(metric_id="m2", kind="guess")])
    out = validate_frames(pd.DataFrame([document_row()]), metrics, _links(("m2", "m1")), 0, PATHS)
    assert list(out.metrics["metric_id"]) == ["m1"]
    assert out.links.empty  # a link to a metric that failed goes with it
    [rejection] = out.rejections
    assert {k: rejection[k] for k in ("doc_id", "source_path", "content_hash", "stage", "check_name")} == {
        "doc_id": "d",
        "source_path": "inbox/d.txt",
        "content_hash": HASH,
        "stage": "validate",
        "check_name": "known_kind",
    }
    assert (rejection["column_name"], rejection["row_key"], rejection["offending_value"]) == ("kind", "m2", "guess")
    assert (out.documents_rejected, out.rows_rejected) == (0, 1)
    assert out.failure_share == pytest.approx(1 / 3)  # one of a document and two metrics


def test_a_failing_document_takes_its_metrics_with_it() -> None:
    documents = pd.DataFrame([document_row(char_count=11)])  # the text has 10 characters
    out = validate_frames(documents, pd.DataFrame([metric_row()]), _links(), 0, PATHS)
    assert out.documents.empty and out.metrics.empty
    assert [r["check_name"] for r in out.rejections] == ["char_count_matches_text"]
    assert out.rejections[0]["row_key"] == "d"
    # the metric passed its own schema: rejected with its document, not as a row of its own
    assert (out.documents_rejected, out.rows_rejected, out.failure_share) == (1, 1, 1.0)


def test_documents_rejected_by_extraction_count_as_checked_and_failed() -> None:
    out = validate_frames(pd.DataFrame([document_row()]), pd.DataFrame([metric_row()]), _links(), 2, PATHS)
    assert out.rejections == []  # extraction's own rows already say why
    assert out.documents_rejected == 2
    assert out.failure_share == pytest.approx(2 / 4)


def test_a_frame_missing_a_column_names_no_document() -> None:
    metrics = pd.DataFrame([metric_row()]).drop(columns=["kind"])
    out = validate_frames(pd.DataFrame([document_row()]), metrics, _links(), 0, PATHS)
    assert out.metrics.empty
    assert out.rejections and all(r["doc_id"] == "" and r["row_key"] is None for r in out.rejections)


def test_failure_share_of_nothing_checked_is_zero() -> None:
    assert failure_share(0, 0) == 0.0
    assert failure_share(20, 1) == 0.05


@pytest.mark.parametrize(
    ("share", "refused"),
    [
        pytest.param(0.0, False, id="none_failed"),
        pytest.param(0.05, False, id="at_the_limit"),
        pytest.param(0.0625, True, id="over_the_limit"),
    ],
)
def test_a_share_over_the_limit_refuses_the_publish(share: float, refused: bool) -> None:
    reason = refusal(share, 0.05)
    assert (reason is not None) is refused
    if reason:
        assert reason == (
            "6.2% of the documents and metric rows checked failed validation (limit 5.0%); "
            "the published warehouse was left unchanged"
        )
