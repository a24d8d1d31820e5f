"""Property: any text, however odd, is handled without error, with sound spans and values, in linear time."""

from __future__ import annotations

import json
import time

import pytest
from adversarial_shapes import SHAPES
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.analyse import analyse
from transforms.extract import DeadlineExceeded, _extract, clean_text, extract_metrics
from transforms.sentences import SentenceIndex, clause_start

PIECES = [
    *"0123456789０１２３４５６７８９,.． %％",
    *"零〇一二两三四五六七八九十百千万亿萬億兩",
    "名", "人次", "件", "個", "條", "场次", "元", "万元", "亿元", "公里", "天", "倍", "个百分点", "成",
    "余", "多", "以上", "超过", "近", "约", "左右", "第", "每", "分之", "百分之",
    "同比", "上升", "下降", "分别", "、", "和", "，", "。", "(", ")", "“", "”", "其中", "占比", "位居全国",
    "案件", "干警", "结案率", "\n",
    "至", "到", "-", "~", "负", "+", "由", "壹", "贰", "拾", "佰", "仟", "圆", "种", "口", "的降幅", "增幅",
    "第三多", "金额", "\udcff", "“", '"',
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


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="甲乙12，、。 ()（）：\n", max_size=40),
    st.integers(min_value=-2, max_value=42),
    st.integers(min_value=-2, max_value=42),
)
def test_indexed_clause_start_is_the_walk_back(text: str, pos: int, floor: int) -> None:
    """The sentence index finds the same clause start as the walk back, brackets and floors included."""
    pos, floor = min(pos, len(text)), max(0, min(floor, len(text)))
    assert SentenceIndex(text).clause_start(pos, floor) == clause_start(text, pos, floor)


# Each shape is built to SHAPE_CHARS characters; linear code reads each in a second or two, quadratic code in
# minutes.
SHAPE_CHARS = 100_000
TIME_BOUND_SECONDS = 20.0  # generous: a loaded machine must not make it flake


@pytest.mark.parametrize("shape", SHAPES)
def test_adversarial_shapes_take_linear_time(shape: str) -> None:
    piece = SHAPES[shape]
    text = (piece * (SHAPE_CHARS // len(piece) + 1))[:SHAPE_CHARS] + "。共12件。"
    t0 = time.perf_counter()
    got = [r.metric for r in analyse(text).records]  # extraction, indicators, relations and attribution
    elapsed = time.perf_counter() - t0
    assert elapsed < TIME_BOUND_SECONDS, f"{shape}: {elapsed:.1f} s for {len(text)} characters"
    assert got and got[-1].mention == "12件"  # the document was read to its end


def test_lone_surrogates_are_read_as_replacement_characters() -> None:
    # "12 cases accepted" with an undecodable byte kept by surrogateescape
    text = "受理案件12件\udcff,同比上升3%。"
    records = analyse(text).records
    assert [r.metric.mention for r in records] == ["12件", "3%"]
    assert [r.metric.start for r in records] == [4, 13]  # offsets still point into the original text
    json.dumps([r.json() for r in records], ensure_ascii=False).encode("utf-8")  # no surrogate left to encode
    assert clean_text(text) == text.replace("\udcff", "\ufffd")


def test_a_passed_deadline_stops_the_reading() -> None:
    text = "受理案件12件,同比上升3%。" * 100  # 12 cases accepted, up 3% year on year
    with pytest.raises(DeadlineExceeded):
        extract_metrics(text, deadline=time.monotonic() - 1)
    with pytest.raises(DeadlineExceeded):
        analyse(text, deadline=time.monotonic() - 1)
    assert len(analyse(text, deadline=time.monotonic() + 600).records) == 200
