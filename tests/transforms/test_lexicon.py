"""The lexicon helpers: `alternation`, the regex of a word list, and `end_chars`, the characters an end-anchored
lexicon regex can end with."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.extract import extract_metrics
from transforms.extract.candidates import _CHANGE_RE
from transforms.extract.filters import _NOT_BEFORE_RE
from transforms.extract.phrases import _TRAIL_PATTERNS_RE
from transforms.extract.words import _TRAIL_RE
from transforms.lexicon import alternation, end_chars, load_lexicon


def _listed(words: list[str]) -> str:
    """The plain alternation of `words`, longest first: what `alternation` must match like."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_CHARS = st.sampled_from("立案审查侦起诉a.|(")  # few characters: the words share prefixes
_WORDS = st.lists(st.text(_CHARS, min_size=1, max_size=4), min_size=1, max_size=12)


@given(words=_WORDS, data=st.data())
def test_alternation_matches_what_the_words_longest_first_match(words: list[str], data: st.DataObject) -> None:
    # a text made of the words and other characters, so that words and their extensions meet in it
    text = "".join(data.draw(st.lists(st.sampled_from(words) | st.text(_CHARS, max_size=2), max_size=10)))
    # alone (every word, the longest at a position), before a tail the engine backtracks into (the shorter word
    # then), and anchored at the end of a window, the three ways the lexicon's alternations are used
    for shape in ("{}", "(?:{})查", "(?:{})$"):
        trie, listed = re.compile(shape.format(alternation(words))), re.compile(shape.format(_listed(words)))
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in listed.finditer(text)]
        assert [bool(trie.search(text, 0, end)) for end in range(len(text) + 1)] == [
            bool(listed.search(text, 0, end)) for end in range(len(text) + 1)
        ]


def test_alternation_shares_the_words_prefixes() -> None:
    assert alternation(["审查", "审查起诉", "审查逮捕", "立案", "立案侦查"]) == "审查(?:起诉|逮捕)?|立案(?:侦查)?"
    assert alternation(["比如", ""]) == "比如|"  # an empty word stays the last alternative


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("上升|下降", "升降"),  # the last character of each word
        ("下降(?:了|幅度)?", "降了度"),  # an optional tail adds its own ends to the word's
        ("连续[0-9]+(?:年|个月)", "年月"),
        ("第[一二三]", "一二三"),  # a narrow class: each of its characters
        ("同比(?=增)", "比"),  # a look-ahead is zero-width
        ("(?x) 分别  # respectively\n (?:为)? $", "别为"),  # verbose patterns are read with their flags
    ],
)
def test_end_chars_lists_what_a_match_can_end_with(pattern: str, expected: str) -> None:
    assert end_chars(re.compile(pattern)) == frozenset(expected)


@pytest.mark.parametrize(
    "pattern",
    [
        "年?",  # may match nothing: any window may hold a match
        "与[^，]{1,4}",  # a negated class
        "比.",  # any character
        "(?i)ab",  # case folding is not followed
    ],
)
def test_end_chars_is_none_when_the_end_is_unbounded(pattern: str) -> None:
    assert end_chars(re.compile(pattern)) is None


def test_a_wide_class_before_a_fixed_end_still_bounds_it() -> None:
    # 与…相比: whatever stands between, a match ends with 比
    assert end_chars(re.compile("与[\u4e00-\u9fff]{1,14}?相比")) == frozenset("比")


@pytest.mark.parametrize("regex", [_TRAIL_RE, _TRAIL_PATTERNS_RE, _CHANGE_RE, _NOT_BEFORE_RE])
def test_every_match_of_the_lexicon_regexes_ends_with_one_of_their_end_chars(regex: re.Pattern[str]) -> None:
    """The extractor skips an end-anchored search when the window's last character is none of these: every match
    found in report phrases must end with one of them (or the skip would lose it)."""
    last = end_chars(regex)
    assert last is not None  # each of them is bounded, which is what makes the skip worth having
    phrases = [
        "与去年同期相比",
        "同比下降了",
        "较上年同期",
        "比2020年底",
        "上升至",
        "连续3年",
        "第1至3季度",
        "1-9月份",
        "从第5位",
        "降幅分别为",
        "增长幅度达到",
        "每",
        "前",
        "首",
        "近几",
        "规则",
        "成就",
    ]
    for phrase in phrases:
        for end in range(1, len(phrase) + 1):
            m = regex.search(phrase, 0, end)
            if m is not None and m.end() > m.start():
                assert phrase[m.end() - 1] in last, (regex.pattern[:40], phrase[:end])


def test_every_unit_family_with_a_kind_is_a_family_of_some_unit_and_each_kind_is_known() -> None:
    lex = load_lexicon()
    families = set(lex.units.values())
    assert set(lex.family_kinds) <= families
    assert set(lex.family_kinds.values()) <= {"amount", "measure", "percent", "change_pct"}  # the rest count


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("罚款金额达120万元。", "amount"),  # 'fines reached 1.2 million yuan': money
        ("新建道路12公里。", "measure"),  # '12 km of new road': a length
        ("结案率为96.5%。", "percent"),  # 'the closure rate is 96.5%'
        ("受理案件120件。", "count"),  # '120 cases accepted': a family with no kind listed counts
    ],
)
def test_a_metric_takes_the_kind_its_units_family_gives(sentence: str, kind: str) -> None:
    assert [m.kind for m in extract_metrics(sentence)] == [kind]
