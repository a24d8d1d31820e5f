"""Tables flattened into text (transforms/flat_tables.py): which lines form a table and where its cells are."""

from __future__ import annotations

import pytest

from transforms.flat_tables import find_tables, is_value

PIPE = "| 庭室 | 收案数(件) | 结案率(%) |\n|---|---|---|\n| 甲庭 | 120 | 83.3 |\n| 乙庭 | 95 | 94.7 |"
SPACED = "单位：件\n庭室    收案    结案\n刑事庭   120    110\n民事庭   340    301\n以上为全年数据。"


def test_pipe_table_cells_are_spans_of_the_text() -> None:
    (tb,) = find_tables(PIPE)
    assert [c.text for c in tb.header] == ["庭室", "收案数(件)", "结案率(%)"]
    assert [[c.text for c in row] for row in tb.rows] == [["甲庭", "120", "83.3"], ["乙庭", "95", "94.7"]]
    for row in (tb.header, *tb.rows):
        for c in row:
            assert PIPE[c.start : c.end] == c.text
    assert tb.unit == ""


def test_whitespace_table_with_unit_line_ends_before_prose() -> None:
    (tb,) = find_tables(SPACED)
    assert tb.unit == "件"
    assert [r[0].text for r in tb.rows] == ["刑事庭", "民事庭"]
    assert SPACED[tb.start : tb.end] == "庭室    收案    结案\n刑事庭   120    110\n民事庭   340    301"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("加入收藏 | 设为首页 | 人员查询\n全年受理案件120件。", id="navigation_line"),  # site menu
        pytest.param("全年 受理 案件\n共 120 件\n同比 上升 3%", id="spaced_prose"),  # rows must be label + numbers
        pytest.param("项目  收案\n甲庭  120", id="one_spaced_row"),  # one row of blanks is too little evidence
        pytest.param("时间:2016-04-20 14:57:41  来源:本报\n作者  金梦", id="page_header"),
    ],
)
def test_prose_is_no_table(text: str) -> None:
    assert find_tables(text) == []


def test_ragged_row_ends_the_table() -> None:
    text = "项目  收案  结案\n甲庭  120  100\n乙庭  95  90\n丙庭  80\n"
    (tb,) = find_tables(text)
    assert len(tb.rows) == 2


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("120", True), ("1,040", True), ("-5.2", True), ("83.3%", True), ("1.2万", True), ("120件", True),
     ("2023年", False), ("2023", False), ("甲庭", False), ("-", False), ("3-5", False)],
)  # fmt: skip
def test_is_value(cell: str, expected: bool) -> None:
    assert is_value(cell) is expected


def test_index_column_is_not_the_label() -> None:
    text = "序号  单位      收案(件)\n1     甲法院    1200\n2     乙法院    860"
    (tb,) = find_tables(text)
    assert tb.label == 1
    assert [r[tb.label].text for r in tb.rows] == ["甲法院", "乙法院"]


def test_heading_without_a_label_cell() -> None:
    text = "            2022年    2023年\n刑事案件    1,204     1,356\n民事案件    3,410     3,872"
    (tb,) = find_tables(text)
    assert [c.text for c in tb.header] == ["", "2022年", "2023年"]
    assert len(tb.rows) == 2 and all(len(r) == 3 for r in tb.rows)
