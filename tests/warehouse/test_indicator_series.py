"""The indicator series mart and its conflicts view, on a warehouse built from short court reports by a flow run."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from flows.pipeline import build_warehouse
from warehouse.store import connect_read_only

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_server")]

REPORTS = {
    # "Shifeng court 2021: 1379 new cases, up 12%; 68 carried over; 1000 closed; closure rate 69.11%, up 1.5 points."
    "shifeng_2021.txt": "石峰区人民法院2021年工作情况通报\n发布时间：2022-01-10\n"
    "2021年，石峰区人民法院新收案件1379件，同比上升12%，旧存68件，结案1000件，结案率69.11%，同比提高1.5个百分点。\n",
    # A later repost of the same statistics that disagrees: 1020 closed, closure rate 70.49%.
    "shifeng_2021_repost.txt": "石峰区人民法院2021年工作情况通报（转载）\n发布时间：2022-01-15\n"
    "2021年，石峰区人民法院新收案件1379件，旧存68件，结案1020件，结案率70.49%。\n",
    # "Shifeng court 2020: 1231 new, 75 carried over, 1238 closed, closure rate 94.79%."
    "shifeng_2020.txt": "石峰区人民法院2020年工作情况通报\n发布时间：2021-01-12\n"
    "2020年，石峰区人民法院新收案件1231件，旧存75件，结案1238件，结案率94.79%。\n",
    # "Hetang court 2021: 2000 new, 100 carried over, 1890 closed, closure rate 90%."
    "hetang_2021.txt": "荷塘区人民法院2021年工作情况通报\n发布时间：2022-01-11\n"
    "2021年，荷塘区人民法院新收案件2000件，旧存100件，结案1890件，结案率90%。\n",
}

# The README's query: 结案率 by court and year.
CLOSURE_RATE_BY_COURT_AND_YEAR = """
    select org, year(period_end) as year, value
    from indicator_series
    where indicator_name = '结案率'
    order by org, year
"""


@pytest.fixture(scope="module")
def warehouse(prefect_server: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("series")
    inbox = root / "inbox"
    inbox.mkdir()
    for name, text in REPORTS.items():
        (inbox / name).write_text(text, encoding="utf-8")
    target = root / "metrics.duckdb"
    assert build_warehouse(inbox, target).published
    yield target


def test_closure_rate_by_court_and_year_is_one_query(warehouse: Path) -> None:
    with connect_read_only(warehouse) as con:
        rows = con.execute(CLOSURE_RATE_BY_COURT_AND_YEAR).fetchall()
    # 2021 in Shifeng: the more recently published repost is shown; its disagreement is flagged, not hidden
    assert rows == [
        ("石峰区人民法院", 2020, Decimal("94.790000")),
        ("石峰区人民法院", 2021, Decimal("70.490000")),
        ("荷塘区人民法院", 2021, Decimal("90.000000")),
    ]


def test_series_rows_carry_their_source_and_linked_change(warehouse: Path) -> None:
    with connect_read_only(warehouse) as con:
        rows = con.execute(
            "select indicator_code, indicator_name, region_code, cast(period_start as varchar), doc_id, mention, "
            "change_indicator_code, change_value, change_unit, document_count, has_conflict from indicator_series "
            "where org = '石峰区人民法院' and year(period_end) = 2021 "
            "and indicator_code in ('cases_new', 'cases_closed', 'case_closure_rate') order by indicator_code"
        ).fetchall()
    rate, closed, new = rows
    # shown: the repost (published later); the change comes from the first report, which states it
    assert new == (
        "cases_new", "新收案件数", "430204", "2021-01-01", "shifeng_2021_repost.txt", "1379件",
        "cases_new__yoy_pct", Decimal("12.000000"), "%", 2, False,
    )  # fmt: skip
    assert rate[6:9] == ("case_closure_rate__yoy_pp", Decimal("1.500000"), "个百分点")
    assert closed[1] == "结案数" and closed[6] is None and closed[9:] == (2, True)


def test_one_row_per_indicator_org_region_period(warehouse: Path) -> None:
    with connect_read_only(warehouse) as con:
        dupes = con.execute(
            "select indicator_code, org, region_code, period_start, period_end, count(*) from indicator_series "
            "group by all having count(*) > 1"
        ).fetchall()
        names = con.execute(
            "select count(*) from indicator_series where indicator_name is null or indicator_name_en is null"
        ).fetchall()
    assert dupes == [] and names == [(0,)]


def test_conflicts_list_the_documents_that_disagree(warehouse: Path) -> None:
    with connect_read_only(warehouse) as con:
        rows = con.execute(
            "select indicator_code, doc_id, value, distinct_value_count from indicator_conflicts "
            "order by indicator_code, doc_id"
        ).fetchall()
    assert rows == [
        ("case_closure_rate", "shifeng_2021.txt", Decimal("69.110000"), 2),
        ("case_closure_rate", "shifeng_2021_repost.txt", Decimal("70.490000"), 2),
        ("cases_closed", "shifeng_2021.txt", Decimal("1000.000000"), 2),
        ("cases_closed", "shifeng_2021_repost.txt", Decimal("1020.000000"), 2),
    ]


def test_metrics_table_carries_the_indicator_name(warehouse: Path) -> None:
    with connect_read_only(warehouse) as con:
        rows = con.execute(
            "select distinct metrics.indicator_code, metrics.indicator_name, "
            "indicators.name_zh = metrics.indicator_name "
            "from metrics join indicators using (indicator_code) where metrics.indicator_code like 'case%' "
            "order by 1"
        ).fetchall()
    assert ("case_closure_rate", "结案率", True) in rows
    assert ("case_closure_rate__yoy_pp", "结案率同比变化百分点", True) in rows
    assert all(same for _, _, same in rows)
