"""Extraction of quantitative metrics from Chinese government and political-legal work reports.

Input is the decoded text of one report.  Output is one :class:`Metric` per number that a careful analyst
would load into a metrics warehouse (see ``GOLD_SPEC``): ``458名政法干警`` → 458 people, subject 政法干警;
``同比上升249%`` → a +249 % change of the metric before it; ``位居全市法院第一`` → rank 1.

How it works:

1. The text is converted to simplified characters with OpenCC (a length-preserving mapping, checked, with
   a per-character fallback) and full-width digits are folded, so every offset in the working copy is an
   offset into the original text and one set of lexicons serves both scripts.
2. One compiled regex finds candidate numbers that touch a unit, a scale word or a percent sign; a second
   finds ``第N`` ranks.  Everything else (dates, list markers, bare numbers) never matches.
3. Each candidate is filtered (ordinals, per-unit rates, slogans, quoted names, identifiers, ``一`` as an
   article), then given its value, unit, approx, kind, sign and subject from the surrounding clause.
   Tables flattened into the text (``transforms.flat_tables``) are read cell by cell instead: the row label and
   column heading name each cell, the heading gives a unit the cell lacks.
4. Subjects are then settled over the whole document: subjects that read alike but name different things
   are widened to the verb, ``等`` or ``的`` before them (受理各类案件 / 审执结各类案件), and a topic named
   by a cleft or a heading label (``最多的是执行案件,``, ``1.刑事案件：``) completes the short ones after it.

Pure Python, no Prefect.  Lexicons live in ``transforms/lexicon/*.json``.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

import opencc

from transforms.lexicon import Lexicon, alternation, load_lexicon, table_words
from transforms.numbers import (
    FULLWIDTH,
    FULLWIDTH_GROUP_RE,
    fold_financial,
    normalize,
    parse_chinese_range,
    parse_number,
    scale_factor,
)
from transforms.sentences import CLAUSE_CHARS, SentenceIndex, clause_start, opening_bracket

_LEX: Lexicon = load_lexicon()

# --------------------------------------------------------------------------------------------------
# Output record


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric mention in a report.

    ``text[start:end] == mention`` in the original text.  ``value`` is exact and signed for changes.
    ``modifies`` is the index, in the list returned by :func:`extract_metrics`, of the metric that a
    change metric modifies (``同比上升249%`` after ``打击各类刑事犯罪136人``), else None.
    ``value_high`` is the upper bound of a range (``5至8万元`` → value 50000, value_high 80000; ``两三名`` →
    2 and 3), else None; a range of decreases keeps the order as written (``下降5%-8%`` → -5 and -8).
    """

    start: int
    end: int
    mention: str
    value: Decimal
    unit: str
    unit_family: str
    approx: str | None
    kind: str
    subject: str | None
    subject_simplified: str | None
    sentence_start: int
    sentence_end: int
    modifies: int | None
    value_high: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict of all fields.

        ``value`` becomes a JSON number (a float) when the float prints back to exactly the same decimal
        (``69.11``, ``242000``), and a decimal string otherwise (``"33.3333333333333333"``), so that no
        precision is ever silently lost.
        """
        return {
            "start": self.start,
            "end": self.end,
            "mention": self.mention,
            "value": decimal_to_json(self.value),
            "unit": self.unit,
            "unit_family": self.unit_family,
            "approx": self.approx,
            "kind": self.kind,
            "subject": self.subject,
            "subject_simplified": self.subject_simplified,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
            "modifies": self.modifies,
            "value_high": None if self.value_high is None else decimal_to_json(self.value_high),
        }


def decimal_to_json(value: Decimal) -> float | int | str:
    """An int for integral values, a float when it round-trips exactly, else the decimal string."""
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    f = float(value)
    if Decimal(repr(f)) == value:
        return f
    return str(value)


# --------------------------------------------------------------------------------------------------
# Traditional → simplified working copy

_T2S = opencc.OpenCC("t2s")
_CHAR_CACHE: dict[str, str] = {}


def _char_t2s(c: str) -> str:
    r = _CHAR_CACHE.get(c)
    if r is None:
        conv = _T2S.convert(c)
        r = conv if len(conv) == 1 else c
        _CHAR_CACHE[c] = r
    return r


def _fold_group_comma(m: re.Match[str]) -> str:
    """``，`` → ``,`` when a full-width digit precedes it too (１，２３４); otherwise it is left alone."""
    i = m.start()
    return "," if i and "０" <= m.string[i - 1] <= "９" else "，"


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate (text decoded with ``surrogateescape``, broken UTF-16) replaced by
    U+FFFD, so that it can be encoded as UTF-8 (OpenCC, DuckDB and JSON need that).  Same length."""
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text


def simplify(text: str) -> str:
    """Simplified-character copy of ``text`` with exactly the same length (offsets stay valid).

    OpenCC converts phrase by phrase; in the rare case that changes the length, fall back to converting
    character by character.  Full-width digits, ``％`` and ``（）`` are folded to ASCII, and so is a
    full-width comma that groups full-width digits in thousands (``１，２３４``).  Financial numerals are
    folded to the common ones (``壹拾贰万伍仟圆`` → ``一十二万五千元``).  Lone surrogates become U+FFFD.
    """
    text = clean_text(text)
    conv = _T2S.convert(text)
    if len(conv) != len(text):
        conv = "".join(_char_t2s(c) for c in text)
    if FULLWIDTH_GROUP_RE.search(conv):
        conv = FULLWIDTH_GROUP_RE.sub(_fold_group_comma, conv)
    return fold_financial(conv).translate(FULLWIDTH)


# --------------------------------------------------------------------------------------------------
# Regexes, built once from the lexicons

_UNITS = alternation(_LEX.units)
_QUAL_BEFORE = alternation(_LEX.qual_before)
_QUAL_AFTER = alternation(_LEX.qual_after)


def _scale_alternation() -> str:
    """Scale words, longest first; a scale that begins a unit (千 in 千克, 千米, 千瓦) is not read as a
    scale in front of the rest of that unit."""
    parts = []
    for w in sorted(_LEX.scales, key=lambda w: (-len(w), w)):
        rest = [u[len(w) :] for u in _LEX.units if u.startswith(w)]
        parts.append(re.escape(w) + (f"(?!{alternation(rest)})" if rest else ""))
    return "|".join(parts)


_SCALES = _scale_alternation()
_AR = r"""
    (?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])        # 1,234 or 1,234.5
      |[0-9]{1,3}(?:[ \u00a0\u2009\u202f][0-9]{3})+(?:\.[0-9]+)?(?![0-9.])  # 4 598, 3 456.7 (space-grouped)
      |[0-9]+(?:\.[0-9]+)?)                                    # 1379, 69.11
"""
_CN = r"""
    (?:[零〇一二两三四五六七八九十][零〇○一二两三四五六七八九十百千万亿]*  # 十八, 两千三百, 一千○八十二
       (?:点[零〇○一二三四五六七八九]+)?)                                 # 九十五点二 (decimals)
"""
_MIX_TAIL = r"""
    (?:[亿万千百十]++[0-9]++)+[亿万千百十]*   # after Arabic digits, more digits between multipliers: 1万2千, 3亿5千万
"""
#: A Chinese numeral starts only where a run of numeral characters starts: trying every character of a long
#: run (一一一…) would make the scan quadratic, and a number never starts inside another one.
_CN_START = r"(?<![零〇○一二两三四五六七八九十百千万亿])"
_SP = r"[ \u00a0\u3000]?"  # at most one blank between a number and its scale or unit (PDF text: 1 234 件)

# Every character a candidate can start with.  A leading look-ahead on this set lets the regex engine skip
# straight to possible starts (about four times faster than trying the whole pattern at every character).
_FIRST_CHARS = "".join(sorted({*"0123456789零〇一二两三四五六七八九十百千万", *(w[0] for w in _LEX.qual_before)}))

CANDIDATE_RE = re.compile(
    rf"""
    (?=[{re.escape(_FIRST_CHARS)}])               # only where a candidate can start (fast scan)
    (?<![0-9.])                                   # not inside a longer Arabic number
    (?P<pre>{_QUAL_BEFORE})?                      # qualifier touching the number: 超过 约 近
    (?:
        百分之(?P<pct>{_CN}|{_AR}|百)             # 百分之四十 → 40 %, 百分之百 → 100 %
      | (?P<fden>{_CN_START}{_CN}|[0-9]+)分之(?P<fnum>{_CN}|[0-9]+)  # 三分之一 → 33.33 %
      | (?P<num>{_AR}(?:{_MIX_TAIL})?|{_CN_START}(?:{_CN}|[百千万]))  # the number; 百 千 万 alone: 千余人
        (?P<inner1>余|多)?                        # 320余万人次, 800多套
        (?:
            {_SP}(?P<scale>{_SCALES})             # 万 / 亿 scale the value
            (?P<inner2>余|多)?                    # 3793亿余元
            (?P<unit>{_UNITS}|成)?                # unit after the scale (may be absent: 近50万)
          | {_SP}(?P<unit2>{_UNITS}|成)           # unit after the number
          | (?P<plus>[+＋])(?![0-9A-Za-z+＋])       # 20+: more than 20 (but not 6+N, 1+1)
        )
    )
    (?P<post>{_QUAL_AFTER})?                      # 以上 左右 after the unit
    """,
    re.VERBOSE,
)

RANK_RE = re.compile(
    r"""
    第[ \u00a0\u3000]?                                # 第, 第 2 名 (a blank in PDF text)
    (?P<rn>[一二三四五六七八九十]{1,3}|[0-9]{1,3})   # 第一, 第12
    (?:[ \u00a0\u3000]?(?P<ru>名|位))?               # optional 名 / 位
    (?![一二三四五六七八九十0-9])                       # not part of a longer numeral
    """,
    re.VERBOSE,
)

#: The lower bound of a range, just before the upper bound that the candidate regex found: 5至8万元, 5-8%,
#: 3%—5%, 三到五名, 5万至8万元.  Searched (anchored at the upper bound) in a short window before it.
_RANGE_LOW_RE = re.compile(
    rf"""
    (?<![0-9.A-Za-z\-])                         # not inside a longer number or an identifier
    (?P<lpre>{_QUAL_BEFORE})?                    # 约5至8万元
    (?P<lo>{_AR}|{_CN_START}{_CN})                # the lower bound
    (?P<lscale>{_SCALES})?                       # 5万至8万元
    (?P<lunit>{_UNITS}|成)?                      # 3%-5%, 3件至5件
    {_SP}(?:至|到|-|~|～|—|–|－){_SP}            # the range sign
    $""",
    re.VERBOSE,
)
_RANGE_WINDOW = 24  # the lower bound, its scale, unit and qualifier are short
_FROM_WORDS = frozenset("由从")  # 由5%到8%: a change between two values, not a range

#: A sign after the number: 抵消了3.1%的跌幅, 12%的增幅 (the number names the size of the change).
_CHANGE_AFTER_RE = re.compile(
    rf"""的?(?:(?P<inc>{alternation(w for w in _LEX.increase if w.endswith("幅"))})
              |(?P<dec>{alternation(w for w in _LEX.decrease if w.endswith("幅"))}))
      |的(?:(?P<inc2>{alternation(_LEX.increase)})|(?P<dec2>{alternation(_LEX.decrease)}))""",
    re.VERBOSE,
)
_NEGATIVE_WORD = "负"  # 增速为负3.9%: a negative written as a word
_SUPERLATIVES = frozenset(_LEX.rank_superlatives)  # 全省第三多: a rank followed by its superlative
_MONEY_SUBJECT_RE = re.compile(alternation(_LEX.money_subjects))  # 付息金额41.2亿: money without 元
_MONEY_WINDOW = 6  # 付息金额41.2亿: the money word names the number, it stands right before it
_CLAUSE_REACH = 64  # how far back a candidate's own context (change verb, comparison) is looked for
_PREV_REACH = 32  # how many metrics back a change looks for the metric it modifies

#: Cheap prefilter: without any of these characters there can be no metric.
PREFILTER_RE = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万]")  # 百分之百, 千余人, 近万名

_CHANGE_RE = re.compile(
    rf"""
    (?:(?P<inc>{alternation(_LEX.increase)})      # 上升 增长 提高 ...
      |(?P<dec>{alternation(_LEX.decrease)}))     # 下降 减少 降幅 ...
    (?:了|幅度|幅)?                               # 下降了, 增长幅度
    (?P<resp>分别|均)?                            # 降幅分别达12%、9%
    (?:为|达到|达|约|是|在)?                      # 降幅为, 增幅在
    $""",
    re.VERBOSE,
)
#: The last character of every match of _CHANGE_RE (a change word's, or one of the optional words after it): a
#: window that ends with none of them holds no match, and is not searched.
_CHANGE_LAST = frozenset(w[-1] for w in (*_LEX.increase, *_LEX.decrease)) | frozenset("了度幅别均为到达约是在")
_TRAIL_RE = re.compile(
    rf"(?:{alternation(list(_LEX.trailing_filler) + list(_LEX.adverbs) + list(_LEX.compare))}"
    rf"|{'|'.join(_LEX.trailing_patterns)})$"
)
_TRAIL_SPAN = 24  # fillers and comparisons are short: only the end of a phrase is searched for them
_SESSION_AFTER_RE = re.compile(alternation(_LEX.session_after))
_LEAD_RE = re.compile(
    rf"""(?:{alternation(_LEX.leading_scope)}        # 全区 其中 累计 (used with .match at a position)
      |[0-9]+月份?|[0-9]+年度?                        # 12月份, 2022年
      |[0-9一二三四五六七八九十]+(?:至|到|-|—|－)[0-9一二三四五六七八九十]+月份?  # 9至11月, 1-9月
      |(?:我|本)[区市省县镇乡州盟旗院局所庭署厅委部处]  # 我镇, 本院, 本署
      |(?:前|首)[0-9一二三四五六七八九十]+个?月         # 前九个月, 首七个月
      |截至[^，,]*?(?:底|末|日)                       # 截至8月底
      |连续[0-9一二三四五六七八九十两]+(?:年|个月|季度))  # 连续两年
    """,
    re.VERBOSE,
)
_ACTION_RE = re.compile(alternation(_LEX.action))
_RESP_RE = re.compile(
    rf"""分别
    (?:占[^，,；;。、0-9%]{{1,12}}?的?                  # 分别占全部案件的 (the whole of the shares)
      |{alternation(_LEX.respectively_links)})?       # 分别, 分别为, 分别占 …
    $""",
    re.VERBOSE,
)
_GAP_RE = re.compile(
    rf"""
    (?:(?P<hi>{alternation(_LEX.gap_higher)})       # 高于 全国 / 高出 全省平均水平
      |(?P<lo>{alternation(_LEX.gap_lower)}))       # 低于 全省平均水平
    [^，,；;。：:、\s]{{1,12}}                          # the reference it is compared with
    $
  | (?:比|较)[^，,；;。：:、\s]{{1,12}}?              # 比 全省 / 较 上年
    (?:(?P<hi2>{alternation(_LEX.gap_more)})         # 高 多 快
      |(?P<lo2>{alternation(_LEX.gap_less)}))        # 低 少 慢
    $""",
    re.VERBOSE,
)
_GAP_HINTS = "".join(sorted({"比", "较", *(w[-1] for w in (*_LEX.gap_higher, *_LEX.gap_lower))}))
_GAP_HINT_RE = re.compile(f"[{re.escape(_GAP_HINTS)}]")
_PAGE_LABEL_RE = re.compile(
    rf"""(?:{alternation(_LEX.page_counter_labels)})   # 浏览次数 阅读量 点赞 …
    [ \u3000]*[：:][ \u3000]*                          # a label's colon, blanks around it
    $""",
    re.VERBOSE,
)
_LABEL_COLONS = frozenset("：:")
_ZEROS = frozenset({"零", "〇"})
_SCOPES = frozenset(_LEX.leading_scope)  # a clause of nothing but a scope (上半年共有…) names nothing
_SCOPE_OR_NOTHING = _SCOPES | {""}
_BARE_HUNDREDS = frozenset("百千万")  # numerals written without a leading digit (千余人 = 一千余人)
_FILLERS = frozenset(_LEX.trailing_filler)  # a clause of nothing but a filler (历经5个月) names nothing
_FILLERS_OR_NOTHING = _FILLERS | {""}
_COORDINATORS = frozenset("和及与或、")  # after an action verb: the verb is coordinated, not the head
_CUT_AFTER_RE = re.compile(alternation([*_LEX.org_heads, *_LEX.time_phrase_ends, "等", "的"]))
_ORG_HEAD_RE = re.compile(alternation(_LEX.org_heads))
_FOLLOW_STOP_RE = re.compile(alternation(_LEX.follow_stop))
_FOLLOW_ACTION_RE = re.compile(alternation(_LEX.action))
_MAX_AFTER = 8  # a noun phrase after a number is short: 平安建设先进个人
_SLOGAN_RE = re.compile(alternation(_LEX.slogans))
_RANK_CTX_RE = re.compile(rf"(?:{alternation(_LEX.rank)})|(?:{alternation(_LEX.rank_scope)})$")
_RANK_VERB_RE = re.compile(alternation(_LEX.rank))
_RANK_SCOPE_RE = re.compile(rf"(?:{alternation(_LEX.rank_scope)})$")
_NOT_BEFORE_RE = re.compile(  # 第 每 前 首 … just before the number
    rf"(?:{alternation(_LEX.not_metric_before)}|{'|'.join(_LEX.not_metric_before_patterns)})$"
)
_NOT_BEFORE_SPAN = max(map(len, _LEX.not_metric_before))


def _last_chars(words: Any, patterns: Any = ()) -> frozenset[str] | None:
    """The characters that a match of the alternation of literal ``words`` and regex ``patterns``, anchored at the
    end (``$``), can end with; None when some pattern may end otherwise than with a plain character (then every
    window is searched)."""
    out = set()
    for w in words:
        if not w:
            return None  # an empty word matches anywhere
        out.add(w[-1])
    for p in patterns:
        if not p or p[-1] in ".^$*+?{}[]|()\\" or (len(p) > 1 and p[-2] == "\\"):
            return None
        out.add(p[-1])
    return frozenset(out)


#: The last characters of _NOT_BEFORE_RE's words (第 每 前 … 首): a number after any other character is not searched.
_NOT_BEFORE_LAST = _last_chars(_LEX.not_metric_before, _LEX.not_metric_before_patterns)


def _ends_with(s: str, end: int, last: frozenset[str] | None) -> bool:
    """False when the text before ``end`` cannot hold an end-anchored match whose last characters are ``last``
    (a line break is let through: ``$`` also matches before a final one)."""
    return last is None or (end > 0 and (s[end - 1] in last or s[end - 1] == "\n"))


_VAGUE_BEFORE = tuple(_LEX.vague_before)
_IDENT_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_/@#:+=&")
_CN_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百千")
_LOCALIZERS = "中内里上下"
_CHANGE_UNITS = frozenset({"%", "‰", "个百分点", "百分点", "倍"})
_BLANKS = frozenset(" \u00a0\u3000\t")
_MINUS = frozenset("-−－")  # ASCII hyphen-minus, minus sign, full-width hyphen
_SIGNS = _MINUS | frozenset("+＋")
_RANGE_SIGNS = _MINUS | frozenset("至到~～—–")  # 5至8万元, 5-8%, 三到五名
_MEASURE_FAMILIES = frozenset({"distance", "area", "volume", "weight", "duration", "concentration", "power", "energy"})
_LIST_SEPARATORS = frozenset({"、", "和", "及", "与", ",", "，", "以及"})


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


# --------------------------------------------------------------------------------------------------
# Working record


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    value: Decimal
    unit: str
    family: str
    approx: str | None
    kind: str
    sent: int  # sentence id
    qstart: int  # start of the number, after any left qualifier
    change_dir: int = 0  # +1 / -1 when a change verb precedes, else 0
    change_pos: int = -1  # where the change verb (and its comparison phrase) starts
    respectively: bool = False  # 分别 precedes the change verb or the number (分别为, 分别占)
    resp_pos: int = -1  # where 分别 starts before a number that is not a change (分别为1520件、1488件)
    subj: tuple[int, int] | None = None  # span in the text
    subj_text: tuple[str, str] | None = None  # (as written, simplified) when not a single span
    modifies: int | None = None
    fixed: bool = False  # a table cell: subject and link given by its row and column, not resolved from prose
    base: _Cand | None = None  # a table's change cell: the value cell of its row that it modifies
    group: list[int] = field(default_factory=list)
    value_high: Decimal | None = None  # upper bound of a range (5至8万元, 两三名)


# --------------------------------------------------------------------------------------------------
# Subject helpers (all work on spans of the simplified text ``s``)


def _subject_words() -> dict[str, Any]:
    """The lists of ``stop_patterns.json`` that only the subject rules read (see its ``_doc``)."""
    from transforms.lexicon import _load

    return _load("stop_patterns.json")


_SUBJECT_WORDS = _subject_words()
_NOT_CONJUNCTIONS = tuple(_SUBJECT_WORDS["list_not_conjunction"])  # 涉及 参与 及时: 及 / 与 inside a word
_BULLETS = frozenset(_SUBJECT_WORDS["list_bullets"])  # ● ■ …: open a list item, never part of a subject
_TIME_CUT_RE = re.compile("|".join(_SUBJECT_WORDS["time_cut_patterns"]))  # 2016年: a subject starts after it
_TOTAL_WORDS = frozenset(_SUBJECT_WORDS["total_words"])  # 共 共计: a clause that sums the items before it
_ENUMERATION_HEADS = tuple(_SUBJECT_WORDS["enumeration_heads"])  # 等其他, 等领域: 等 does not end the modifier
_CONJ_RE = re.compile(r"以及|及其|或者|和|及|与|或")  # joins list items, unless inside a word (涉及)
_CONJ_CHARS = frozenset("和及与或")
_TRAIL_ACTION_RE = re.compile(f"(?:{alternation(_LEX.action)})$")
_ORG_END_RE = re.compile(f"(?:{alternation(_LEX.org_heads)})$")
_PREP_CUT_RE = re.compile(r"(?<![可所予难加得足借])以(?![及上下来内外后前往便免至为])")  # 以 'with', not in 可以
_DIGIT_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?[、和及与或]$")
_WIDE_NOT_START = ("方面", "领域", "行业", "环节", "其他", "其它", "类", "种")  # heads of 等…: X等方面的Y
_MAX_WIDE = 12  # a wider subject is still a name: 侵犯商标权、专利权等案件, not a whole description


# The trailing words of _TRAIL_RE reversed, longest first: matching them at the start of the reversed
# phrase finds the longest one that ends it in one attempt, where a search anchored at the end tries every
# position of the window against every word.  The regex patterns are searched as before.
_TRAIL_WORDS_REVERSED_RE = re.compile(
    alternation([w[::-1] for w in (*_LEX.trailing_filler, *_LEX.adverbs, *_LEX.compare)])
)
_TRAIL_PATTERNS_RE = re.compile(f"(?:{'|'.join(_LEX.trailing_patterns)})$")


def _trail_start(s: str, lo: int, b: int) -> int:
    """Where the filler, adverb or comparison that ends ``s[lo:b]`` starts (the longest one), or -1; the
    same as ``_TRAIL_RE.search(s, lo, b).start()``."""
    m = _TRAIL_WORDS_REVERSED_RE.match(s[lo:b][::-1])
    k = b - m.end() if m else -1
    p = _TRAIL_PATTERNS_RE.search(s, lo, b)
    if p is not None and (k < 0 or p.start() < k):
        k = p.start()
    return k


def _conjunction_at(s: str, k: int) -> int:
    """Length of a list conjunction (和 及 与 或 以及) starting at ``k``, or 0 when there is none or the
    character belongs to a word (涉及, 参与, 及时, 和谐)."""
    m = _CONJ_RE.match(s, k)
    if m is None:
        return 0
    for w in _NOT_CONJUNCTIONS:
        i = w.find(s[k])
        while i >= 0:
            if s.startswith(w, k - i):
                return 0
            i = w.find(s[k], i + 1)
    return m.end() - k


def _bracket_depth_ok(s: str, a: int, b: int) -> list[bool]:
    """For each position in ``[a, b)``: True when it is not inside a parenthesised remark that opens at or
    after ``a`` (so cuts never fall inside ``(经常性批评教育、约谈函询)``)."""
    out = []
    depth = 0
    for k in range(a, b):
        ch = s[k]
        if ch in "(（":
            depth += 1
        out.append(depth == 0)
        if ch in ")）" and depth:
            depth -= 1
    return out


def _strip_span(s: str, a: int, b: int) -> tuple[int, int]:
    """Trim fillers (共 达 为 同比 ...) from the end and scopes (全区 其中 ...), list bullets (●) and list
    conjunctions (和, 及, 以及) from the start."""
    while a < b and (s[a] in CLAUSE_CHARS or s[a] in _BULLETS):
        a += 1
    while a < b:
        if s[b - 1] in ")）":
            j = opening_bracket(s, b - 1, a)
            if j < 0:
                break
            b = j
            continue
        k = _trail_start(s, max(a, b - _TRAIL_SPAN), b)
        if k > a:
            b = k
            continue
        break
    while a < b:
        m = _LEAD_RE.match(s, a, b)
        if m and m.end() < b:
            a = m.end()
            continue
        if s[a] in _CONJ_CHARS or s[a] == "以":
            k = _conjunction_at(s, a) or (1 if _PREP_CUT_RE.match(s, a) else 0)
            if k > 0 and a + k + 1 < b:
                a += k  # 及金融业(9.6%), 以楼宇管理业(37%): a conjunction or 以 'with' opens no noun
                continue
        break
    return a, b


def _cut_action(s: str, a: int, b: int) -> int:
    """Move ``a`` to where the counted noun starts.

    The noun starts after the last action verb (抓获, 受理 …), agent (…法院, …机关), enumeration end
    (等), time phrase (…以来) or 的 that leaves a noun of 2+ characters which is not a bare suffix (率, 天数).
    """
    return _cut_points(s, a, b)[-1]


def _cut_points(s: str, a: int, b: int) -> list[int]:
    """Every place, in increasing order, where the noun of ``s[a:b]`` could start (``a`` itself first, unless
    a date comes later); the last is where :func:`_cut_action` starts it.  The earlier ones give wider
    subjects (受理各类案件 before 案件) used when the narrow one does not tell metrics apart in their
    document.  Points inside a bracket are never used, and a date (2016年) resets them: a subject never
    reaches back over a date.
    """
    outside = _bracket_depth_ok(s, a, b) if "(" in s[a:b] or "（" in s[a:b] else None
    points: list[int] = [a]

    def add(k: int) -> None:
        if outside is not None and not outside[k - a - 1]:
            return
        if k > points[-1]:
            points.append(k)

    # A rate's name carries its verb (结案率, 调解成功率): action verbs are not cut from it.
    is_rate = s.endswith("率", a, b)
    actions = () if is_rate else _ACTION_RE.finditer(s, a, b)
    for m in actions:
        end = m.end()
        # two verbs sharing a character (审查办理: 查办 + 办理) are read as one
        if (over := _ACTION_RE.match(s, end - 1, b)) and over.end() > end:
            end = over.end()
        if end < b and s[end] in "了过着":
            end += 1  # 开展了禁毒宣传: the aspect particle goes with the verb
        if b - end >= 2 and s[end:b] not in _LEX.metric_suffixes:
            if (v := _ACTION_RE.match(s, end, b)) and s[v.end() : b] in _LEX.metric_suffixes:
                continue  # 刑事打击处理数: the verb is part of the counted measure (处理数)
            if s[end] == "的":
                continue  # 收到的信访举报: the cut comes after 的
            if s.startswith(_LEX.verb_noun_heads, end) and b - end <= 3:
                continue  # 人民调解委员会, 调解员: the verb is part of the noun
            if s[end] not in _COORDINATORS:
                add(end)
            elif not _ACTION_RE.fullmatch(s, end + 1, b):
                add(end + 1)  # 引进及合作两院院士: the coordinator goes with the verb
            # else 批评教育帮助和处理: two coordinated verbs are the whole subject
    for m in _CUT_AFTER_RE.finditer(s, points[-1], b):
        # an agent (…法院 …机关) needs a longer remainder than 等 / 的 / 以来
        need = 3 if m.group() in _LEX.org_heads else 2
        if m.start() == a and m.group() in _LEX.org_heads_as_prefix:
            continue  # 单位GDP能耗: 'per unit of', not an agent
        if m.group() == "的" and is_rate and b - m.end() <= 3:
            continue  # 整体罪案的破案率: a short rate keeps what it is the rate of
        if m.group() == "等" and s.startswith(_ENUMERATION_HEADS, m.end()):
            continue  # 农村、企业等其他人员: 其他人员 alone names nothing
        if m.group() in _LEX.org_heads and (
            s.startswith(("的", "等", "、"), m.end()) or _ORG_HEAD_RE.match(s, m.end())
        ):
            continue  # 政府部门的投诉, 农村、企业等其他人员: an owner, a listed item or part of a longer name
        if b - m.end() >= need and s[m.end() : b] not in _LEX.metric_suffixes:
            add(m.end())
    for m in _PREP_CUT_RE.finditer(s, a + 2, b - 2):
        add(m.end())  # 私营机构以饮食业(21%)…占最多: what follows 以 is the item
    for m in _TIME_CUT_RE.finditer(s, a, b):
        if m.end() > m.start() and b - m.end() >= 2 and (outside is None or outside[m.start() - a]):
            points = [m.end(), *(k for k in points if k > m.end())]  # nothing before a date is in the subject
    return points


def _share_holder(s: str, a: int, b: int) -> int:
    """End of the part that holds a share: ``未成年人犯罪占全部刑事犯罪(的6.8%)`` → 未成年人犯罪.

    ``占比`` and ``占用`` … are words of their own, so ``占`` followed by them does not split, and a share
    named with its whole (``R&D占GDP比重``) is kept whole.
    """
    k = s.find("占", a + 2, b)
    if k < 0 or s.startswith(_LEX.share_not_split, k) or s[a:b].endswith(_LEX.share_names):
        return b
    return k


def _list_parts(s: str, cs: int, pos: int) -> list[tuple[int, int]]:
    """The items of an enumeration before 分别: ``受理、审结、执结案件`` → 受理 | 审结 | 执结案件.

    Each item loses an action verb that introduces it (破获盗窃 → 盗窃), unless the items are verbs that
    share one noun (受理、审结、执结案件): then they are kept as written.
    """
    a, b = _strip_span(s, cs, pos)
    raw: list[tuple[int, int]] = []
    k0 = k = a
    while k <= b:
        n = 1 if k < b and s[k] == "、" else _conjunction_at(s, k) if k < b and s[k] in "和及与或以" else 0
        if k == b or n:
            if k > k0:
                raw.append((k0, k))
            k0 = k + max(n, 1)
            k = k0
            continue
        k += 1
    if len(raw) > 1:
        # 政府部门及公共机构的投诉: the items share the head after 的; each item is what tells them apart
        x, y = raw[-1]
        d = s.rfind("的", x, y)
        if d > x and all(s.find("的", u, v) < 0 for u, v in raw[:-1]):
            raw[-1] = (x, d)
    if any(_ACTION_RE.fullmatch(s, x, y) for x, y in raw):
        return raw
    parts = []
    for x, y in raw:
        u, v = _strip_span(s, _cut_action(s, x, y), y)
        parts.append((u, v) if u < v else (x, y))
    return parts


def _subject_before(s: str, cstart: int, pos: int, *, share: bool = False) -> tuple[int, int] | None:
    """The noun phrase between the clause start and ``pos`` (the number or its change verb).

    For a share (``share=True``) only the part before 占 names it: 未成年人犯罪占全部刑事犯罪的6.8%.
    """
    while pos > cstart and s[pos - 1] in " \u3000\u00a0":
        pos -= 1
    a, b = _strip_span(s, cstart, pos)
    if (d := _DIGIT_RE.search(s, a, b)) and d.start() > a:
        a, b = _strip_span(s, a, d.start())  # 提高2.1和3.4个百分点: an earlier number of the list is no subject
    if a >= b:
        return None
    seg = s[a:b]
    if seg in _LEX.generic_subjects or seg in _FILLERS or seg in _SCOPES or seg.startswith("占"):
        return None
    if _conjunction_at(s, a) == b - a:
        return None  # 及 alone: the number continues a list
    if (t := _TRAIL_RE.match(s, a, b)) and t.end() == b:
        return None  # nothing but a filler or a comparison: 下跌至, 较前年
    if share and (k := _share_holder(s, a, b)) < b:
        a, b = _strip_span(s, a, k)
        if a >= b:
            return None
    a = _cut_action(s, a, b)
    a, b = _strip_span(s, a, b)
    if a >= b:
        return None
    if (v := _TRAIL_ACTION_RE.search(s, max(a, b - 6), b)) and v.start() - a >= 2:
        if s[v.start() - 1] in ")）":
            # 第一种形态(谈话函询)处理68.8万人次: the verb after a named means is not what is counted
            a, b = _strip_span(s, a, v.start())
        elif (
            s[v.start() - 1] not in _COORDINATORS
            and v.group() not in _LEX.verb_noun_heads  # 涉金融领域组织: 组织 is the noun here
            and not _TRAIL_ACTION_RE.search(s, a, v.start())
        ):
            a = v.start()  # 廉署拘捕12人: who acted is no part of what is counted (拘捕)
    return a, b


def _subject_after(s: str, end: int, limit: int) -> tuple[int, int] | None:
    """A noun phrase directly after a counted unit: ``458名政法干警`` → 政法干警, ``20个县(区)`` → 县(区)."""
    if end < limit and s[end] in "(（":
        return None  # 1,482宗(65%): a remark on the number, not the noun
    i = end
    stop = min(limit, end + 16)
    while i < stop:
        c = s[i]
        if c in "(（":
            close = s.find(")" if c == "(" else "）", i, i + 5)
            if close < 0:
                break
            i = close + 1
            continue
        if c in CLAUSE_CHARS or c.isdigit():
            break
        i += 1
    if i - end < 2:
        return None
    m = _FOLLOW_STOP_RE.search(s, end, i)
    if m:
        i = m.start()
    # an action verb ends the noun, but not as its first word (调解室 is a noun), nor when a noun head
    # follows it (人民调解组织, 人民调解员)
    m = _FOLLOW_ACTION_RE.match(s, end, i)
    if m and not s.startswith(_LEX.verb_noun_heads, m.end()):
        return None  # 千余人解决实际困难: a verb phrase follows, not a noun
    noun_until = end
    for m in _FOLLOW_ACTION_RE.finditer(s, end + 2, i):
        if m.start() < noun_until:
            continue  # the noun head itself (组织 in 人民调解组织) is not a verb here
        head = next((h for h in _LEX.verb_noun_heads if s.startswith(h, m.end())), None)
        if head is None:
            i = m.start()
            break
        noun_until = m.end() + len(head)
    i = min(i, end + _MAX_AFTER)
    m = _ORG_HEAD_RE.search(s, end, i)
    if m:
        i = m.end()  # 264家基层法院新收案件数 → 基层法院
    while i > end and s[i - 1] in _LOCALIZERS:
        i -= 1
    if i - end < 2:
        return None
    if i < limit and s[i] == "、" and (head := _shared_head(s, i, limit)) is not None:
        return head
    return end, _coordinated_end(s, i, limit)


_PASSIVE_RE = re.compile(
    r"(?:已经|已|均|都|先后|分别|依法)?(?:被|为|是)"  # 已被 (检控), 为 (青少年)
    r"(?P<v>[\u4e00-\u9fff]{2,8}?)(?:了)?(?=[，,。；;！？!?\n]|$)"
)


def _names_nothing(s: str, a: int, b: int) -> bool:
    """True when ``s[a:b]`` holds only scopes and fillers (本年度共有, 其中, nothing)."""
    x, y = _strip_span(s, a, b)
    seg = s[x:y].strip()
    return seg in _SCOPE_OR_NOTHING or seg in _FILLERS


def _passive_after(s: str, end: int) -> tuple[int, int] | None:
    """What was done to the people or things counted at a clause's start, or what they are: ``3人已被落案检控``
    → 落案检控, ``当中1,045人为青少年`` → 青少年."""
    m = _PASSIVE_RE.match(s, end)
    return m.span("v") if m else None


_PREDICATE_VERBS = ("参加", "参与", "参训", "参考", "接受", "获得", "受到", "完成")  # what counted people did
_PREDICATE_RE = re.compile(
    rf"(?:已经|已|均|都|先后|全部)?(?P<v>(?:{alternation(_PREDICATE_VERBS)})"
    r"[\u4e00-\u9fff]{1,6}?)(?:了)?(?=[，,。；;！？!?\n]|$)"
)


def _predicate_after(s: str, end: int) -> tuple[int, int] | None:
    """What the people counted at a clause's start did, when nothing else names them: ``共有1,235人参加考试``
    → 参加考试."""
    m = _PREDICATE_RE.match(s, end)
    return m.span("v") if m else None


_HEAD_LOOKAHEAD = 40  # how far a list of modifiers may run before its 的 and head


def _respectively_lists(s: str, cands: list[_Cand], sents: SentenceIndex, ends: set[int]) -> None:
    """Numbers listed after 分别 and a verb (``分别收到8宗及52宗``, ``分别覆盖12万人次、35万人次``) take the
    items of the enumeration before 分别, in its clause or, when that names only one thing, in the clause
    before it (``举行了选委会选举及立法会换届选举,廉署分别收到8宗及52宗投诉``)."""
    i = 0
    while i < len(cands):
        c = cands[i]
        j = i + 1
        while (
            j < len(cands)
            and cands[j].sent == c.sent
            and cands[j].family == c.family
            and s[cands[j - 1].end : cands[j].start] in _LIST_SEPARATORS
        ):
            j += 1
        members = cands[i:j]
        i = j
        if len(members) < 2 or any(m.subj_text is not None for m in members):
            continue
        sa = sents.span(c.start)[0]
        cs = _clause_floor(s, c.start, sa, ends)
        k = s.find("分别", cs, c.start)
        if k < 0:
            continue
        parts = _list_parts(s, cs, k)
        if len(parts) != len(members):
            parts = _parts_before(s, cs, sa)
        if len(parts) == len(members):
            for m, span in zip(members, parts, strict=True):
                m.subj, m.subj_text = span, None


def _parts_before(s: str, cs: int, sa: int) -> list[tuple[int, int]]:
    """The items of an enumeration in the clause before ``cs`` when that clause holds no number, else []."""
    if cs <= sa or s[cs - 1] not in "，,；;":
        return []
    ps = clause_start(s, cs - 1, sa)
    if any(ch.isdigit() for ch in s[ps : cs - 1]):
        return []
    return _list_parts(s, ps, cs - 1)


def _shared_head(s: str, i: int, limit: int) -> tuple[int, int] | None:
    """The head noun of modifiers listed after a number: ``248条有案不立、压案不查、久扣不处的顽瘴痼疾`` counts
    顽瘴痼疾.  None when no 的 closes the list within its clause."""
    j = i
    stop = min(limit, i + _HEAD_LOOKAHEAD)
    while j < stop and s[j] not in "，,。；;！？!?\n" and not s[j].isdigit():
        j += 1
    d = s.rfind("的", i, j)
    if d < 0:
        return None
    e = d + 1
    while e < j and _is_cjk(s[e]) and not _FOLLOW_STOP_RE.match(s, e) and not _FOLLOW_ACTION_RE.match(s, e):
        e += 1
    return (d + 1, e) if e - d > 2 else None


_ITEM_RE = re.compile(r"[\u4e00-\u9fff]{1,8}")  # one item of a coordinated noun phrase (医院, 养老院)
_MAX_COORDINATED = 24


def _coordinated_end(s: str, i: int, limit: int) -> int:
    """End of a coordinated noun phrase whose first item ends at ``i``: ``12个学校、医院和养老院`` counts all
    three.  The items must run to the end of the clause (a comma, a full stop, 等 or the text end), so a
    list of metrics (``学校5所、医院3所``) or a verb phrase after the noun is never swallowed.  Returns ``i``
    when the phrase is not such a list."""
    j = i
    while j < limit and j - i < _MAX_COORDINATED:
        k = 1 if s[j] == "、" else _conjunction_at(s, j)
        if not k:
            break
        m = _ITEM_RE.match(s, j + k, limit)
        if m is None:
            return i
        j = m.end()
        conj = next((c for c in range(m.start() + 1, j) if _conjunction_at(s, c)), -1)
        if conj > 0:
            j = conj  # 医院和养老院: the next item starts after 和
        if s[j - 1] == "等":
            j -= 1
        if _FOLLOW_STOP_RE.search(s, m.start(), j) or _FOLLOW_ACTION_RE.search(s, m.start(), j):
            return i  # a verb phrase, not one more noun
    if j == i or not (j >= len(s) or s[j] in "，,。；;！？!?\n" or s.startswith("等", j)):
        return i
    return j


# --------------------------------------------------------------------------------------------------
# Candidate filters


def _in_quote(s: str, start: int, end: int, floor: int, max_len: int, straight: list[int]) -> bool:
    """True for a number inside a quoted name of at most ``max_len`` characters (“三个一”, “七项教育”).

    Chinese numerals inside quotation marks are nearly always part of a slogan, so callers pass a longer
    limit for them (“六方参与、六人见证、六指留印”).  ``straight`` holds the offsets of every ``"`` in ``s``
    (sorted), so that telling an opening one from a closing one does not rescan the sentence.  Only quotes
    close enough for the name to fit are looked for, which keeps the cost per number constant.
    """
    lo = max(floor, end - max_len - 1)  # an opening quote further back cannot close within max_len
    for open_q, close_q in (("“", "”"), ('"', '"'), ("「", "」")):
        o = s.rfind(open_q, lo, start)
        if o < 0:
            continue
        if open_q != close_q and s.rfind(close_q, o + 1, start) >= 0:
            continue
        if open_q == close_q and (bisect_left(straight, start) - bisect_left(straight, floor)) % 2 == 0:
            continue
        close = s.find(close_q, end, o + max_len + 2)
        if close >= 0:
            return True
    return False


class _SloganIndex:
    """Spans of slogan / programme names (两个一百年, 十四五) in the text."""

    __slots__ = ("_ends", "_starts", "quoted", "straight_quotes")

    def __init__(self, s: str) -> None:
        spans = [(m.start(), m.end()) for m in _SLOGAN_RE.finditer(s)]
        self._starts = [a for a, _ in spans]
        self._ends = [b for _, b in spans]
        self.straight_quotes = [m.start() for m in re.finditer('"', s)]  # for _in_quote
        self.quoted = any(q in s for q in '“"「')  # without an opening quote no number is in a quoted name

    def overlaps(self, a: int, b: int) -> bool:
        i = bisect_left(self._starts, b)
        # check the slogan that starts last before b
        return i > 0 and self._ends[i - 1] > a


# --------------------------------------------------------------------------------------------------
# Main entry point


class DeadlineExceeded(TimeoutError):
    """The reading of one document ran past its deadline (see :func:`extract_metrics`)."""


def check_deadline(deadline: float | None) -> None:
    """Raise :class:`DeadlineExceeded` when ``deadline`` (a :func:`time.monotonic` value) has passed."""
    if deadline is not None and time.monotonic() > deadline:
        raise DeadlineExceeded("the document's analysis ran past its time limit")


_DEADLINE_EVERY = 256  # candidates read between two looks at the clock


def extract_metrics(text: str, *, deadline: float | None = None) -> list[Metric]:
    """Metrics mentioned in ``text``, sorted by start offset.

    Never raises on any ``str`` input, except :class:`DeadlineExceeded` when ``deadline`` (a
    :func:`time.monotonic` value) passes while the candidates are read.
    """
    try:
        return _extract(text, strict=False, deadline=deadline)
    except DeadlineExceeded:
        raise
    except Exception:  # pragma: no cover - safety net; tests run with strict=True
        return []


def _extract(text: str, *, strict: bool, deadline: float | None = None) -> list[Metric]:
    if not isinstance(text, str) or not text or not PREFILTER_RE.search(text):
        return []
    s = simplify(text)
    sents = SentenceIndex(s)
    slogans = _SloganIndex(s)
    cands: list[_Cand] = []
    readers: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], _Cand | None]], ...] = (
        (CANDIDATE_RE, lambda m: _candidate(s, m, sents, slogans)),  # numbers with units, percents, fractions
        (RANK_RE, lambda m: _rank_candidate(s, m, sents)),  # 第一 in a ranking
    )
    for pattern, read in readers:
        for n, m in enumerate(pattern.finditer(s)):
            if n % _DEADLINE_EVERY == 0:
                check_deadline(deadline)
            try:
                c = read(m)
            except Exception:
                if strict:
                    raise
                c = None
            if c is not None:
                cands.append(c)
    cands.sort(key=lambda c: (c.start, -c.end))
    # drop overlaps (keep the earlier, longer one: the range 5%-8% over its bound 5%)
    kept: list[_Cand] = []
    for c in cands:
        if kept and c.start < kept[-1].end:
            continue
        kept.append(c)
    try:
        kept = _with_table_cells(text, s, sents, kept)
    except Exception:
        if strict:
            raise
    try:
        _resolve(text, s, kept, sents)
    except Exception:
        if strict:
            raise
    where = {id(c): k for k, c in enumerate(kept)}
    for c in kept:
        if c.base is not None:
            c.modifies = where.get(id(c.base))
    out: list[Metric] = []
    for c in kept:
        sa, sb = sents.span(c.start)
        if c.subj_text is not None:
            subj, subj_s = c.subj_text
        elif c.subj is not None:
            subj, subj_s = text[c.subj[0] : c.subj[1]], s[c.subj[0] : c.subj[1]]
        else:
            subj = subj_s = None
        negate = c.change_dir < 0 and c.kind != "rank"
        value = -c.value if negate else c.value
        high = -c.value_high if negate and c.value_high is not None else c.value_high
        out.append(
            Metric(
                start=c.start,
                end=c.end,
                mention=text[c.start : c.end],
                value=value,
                unit=c.unit,
                unit_family=c.family,
                approx=c.approx,
                kind=c.kind,
                subject=subj,
                subject_simplified=subj_s,
                sentence_start=sa,
                sentence_end=sb,
                modifies=c.modifies,
                value_high=high,
            )
        )
    return out


def _is_session_name(s: str, start: int, unit_end: int) -> bool:
    """True for N次 in a numbered session name: 届 shortly before, 会议 / 全会 right after (二次会议)."""
    if not _SESSION_AFTER_RE.match(s, unit_end):
        return False
    window = s[max(0, start - _LEX.session_window) : start]
    return _LEX.session_before in window and not any(
        c in CLAUSE_CHARS for c in window[window.rfind(_LEX.session_before) :]
    )


def _has_colon_before(s: str, start: int) -> bool:
    """A label's colon within the three characters before ``start`` (cheap test before the label regex)."""
    a = max(0, start - 3)
    return s.find("：", a, start) >= 0 or s.find(":", a, start) >= 0


def _may_compare(s: str, a: int, b: int) -> bool:
    """Cheap test before :data:`_GAP_RE`: a comparison holds 比 / 较 or the last character of a gap word."""
    return _GAP_HINT_RE.search(s, a, b) is not None


def _explicit_sign(s: str, start: int, unit: str) -> int:
    """+1 / -1 for a change written with a sign in a table or list (``同比 -5.2%``), else 0.

    The sign must follow a Chinese character, a blank or an opening bracket (not a digit, letter or unit:
    ``2021-5``, ``6+N``, the range ``3%-5%``) and the unit must be one of a change (%, 个百分点, 倍).
    """
    if unit not in _CHANGE_UNITS or start < 1:
        return 0
    prior = s[start - 2] if start >= 2 else ""
    if prior and not (_is_cjk(prior) or prior in _BLANKS or prior in "：:(（"):
        return 0  # 2021-5, 3%-5% (a range), 6+N
    return -1 if s[start - 1] in _MINUS else 1


def _range_low(
    s: str, qstart: int, unit: str, scale: str | None, high: Decimal, unit_factor: int
) -> tuple[int, Decimal, str | None] | None:
    """The lower bound of a range that ends with the number at ``qstart``: ``5至8万元``, ``5-8%``, ``三到五名``.

    ``high`` is the upper bound's value after its scale and unit (成 → ×10); a lower bound without a scale of
    its own takes the upper bound's (``5至8万元`` → 50000), unless that would put it above ``high``
    (``5000至8万元``).  Returns ``(start, low, approx)`` or None when no lower bound stands there or it is not
    below ``high`` (``2021-5``).  Source of the rule: GOLD_SPEC, ranges.
    """
    lm = _RANGE_LOW_RE.search(s, max(0, qstart - _RANGE_WINDOW), qstart)
    if lm is None:
        return None
    if lm.start() and s[lm.start() - 1] in _FROM_WORDS:
        return None  # 由5%到8%, 从3件到5件: a change from one value to another, two metrics
    lunit = lm.group("lunit")
    if lunit and lunit != unit:
        return None  # 3件至5% is not a range
    raw = parse_number(lm.group("lo"))
    if raw is None:
        return None
    lscale = lm.group("lscale")
    if lscale:
        low = raw * scale_factor(lscale) * unit_factor
    else:
        low = raw * (scale_factor(scale) if scale else 1) * unit_factor
        if low >= high:
            low = raw * unit_factor  # 5000至8万元: the lower bound is written in full
    if low >= high:
        return None
    lpre = lm.group("lpre")
    return lm.start(), low, _LEX.qual_before.get(lpre) if lpre else None


def _abbreviated_tail(s: str, m: re.Match[str]) -> tuple[int, Decimal] | None:
    """A lone digit after a scale or 成 that closes the number: ``1万2`` → (end, 2000), ``三万五`` → (end, 5000),
    ``一成八`` → (end, 0.8) (1.8 tenths, i.e. 18 %).  Returns the new end of the mention and the value the digit
    adds (before 成 is turned into per cent), else None."""
    scale, unit, unit2 = m.group("scale", "unit", "unit2")
    unit = unit or unit2
    if unit != "成" and (unit or not scale):
        return None  # neither 成 nor a scale without a unit (the cheap test first)
    end = m.end()
    if m.group("post") or m.group("inner1") or m.group("inner2"):
        return None
    if unit == "成":
        step = Decimal("0.1")  # 一成八: the digit counts hundredths, a tenth of a 成
    elif scale and not unit:
        step = scale_factor(scale[-1]) / 10  # 三万五: the digit counts the next lower place
    else:
        return None
    if end >= len(s) or not (s[end].isdigit() or s[end] in _TAIL_DIGITS):
        return None
    after = s[end + 1] if end + 1 < len(s) else ""
    if after and not (after in CLAUSE_CHARS or after in ")）的"):
        return None
    num = m.group("num")
    if num[-1].isdigit() != s[end].isdigit():
        return None  # 1万五, 三万5: not one numeral
    digit = Decimal(int(s[end])) if s[end].isdigit() else Decimal(_TAIL_DIGITS[s[end]])
    return end + 1, digit * step


_TAIL_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _candidate(s: str, m: re.Match[str], sents: SentenceIndex, slogans: _SloganIndex) -> _Cand | None:
    start, end = m.start(), m.end()
    pre, num_text, g_unit, g_unit2, g_post, g_inner1, g_inner2, g_plus = m.group(
        "pre", "num", "unit", "unit2", "post", "inner1", "inner2", "plus"
    )
    qstart = m.start("pre") + len(pre) if pre else start
    before = s[start - 1] if start else ""
    # --- numbers that are names, ordinals, identifiers or rates
    lead = start - 1 if start and s[start - 1] in _BLANKS else start  # 第 3 次: one blank may intervene
    if (
        lead
        and _ends_with(s, lead, _NOT_BEFORE_LAST)
        and _NOT_BEFORE_RE.search(s, max(0, lead - _NOT_BEFORE_SPAN), lead)
    ):
        return None
    unit = g_unit or g_unit2 or ""
    digit_after = end < len(s) and (s[end].isdigit() or s[end] in _TAIL_DIGITS)  # cheap test first
    tail = _abbreviated_tail(s, m) if digit_after and num_text is not None else None
    if tail is not None:
        end = tail[0]
    # a range's upper bound (5至8万元, 5-8%) is read with its lower bound below; it is not an identifier
    may_range = num_text is not None and not pre and (before in _RANGE_SIGNS or before in _BLANKS)
    sign = _explicit_sign(s, start, unit) if before in _SIGNS and not pre else 0
    negative_word = not sign and not pre and before == _NEGATIVE_WORD
    if before in _IDENT_CHARS and not sign and not may_range:
        return None
    if unit and end < len(s):
        # a unit that is really the start of a word (一人民 …) — look at the char after the unit
        uend = m.end("unit") if g_unit else m.end("unit2")
        nxt = s[uend] if uend < len(s) else ""
        if (
            nxt
            and nxt in _LEX.unit_not_followed_by.get(unit, "")
            and not g_post
            and not any(s.startswith(w, uend) for w in _LEX.unit_followed_by_ok.get(unit, ()))
        ):
            return None
    if unit == "次" and _is_session_name(s, start, m.end("unit") if g_unit else end):
        return None  # 十四届全国人大二次会议
    nxt = s[end] if end < len(s) else ""
    is_cn = num_text is not None and num_text[0] not in "0123456789"
    if nxt in _CN_NUMERAL_CHARS or (is_cn and nxt.isascii() and nxt.isalnum()):
        return None  # 三个一, 两个一百年
    if nxt.isascii() and nxt.isalpha():
        return None  # 5G, 3D, 12345abc
    if slogans.overlaps(start, end):
        return None
    if _has_colon_before(s, start) and _PAGE_LABEL_RE.search(s, max(0, start - 10), start):
        return None  # 浏览次数：1234次 — a web page's counter, not the report's
    sa, _ = sents.span(start)
    if slogans.quoted and _in_quote(s, start, end, sa, 30 if is_cn else 12, slogans.straight_quotes):
        return None
    approx = _LEX.qual_before.get(pre) if pre else None
    value_high: Decimal | None = None
    scale = None
    if num_text is not None:
        if is_cn and not pre and any(s.startswith(w, qstart - len(w)) for w in _VAGUE_BEFORE if w):
            return None  # 数十家, 几百人
        if is_cn and num_text in _ZEROS:
            return None  # 零部件, 零容忍: a bare 零 is a word, not a count
        if is_cn and num_text == "一" and not pre and unit not in _LEX.not_article_units:
            return None  # 一 as an article: 一名男子 (but 下降一成 is a number)
        if num_text in _BARE_HUNDREDS and not pre and not (g_inner1 or g_inner2):
            return None  # 千名干警进万家: a bare 千 needs 余 / 多 or a qualifier (千余人, 近千名)
        estimate = parse_chinese_range(num_text) if is_cn else None
        value = estimate[0] if estimate else parse_number(num_text)
        if value is None:
            return None
        scale = m.group("scale")
        if scale in _LEX.scales_need_unit and not unit and tail is None:
            return None  # 110千伏: 千 scales only a number with a unit (9千多公里)
        factor = scale_factor(scale) if scale else Decimal(1)
        value *= factor
        if tail is not None:
            value += tail[1]
        inner = g_inner1 or g_inner2
        if inner and approx is None:
            approx = "more_than"
        if g_plus:
            approx = "more_than"  # 20+: more than 20
        if unit == "成":
            value *= 10
            factor *= 10
            unit = "%"
        elif not unit and not scale and not g_plus:
            return None
        if estimate:
            value_high = estimate[1] * factor  # 两三名 → 2 to 3 (an estimate is a range)
    elif m.group("pct") is not None:
        value = parse_number(m.group("pct"))
        if value is None:
            return None
        unit = "%"
    else:
        den = parse_number(m.group("fden"))
        num = parse_number(m.group("fnum"))
        if not den or num is None:
            return None
        value = (num * 100 / den).quantize(Decimal("0.0001")) if (num * 100) % den else num * 100 / den
        unit = "%"
    if may_range and value_high is None:
        low = _range_low(
            s,
            qstart,
            g_unit or g_unit2 or "",
            scale,
            value,
            10 if g_unit == "成" or g_unit2 == "成" else 1,
        )
        if low is not None:
            start, value_high, value = low[0], value, low[1]
            qstart = start
            sign = 0
            if approx is None:
                approx = low[2]
            lead = start - 1 if start and s[start - 1] in _BLANKS else start
            if lead and _NOT_BEFORE_RE.search(s, max(0, lead - _NOT_BEFORE_SPAN), lead):
                return None  # 第5至8名: a ranking's range, not a count
            before = s[start - 1] if start else ""
            negative_word = before == _NEGATIVE_WORD
        elif before not in _BLANKS and before in _IDENT_CHARS and not sign:
            return None  # 2021-5: a date or an identifier, not a range
    post = g_post
    if post and approx is None:
        approx = _LEX.qual_after.get(post)
    family = _LEX.units.get(unit, "other") if unit else "other"
    if family == "money":
        kind = "amount"
    elif family in _MEASURE_FAMILIES:
        kind = "measure"
    elif family == "percent":
        kind = "percent"
    elif family == "ratio":
        kind = "change_pct"
    else:
        kind = "count"
    if negative_word:
        sign = -1  # 增速为负3.9%: the sign is written as a word
        if unit in _CHANGE_UNITS:
            kind = "change_pct"
    elif sign:
        kind = "change_pct"
    if sign:
        start, qstart = start - 1, start - 1  # the sign belongs to the mention
        value *= sign
        if value_high is not None:
            value_high *= sign
    c = _Cand(
        start=start,
        end=end,
        value=normalize(value),
        unit=unit,
        family=family,
        approx=approx,
        kind=kind,
        sent=sents.sentence_id(start),
        qstart=qstart,
        value_high=None if value_high is None else normalize(value_high),
    )
    # --- change verb directly before the number (同比下降2.1%), or one blank before it (同比增长 5.6 %)
    vend = start - 1 if start > sa and s[start - 1] in " \u00a0\u3000" else start
    near = max(sa, vend - 16)
    ctx_a = sents.clause_start(vend, near)  # a change verb or comparison stands within 16 characters

    def clause() -> int:  # the clause start, looked for only as far as a number's own context reaches
        return sents.clause_start(vend, max(sa, vend - _CLAUSE_REACH)) if ctx_a == near > sa else ctx_a

    if not unit and scale and _MONEY_SUBJECT_RE.search(s, max(clause(), vend - _MONEY_WINDOW), vend):
        c.kind, c.family = "amount", "money"  # 付息金额41.2亿: the subject says it is money
    cm = _CHANGE_RE.search(s, ctx_a, vend) if vend > ctx_a and _ends_with(s, vend, _CHANGE_LAST) else None
    if cm:
        cs = clause()
        c.change_dir = 1 if cm.group("inc") else -1
        if cm.group("resp") == "分别":
            c.respectively = True  # 降幅分别达12%、9%
        pos = cm.start()
        # walk back over comparison phrases and adverbs (同比, 分别, 直线)
        while pos > cs:
            t = _TRAIL_RE.search(s, max(cs, pos - _TRAIL_SPAN), pos)
            if not t or t.start() == t.end():
                break
            if s[t.start() : pos] in ("分别", "分别为"):
                c.respectively = True
            pos = t.start()
        c.change_pos = pos
        if unit in _CHANGE_UNITS:
            c.kind = "change_pct"
    elif _may_compare(s, ctx_a, vend) and (gm := _GAP_RE.search(s, ctx_a, vend)):
        # 增速高于全国1.3个百分点, 比上年多12件: a difference from a reference, signed by the comparison
        c.change_dir = 1 if gm.group("hi") or gm.group("hi2") else -1
        c.change_pos = gm.start()
        if unit in _CHANGE_UNITS:
            c.kind = "change_pct"
    elif unit in _CHANGE_UNITS and (am := _CHANGE_AFTER_RE.match(s, end)):
        # 抵消了百分之3.1的跌幅: the change noun after the number gives its sign
        c.change_dir = 1 if am.group("inc") or am.group("inc2") else -1
        c.kind = "change_pct"
    elif unit in ("个百分点", "百分点"):
        c.kind = "change_pct"
        c.change_dir = 1
    if c.change_dir == 0 and s.find("分别", ctx_a, vend) >= 0 and (rm := _RESP_RE.search(s, ctx_a, vend)):
        c.respectively, c.resp_pos = True, rm.start()  # 分别为1520件、1488件和1203件
    return c


def _rank_candidate(s: str, m: re.Match[str], sents: SentenceIndex) -> _Cand | None:
    start, end = m.start(), m.end()
    nxt = s[end] if end < len(s) else ""
    if nxt in _SUPERLATIVES:
        after = s[end + 1] if end + 1 < len(s) else ""
        if after == "的" or not (_is_cjk(after) or after.isalnum()):
            nxt = ""  # 全省第三多, 全国第二高的: a rank and its superlative (but 第三大队 is a name)
    if nxt and (_is_cjk(nxt) or nxt.isalnum()):
        return None  # 第一方阵, 第三督导组, 第6个
    sa, _ = sents.span(start)
    cs = sents.clause_start(start, max(sa, start - 12))
    ctx = s[cs:start]
    if not ctx or not _RANK_CTX_RE.search(ctx):
        return None
    value = parse_number(m.group("rn"))
    if value is None or value <= 0:
        return None
    return _Cand(
        start=start,
        end=end,
        value=normalize(value),
        unit="",
        family="rank",
        approx=None,
        kind="rank",
        sent=sents.sentence_id(start),
        qstart=start,
    )


# --------------------------------------------------------------------------------------------------
# Subjects, list inheritance and change links


def _clause_floor(s: str, pos: int, floor: int, ends: set[int], sents: SentenceIndex | None = None) -> int:
    """Clause start for a subject; an enumeration comma 、 not preceded by a metric belongs to the
    subject (违规违法减刑、假释、暂予监外执行问题1027个). ``sents``, an index of ``s``, finds clause starts
    faster (the same answer)."""
    while pos > floor and s[pos - 1] in " \u3000\u00a0":
        pos -= 1
    start = sents.clause_start if sents is not None else partial(clause_start, s)
    cs = start(pos, floor)
    while cs > floor and s[cs - 1] == "、" and (cs - 1) not in ends:
        cs = start(cs - 1, floor)
    return cs


def _ends_list_item(s: str, end: int) -> bool:
    """True when a number ends an item of a list of numbers: a separator, a clause end or the text end
    follows it (``9.8%和21.7%。``), not a noun (``三分之二以上的案件``)."""
    return end >= len(s) or s[end] in CLAUSE_CHARS or s[end] in "和及与)）"


def _prev_base(s: str, cands: list[_Cand], i: int) -> int | None:
    """Index of the nearest earlier non-change, non-rank metric in the same sentence, skipping metrics
    inside a parenthesised remark that closes before ``cands[i]`` (``(含旧存214件),同比上升3.85%``)."""
    c = cands[i]
    for j in range(i - 1, max(-1, i - 1 - _PREV_REACH), -1):  # bounded: a long list must not be quadratic
        p = cands[j]
        if p.sent != c.sent:
            return None
        if p.kind in ("change_pct", "rank"):
            continue
        between = s[p.end : c.start]
        closes = between.count(")") + between.count("）") if ")" in between or "）" in between else 0
        if closes and closes > between.count("(") + between.count("（"):
            continue
        return j
    return None


def _inherit_prev_base(s: str, cands: list[_Cand], i: int, j: int | None = -1) -> int | None:
    """Give ``cands[i]`` the subject of the metric it follows up on, if any; returns that metric's index.
    ``j``, when not -1, is that index as :func:`_prev_base` already found it."""
    if j == -1:
        j = _prev_base(s, cands, i)
    if j is not None:
        _inherit(cands[i], cands[j])
    return j


class _PrevBases:
    """:func:`_prev_base` of each candidate, looked for once: it reads only the kinds, sentences and offsets of the
    candidates before it, which no longer change once the subject pass has reached it."""

    __slots__ = ("_cands", "_found", "_s")

    def __init__(self, s: str, cands: list[_Cand]) -> None:
        self._s, self._cands = s, cands
        self._found: list[int | None] = [-1] * len(cands)

    def __call__(self, i: int) -> int | None:
        j = self._found[i]
        if j == -1:
            j = self._found[i] = _prev_base(self._s, self._cands, i)
        return j


def _inherit(c: _Cand, p: _Cand) -> None:
    c.subj, c.subj_text = p.subj, p.subj_text


def _resolve(text: str, s: str, cands: list[_Cand], sents: SentenceIndex) -> None:
    """Assign subjects, list-inherited change verbs and ``modifies`` links, in text order."""
    n = len(cands)
    ends = {c.end for c in cands}
    prev_base = _PrevBases(s, cands)
    for i, c in enumerate(cands):
        if c.fixed:
            continue
        sa, _ = sents.span(c.start)
        prev = cands[i - 1] if i and cands[i - 1].sent == c.sent else None
        # list continuation: 同比分别上升11.08%、1.21%; 分别为1520件、1488件和1203件
        if (
            (c.change_dir == 0 or (c.change_pos < 0 and c.unit in ("个百分点", "百分点")))  # 下降3%、6%及2个百分点
            and c.resp_pos < 0
            and prev is not None
            and (prev.change_dir != 0 or prev.resp_pos >= 0 or (prev.respectively and prev.change_pos == -2))
            and s[prev.end : c.start] in _LIST_SEPARATORS
            and (c.unit == prev.unit or (c.unit in _CHANGE_UNITS and prev.unit in _CHANGE_UNITS))
            and _ends_list_item(s, c.end)
        ):
            c.change_dir = prev.change_dir
            c.respectively = prev.respectively
            if c.unit in _CHANGE_UNITS and c.change_dir:
                c.kind = "change_pct"
            c.change_pos = -2  # joined a list
            first = i - 1
            while cands[first].change_pos == -2:
                first -= 1
            cands[first].group.append(i)
            continue
        if c.kind == "rank":
            _rank_subject(text, s, cands, i, sa)
            continue
        floor = max(sa, prev.end) if prev is not None else sa
        anchor = c.change_pos if c.change_pos >= 0 else c.resp_pos if c.resp_pos >= 0 else c.start
        cs = _clause_floor(s, anchor, floor, ends, sents)
        if anchor != c.start:
            own = _subject_before(s, cs, anchor)
            if own is not None:
                c.subj = own
            else:
                j = _inherit_prev_base(s, cands, i, prev_base(i))
                if j is not None and c.change_pos >= 0:
                    c.modifies = j
            continue
        subj = None
        if (opened := _bracketed_alone(s, c)) >= 0:
            # 楼宇管理业(37%)、建造业(11.7%); 抢劫(-12百分点): the number remarks on the noun before its bracket
            subj = _subject_before(s, _clause_floor(s, opened, floor, ends), opened)
            if subj is not None:
                c.subj = subj
                continue
        if c.family not in ("money", "percent", "ratio") and c.kind == "count":
            subj = _subject_after(s, c.end, len(s))
        if c.family == "percent" and s.startswith("的", c.end) and s[cs : c.start] in _SCOPE_OR_NOTHING:
            subj = _subject_after(s, c.end + 1, len(s))  # (全市)80.5%的村(社区): the share of what follows
        share = c.family == "percent"
        looked = subj is None and s.find("已", cs, c.start) < 0
        if looked:
            subj = _subject_before(s, cs, c.start, share=share)
        if subj is None and not looked and prev_base(i) is None:  # (looked: the same question, answered)
            subj = _subject_before(s, cs, c.start, share=share)
        lead_words = s[cs : c.start].strip() if subj is None else ""
        if subj is None and cs > floor and s[cs - 1] in _LABEL_COLONS and not lead_words:
            # 收案数：1,234件 — a label and its value
            subj = _subject_before(s, _clause_floor(s, cs - 1, floor, ends), cs - 1)
        if subj is None and lead_words in _TOTAL_WORDS:
            subj = _total_subject(s, cands, i, cs, sa)  # 刑事案件旧存4件,新收25件,共29件
        if subj is None and lead_words in _FILLERS_OR_NOTHING and prev_base(i) is None:
            subj = _named_before(s, cs, sa)  # 最多的是警务处,有150宗
        if subj is None and c.kind == "count" and _names_nothing(s, cs, c.start):
            subj = _passive_after(s, c.end)  # 3人已被提起公诉
            if subj is None and c.family == "people":
                subj = _predicate_after(s, c.end)  # 共有1,235人参加考试
        if subj is not None:
            c.subj = subj
        else:
            _inherit_prev_base(s, cands, i, prev_base(i))
    # 分别 lists: one subject per earlier metric
    for i in range(n):
        c = cands[i]
        is_change = c.change_pos >= 0
        parallel = is_change and bool(c.group)  # 电诈警情、损失数同比下降24.8%、39.1%
        if not (c.respectively or parallel) or not (is_change or c.resp_pos >= 0):
            continue
        members = [i, *c.group]
        bases: list[int] = []
        j = i
        while len(bases) < len(members):
            k = prev_base(j)
            if k is None:
                break
            bases.append(k)
            j = k
        bases.reverse()
        pos = c.change_pos if is_change else c.resp_pos
        parts = _list_parts(s, _clause_floor(s, pos, sents.span(c.start)[0], ends), pos)
        if len(parts) == len(members) and len(parts) > 1:
            for mi, span in zip(members, parts, strict=True):
                cands[mi].subj, cands[mi].subj_text = span, None
        elif c.respectively and len(bases) == len(members):
            for mi, bi in zip(members, bases, strict=True):
                _inherit(cands[mi], cands[bi])
                if is_change:
                    cands[mi].modifies = bi
    # list members not in a 分别 group inherit the head's subject
    for i in range(n):
        c = cands[i]
        if c.change_pos == -2 and c.subj is None and c.subj_text is None:
            head = i - 1
            while cands[head].change_pos == -2:
                head -= 1
            _inherit(c, cands[head])
            c.modifies = cands[head].modifies
    _respectively_lists(s, cands, sents, ends)
    _tell_apart(s, cands, sents, ends)
    _cleft_topics(text, s, cands, sents)


_CLEFT_SHORT = 3  # a subject this short (新收, 结案) names the step, not the thing


def _cleft_topics(text: str, s: str, cands: list[_Cand], sents: SentenceIndex) -> None:
    """Prefix a topic named by a cleft clause (``…最快的是执行案件,``) to the short subjects after it in
    its sentence: ``其中上涨最快的是执行案件,2014年新收39件,2016年新收224件`` → 执行案件新收."""
    first: dict[int, int] = {}
    for k, c in enumerate(cands):
        first.setdefault(c.sent, k)
    for k0 in first.values():
        sa, _ = sents.span(cands[k0].start)
        topic = _topic_of(s, sa, cands[k0].start)
        if topic is None:
            continue
        x, y, end = topic
        own = cands[k0].subj
        if own is None or own[0] < end:
            continue  # the topic names the first metric itself (收案数：1,234件；结案数：1,198件)
        for c in cands[k0:]:
            if c.sent != cands[k0].sent:
                break
            if c.subj is None or c.subj_text is not None or c.subj[0] < end:
                continue  # no subject, or the topic itself (最多的是房屋署,有87宗)
            if c.subj[1] - c.subj[0] <= _CLEFT_SHORT:
                a, b = c.subj
                c.subj_text = (text[x:y] + text[a:b], s[x:y] + s[a:b])


# a label ending in one of these introduces what someone said (会议指出：…), not a topic
_SPEECH_VERBS = ("指出", "表示", "强调", "介绍", "显示", "称", "说", "透露", "通报", "获悉", "了解到", "统计", "据悉")
_LIST_MARKER_RE = re.compile(  # 1.  (二)  三、
    r"[0-9]{1,2}[.、．]|[(（][0-9一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、"
)


def _topic_of(s: str, sa: int, first: int) -> tuple[int, int, int] | None:
    """A topic named before the first metric of a sentence, as (start, end, where its clause ends): the X
    of a cleft ``…的是X,`` or a heading label ``1.刑事案件：``.  None when there is none."""
    head = s[sa:first]
    k = head.rfind("的是")
    if k >= 0:
        end = k + 2
        while end < len(head) and head[end] not in CLAUSE_CHARS:
            end += 1
        if end >= len(head) or any(ch.isdigit() for ch in head[k:end]):
            return None
        x, y = _strip_span(s, sa + k + 2, sa + end)
    else:
        k = max(head.rfind("："), head.rfind(":"))
        if k < 0 or clause_start(s, first, sa) != sa + k + 1:
            return None  # the label must head the clause of the first metric (not 导读:2016年…,)
        ls = clause_start(s, sa + k, sa)
        if m := _LIST_MARKER_RE.match(s, ls, sa + k):
            ls = m.end()
        if any(ch.isdigit() for ch in s[ls : sa + k]):
            return None
        x, y = _strip_span(s, ls, sa + k)
        end = k + 1
        if s[x:y] in _SCOPE_OR_NOTHING or y - x > _MAX_WIDE or s[x:y].endswith(_SPEECH_VERBS):
            return None  # 其中：…, 会议指出：… (a speaker, not a topic)
    return (x, y, sa + end) if y - x >= 2 else None


def _next_wider(s: str, span: tuple[int, int], floor: int, ends: set[int]) -> tuple[int, int]:
    """The narrowest subject wider than ``span`` that ends where it ends: it reaches back to the previous
    point where the noun could start (受理各类案件 for 案件).  ``span`` itself when there is none (never
    over another number, an agent or a date, and never longer than :data:`_MAX_WIDE`)."""
    x, y = span
    cs = _clause_floor(s, x, floor, ends)
    if cs >= x or any(ch.isdigit() for ch in s[cs:x]):
        return span
    a, _ = _strip_span(s, cs, y)
    if a >= x:
        return span  # only scopes and fillers stand before it
    points = _cut_points(s, a, y)
    agent = max((k for k, p in enumerate(points) if _ORG_END_RE.search(s, max(a, p - 6), p)), default=0)
    starts = set(points[agent:])  # an agent (…法院) names who counts, not what: never widened over
    for p in points[agent + 1 :]:
        if v := _TRAIL_ACTION_RE.search(s, max(a, p - 6), p):
            starts.add(v.start())  # the verb and its object: 破获刑事案件
    for p in sorted(starts, reverse=True):
        if p >= x:
            continue
        u, v = _strip_span(s, p, y)
        if v - u > _MAX_WIDE:
            break
        if u < x and v == y and s[u] != "的" and not s.startswith(_WIDE_NOT_START, u):
            return u, v  # not 的信访举报, not 方面的规章: such a start names nothing by itself
    return span


def _tell_apart(s: str, cands: list[_Cand], sents: SentenceIndex, ends: set[int]) -> None:
    """Widen subjects that read alike in one document but name different things (GOLD_SPEC: the shortest
    written phrase that tells the metric apart, verb included where needed).

    ``受理各类案件9471件`` and ``审执结各类案件7018件`` both narrow to 案件: when the subjects one step
    wider (back to the previous verb, 等 or 的) differ, each takes its wider one, here 受理各类案件 and
    审执结各类案件.  A subject with no wider form keeps its own; metrics that share one span (a change and
    the metric it modifies) move together.
    """
    by_text: dict[str, dict[tuple[int, int], None]] = {}  # text → its spans, in order, each once
    for c in cands:
        if c.subj is not None and c.subj_text is None:
            by_text.setdefault(s[c.subj[0] : c.subj[1]], {})[c.subj] = None
    moved: dict[tuple[int, int], tuple[int, int]] = {}
    for group in by_text.values():
        if len(group) < 2:
            continue
        step = {sp: _next_wider(s, sp, sents.span(sp[0])[0], ends) for sp in group}
        if len({s[u:v] for u, v in step.values()}) < 2:
            continue
        moved.update((sp, w) for sp, w in step.items() if w != sp)
    # 受理各类案件26155件,办结25631件: when the next count names only its verb (its object is the one just
    # named), the first count keeps its own verb
    for k, c in enumerate(cands):
        if c.subj is None or c.subj in moved or c.subj_text is not None or _ACTION_RE.fullmatch(s, *c.subj):
            continue
        # the next count, past counts written right after this one (1,320件2,015人,批准逮捕1,108件)
        n = k + 1
        while n < len(cands) and cands[n].start == cands[n - 1].end and cands[n].unit != c.unit:
            n += 1
        nxt = cands[n] if n < len(cands) else None
        if nxt is None or nxt.sent != c.sent or nxt.unit != c.unit or nxt.subj is None:
            continue
        if not _ACTION_RE.fullmatch(s, *nxt.subj):
            continue
        w = _next_wider(s, c.subj, sents.span(c.start)[0], ends)
        if w != c.subj and _ACTION_RE.match(s, w[0]) and "、" not in s[w[0] : w[1]]:
            moved[c.subj] = w
    if moved:
        for c in cands:
            if c.subj in moved and c.subj_text is None:
                c.subj = moved[c.subj]


def _bracketed_alone(s: str, c: _Cand) -> int:
    """Where the bracket opens when ``c`` is the whole of a parenthesised remark (``建造业(11.7%)``,
    ``抢劫(-12百分点)``), else -1."""
    k = c.start
    while k > 0 and s[k - 1] in _BLANKS:
        k -= 1
    if k == 0 or s[k - 1] not in "(（":
        return -1
    e = c.end
    while e < len(s) and s[e] in _BLANKS:
        e += 1
    return k - 1 if e < len(s) and s[e] in ")）" else -1


_MAX_TOTAL_ITEMS = 12  # a total sums a handful of items; looking further back only costs time


def _total_subject(s: str, cands: list[_Cand], i: int, cs: int, sa: int) -> tuple[int, int] | None:
    """Subject of a total (``共29件``) after the items it sums in the same sentence.

    In ``刑事案件旧存4件,新收25件,共29件`` the first item names the topic and its own word (刑事案件 +
    旧存), the next items only their word (新收): the topic is the first item's subject less a word as
    long as the second item's.  Without such items, a thing named in the clause before (退休人员仍是主要群体,
    共300人) or else the total word itself names the metric (共计613件 → 共计), never the last item (新收).
    """
    c = cands[i]
    run = max(s.rfind(";", 0, cs), s.rfind("；", 0, cs))  # the items of a total end at a semicolon
    items: list[_Cand] = []
    for k in range(i - 1, max(-1, i - 1 - _MAX_TOTAL_ITEMS), -1):  # back to the sentence start or a semicolon
        p = cands[k]
        if p.sent != c.sent or p.start <= run:
            break
        if s[clause_start(s, p.start, run + 1) : p.start].strip() in _TOTAL_WORDS:
            break  # the total of the items before: 旧存4件,新收25件,共29件,旧存52件,新收253件,共305件
        if p.unit == c.unit and p.kind == c.kind:
            items.append(p)
    items.reverse()
    if len(items) >= 2 and items[-1].subj is not None and items[0].subj is not None:
        (x, y), (u, v) = items[0].subj, items[1].subj
        word = v - u
        if word <= 3 and y - word - x >= 2 and s[x:y] != s[u:v]:
            return x, y - word
    if (named := _named_before(s, cs, sa)) is not None:  # 退休人员仍是主要群体,共300人
        return named
    a, b = _strip_span(s, cs, c.start)
    while a < b and s[a] in _BLANKS:
        a += 1
    while b > a and s[b - 1] in _BLANKS:
        b -= 1
    return (a, b) if a < b and s[a:b] in _TOTAL_WORDS else None


def _named_before(s: str, cs: int, sa: int) -> tuple[int, int] | None:
    """The thing named by ``X是Y`` in the clause before ``cs``, when the clause of a number names nothing
    itself: after 是 when what precedes it is a headless phrase ending in 的 (``最多的是警务处,有150宗`` →
    警务处), else before it (``退休人员仍是主要群体,共300人`` → 退休人员)."""
    if cs <= sa or s[cs - 1] not in "，,；;":
        return None
    ps = clause_start(s, cs - 1, sa)
    k = s.rfind("是", ps, cs - 1)
    if k < 0 or any(ch.isdigit() for ch in s[ps : cs - 1]):
        return None
    x, y = _strip_span(s, ps, k)
    if x < y and not s[ps:k].rstrip("仍还也则就便").endswith("的"):
        a, b = _strip_span(s, _cut_action(s, x, y), y)
    else:
        a, b = _strip_span(s, k + 1, cs - 1)
    return (a, b) if b - a >= 2 else None


# Column headings of change columns.  Whole words only: the one-character change verbs of the lexicon (增,
# 降) would also match headings such as 增值税.
_CHANGE_HEADING_RE = table_words().change_heading  # 同比, 比上年增长%: a change column
_DECREASE_HEADING_RE = table_words().decrease_heading
_HEADING_UNIT_RE = re.compile(r"[(（](?:单位[:：])?(?P<u>[^()（）]{1,6})[)）]|(?P<pct>[%‰])$|单位[:：](?P<u2>\S{1,6})$")


def _heading_unit(heading: str, written: str) -> tuple[str, str, str]:
    """(name, name as written, unit) of a column heading, given simplified and as written (same length):
    ``收案数(件)`` → (收案数, 收案数, 件); ``比上年增长%`` → (比上年增长, 比上年增长, %)."""
    m = _HEADING_UNIT_RE.search(heading)
    if m is None:
        if heading.endswith("数") and heading[:-1] in _LEX.units:
            return heading, written, heading[:-1]  # 宗数, 人数: the count of that unit
        return heading, written, ""
    unit = m.group("u") or m.group("pct") or m.group("u2") or ""
    a, b = m.span()
    if _scaled_unit(unit) is None:
        if m.group("u") and b == len(heading) and a > 0:
            return heading[:a].strip(), written[:a].strip(), ""  # 收案(含旧存): a remark, not a unit
        return heading, written, ""
    return (heading[:a] + heading[b:]).strip(), (written[:a] + written[b:]).strip(), unit


def _scaled_unit(unit: str) -> tuple[Decimal, str] | None:
    """(factor, unit) for a written unit, scale words applied: ``万元`` → (10000, 元), ``%`` → (1, %); None
    when it is not a unit of the lexicon."""
    if unit == "" or unit in _LEX.units or unit == "成":
        return Decimal(1), unit
    for k in range(len(unit), 0, -1):
        head, rest = unit[:k], unit[k:]
        if head in _LEX.scales and (rest == "" or rest in _LEX.units):
            return scale_factor(head), rest
    return None


def _family_kind(family: str) -> str:
    """The kind a unit family gives a metric (the same mapping as for numbers in prose)."""
    if family == "money":
        return "amount"
    if family in _MEASURE_FAMILIES:
        return "measure"
    if family in ("percent", "ratio"):
        return "percent" if family == "percent" else "change_pct"
    return "count"


def _with_table_cells(text: str, s: str, sents: SentenceIndex, cands: list[_Cand]) -> list[_Cand]:
    """``cands`` with the numbers of tables flattened into the text read cell by cell (see
    ``transforms.flat_tables``): every value cell is a metric whose unit is its own, else its column heading's,
    else the table's ``单位：`` line; its subject is the row's label, with the column's name when the table
    has more than one value column (丙庭结案率); a change column (同比, 比上年增长%) gives a change of its
    row's value in the nearest value column to its left.  Numbers found in prose inside a table are
    replaced by its cells.
    """
    from transforms.flat_tables import VALUE_RE, find_tables, is_value

    tables = find_tables(s)
    if not tables:
        return cands
    starts = [tb.start for tb in tables]  # tables are in order and do not overlap

    def in_table(pos: int) -> bool:
        k = bisect_right(starts, pos) - 1
        return k >= 0 and pos < tables[k].end

    out = [c for c in cands if not in_table(c.start)]
    for tb in tables:
        cols = [_heading_unit(h.text, text[h.start : h.end]) for h in tb.header]
        change = [j > 0 and bool(_CHANGE_HEADING_RE.search(name)) for j, (name, _, _) in enumerate(cols)]
        first = tb.label + 1  # value columns start after the labels (and an index column before them)
        change = [j >= first and c for j, c in enumerate(change)]
        values = [j for j in range(first, len(cols)) if not change[j] and not _NOT_METRIC_HEADING_RE.search(cols[j][0])]
        default_unit = tb.unit or cols[tb.label][2]  # 单位：万元 above, or 项目(万元) over the labels
        for row in tb.rows:
            label = row[tb.label]
            # a row named by a year (2023年) is a period: the column alone names the metric
            by_year = _YEAR_RE_HEADING.fullmatch(label.text) is not None
            row_s, row_w, row_unit = (
                ("", "", "") if by_year else _heading_unit(label.text, text[label.start : label.end])
            )
            base: _Cand | None = None
            for j, cell in enumerate(row[first:], start=first):
                if _NOT_METRIC_HEADING_RE.search(cols[j][0]):
                    continue  # 联系电话, 成立时间, 编号: a column of codes or dates holds no metrics
                if not is_value(cell.text):
                    if not change[j]:
                        base = None
                    continue
                m = VALUE_RE.fullmatch(cell.text)
                assert m is not None  # is_value said so
                scaled = _scaled_unit(m.group("unit") or cols[j][2] or row_unit or default_unit)  # 受理案件(件)
                if scaled is None:
                    continue
                factor, unit = scaled
                value = Decimal(m.group("num").replace(",", "")) * factor
                if unit == "成":
                    value, unit = value * 10, "%"
                family = _LEX.units.get(unit, "other") if unit else "other"
                kind = _family_kind(family)
                name = cols[j][0]
                if change[j]:
                    if unit in _CHANGE_UNITS:
                        kind = "change_pct"
                    if _DECREASE_HEADING_RE.search(name):
                        value = -value
                if m.group("sign") and m.group("sign") != "+":
                    value = -value
                c = _Cand(
                    start=cell.start,
                    end=cell.end,
                    value=normalize(value),
                    unit=unit,
                    family=family,
                    approx=None,
                    kind=kind,
                    sent=sents.sentence_id(cell.start),
                    qstart=cell.start,
                    fixed=True,
                )
                head_j = next((k for k in range(j, tb.label, -1) if not change[k]), j) if change[j] else j
                head_s, head_w = cols[head_j][0], cols[head_j][1]
                if (len(values) < 2 and row_s) or _YEAR_RE_HEADING.fullmatch(head_s):
                    head_s = head_w = ""  # the row alone tells it apart; a year names the period, not the metric
                if row_s or head_s:
                    c.subj_text = (row_w + head_w, row_s + head_s)
                c.base = base if change[j] else None
                if not change[j]:
                    base = c
                out.append(c)
    out.sort(key=lambda c: c.start)
    return out


_NOT_METRIC_HEADING_RE = table_words().not_a_measure_heading
_YEAR_RE_HEADING = re.compile(r"(?:19|20)[0-9]{2}(?:年度?)?(?:[0-9]{1,2}(?:-[0-9]{1,2})?月)?")


def _rank_subject(text: str, s: str, cands: list[_Cand], i: int, sa: int) -> None:
    """Subject of a rank: the phrase before the rank verb, completed by the previous metric if short."""
    c = cands[i]
    cs = clause_start(s, c.start, sa)
    vpos = c.start
    for vm in _RANK_VERB_RE.finditer(s, cs, c.start):
        vpos = vm.start()
    sm = _RANK_SCOPE_RE.search(s, cs, vpos)
    if sm:
        vpos = sm.start()  # 破案率全国第一 → 破案率
    k = s.find("在", cs, vpos)
    if k > cs:
        vpos = k  # 案件数量在全省基层法院中排名第三 → 案件数量
    elif k == cs and (e := s.rfind("中", cs, vpos)) > cs + 2:
        cs, vpos = cs + 1, e  # 在全省综治考核中排名第5 → 综治考核 (the frame 在…中 names the ranking)
    r = s.find("分别", _clause_floor(s, cs, sa, set()), vpos)
    if r >= 0:
        # 结案率、调撤率分别居全市法院第一、第三位: the n-th rank after 分别 ranks the n-th item before it
        parts = _list_parts(s, _clause_floor(s, r, sa, set()), r)
        n = s.count("第", r, c.start)  # ranks written before it, found or not (第一和第三)
        if len(parts) > 1 and n < len(parts):
            c.subj = parts[n]
            return
    seg = _subject_before(s, cs, vpos)
    j = _prev_base(s, cands, i)
    if seg is not None and (seg[1] - seg[0] > 3 or j is None):
        c.subj = seg
    elif j is not None:
        p = cands[j]
        if seg is None:
            _inherit(c, p)
        elif p.subj is not None:
            # 国家级孵化载体9家 … 数量位列全省第一 → 国家级孵化载体数量
            (a, b), (x, y) = p.subj, seg
            c.subj_text = (text[a:b] + text[x:y], s[a:b] + s[x:y])
        else:
            c.subj = seg
    elif seg is not None:
        c.subj = seg
