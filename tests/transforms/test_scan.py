"""The fast scans give exactly the matches `re.finditer` gives for the patterns they stand for."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from transforms.scan import JointScan, branch_finditer

# texts drawn from the characters the patterns below care about, so that matches, overlaps and near misses abound
_TEXT = st.text(alphabet="0123456789年月日至前第季度全省市国排名一二三四，。", max_size=60)

_BRANCHES = (
    re.compile(r"(?P<y>\d\d{3})年"),  # a year
    re.compile(r"\d{1,2}月(?:\d{1,2}日)?"),  # a month, with its day
    re.compile(r"全(?:国|省|市)(?=[^，。]{0,4}排名)[^，。]*"),  # a ranking's field, up to the punctuation
)


@given(_TEXT)
def test_branch_finditer_is_finditer_of_the_alternation(text: str) -> None:
    alternation = re.compile("|".join(f"(?:{b.pattern})" for b in _BRANCHES))
    expected = [m.span() for m in alternation.finditer(text)]
    assert [m.span() for _, m in branch_finditer(_BRANCHES, text)] == expected


def test_branch_finditer_names_the_branch_that_matched() -> None:
    # 2021年3月: the year, then the month; 全省排名第一: the field of a ranking
    found = [(i, m.group()) for i, m in branch_finditer(_BRANCHES, "2021年3月，全省排名第一")]
    assert found == [(0, "2021年"), (1, "3月"), (2, "全省排名第一")]


def test_branch_finditer_refuses_an_empty_match() -> None:
    with pytest.raises(ValueError, match="empty"):
        list(branch_finditer((re.compile(r"\d*"),), "年"))


_NUMERAL = "0-9一二三四"
_GUARD = f"(?:(?<![{_NUMERAL}])|(?![{_NUMERAL}]))"
_OPENING = f"{_NUMERAL}前第全"
# (a verbose pattern's closing comment is ended by a line break where it is put inside a group)
_BODIES = (
    re.compile(r"(?P<y>\d{4}年)?(?P<m>[0-9一二三四]+)月"),  # 2021年3月, 三月
    re.compile(
        r"""(?:前(?P<first>[0-9一二三四]+)个?月   # 前三个月
              |第(?P<q>[0-9一二三四]+)季度?)    # 第一季度""",
        re.VERBOSE,
    ),
    re.compile(r"(?P<n>[0-9一二三四]+)年(?:来|以来)"),  # 三年来
)


def _end(pattern: re.Pattern[str]) -> str:
    return "\n" if pattern.flags & re.VERBOSE else ""


@given(_TEXT)
@example("2021年3月，前三个月")  # 3月 lies inside 2021年3月: one match, as re.finditer gives
@example("前3月第一季度")
def test_joint_scan_is_each_pattern_scanned_alone(text: str) -> None:
    joint = JointScan(_OPENING, _GUARD, _BODIES)
    expected = sorted(
        (m.start(), i, m.span(), m.groupdict())
        for i, body in enumerate(_BODIES)
        for m in re.compile(f"(?=[{_OPENING}]){_GUARD}(?:{body.pattern}{_end(body)})", body.flags).finditer(text)
    )
    got = [(m.start(), i, m.span(), m.groupdict()) for i, m in joint.finditer(text)]
    assert got == expected


def test_joint_scan_skips_patterns_that_are_not_live() -> None:
    # 2021年前三个月，三年来: the month pattern is left out, the other two match
    joint = JointScan(_OPENING, _GUARD, _BODIES)
    found = [(i, m.group()) for i, m in joint.finditer("2021年前三个月，三年来", live=[False, True, True])]
    assert found == [(1, "前三个月"), (2, "三年来")]


def test_joint_scan_refuses_a_back_reference() -> None:
    with pytest.raises(ValueError, match="back-reference"):
        JointScan(_OPENING, _GUARD, [re.compile(r"(?P<a>\d)(?P=a)")])
