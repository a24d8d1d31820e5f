"""Loader for the extraction lexicons stored as JSON under ``transforms/lexicon/``.

The data files hold every word list the extractor uses: units and their families, qualifiers, change
and action verbs, slogan and stop patterns.  They are read once and cached.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@cache
def lexicon(name: str) -> dict[str, Any]:
    """One JSON lexicon of `transforms/lexicon/` (`units`, `orgs`, `periods` …), read once per process. Every word
    list the extractor and attribution use is one of these files: the code holds no word of the field."""
    data = resources.files("transforms").joinpath("lexicon", f"{name}.json").read_text(encoding="utf-8")
    return json.loads(data)  # type: ignore[no-any-return]


def _load(name: str) -> dict[str, Any]:
    return lexicon(name.removesuffix(".json"))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All word lists, in simplified characters."""

    units: dict[str, str]  # unit → family
    family_kinds: dict[str, str]  # unit family → the kind of its metrics (money → amount); others count
    unit_not_followed_by: dict[str, str]  # unit → characters that cannot follow it
    unit_followed_by_ok: dict[str, tuple[str, ...]]  # unit → words allowed after it despite the above
    not_article_units: frozenset[str]  # 成 倍 …: after them 一 is a number (下降一成), not an article
    scales: dict[str, str]  # scale word → multiplier as a decimal string
    scales_need_unit: frozenset[str]  # 千: a scale that makes a metric only with a unit after it
    qual_before: dict[str, str]  # qualifier left of the number → approx
    qual_inner: dict[str, str]  # qualifier between number and unit → approx
    qual_after: dict[str, str]  # qualifier right of the unit → approx
    increase: tuple[str, ...]
    decrease: tuple[str, ...]
    compare: tuple[str, ...]
    adverbs: tuple[str, ...]
    action: tuple[str, ...]
    rank: tuple[str, ...]
    rank_scope: tuple[str, ...]
    respectively_links: tuple[str, ...]  # 为 占 …: may join 分别 to the numbers it distributes
    gap_higher: tuple[str, ...]  # 高于 …: a positive difference from a reference follows
    gap_lower: tuple[str, ...]  # 低于 …: a negative difference from a reference follows
    gap_more: tuple[str, ...]  # 高 多 …: end 比X… with a positive difference
    gap_less: tuple[str, ...]  # 低 少 …: end 比X… with a negative difference
    slogans: tuple[str, ...]
    leading_scope: tuple[str, ...]
    trailing_filler: tuple[str, ...]
    trailing_patterns: tuple[str, ...]  # regexes for fillers that are not fixed words (连续5年)
    session_before: str  # 届: opens a numbered session name
    session_window: int  # how far before the number 届 may stand
    session_after: tuple[str, ...]  # 会议 …: what follows 次 in a session name
    generic_subjects: frozenset[str]
    follow_stop: tuple[str, ...]
    follow_stop_inside: tuple[str, ...]  # words that end with a stop word (矫正): there it is no stop
    trailing_filler_inside: tuple[str, ...]  # nouns that end with a filler word (行为): there it is no filler
    vague_before: tuple[str, ...]
    not_metric_before: tuple[str, ...]
    not_metric_before_patterns: tuple[str, ...]  # regexes: 首 before a number, but not in 自首
    reporting_window_after: tuple[str, ...]
    org_heads: tuple[str, ...]  # heads of organisation names: an agent before the counted noun
    metric_suffixes: frozenset[str]  # 率, 天数 …: never cut from the noun that they complete
    time_phrase_ends: tuple[str, ...]  # 以来 …: a time phrase ends here, the subject starts after
    verb_noun_heads: tuple[str, ...]  # 组织, 员 …: after an action verb they make it part of a noun
    org_heads_as_prefix: frozenset[str]  # 单位: first in a subject it means 'per', not an agent
    page_counter_labels: tuple[str, ...]  # 浏览次数 …: a web page's own counters, never metrics
    share_not_split: tuple[str, ...]  # 占比 占用 …: words with 占 that do not introduce a share's whole
    share_names: tuple[str, ...]  # 比重 比例 …: a share named with its whole (R&D占GDP比重) stays whole
    money_subjects: tuple[str, ...]  # 金额 资金 …: a scaled number without a unit after them is money
    rank_superlatives: tuple[str, ...]  # 多 高 …: may follow a rank (全省第三多)


@cache
def load_lexicon() -> Lexicon:
    """Read and cache all lexicon files."""
    units = _load("units.json")
    quals = _load("qualifiers.json")
    verbs = _load("verbs.json")
    stops = _load("stop_patterns.json")
    return Lexicon(
        units=dict(units["units"]),
        family_kinds=dict(units["family_kinds"]),
        unit_not_followed_by=dict(units["not_followed_by"]),
        unit_followed_by_ok={k: tuple(v) for k, v in units["followed_by_ok"].items()},
        not_article_units=frozenset(units["not_article_units"]),
        scales=dict(units["scales"]),
        scales_need_unit=frozenset(units["scales_need_unit"]),
        qual_before=dict(quals["before"]),
        qual_inner=dict(quals["inner"]),
        qual_after=dict(quals["after"]),
        increase=tuple(verbs["increase"]),
        decrease=tuple(verbs["decrease"]),
        compare=tuple(verbs["compare"]),
        adverbs=tuple(verbs["adverbs"]),
        action=tuple(verbs["action"]),
        rank=tuple(verbs["rank"]),
        rank_scope=tuple(verbs["rank_scope"]),
        respectively_links=tuple(verbs["respectively_links"]),
        gap_higher=tuple(verbs["gap_higher"]),
        gap_lower=tuple(verbs["gap_lower"]),
        gap_more=tuple(verbs["gap_more"]),
        gap_less=tuple(verbs["gap_less"]),
        slogans=tuple(stops["slogans"]),
        leading_scope=tuple(stops["leading_scope"]),
        trailing_filler=tuple(stops["trailing_filler"]),
        trailing_patterns=tuple(stops["trailing_patterns"]),
        session_before=stops["session_name"]["before"],
        session_window=int(stops["session_name"]["window"]),
        session_after=tuple(stops["session_name"]["after"]),
        generic_subjects=frozenset(stops["generic_subjects"]),
        follow_stop=tuple(stops["follow_stop"]),
        follow_stop_inside=tuple(stops["follow_stop_inside"]),
        trailing_filler_inside=tuple(stops["trailing_filler_inside"]),
        vague_before=tuple(stops["vague_before"]),
        not_metric_before=tuple(stops["not_metric_before"]),
        not_metric_before_patterns=tuple(stops["not_metric_before_patterns"]),
        reporting_window_after=tuple(stops["reporting_window_after"]),
        org_heads=tuple(stops["org_heads"]),
        metric_suffixes=frozenset(stops["metric_suffixes"]),
        time_phrase_ends=tuple(stops["time_phrase_ends"]),
        verb_noun_heads=tuple(stops["verb_noun_heads"]),
        org_heads_as_prefix=frozenset(stops["org_heads_as_prefix"]),
        page_counter_labels=tuple(stops["page_counter_labels"]),
        share_not_split=tuple(stops["share_not_split"]),
        share_names=tuple(stops["share_names"]),
        money_subjects=tuple(units["money_subjects"]),
        rank_superlatives=tuple(quals["rank_superlatives"]),
    )


@dataclass(frozen=True, slots=True)
class TableWords:
    """The words of statistics tables (`lexicon/tables.json`), shared by every table reader."""

    empty_cells: frozenset[str]  # - — / …: a cell with no figure
    row_number_headings: frozenset[str]  # 序号 (lower case): a column of row numbers, not a label or a figure
    change_heading: Any  # compiled regex: 同比, 增长 … in a heading make a change column
    decrease_heading: Any  # compiled regex: 减少, 下降 … a change column of unsigned decreases
    not_a_measure_heading: Any  # compiled regex: 电话, 日期 … a column whose numbers are not metrics


@cache
def table_words() -> TableWords:
    """Read and cache `lexicon/tables.json`."""
    import re

    words = _load("tables.json")
    return TableWords(
        empty_cells=frozenset(words["empty_cells"]),
        row_number_headings=frozenset(words["row_number_headings"]),
        change_heading=re.compile(alternation(words["change_headings"])),
        decrease_heading=re.compile(alternation(words["decrease_headings"])),
        not_a_measure_heading=re.compile(alternation(words["not_a_measure_headings"])),
    )


def alternation(words: Any) -> str:
    """A regex that matches any of the literal `words`, the longest first so that the longest word wins, written as
    a trie (`立案(?:审查(?:调查)?|侦查)?`). It matches what the alternation of the words sorted longest first matches,
    and in the same order when the engine backtracks into it: the words that match at one position are prefixes of
    one another, and the trie tries the longer of two first (a greedy `?`). The engine then compares a character
    with the branches of one trie node rather than with every word: the whole analysis of a report runs 1.7 % fewer
    instructions (callgrind, bench documents). An empty word stays the last alternative. Written here rather than
    taken from a trie-regex package: what matters is the order of the alternatives on backtracking, which the
    tests hold against the plain alternation."""
    import re

    trie: dict[str, Any] = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def branches(node: dict[str, Any]) -> list[str]:
        return [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]

    def emit(node: dict[str, Any]) -> str:
        tails = branches(node)
        if not tails:
            return ""
        if "" not in node:
            return tails[0] if len(tails) == 1 else f"(?:{'|'.join(tails)})"
        return f"(?:{'|'.join(tails)})?"  # a shorter word ends here: the longer ones are tried first (greedy)

    top = branches(trie)
    return "|".join([*top, ""] if "" in trie else top)


# Repetition bounds up to this many characters of a class are enumerated (a class of numerals, of a few verbs);
# a wider class (any CJK character, a negated class) makes the last character unknowable.
_MAX_CLASS = 512


def end_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a non-empty match of the compiled regex `pattern` can end with, or None when that cannot be
    bounded (a wide or negated class, `.`, a backreference, a pattern that may match the empty string).

    Lets a search anchored at the end of a window (`(?:…)$` with `endpos`) be skipped when the window's last
    character is none of them: such a search tries every start position against every alternative, while the
    test costs one set look-up. Read from the parsed pattern (`re._parser`, the standard library's own parser),
    so it follows the lexicon's regexes as they are edited."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    def seq(items: Any) -> tuple[set[str], bool] | None:
        """(last characters, may be empty) of a sequence of parsed items."""
        out: set[str] = set()
        for op, av in reversed(list(items)):
            found = item(op, av)
            if found is None:
                return None
            chars, nullable = found
            out |= chars
            if not nullable:
                return out, False
        return out, True

    def item(op: Any, av: Any) -> tuple[set[str], bool] | None:
        if op is c.LITERAL:
            return {chr(av)}, False
        if op is c.IN:
            chars: set[str] = set()
            for kind, value in av:
                if kind is c.LITERAL:
                    chars.add(chr(value))
                elif kind is c.RANGE and value[1] - value[0] < _MAX_CLASS:
                    chars.update(chr(x) for x in range(value[0], value[1] + 1))
                else:
                    return None
            return chars, False
        if op is c.BRANCH:
            chars, nullable = set(), False
            for branch in av[1]:
                found = seq(branch)
                if found is None:
                    return None
                chars |= found[0]
                nullable = nullable or found[1]
            return chars, nullable
        if op is c.SUBPATTERN:
            return seq(av[3])
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            found = seq(av[2])
            return None if found is None else (found[0], found[1] or av[0] == 0)
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            return set(), True  # zero-width: the match ends where it would without it
        return None

    if pattern.flags & re.IGNORECASE:
        return None
    found = seq(_parser.parse(pattern.pattern, pattern.flags))
    if found is None or found[1]:
        return None
    return frozenset(found[0])
