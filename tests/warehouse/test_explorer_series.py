"""The explorer's chart of one indicator across regions and periods, from rows of the indicator_series mart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from warehouse.explorer_page import SERIES_CHART_ID, series_chart, series_figure


def _row(code: str, name: str, region: str | None, end: date, value: str, org: str = "石峰区人民法院") -> dict:
    return {
        "indicator_code": code,
        "indicator_name": name,
        "org": org,
        "region": region,
        "period_end": end,
        "value": Decimal(value),
        "unit": "%",
    }


def test_one_line_per_region_and_a_menu_entry_per_indicator() -> None:
    rows = [
        _row("case_closure_rate", "结案率", "湖南省株洲市石峰区", date(2020, 12, 31), "94.79"),
        _row("case_closure_rate", "结案率", "湖南省株洲市石峰区", date(2021, 12, 31), "70.49"),
        _row("case_closure_rate", "结案率", "湖南省株洲市荷塘区", date(2021, 12, 31), "90", org="荷塘区人民法院"),
        _row("cases_new", "新收案件数", "湖南省株洲市石峰区", date(2021, 12, 31), "1379"),
    ]
    figure = series_figure(rows)
    assert figure is not None
    traces = [(t.name, list(t.x), list(t.y), t.visible) for t in figure.data]
    # the indicator with the most figures is shown first; the others are hidden until picked in the menu
    assert traces == [
        ("湖南省株洲市石峰区", ["2020-12-31", "2021-12-31"], [94.79, 70.49], True),
        ("湖南省株洲市荷塘区", ["2021-12-31"], [90.0], True),
        ("湖南省株洲市石峰区", ["2021-12-31"], [1379.0], False),
    ]
    buttons = figure.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["结案率 (case_closure_rate)", "新收案件数 (cases_new)"]
    assert buttons[1].args[0]["visible"] == [False, False, True]
    assert f'id="{SERIES_CHART_ID}"' in series_chart(rows)


def test_no_usable_rows_says_so() -> None:
    undated = _row("cases_new", "新收案件数", None, date(2021, 12, 31), "1") | {"period_end": None}
    page = series_chart([undated])
    assert f'id="{SERIES_CHART_ID}"' in page and 'data-empty="true"' in page


def test_the_axis_shows_each_indicators_periods_padded_so_a_single_period_is_not_a_millisecond() -> None:
    rows = [
        _row("case_closure_rate", "结案率", "湖南省株洲市石峰区", date(2020, 12, 31), "94.79"),
        _row("case_closure_rate", "结案率", "湖南省株洲市石峰区", date(2021, 12, 31), "70.49"),
        _row("cases_new", "新收案件数", "湖南省株洲市石峰区", date(2021, 12, 31), "1379"),
    ]
    figure = series_figure(rows)
    assert figure is not None
    low, high = (date.fromisoformat(d) for d in figure.layout.xaxis.range)
    assert low < date(2020, 12, 31) and high > date(2021, 12, 31)  # the first indicator's periods, inside
    single = figure.layout.updatemenus[0].buttons[1].args[1]["xaxis.range"]  # one period only: about a year
    assert (date.fromisoformat(single[1]) - date.fromisoformat(single[0])).days >= 365
