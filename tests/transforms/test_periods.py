"""Period phrases read by `transforms.periods` directly: short sentences written for these tests, with glosses."""

from __future__ import annotations

from datetime import date

import pytest

from transforms.evidence import lead_paragraphs
from transforms.periods import Periods, number, plausible
from transforms.sentences import Segments

D = date


def _periods(text: str, published: date | None, title: str | None = None) -> Periods:
    return Periods(text, Segments(text), published, title, lead_paragraphs(text, 3, 10))


@pytest.mark.parametrize(
    ("word", "value"),
    [("9", 9), ("九", 9), ("十二", 12), ("两", 2), ("二十", 20), ("x", None), (None, None)],
)
def test_number(word: str | None, value: int | None) -> None:
    assert number(word) == value


@pytest.mark.parametrize(
    ("window", "kept"),
    [
        pytest.param((D(2021, 1, 1), D(2021, 12, 31), None), True, id="a_year"),
        pytest.param((None, None, D(1995, 6, 30)), True, id="a_stock_of_1995"),
        pytest.param((D(4, 1, 1), D(4, 12, 31), None), False, id="the_year_4"),
        pytest.param((D(2021, 1, 1), D(9999, 12, 31), None), False, id="an_end_in_9999"),
    ],
)
def test_plausible(window: tuple[date | None, date | None, date | None], kept: bool) -> None:
    assert (plausible(window) is not None) is kept


def test_title_window_covers_the_document() -> None:
    text = "全区1-9月审判数据\n新收案件500件。"  # title "the district's January-September court data" / "500 new cases"
    periods = _periods(text, D(2021, 10, 15), title="全区1-9月审判数据")
    assert periods.period_at(text.index("500件")) == (D(2021, 1, 1), D(2021, 9, 30), None)


def test_figure_without_period_holds_at_publication() -> None:
    text = "全区共有调解组织120个。"  # "the district has 120 mediation organisations"
    assert _periods(text, D(2021, 10, 15)).period_at(text.index("120个")) == (None, None, D(2021, 10, 15))


def test_misread_document_date_is_no_reference() -> None:
    text = "今年以来受理案件60件。"  # "60 cases since the start of this year"
    assert _periods(text, D(4, 5, 1)).period_at(text.index("60件")) == (None, None, None)


def test_cut_off_in_the_opening_dates_the_breakdown() -> None:
    text = (
        "自2月底以来，教育整顿在市县两级集中开展，全体干警参加，取得明显成效。\n"
        "截至今年7月31日，共处理干警1000人，其中主动投案的干警有300人。\n"
        "从处理方式看，诫勉谈话800人。"
    )  # "since late February …" / "as of 31 July, 1,000 officers dealt with …" / "by kind: 800 admonished"
    periods = _periods(text, D(2021, 8, 30))
    assert periods.period_at(text.index("800人")) == (None, None, D(2021, 7, 31))


def test_undated_report_takes_the_year_its_title_writes() -> None:
    title = "博湖县人民法院2016年1-9月审判执行数据"  # "Bohu county court: January-September 2016 figures"
    text = title + "\n1-9月，共受理案件600件；12月受理案件80件。"  # "Jan-Sep: 600 cases; December: 80"
    periods = _periods(text, None, title=title)
    assert periods.period_at(text.index("600件")) == (D(2016, 1, 1), D(2016, 9, 30), None)
    assert periods.period_at(text.index("80件")) == (D(2016, 12, 1), D(2016, 12, 31), None)


def test_a_year_naming_an_event_dates_neither_the_report_nor_the_clauses_after_it() -> None:
    # "on 9 January the provincial government held the 2026 'Police report to the people' press conference; the
    # deputy head said that in 2025 criminal cases fell 6.56%. \n Across the province public-order cases fell
    # 3.62%": the press conference is 2026's, the figures are 2025's
    text = (
        "1月9日，省政府举行2026年全省公安“向人民报告”新闻发布会。副厅长通报，2025年，刑事案件同比下降6.56%。\n"
        "全省治安案件同比下降3.62%。"
    )
    periods = _periods(text, D(2026, 1, 9))
    assert periods.period_at(text.index("6.56%")) == (D(2025, 1, 1), D(2025, 12, 31), None)
    assert periods.period_at(text.index("3.62%")) == (D(2025, 1, 1), D(2025, 12, 31), None)


def test_the_base_of_a_record_dates_nothing_after_it() -> None:
    # "in 2018 crime fell 3.2% to 54,225 cases, the lowest since 1974. The crime rate per 100,000 was 728": the
    # lowest *since 1974* is a record's base, not the window of the figures after it
    text = "2018年整体罪案减少至54225宗，较前一年下跌3.2%，是自1974年以来的新低。以每十万人口计的罪案率为728宗。"
    periods = _periods(text, D(2019, 1, 29))
    assert periods.period_at(text.index("728宗")) == (D(2018, 1, 1), D(2018, 12, 31), None)


@pytest.mark.parametrize("opening", ["前", "头", "首"])
def test_the_first_months_of_the_year(opening: str) -> None:
    # "in the first four months of this year crime fell 5%" (前, 头 and 首 all open the year's first months)
    text = f"今年{opening}四个月，罪案下降5%。"
    assert _periods(text, D(2025, 5, 20)).period_at(text.index("5%")) == (D(2025, 1, 1), D(2025, 4, 30), None)
