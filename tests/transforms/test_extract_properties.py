"""Property: any text, however odd, is handled without error and with sound spans and values."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.extract import _extract, extract_metrics

PIECES = [
    *"0123456789０１２３４５６７８９,.． %％",
    *"零〇一二两三四五六七八九十百千万亿萬億兩",
    "名", "人次", "件", "個", "條", "场次", "元", "万元", "亿元", "公里", "天", "倍", "个百分点", "成",
    "余", "多", "以上", "超过", "近", "约", "左右", "第", "每", "分之", "百分之",
    "同比", "上升", "下降", "分别", "、", "和", "，", "。", "(", ")", "“", "”", "其中", "占比", "位居全国",
    "案件", "干警", "结案率", "\n",
]  # fmt: skip

report_like = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
anything = st.text(max_size=80)


def _check(text: str) -> None:
    got = _extract(text, strict=True)
    assert got == extract_metrics(text)
    n = len(got)
    for i, m in enumerate(got):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.mention
        assert m.value.is_finite()
        assert m.sentence_start <= m.start and m.end <= m.sentence_end
        assert m.modifies is None or 0 <= m.modifies < n
        if i:
            assert got[i - 1].start <= m.start


@settings(max_examples=300, deadline=None)
@given(report_like)
def test_report_like_text(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(anything)
def test_arbitrary_text(text: str) -> None:
    _check(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(report_like, st.text(alphabet="甲乙丙丁的了是在", max_size=5)), max_size=6).map("".join))
def test_mixed_text(text: str) -> None:
    _check(text)
