"""Incremental loads into real DuckDB files, and the marts and consistency view over what was loaded."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from published_runs import publish_run, text_document

from transforms.indicators import load_catalog
from transforms.rows import rejection_row
from transforms.version import analysis_version
from warehouse.backend import DuckDBFileWarehouse
from warehouse.load import STAT_COLUMNS, plan_load
from warehouse.store import connect_read_only, publish

# A short court report: closure rate consistent with its counts, a completion rate that is not, a breakdown whose
# parts exceed their total, and opinions resolved out of those collected.
REPORT = (
    "全市法院新收案件1379件,旧存68件,结案1000件,结案率69.11%。"  # closure rate 69.11% = 1000 / (1379 + 68)
    "全年共受理群众来信来访5571条,办结3904条,办结率75%。"  # completion rate 75% ≠ 3904 / 5571 = 70.08%
    "检察院公益诉讼立案3件(其中生态环境领域2件,其他2件)。"  # 3 filed, of which 2 + 2: parts exceed the total
    "征求意见建议75条,已解决65个。"  # 65 of 75 opinions resolved
)


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    target = tmp_path / "metrics.duckdb"
    publish_run(target, "r1", [text_document("report", REPORT)])
    return target


def test_consistency_view_recomputes_rates_parts_and_resolved(warehouse: Path) -> None:
    with connect_read_only(warehouse) as con:
        rows = con.execute(
            "select check_name, stated_mention, recomputed_from, round(recomputed_value, 2), is_consistent "
            "from consistency_checks order by check_name, stated_mention"
        ).fetchall()
    assert rows == [
        ("parts_within_total", "3件", "2件 + 2件", Decimal("4.00"), False),
        ("rate_from_counts", "69.11%", "1000件 / (1379件 + 68件)", Decimal("69.11"), True),
        ("rate_from_counts", "75%", "3904条 / 5571条", Decimal("70.08"), False),
        ("resolved_within_collected", "75条", "65个", Decimal("65.00"), True),
    ]


def test_marts_aggregate_by_indicator_and_list_unmapped_subjects(warehouse: Path) -> None:
    with connect_read_only(warehouse) as con:
        by_doc = dict(
            con.execute(
                "select indicator_code, value_sum from metrics_by_document where indicator_code is not null"
            ).fetchall()
        )
        assert by_doc["cases_new"] == Decimal("1379") and by_doc["opinions_resolved"] == Decimal("65")
        assert by_doc["public_interest_cases_filed"] == Decimal("3")  # the 其中 parts are not headline figures
        unmapped = {r[0] for r in con.execute("select subject from unmapped_subjects").fetchall()}
        assert "其他" in unmapped  # a 其中 part that names no field of public-interest litigation (生态环境领域 does)
        assert con.execute("select count(*) from metrics_by_region").fetchall()[0][0] > 0
        assert con.execute("select count(*) from metrics_by_organisation").fetchall()[0][0] > 0
        assert con.execute("select count(*) from indicators").fetchall()[0][0] == len(load_catalog().indicators)


def test_plan_classifies_documents_against_the_published_state(warehouse: Path) -> None:
    state = DuckDBFileWarehouse(warehouse).read_published().state
    version = load_catalog().version
    report = text_document("report", REPORT)
    edited = text_document("report", REPORT + "新增一句。")
    renamed = text_document("renamed", REPORT)
    plan = plan_load([(report.doc_id, report.content_hash)], state, analysis_version(), version)
    assert plan.unchanged == ["report"] and not plan.to_extract
    assert plan_load([(edited.doc_id, edited.content_hash)], state, analysis_version(), version).changed == ["report"]
    renamed_plan = plan_load([(renamed.doc_id, renamed.content_hash)], state, analysis_version(), version)
    assert renamed_plan.changed == ["renamed"]
    assert plan_load([(report.doc_id, report.content_hash)], state, "next", version).reextracted == ["report"]
    assert plan_load([("other", "f" * 64)], state, analysis_version(), version).new == ["other"]
    assert DuckDBFileWarehouse(warehouse.with_name("none.duckdb")).read_published().state.empty
    # the same bytes under a new name while the loaded file is still there: a copy, not a rename
    both = [(report.doc_id, report.content_hash), (renamed.doc_id, renamed.content_hash)]
    copied = plan_load(both, state, analysis_version(), version)
    assert copied.duplicates == [("renamed", "report")] and copied.unchanged == ["report"] and not copied.changed


def test_a_changed_file_replaces_its_rows_and_a_vanished_one_is_marked(warehouse: Path) -> None:
    other = text_document("other", "全区458名政法干警参加学习。")
    publish_run(warehouse, "r2", [other], present=["report", "other"])
    edited = text_document("report", "全市法院新收案件1400件。")
    written = publish_run(warehouse, "r3", [edited], present=["report"])
    assert written["documents_missing"] == 1
    with connect_read_only(warehouse) as con:
        docs = dict(con.execute("select doc_id, status from documents").fetchall())
        assert docs == {"report": "current", "other": "missing"}
        assert con.execute("select count(*) from metrics where doc_id = 'report'").fetchall() == [(1,)]
        assert con.execute("select count(*) from metrics where doc_id = 'other'").fetchall() == [(1,)]
        assert con.execute("select count(*) from metric_links").fetchall() == [(0,)]
        assert con.execute("select missing_since_run_id from documents where doc_id = 'other'").fetchall() == [("r3",)]
        # marts only count documents still in the input folder
        assert con.execute("select count(*) from stg_metrics where not is_current").fetchall() == [(1,)]
        assert con.execute("select count(*) from metrics_by_document where doc_id = 'other'").fetchall() == [(0,)]


def test_a_rejection_that_recurs_is_recorded_once(warehouse: Path) -> None:
    empty_file = rejection_row("empty", "inbox/empty.txt", "ingest", "empty", "file is empty")
    for run_id in ("r2", "r3"):
        publish_run(warehouse, run_id, [], present=["report", "empty"], extra_rejections=[empty_file])
    with connect_read_only(warehouse) as con:
        assert con.execute("select run_id from rejections where doc_id = 'empty'").fetchall() == [("r2",)]
        assert con.execute("select count(*) from runs").fetchall() == [(3,)]
        assert con.execute("select status from documents").fetchall() == [("current",)]


def test_a_range_is_loaded_as_one_metric_with_its_upper_bound(tmp_path: Path) -> None:
    # "Each volunteer was rewarded 5 to 80 thousand yuan; two or three officers took part; 1200 people attended."
    target = tmp_path / "metrics.duckdb"
    publish_run(target, "r1", [text_document("ranges", "奖励志愿者5至8万元,抽调两三名干警,参会群众1200名。")])
    with connect_read_only(target) as con:
        rows = con.execute("select mention, value, value_high from stg_metrics order by start_offset").fetchall()
    assert rows == [
        ("5至8万元", Decimal("50000.000000"), Decimal("80000.000000")),
        ("两三名", Decimal("2.000000"), Decimal("3.000000")),
        ("1200名", Decimal("1200.000000"), None),
    ]


def test_the_same_bytes_under_two_names_in_one_run_load_once() -> None:
    report = text_document("a/report.txt", REPORT)
    copy = text_document("b/report copy.txt", REPORT)
    other = text_document("other.txt", "全区458名政法干警参加学习。")
    docs = [(d.doc_id, d.content_hash) for d in (report, copy, other)]
    plan = plan_load(
        docs,
        DuckDBFileWarehouse(Path("/nonexistent.duckdb")).read_published().state,
        analysis_version(),
        load_catalog().version,
    )
    assert plan.new == ["a/report.txt", "other.txt"]
    assert plan.duplicates == [("b/report copy.txt", "a/report.txt")]


def _set_attribution(target: Path, regions: dict[str, str | None]) -> None:
    """Publish a version where no figure has an organisation and each document's figures have the given region."""

    def write(con):  # type: ignore[no-untyped-def]
        con.execute("update metrics set org = null, region_code = null")
        for doc_id, region in regions.items():
            con.execute("update metrics set region = ? where doc_id = ?", [region, doc_id])
            con.execute("update documents set region = ?, region_code = null where doc_id = ?", [region, doc_id])

    publish(target, write)


def test_figures_without_organisation_stay_in_their_own_region(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    # "the district has 458 officers (120 of them in its offices)" in a provincial report; "2.7 million nationwide"
    local = text_document("gansu.txt", "全区共有政法干警458名。全区机关有政法干警120名。")
    national = text_document("national.txt", "全国共有政法干警270万名。")
    publish_run(target, "r1", [local, national])
    _set_attribution(target, {"gansu.txt": "甘肃省", "national.txt": None})
    with connect_read_only(target) as con:
        rows = con.execute(
            "select org, region, mention_count, latest_value from metrics_by_organisation "
            "where indicator_code = 'political_legal_officers' order by region nulls first"
        ).fetchall()
    assert rows == [(None, None, 1, Decimal("2700000")), (None, "甘肃省", 2, Decimal("458"))]


def test_latest_value_breaks_date_ties_the_documented_way_and_rates_are_not_summed(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    # two undated reports of one district: the ordering rule picks the greatest doc_id, then the first mention
    first = text_document("a.txt", "全区共有政法干警8名。结案率68.17%。")
    second = text_document("b.txt", "全区共有政法干警458名,机关有政法干警12名。结案率70.28%。")
    publish_run(target, "r1", [first, second])
    _set_attribution(target, {"a.txt": "湖南省株洲市石峰区", "b.txt": "湖南省株洲市石峰区"})
    for _ in range(3):  # fresh connections, several threads: always the same figure
        with connect_read_only(target) as con:
            con.execute("set threads = 4")
            rows = dict(
                con.execute(
                    "select indicator_code, (latest_value, value_sum) from metrics_by_region "
                    "where indicator_code in ('political_legal_officers', 'case_closure_rate')"
                ).fetchall()
            )
            assert rows["political_legal_officers"][0] == Decimal("458")
            assert rows["case_closure_rate"] == (Decimal("70.28"), None)  # a rate is never summed


def test_listings_recorded_are_those_of_loaded_documents_and_of_unchanged_files_listed_anew() -> None:
    from transforms.ingest import FileStat
    from warehouse.load import Published, nothing_new, stat_rows

    state = pd.DataFrame(
        [
            ("same", "h1", "v", "c", "current", 10, 100, 7),
            ("touched", "h2", "v", "c", "current", 10, 100, 8),
            ("too-soon", "h3", "v", "c", "current", 10, 100, 9),
        ],
        columns=["doc_id", "content_hash", "extractor_version", "catalog_version", "status", *STAT_COLUMNS],
    )
    recorded = {
        "same": ("h1", FileStat(10, 100, 7), FileStat(10, 100, 7)),
        "touched": ("h2", FileStat(10, 200, 8), FileStat(10, 200, 8)),
        "too-soon": ("h3", FileStat(10, 300, 9), None),  # written just before it was listed
        "loaded": ("h4", FileStat(5, 400, 10), None),
    }
    rows = stat_rows(recorded, {"loaded"}, {"same", "touched", "too-soon"}, state)
    assert rows.astype(object).where(rows.notna(), None).values.tolist() == [
        ["touched", "h2", 10, 200, 8],
        ["loaded", "h4", 5, None, 10],  # its time is not trusted yet: read again next time
    ]
    published = Published(state, frozenset({"r1"}), ("run1", "c", "layout"))
    nothing = stat_rows({}, set(), {"same", "touched", "too-soon"}, state)
    present = ["same", "touched", "too-soon"]
    no_docs: set[str] = set()
    assert nothing_new(published, no_docs, nothing, ["r1"], present, "c", "layout")
    assert not nothing_new(published, no_docs, rows, ["r1"], present, "c", "layout")  # listings to record
    assert not nothing_new(published, no_docs, nothing, ["r1", "r2"], present, "c", "layout")  # a new rejection
    assert not nothing_new(published, no_docs, nothing, ["r1"], present[:2], "c", "layout")  # a file gone
    assert not nothing_new(published, no_docs, nothing, ["r1"], present, "c", "other layout")  # new views
    assert not nothing_new(published, no_docs, nothing, ["r1"], present, "c2", "layout")  # new catalog
    assert not nothing_new(Published(state), no_docs, nothing, [], present, "c", "layout")  # never published
    assert not nothing_new(published, {"loaded"}, nothing, ["r1"], present, "c", "layout")  # a document loaded


def test_a_value_wider_than_the_sampled_ones_is_loaded_exactly(tmp_path: Path) -> None:
    # "12 cases accepted" 1,999 times and "12,345,678,901,234,567.5 yuan fined in all" as the 1,502nd of the 2,000
    # metrics: DuckDB types the Decimal values from a sample of the rows (every other one here), which skips it
    small = "受理案件12件。"
    text = small * 1501 + "累计罚款12345678901234567.5元。" + small * 498
    target = tmp_path / "metrics.duckdb"
    publish_run(target, "r1", [text_document("wide", text)])
    with connect_read_only(target) as con:
        values = con.execute("select value, count(*) from metrics group by value order by value").fetchall()
    assert values == [(Decimal("12"), 1999), (Decimal("12345678901234567.5"), 1)]


def test_scaled_and_fractional_values_are_loaded_exactly(tmp_path: Path) -> None:
    # "12 thousand cases accepted, fines of 300 million yuan, a closure rate of 69.115 %, 0.5 thousand people":
    # values scaled by 万 and 亿 (exact decimals, whatever their exponent) pass to DuckDB as text, cast there
    text = "受理案件1.2万件。罚款3亿元。结案率69.115%。培训0.05万人。"
    target = tmp_path / "metrics.duckdb"
    publish_run(target, "r1", [text_document("scaled", text)])
    with connect_read_only(target) as con:
        values = {row[0]: row[1] for row in con.execute("select mention, value from metrics").fetchall()}
    assert values == {
        "1.2万件": Decimal("12000"),
        "3亿元": Decimal("300000000"),
        "69.115%": Decimal("69.115"),
        "0.05万人": Decimal("500"),
    }
