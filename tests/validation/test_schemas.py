"""The validation gate: failing rows are dropped and reported with the check that failed; good rows pass."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import duckdb
import pandas as pd
import pytest
from schema_rows import HASH, document_row, metric_row

from transforms.analyse import analyse
from transforms.rows import GATE_ONLY_COLUMNS
from validation.schemas import LINK_COLUMNS, METRIC_COLUMNS, Documents, ExtractedMetrics, MetricLinks, gate
from warehouse.store import apply_comments, apply_schema, load_comments


def test_good_rows_pass() -> None:
    ranged = metric_row(metric_id="m3", value=Decimal("458"), value_high=Decimal("460"))  # a range: 458 to 460
    result = gate(
        pd.DataFrame([metric_row(), metric_row(metric_id="m2", approx="more_than"), ranged]), ExtractedMetrics
    )
    assert len(result.valid) == 3
    assert result.failures.empty


@pytest.mark.parametrize(
    ("changes", "check", "column", "value"),
    [
        pytest.param({"mention": "459名"}, "mention_equals_text_slice", "mention", "459名", id="mention_not_text"),
        pytest.param({"end_offset": 40, "source_slice": None}, "span_in_bounds", "end_offset", 40, id="span_outside"),
        pytest.param({"value": Decimal("NaN")}, "value_finite", "value", "NaN", id="value_nan"),
        pytest.param({"value": None}, "value_finite", "value", None, id="value_null"),
        pytest.param({"value": Decimal("Infinity")}, "value_finite", "value", "Infinity", id="value_infinite"),
        pytest.param({"value_high": Decimal("NaN")}, "value_high_finite", "value_high", "NaN", id="range_bound_nan"),
        pytest.param(
            {"kind": "percent", "unit": "%", "unit_family": "percent", "value": Decimal("6911")},
            "percent_in_plausible_range",
            "value",
            "6911",
            id="rate_above_200pct",
        ),
        pytest.param(
            {"kind": "change_pct", "unit": "%", "unit_family": "percent", "value": Decimal("-120")},
            "percent_in_plausible_range",
            "value",
            "-120",
            id="decrease_below_minus_100pct",
        ),
        pytest.param({"value": Decimal("458.5")}, "count_whole_non_negative", "value", "458.5", id="fractional_count"),
        pytest.param({"value": Decimal("-458")}, "count_whole_non_negative", "value", "-458", id="negative_count"),
        pytest.param({"unit": "斤两"}, "known_unit", "unit", "斤两", id="unknown_unit"),
        pytest.param({"unit_family": "vibes"}, "known_unit_family", "unit_family", "vibes", id="unknown_family"),
        pytest.param({"kind": "guess"}, "known_kind", "kind", "guess", id="unknown_kind"),
        pytest.param({"indicator_code": "nope"}, "known_indicator", "indicator_code", "nope", id="unknown_indicator"),
        pytest.param({"approx": "roughly"}, "isin", "approx", "roughly", id="unknown_approx"),
        pytest.param({"region_code": "43"}, "str_matches", "region_code", "43", id="short_region_code"),
    ],
)
def test_each_check_rejects_its_row_with_column_and_value(
    changes: dict[str, object], check: str, column: str, value: object
) -> None:
    result = gate(
        pd.DataFrame([metric_row(metric_id="good"), metric_row(metric_id="bad", **changes)]), ExtractedMetrics
    )
    assert list(result.valid["metric_id"]) == ["good"]
    failure = result.failures.iloc[0]
    assert failure["index"] == 1
    assert str(failure["check"]).startswith(check)
    assert failure["column"] == column
    assert str(failure["failure_case"]) == str(value)


def test_a_negative_count_that_is_a_change_passes() -> None:
    # "比去年减少12名": a decrease of the metric before it
    change = metric_row(metric_id="m2", value=Decimal("-12"), modifies_metric_id="m1")
    assert len(gate(pd.DataFrame([metric_row(), change]), ExtractedMetrics).valid) == 2


def test_points_change_has_its_own_range() -> None:
    points = metric_row(kind="change_pct", unit="个百分点", unit_family="percent", value=Decimal("-15.3"))
    too_many = metric_row(
        metric_id="m2", kind="change_pct", unit="个百分点", unit_family="percent", value=Decimal("150")
    )
    result = gate(pd.DataFrame([points, too_many]), ExtractedMetrics)
    assert list(result.valid["metric_id"]) == ["m1"]


def test_a_row_failing_two_checks_is_reported_once_per_check() -> None:
    result = gate(pd.DataFrame([metric_row(value=Decimal("NaN"), kind="guess")]), ExtractedMetrics)
    assert result.valid.empty
    assert sorted(map(str, result.failures["check"])) == ["known_kind", "value_finite"]


def test_duplicate_metric_ids_fail_uniqueness() -> None:
    result = gate(pd.DataFrame([metric_row(), metric_row()]), ExtractedMetrics)
    assert result.valid.empty
    assert (result.failures["check"].astype(str) == "field_uniqueness").all()


def test_a_missing_column_rejects_the_whole_frame() -> None:
    df = pd.DataFrame([metric_row(), metric_row(metric_id="m2")]).drop(columns=["kind"])
    result = gate(df, ExtractedMetrics)
    assert result.valid.empty
    assert "kind" in set(result.failures["failure_case"].astype(str)) | set(result.failures["column"])


def test_duplicate_document_content_keeps_the_first_file() -> None:
    result = gate(pd.DataFrame([document_row(), document_row(doc_id="copy", source_path="inbox/copy.txt")]), Documents)
    assert list(result.valid["doc_id"]) == ["d"]
    assert list(result.failures["check"]) == ["unique_content_hash"]
    assert result.failures["failure_case"].iloc[0] == HASH


def test_document_dates_must_be_plausible() -> None:
    df = pd.DataFrame(
        [document_row(published_at=datetime(2021, 11, 3)), document_row(doc_id="e", content_hash="b" * 64)],
    )
    df.loc[1, "published_at"] = datetime(2100, 1, 1)
    result = gate(df, Documents)
    assert list(result.valid["doc_id"]) == ["d"]
    assert list(result.failures["check"]) == ["published_at_plausible"]


def test_links_must_name_a_known_relation() -> None:
    links = pd.DataFrame(
        [
            {"metric_id": "a", "related_metric_id": "b", "relation": "part_of", "content_hash": HASH},
            {"metric_id": "a", "related_metric_id": "b", "relation": "cousin_of", "content_hash": HASH},
            {"metric_id": "a", "related_metric_id": "a", "relation": "numerator", "content_hash": HASH},
        ]
    )
    result = gate(links, MetricLinks)
    assert list(result.valid["relation"]) == ["part_of"]


def test_document_text_must_match_its_character_count() -> None:
    result = gate(
        pd.DataFrame([document_row(), document_row(doc_id="e", content_hash="b" * 64, char_count=11)]), Documents
    )
    assert list(result.valid["doc_id"]) == ["d"]
    assert list(result.failures["check"].astype(str)) == ["char_count_matches_text"]


def test_the_models_list_the_columns_of_the_rows_the_tables_and_their_comments() -> None:
    # "the courts accepted 100 cases, 60 of them criminal": two metrics and a part_of link
    reading = analyse("全区法院受理案件100件,其中刑事案件60件。", source_name="d")
    assert [tuple(r.row()) for r in reading.records] == [METRIC_COLUMNS] * 2
    assert [tuple(link._asdict()) for link in reading.links] == [LINK_COLUMNS]
    con = duckdb.connect()
    apply_schema(con)
    apply_comments(con)
    own = load_comments()["tables"]
    loaded = {
        "metrics": [c for c in METRIC_COLUMNS if c not in GATE_ONLY_COLUMNS],
        "metric_links": list(LINK_COLUMNS),
    }
    for table, columns in loaded.items():
        described = con.execute(
            "select column_name, comment from duckdb_columns() where table_name = ? order by column_index", [table]
        ).fetchall()
        # the table holds the model's columns, in its order, and the run that loaded each row
        assert [name for name, _ in described] == [*columns, "run_id"], table
        assert all(comment for _, comment in described), table
        assert set(own[table]["columns"]) <= {*columns, "run_id"}, table  # type: ignore[index]
