"""Numeral parsing: Arabic and Chinese numerals as written in reports, into exact decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from transforms.numbers import (
    fold_financial,
    normalize,
    parse_arabic,
    parse_chinese,
    parse_chinese_range,
    parse_mixed,
    parse_number,
    scale_factor,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("十八", 18, id="shi_ba"),  # eighteen
        pytest.param("十", 10, id="shi"),  # ten
        pytest.param("两", 2, id="liang"),  # two (counting form)
        pytest.param("一百", 100, id="yi_bai"),  # one hundred
        pytest.param("一百零五", 105, id="yi_bai_ling_wu"),  # one hundred and five
        pytest.param("两千三百", 2300, id="liang_qian_san_bai"),  # two thousand three hundred
        pytest.param("三万五千", 35000, id="san_wan_wu_qian"),  # thirty-five thousand
        pytest.param("十万", 100000, id="shi_wan"),  # one hundred thousand
        pytest.param("三亿五千万", 350000000, id="san_yi_wu_qian_wan"),  # 350 million
        pytest.param("二〇二一", 2021, id="positional_digits"),  # digits read one by one
        pytest.param("四十", 40, id="si_shi"),  # forty
        pytest.param("九十五点二", "95.2", id="decimal_point"),  # ninety-five point two
        pytest.param("零点五", "0.5", id="zero_point_five"),  # nought point five
        pytest.param("百", 100, id="bai_alone"),  # a hundred (百分之百)
        pytest.param("一万零十二", 10012, id="ling_before_bare_shi"),  # ten thousand and twelve
        pytest.param("三百零十五", 315, id="ling_shi_in_hundreds"),  # three hundred and fifteen
        pytest.param("三万五", 35000, id="tail_after_wan"),  # thirty-five thousand (abbreviated)
        pytest.param("两千六", 2600, id="tail_after_qian"),  # two thousand six hundred (abbreviated)
        pytest.param("一百五", 150, id="tail_after_bai"),  # a hundred and fifty (abbreviated)
        pytest.param("三亿五", 350000000, id="tail_after_yi"),  # 350 million (abbreviated)
        pytest.param("一万二千五", 12500, id="tail_after_qian_in_wan"),  # twelve thousand five hundred
        pytest.param("一万零五", 10005, id="ling_is_no_tail"),  # ten thousand and five: 零 marks the place
    ],
)
def test_parse_chinese(text: str, value: int | str) -> None:
    assert parse_chinese(text) == Decimal(value)


@pytest.mark.parametrize("text", ["五点", "五点十", "点"])
def test_chinese_decimal_needs_digits(text: str) -> None:
    assert parse_chinese(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("1379", "1379", id="integer"),
        pytest.param("69.11", "69.11", id="decimal"),
        pytest.param("1,234", "1234", id="comma_thousands"),
        pytest.param("4 598", "4598", id="space_thousands"),
        pytest.param("１２３", "123", id="fullwidth"),
        pytest.param("８８．５", "88.5", id="fullwidth_decimal"),
    ],
)
def test_parse_arabic(text: str, value: str) -> None:
    assert parse_arabic(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("1万2千", 12000, id="wan_qian"),  # twelve thousand
        pytest.param("3亿5千万", 350000000, id="yi_qian_wan"),  # 350 million
        pytest.param("12万3456", 123456, id="wan_then_digits"),  # 123,456
        pytest.param("1,234万5千", 12345000, id="comma_grouped_then_wan"),  # 12,345,000
        pytest.param("1万2", 12000, id="tail_digit_after_wan"),  # twelve thousand (abbreviated)
        pytest.param("3亿5", 350000000, id="tail_digit_after_yi"),  # 350 million (abbreviated)
        pytest.param("1万2千5", 12500, id="tail_digit_after_qian"),  # twelve thousand five hundred
    ],
)
def test_parse_mixed(text: str, value: int) -> None:
    assert parse_mixed(text) == Decimal(value)
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "十a", "1,2"])
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_scale_words() -> None:
    assert scale_factor("万") == 10_000
    assert scale_factor("亿") == 100_000_000
    assert scale_factor("万亿") == 10**12
    assert Decimal("24.2") * scale_factor("万") == 242000


def test_normalize_drops_exponent() -> None:
    assert str(normalize(Decimal("24.2") * 10_000)) == "242000"
    assert str(normalize(Decimal("69.110"))) == "69.11"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        pytest.param("两三", 2, 3, id="liang_san"),  # two or three
        pytest.param("七八", 7, 8, id="qi_ba"),  # seven or eight
        pytest.param("一两", 1, 2, id="yi_liang"),  # one or two
        pytest.param("三五", 3, 5, id="san_wu"),  # three to five
        pytest.param("十七八", 17, 18, id="teens"),  # seventeen or eighteen
        pytest.param("三四十", 30, 40, id="tens"),  # thirty or forty
        pytest.param("两三百", 200, 300, id="hundreds"),  # two or three hundred
        pytest.param("一千七八百", 1700, 1800, id="inside_thousands"),  # seventeen or eighteen hundred
    ],
)
def test_adjacent_numerals_are_an_estimate(text: str, low: int, high: int) -> None:
    assert parse_chinese_range(text) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize("text", ["十二", "二十三", "二〇二一", "一二三", "三十三", "五三", "三", "一万零五"])
def test_other_numerals_are_no_estimate(text: str) -> None:
    assert parse_chinese_range(text) is None


def test_financial_numerals_fold_in_place() -> None:
    text = "拨付经费壹拾贰万伍仟圆,加强队伍建设,陆续收拾。"  # funds of 125,000 yuan; build the force; tidy up
    folded = fold_financial(text)
    assert len(folded) == len(text)
    assert folded == "拨付经费一十二万五千元,加强队伍建设,陆续收拾。"
    assert parse_chinese(folded[4:10]) == 125000
