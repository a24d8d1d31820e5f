"""Candidate numbers: the regexes that find them in the simplified text (:data:`CANDIDATE_RE` for a
number with a unit, a scale word or a percent sign, :data:`RANK_RE` for a ``第N`` rank), and the reading of one
match into a ``_Cand``: filtered, given its value, unit, approx, kind and sign, and the context before it (a
change verb, a comparison, ``分别``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from transforms.extract.filters import (
    _BARE_HUNDREDS,
    _CN_NUMERAL_CHARS,
    _IDENT_CHARS,
    _NOT_BEFORE_RE,
    _NOT_BEFORE_SPAN,
    _PAGE_LABEL_RE,
    _VAGUE_BEFORE,
    _ZEROS,
    _in_quote,
    _is_session_name,
    _SloganIndex,
)
from transforms.extract.records import _Cand
from transforms.extract.values import (
    _AR,
    _CHANGE_UNITS,
    _CN,
    _CN_START,
    _MIX_TAIL,
    _QUAL_AFTER,
    _QUAL_BEFORE,
    _RANGE_SIGNS,
    _SCALES,
    _SIGNS,
    _SP,
    _TAIL_DIGITS,
    _UNITS,
    _abbreviated_tail,
    _explicit_sign,
    _range_low,
)
from transforms.extract.words import _BLANKS, _LEX, _TRAIL_ENDS, _TRAIL_RE, _TRAIL_SPAN, _ends_of, _is_cjk
from transforms.lexicon import alternation
from transforms.numbers import normalize, parse_chinese_range, parse_number, scale_factor
from transforms.sentences import SentenceIndex

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
#: The last characters of the matches of _CHANGE_RE and _NOT_BEFORE_RE: a window ending otherwise is not searched.
_CHANGE_ENDS = _ends_of(_CHANGE_RE)
_NOT_BEFORE_ENDS = _ends_of(_NOT_BEFORE_RE)
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
_GAP_HINT_RE = re.compile(f"[{re.escape(_GAP_HINTS)}]")  # cheap test before _GAP_RE
_CONTEXT_HINT_RE = re.compile(f"[{re.escape(_GAP_HINTS)}分]")  # a comparison or 分别 may stand there
_RANK_CTX_RE = re.compile(rf"(?:{alternation(_LEX.rank)})|(?:{alternation(_LEX.rank_scope)})$")


def _candidate(s: str, m: re.Match[str], sents: SentenceIndex, slogans: _SloganIndex) -> _Cand | None:
    start, end = m.span()
    pre, num_text, g_unit, g_unit2, g_post, g_inner1, g_inner2, g_plus, scale = m.group(
        "pre", "num", "unit", "unit2", "post", "inner1", "inner2", "plus", "scale"
    )
    qstart = m.start("pre") + len(pre) if pre else start
    before = s[start - 1] if start else ""
    # --- numbers that are names, ordinals, identifiers or rates
    lead = start - 1 if before in _BLANKS else start  # 第 3 次: one blank may intervene
    if lead and s[lead - 1] in _NOT_BEFORE_ENDS and _NOT_BEFORE_RE.search(s, max(0, lead - _NOT_BEFORE_SPAN), lead):
        return None
    unit = g_unit or g_unit2 or ""
    n = len(s)
    if end < n and (s[end].isdigit() or s[end] in _TAIL_DIGITS) and num_text is not None:  # cheap test first
        tail = _abbreviated_tail(s, m) if unit == "成" or (scale and not unit) else None
        if tail is not None:
            end = tail[0]
    else:
        tail = None
    if before in _BEFORE_NOTED:  # a sign, a range sign, a blank, 负 or a character of an identifier
        # a range's upper bound (5至8万元, 5-8%) is read with its lower bound below; it is not an identifier
        may_range = num_text is not None and not pre and (before in _RANGE_SIGNS or before in _BLANKS)
        sign = _explicit_sign(s, start, unit) if before in _SIGNS and not pre else 0
        negative_word = not sign and not pre and before == _NEGATIVE_WORD
        if before in _IDENT_CHARS and not sign and not may_range:
            return None
    else:
        may_range = negative_word = False
        sign = 0
    if unit and end < n:
        # a unit that is really the start of a word (一人民 …) — look at the char after the unit
        uend = m.end("unit") if g_unit else m.end("unit2")
        nxt = s[uend] if uend < n else ""
        if (
            nxt
            and nxt in _LEX.unit_not_followed_by.get(unit, "")
            and not g_post
            and not any(s.startswith(w, uend) for w in _LEX.unit_followed_by_ok.get(unit, ()))
        ):
            return None
    if unit == "次" and _is_session_name(s, start, m.end("unit") if g_unit else end):
        return None  # 十四届全国人大二次会议
    nxt = s[end] if end < n else ""
    is_cn = num_text is not None and num_text[0] not in "0123456789"
    if nxt.isascii():
        if nxt.isalpha() or (is_cn and nxt.isalnum()):
            return None  # 5G, 3D, 12345abc; 三个1
    elif nxt in _CN_NUMERAL_CHARS:
        return None  # 三个一, 两个一百年
    if slogans.found and slogans.overlaps(start, end):
        return None
    a = start - 3 if start > 3 else 0  # a label's colon within the three characters before the number
    if (s.find("：", a, start) >= 0 or s.find(":", a, start) >= 0) and _PAGE_LABEL_RE.search(
        s, max(0, start - 10), start
    ):
        return None  # 浏览次数：1234次 — a web page's counter, not the report's
    sent, span = sents.locate(start)
    sa = span[0]
    if slogans.quoted and _in_quote(s, start, end, sa, 30 if is_cn else 12, slogans.straight_quotes, slogans.quotes):
        return None
    approx = _LEX.qual_before.get(pre) if pre else None
    value_high: Decimal | None = None
    if num_text is not None:
        if is_cn:
            if not pre and any(s.startswith(w, qstart - len(w)) for w in _VAGUE_BEFORE if w):
                return None  # 数十家, 几百人
            if num_text in _ZEROS:
                return None  # 零部件, 零容忍: a bare 零 is a word, not a count
            if num_text == "一" and not pre and unit not in _LEX.not_article_units:
                return None  # 一 as an article: 一名男子 (but 下降一成 is a number)
            if num_text in _BARE_HUNDREDS and not pre and not (g_inner1 or g_inner2):
                return None  # 千名干警进万家: a bare 千 needs 余 / 多 or a qualifier (千余人, 近千名)
            estimate = parse_chinese_range(num_text)
        else:
            estimate = None
        if estimate is None:
            got = _scaled(num_text, scale)
            if got is None:
                return None
            raw, factor, plain = got
            value = raw
        else:
            factor = scale_factor(scale) if scale else Decimal(1)
            value = estimate[0] * factor
            raw = None
        if scale in _LEX.scales_need_unit and not unit and tail is None:
            return None  # 110千伏: 千 scales only a number with a unit (9千多公里)
        if tail is not None:
            value += tail[1]
        if g_plus:
            approx = "more_than"  # 20+: more than 20
        elif (g_inner1 or g_inner2) and approx is None:
            approx = "more_than"  # 320余万人次, 800多套
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
        raw = None
    else:
        den = parse_number(m.group("fden"))
        num = parse_number(m.group("fnum"))
        if not den or num is None:
            return None
        value = (num * 100 / den).quantize(Decimal("0.0001")) if (num * 100) % den else num * 100 / den
        unit = "%"
        raw = None
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
    if g_post and approx is None:
        approx = _LEX.qual_after.get(g_post)
    family, kind = _UNIT_FAMILY_KIND.get(unit) or _family_and_kind(unit)  # money → amount
    if sign or negative_word:
        if negative_word:
            sign = -1  # 增速为负3.9%: the sign is written as a word
            if unit in _CHANGE_UNITS:
                kind = "change_pct"
        else:
            kind = "change_pct"
        start, qstart = start - 1, start - 1  # the sign belongs to the mention
        value *= sign
        if value_high is not None:
            value_high *= sign
    if start != m.start():
        sent, span = sents.locate(start)  # a range or a sign moved the start
    c = _Cand(
        start,
        end,
        plain if value is raw else normalize(value),  # value: the cached form of a value left as read
        unit,
        family,
        approx,
        kind,
        sent,
        qstart,
        None if value_high is None else normalize(value_high),  # value_high
        span,
    )
    # --- change verb directly before the number (同比下降2.1%), or one blank before it (同比增长 5.6 %)
    vend = start - 1 if start > sa and s[start - 1] in " \u00a0\u3000" else start
    near = max(sa, vend - 16)
    if not unit and scale:
        # 付息金额41.2亿: the subject says it is money
        cs = _clause(sents, vend, sa, near, sents.clause_start(vend, near))
        if _MONEY_SUBJECT_RE.search(s, max(cs, vend - _MONEY_WINDOW), vend):
            c.kind, c.family = "amount", "money"
    # a change verb, a comparison or 分别 stands within 16 characters, in the number's clause; without any of
    # their characters there, where that clause starts does not matter
    if vend > near and (s[vend - 1] in _CHANGE_ENDS or _CONTEXT_HINT_RE.search(s, near, vend)):
        ctx_a = sents.clause_start(vend, near)
    else:
        ctx_a = vend
    if vend <= ctx_a:  # nothing of the clause stands before the number
        if unit in _CHANGE_UNITS:
            if am := _CHANGE_AFTER_RE.match(s, end):
                c.change_dir = 1 if am.group("inc") or am.group("inc2") else -1
                c.kind = "change_pct"
            elif unit in ("个百分点", "百分点"):
                c.kind = "change_pct"
                c.change_dir = 1
        return c
    cm = _CHANGE_RE.search(s, ctx_a, vend) if s[vend - 1] in _CHANGE_ENDS else None
    if cm:
        cs = _clause(sents, vend, sa, near, ctx_a)
        c.change_dir = 1 if cm.group("inc") else -1
        if cm.group("resp") == "分别":
            c.respectively = True  # 降幅分别达12%、9%
        pos = cm.start()
        # walk back over comparison phrases and adverbs (同比, 分别, 直线)
        while pos > cs:
            t = _TRAIL_RE.search(s, max(cs, pos - _TRAIL_SPAN), pos) if s[pos - 1] in _TRAIL_ENDS else None
            if not t or t.start() == t.end():
                break
            if s[t.start() : pos] in ("分别", "分别为"):
                c.respectively = True
            pos = t.start()
        c.change_pos = pos
        if unit in _CHANGE_UNITS:
            c.kind = "change_pct"
    elif _GAP_HINT_RE.search(s, ctx_a, vend) and (gm := _GAP_RE.search(s, ctx_a, vend)):
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


def _clause(sents: SentenceIndex, vend: int, sa: int, near: int, ctx_a: int) -> int:
    """The clause start before a number ending its context at ``vend``, looked for only as far as a number's own
    context reaches (``ctx_a`` is the clause start within 16 characters, ``near`` that bound)."""
    return sents.clause_start(vend, max(sa, vend - _CLAUSE_REACH)) if ctx_a == near > sa else ctx_a


@lru_cache(maxsize=8192)
def _scaled(num_text: str, scale: str | None) -> tuple[Decimal, Decimal, Decimal] | None:
    """(value, factor, normalized value) of a numeral and its scale word, worked out once per process for the
    numerals seen most (a report repeats 12件, 3万元 …); None when it is no number."""
    value = parse_number(num_text)
    if value is None:
        return None
    factor = scale_factor(scale) if scale else Decimal(1)
    value *= factor
    return value, factor, normalize(value)


def _family_and_kind(unit: str) -> tuple[str, str]:
    family = _LEX.units.get(unit, "other") if unit else "other"
    return family, _LEX.family_kinds.get(family, "count")


#: The unit family and the kind it gives, of each unit of the lexicon (and of no unit).
_UNIT_FAMILY_KIND = {u: _family_and_kind(u) for u in ("", "%", *_LEX.units)}
#: Characters before a number that make it a range's bound, signed, negative or part of an identifier.
_BEFORE_NOTED = _RANGE_SIGNS | _BLANKS | _SIGNS | _IDENT_CHARS | {_NEGATIVE_WORD}


def _rank_candidate(s: str, m: re.Match[str], sents: SentenceIndex, _slogans: _SloganIndex) -> _Cand | None:
    start, end = m.start(), m.end()
    nxt = s[end] if end < len(s) else ""
    if nxt in _SUPERLATIVES:
        after = s[end + 1] if end + 1 < len(s) else ""
        if after == "的" or not (_is_cjk(after) or after.isalnum()):
            nxt = ""  # 全省第三多, 全国第二高的: a rank and its superlative (but 第三大队 is a name)
    if nxt and (_is_cjk(nxt) or nxt.isalnum()):
        return None  # 第一方阵, 第三督导组, 第6个
    span = sents.span(start)
    sa = span[0]
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
        span=span,
    )
