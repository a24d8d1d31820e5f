"""Tables as metrics: which cells are figures, and each figure's subject, unit, kind, period and link."""

from __future__ import annotations

from datetime import date

from transforms.formats import Block, compose
from transforms.tables import TableMetric, table_metrics


def _read(rows: list[list[str]], caption: str = "", day: date | None = None) -> tuple[str, list[TableMetric]]:
    blocks = ([Block("paragraph", caption)] if caption else []) + [Block("table", rows=tuple(map(tuple, rows)))]
    text, layout = compose(blocks)
    found = table_metrics(layout.tables[0], day)
    for tm in found:  # every span is the figure as written in the canonical text
        assert text[tm.metric.start : tm.metric.end] == tm.metric.mention
        assert tm.metric.sentence_start <= tm.metric.start < tm.metric.end <= tm.metric.sentence_end
    return text, found


def _short(found: list[TableMetric]) -> list[tuple]:
    return [(t.metric.mention, str(t.metric.value), t.metric.unit, t.metric.kind, t.metric.subject) for t in found]


def test_columns_measuring_different_things_add_the_heading_to_the_subject() -> None:
    # district | cases accepted | cases closed | closure rate (%); the totals row 全市 is a metric of its own
    _, found = _read(
        [
            ["地区", "收案数(件)", "结案数(件)", "结案率(%)"],
            ["石峰区", "1379", "1000", "72.5"],
            ["全市", "13790", "12000", "87.02"],
        ]
    )
    assert _short(found) == [
        ("1379", "1379", "件", "count", "石峰区收案数"),
        ("1000", "1000", "件", "count", "石峰区结案数"),
        ("72.5", "72.5", "%", "percent", "石峰区结案率"),
        ("13790", "13790", "件", "count", "全市收案数"),
        ("12000", "12000", "件", "count", "全市结案数"),
        ("87.02", "87.02", "%", "percent", "全市结案率"),
    ]
    assert found[0].provenance.row_label == "石峰区"
    assert found[0].provenance.column_heading == "收案数(件)"


def test_row_numbers_header_rows_and_notes_are_not_metrics() -> None:
    # No. | item | amount (10k yuan) ; a note row at the end
    _, found = _read(
        [
            ["序号", "项目", "金额（万元）"],
            ["1", "司法救助", "1234.5"],
            ["2", "法律援助", "88"],
            ["注：金额为全年数，不含追加部分", "", ""],
        ]
    )
    assert _short(found) == [
        ("1234.5", "12345000", "元", "amount", "司法救助"),
        ("88", "880000", "元", "amount", "法律援助"),
    ]
    assert [t.provenance.column_index for t in found] == [2, 2]


def test_unit_from_the_caption_and_change_from_the_heading() -> None:
    # "Unit: 10k yuan" above the table; 比上年增长% is a change in percent linked to the row's value
    _, found = _read(
        [["项目", "2022年", "比上年增长%"], ["办案经费", "356", "-4.5"], ["装备经费", "120", "—"]],
        caption="表1 政法经费情况（单位：万元）",
    )
    assert _short(found) == [
        ("356", "3560000", "元", "amount", "办案经费"),
        ("-4.5", "-4.5", "%", "change_pct", "办案经费"),
        ("120", "1200000", "元", "amount", "装备经费"),
    ]
    assert found[1].metric.modifies == 0
    assert found[0].provenance.period_start == date(2022, 1, 1)
    assert found[1].provenance.period_label is None  # 比上年 compares with last year; the change is not of it


def test_this_period_and_same_period_last_year_are_read_against_the_document_date() -> None:
    # item | 1-9月 this period | same period last year | y/y ± %
    _, found = _read(
        [["指标", "本期(1-9月)", "去年同期", "同比±%"], ["受理案件", "1520件", "1488件", "2.2"]],
        day=date(2023, 10, 15),
    )
    assert _short(found) == [
        ("1520件", "1520", "件", "count", "受理案件"),
        ("1488件", "1488", "件", "count", "受理案件"),
        ("2.2", "2.2", "%", "change_pct", "受理案件"),
    ]
    periods = [(t.provenance.period_label, t.provenance.period_start, t.provenance.period_end) for t in found]
    assert periods[0] == ("1-9月", date(2023, 1, 1), date(2023, 9, 30))
    assert periods[1] == ("去年同期", date(2022, 1, 1), date(2022, 10, 15))
    assert found[2].metric.modifies == 1  # the change follows the value just before it in the row


def test_year_columns_are_headings_not_figures() -> None:
    _, found = _read([["类别", "2021", "2022"], ["刑事案件", "1,200", "1,379"]])
    assert [(t.metric.mention, t.provenance.period_label, t.metric.subject) for t in found] == [
        ("1,200", "2021", "刑事案件"),
        ("1,379", "2022", "刑事案件"),
    ]


def test_a_table_of_text_gives_no_metrics() -> None:
    _, found = _read([["工作", "做法"], ["教育整顿", "开展集中学习"], ["查纠整改", "深入排查"]])
    assert found == []


def test_a_single_row_table_gives_no_metrics() -> None:
    _, found = _read([["收案数", "1379"]])
    assert found == []


def test_unit_in_the_row_label_and_rates_without_a_unit() -> None:
    # indicator rows with the unit in the label; 2022 | growth % ; a rate row with no unit stated
    _, found = _read(
        [
            ["指标", "2022年", "增长%"],
            ["（一）受理案件（件）", "13790", "12.5"],
            ["其中：刑事案件（件）", "1379", "-3.2"],
            ["执行到位金额（亿元）", "1.2", "8"],
            ["结案率", "87.02", "1.5"],
        ]
    )
    assert _short(found) == [
        ("13790", "13790", "件", "count", "受理案件"),
        ("12.5", "12.5", "%", "change_pct", "受理案件"),
        ("1379", "1379", "件", "count", "刑事案件"),
        ("-3.2", "-3.2", "%", "change_pct", "刑事案件"),
        ("1.2", "120000000", "元", "amount", "执行到位金额"),
        ("8", "8", "%", "change_pct", "执行到位金额"),
        ("87.02", "87.02", "%", "percent", "结案率"),
        ("1.5", "1.5", "%", "change_pct", "结案率"),
    ]
    assert found[2].provenance.row_label == "其中：刑事案件（件）"  # as written


def test_rank_column_gives_ranks() -> None:
    # court | closure rate (%) | rank in the city
    _, found = _read([["法院", "结案率(%)", "全市排名"], ["石峰区法院", "92.1", "1"], ["芦淞区法院", "88.4", "3"]])
    assert [(t.metric.mention, t.metric.kind, t.metric.unit_family, t.metric.subject) for t in found] == [
        ("92.1", "percent", "percent", "石峰区法院结案率"),
        ("1", "rank", "rank", "石峰区法院全市排名"),
        ("88.4", "percent", "percent", "芦淞区法院结案率"),
        ("3", "rank", "rank", "芦淞区法院全市排名"),
    ]


def test_group_labels_merged_down_rows_head_each_row() -> None:
    # case type (merged down two rows) | instance | cases
    _, found = _read([["案件类型", "审级", "收案数(件)"], ["刑事案件", "一审", "1200"], ["", "二审", "179"]])
    assert [(t.metric.subject, t.provenance.row_label) for t in found] == [
        ("刑事案件 一审", "刑事案件 一审"),
        ("刑事案件 二审", "刑事案件 二审"),
    ]


def test_rows_by_period_take_their_period_from_the_row_label() -> None:
    _, found = _read([["年度", "收案数(件)"], ["2021年", "1200"], ["2022年1-6月", "679"]])
    assert [(t.metric.mention, t.provenance.period_start, t.provenance.period_end) for t in found] == [
        ("1200", date(2021, 1, 1), date(2021, 12, 31)),
        ("679", date(2022, 1, 1), date(2022, 6, 30)),
    ]


def test_columns_of_years_dates_and_codes_are_not_metrics_and_arrows_are_signs() -> None:
    # unit | founded (year) | phone | cases | change
    _, found = _read(
        [
            ["单位", "成立年份", "联系电话", "收案数(件)", "同比(%)"],
            ["石峰区法院", "1998", "22841234", "1379", "↓3.2"],
            ["芦淞区法院", "2001", "22845678", "1200", "↑1.5"],
        ]
    )
    assert [(t.metric.mention, str(t.metric.value), t.metric.kind) for t in found] == [
        ("1379", "1379", "count"),
        ("↓3.2", "-3.2", "change_pct"),
        ("1200", "1200", "count"),
        ("↑1.5", "1.5", "change_pct"),
    ]


def test_rows_are_parts_of_the_totals_row() -> None:
    from transforms.tables import part_links

    # district | cases | y/y (%) ; 其中 is a part of the row above, not of the total
    _, found = _read(
        [
            ["地区", "收案数(件)", "同比(%)"],
            ["石峰区", "1379", "2.1"],
            ["其中：刑事", "200", "1.0"],
            ["芦淞区", "1200", "-1.5"],
            ["全市", "2579", "0.4"],
        ]
    )
    mentions = [t.metric.mention for t in found]
    assert [(mentions[p], mentions[t]) for p, t in part_links(found)] == [("1379", "2579"), ("1200", "2579")]


def test_no_parts_without_exactly_one_totals_row() -> None:
    from transforms.tables import part_links

    _, found = _read([["地区", "收案数(件)"], ["石峰区", "1379"], ["芦淞区", "1200"]])
    assert part_links(found) == []


def test_headings_merged_down_and_across_as_a_web_page_gives_them() -> None:
    # court (merged down) | total (merged down) | of which (merged across): criminal, civil — as trafilatura lays
    # out rowspan/colspan: the covered positions are empty cells
    _, found = _read(
        [
            ["法院", "合计(件)", "其中", ""],
            ["", "", "刑事", "民事"],
            ["石峰区法院", "1379", "200", "1179"],
        ]
    )
    assert [(t.metric.mention, t.metric.subject, t.metric.unit, t.provenance.column_heading) for t in found] == [
        ("1379", "石峰区法院", "件", "合计(件)"),
        ("200", "石峰区法院刑事", "", "其中 刑事"),
        ("1179", "石峰区法院民事", "", "其中 民事"),
    ]
