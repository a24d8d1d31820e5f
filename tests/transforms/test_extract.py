"""The extractor's interface: Metric records, offsets into the original text, JSON output."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from transforms.extract import decimal_to_json, extract_metrics, simplify

# a short traditional-script report paragraph written for this test
TRADITIONAL = "全省共辦理法律援助案件1,503件,同比增長19.1%。其中殘疾人169件、老年人197件。結案率達98.5%,位居全國第一。"


@pytest.mark.parametrize("text", ["", "   ", "没有数字的文字。", "一", "第", "%", "万元", "\x00\ud800"])
def test_degenerate_inputs_have_no_metrics(text: str) -> None:
    # none of these holds a number with a unit, a percent or a rank
    assert extract_metrics(text) == []


def test_spans_point_into_original_traditional_text() -> None:
    got = extract_metrics(TRADITIONAL)
    assert [m.mention for m in got] == ["1,503件", "19.1%", "169件", "197件", "98.5%", "第一"]
    for m in got:
        assert TRADITIONAL[m.start : m.end] == m.mention
        assert m.sentence_start <= m.start < m.end <= m.sentence_end
    assert got[2].subject == "殘疾人" and got[2].subject_simplified == "残疾人"
    assert [m.start for m in got] == sorted(m.start for m in got)


def test_change_links_to_the_metric_it_modifies() -> None:
    got = extract_metrics(TRADITIONAL)
    change = got[1]
    assert change.kind == "change_pct" and change.value == Decimal("19.1")
    assert change.modifies == 0 and change.subject_simplified == "法律援助案件"


def test_metric_is_frozen() -> None:
    m = extract_metrics("结案1000件。")[0]
    with pytest.raises(AttributeError):
        m.value = Decimal(1)  # type: ignore[misc]
    assert m._replace(value=Decimal(1)).value == 1 and m.value == 1000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(Decimal("242000"), 242000, id="integer"),
        pytest.param(Decimal("69.11"), 69.11, id="float_roundtrips"),
        pytest.param(Decimal("33.33333333333333333333"), "33.33333333333333333333", id="string_when_lossy"),
    ],
)
def test_decimal_to_json(value: Decimal, expected: object) -> None:
    assert decimal_to_json(value) == expected


def test_simplify_preserves_length() -> None:
    assert len(simplify(TRADITIONAL)) == len(TRADITIONAL)
    assert simplify("個條場萬億餘") == "个条场万亿余"


def test_first_character_lookahead_changes_no_match() -> None:
    """The look-ahead on possible first characters only speeds the scan: every golden text gives the same
    candidates with and without it."""
    import pathlib
    import re

    from transforms.extract import CANDIDATE_RE
    from transforms.extract.candidates import _FIRST_CHARS

    lookahead = f"(?=[{re.escape(_FIRST_CHARS)}])"
    assert lookahead in CANDIDATE_RE.pattern
    plain = re.compile(CANDIDATE_RE.pattern.replace(lookahead, "", 1), re.VERBOSE)
    golden = pathlib.Path(__file__).resolve().parent.parent / "golden" / "extract_cases.jsonl"
    texts = [json.loads(line)["text"] for line in golden.read_text(encoding="utf-8").splitlines() if line.strip()]
    for text in [*texts, TRADITIONAL]:
        s = simplify(text)
        assert [m.span() for m in CANDIDATE_RE.finditer(s)] == [m.span() for m in plain.finditer(s)], text


@pytest.mark.parametrize(
    ("text", "mention", "subject"),
    [
        # "the closing and withdrawal rates ranked first and third": the n-th rank after 分别 ranks the n-th item
        ("结案率、调撤率分别居全市法院第一和第三。", "第三", "调撤率"),
        ("结案率、调撤率分别位居全市第一位、第三位。", "第一位", "结案率"),
    ],
)
def test_rank_after_respectively_takes_its_item(text: str, mention: str, subject: str) -> None:
    got = {m.mention: m.subject for m in extract_metrics(text)}
    assert got[mention] == subject


@pytest.mark.parametrize(
    ("text", "mention", "subject"),
    [
        # "closing and withdrawal rates rose 2.1 and 3.4 points": 2.1 and 和 are no part of a subject
        ("结案率和调撤率同比分别提高2.1和3.4个百分点。", "3.4个百分点", "结案率和调撤率"),
        # "the safety index moved from 5th to 2nd place": a rank's subject holds no other rank
        ("全市安全感指数排名从第5位升至第2位。", "第2位", "安全感指数"),
    ],
)
def test_subject_holds_no_other_number(text: str, mention: str, subject: str) -> None:
    got = {m.mention: m.subject for m in extract_metrics(text)}
    assert got[mention] == subject
