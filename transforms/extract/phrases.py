"""Spans of phrases in the simplified text ``s``: trimming scopes, fillers, bullets and conjunctions from a
span, the points where a counted noun may start (after an action verb, an agent, 等, 的 or a date), the start
of a subject's clause and the items of an enumeration (``受理、审结、执结案件``).
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from transforms.extract.words import _ACTION_RE, _LEX, _TRAIL_SPAN, _ends_of
from transforms.lexicon import alternation
from transforms.sentences import CLAUSE_CHARS, SentenceIndex, clause_start, opening_bracket

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
_SCOPES = frozenset(_LEX.leading_scope)  # a clause of nothing but a scope (上半年共有…) names nothing
_SCOPE_OR_NOTHING = _SCOPES | {""}
_FILLERS = frozenset(_LEX.trailing_filler)  # a clause of nothing but a filler (历经5个月) names nothing
_FILLERS_OR_NOTHING = _FILLERS | {""}
_COORDINATORS = frozenset("和及与或、")  # after an action verb: the verb is coordinated, not the head
_CUT_AFTER_RE = re.compile(alternation([*_LEX.org_heads, *_LEX.time_phrase_ends, "等", "的"]))
_ORG_HEAD_RE = re.compile(alternation(_LEX.org_heads))


def _subject_words() -> dict[str, Any]:
    """The lists of ``stop_patterns.json`` that only the subject rules read (see its ``_doc``)."""
    from transforms.lexicon import _load

    return _load("stop_patterns.json")


_SUBJECT_WORDS = _subject_words()
_NOT_CONJUNCTIONS = tuple(_SUBJECT_WORDS["list_not_conjunction"])  # 涉及 参与 及时: 及 / 与 inside a word
_BULLETS = frozenset(_SUBJECT_WORDS["list_bullets"])  # ● ■ …: open a list item, never part of a subject
_OPENING_DEBRIS = CLAUSE_CHARS | _BULLETS  # what a phrase never opens with
_TIME_CUT_RE = re.compile("|".join(_SUBJECT_WORDS["time_cut_patterns"]))  # 2016年: a subject starts after it
_TOTAL_WORDS = frozenset(_SUBJECT_WORDS["total_words"])  # 共 共计: a clause that sums the items before it
_ENUMERATION_HEADS = tuple(_SUBJECT_WORDS["enumeration_heads"])  # 等其他, 等领域: 等 does not end the modifier
_CONJ_RE = re.compile(r"以及|及其|或者|和|及|与|或")  # joins list items, unless inside a word (涉及)
_CONJ_CHARS = frozenset("和及与或")
_CONJ_STARTS = _CONJ_CHARS | {"以"}  # the characters the words of _CONJ_RE start with
_PREP_CUT_RE = re.compile(r"(?<![可所予难加得足借])以(?![及上下来内外后前往便免至为])")  # 以 'with', not in 可以


# The trailing words of _TRAIL_RE reversed, longest first: matching them at the start of the reversed
# phrase finds the longest one that ends it in one attempt, where a search anchored at the end tries every
# position of the window against every word.  The regex patterns are searched as before.
_TRAIL_WORDS_REVERSED_RE = re.compile(
    alternation([w[::-1] for w in (*_LEX.trailing_filler, *_LEX.adverbs, *_LEX.compare)])
)
_TRAIL_INSIDE = tuple(_LEX.trailing_filler_inside)  # nouns that end with a filler word (行为)
_TRAIL_WORD_ENDS = frozenset(w[-1] for w in (*_LEX.trailing_filler, *_LEX.adverbs, *_LEX.compare) if w)
_TRAIL_PATTERNS_RE = re.compile(f"(?:{'|'.join(_LEX.trailing_patterns)})$")
_TRAIL_PATTERNS_ENDS = _ends_of(_TRAIL_PATTERNS_RE)
#: What a phrase ends with when :func:`_trail_start` finds something in it (every character when a pattern's last
#: character cannot be bounded).
_TRAIL_ENDS_ANY = (
    _TRAIL_WORD_ENDS | _TRAIL_PATTERNS_ENDS if isinstance(_TRAIL_PATTERNS_ENDS, frozenset) else _TRAIL_PATTERNS_ENDS
)


def _trail_start(s: str, lo: int, b: int) -> int:
    """Where the filler, adverb or comparison that ends ``s[lo:b]`` starts (the longest one), or -1; the
    same as ``_TRAIL_RE.search(s, lo, b).start()``."""
    if b <= lo:
        return -1
    last = s[b - 1]  # no word or pattern ends with any other character: then nothing is matched
    m = _TRAIL_WORDS_REVERSED_RE.match(s[lo:b][::-1]) if last in _TRAIL_WORD_ENDS else None
    k = b - m.end() if m else -1
    if k >= 0 and s.endswith(_TRAIL_INSIDE, lo, b):
        word = next(w for w in _TRAIL_INSIDE if s.endswith(w, lo, b))
        if len(word) > b - k:
            k = -1  # 违法行为: 为 ends the noun 行为 here, it is no filler
    p = _TRAIL_PATTERNS_RE.search(s, lo, b) if last in _TRAIL_PATTERNS_ENDS else None
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
    while a < b and s[a] in _OPENING_DEBRIS:
        a += 1
    while a < b:
        last = s[b - 1]
        if last in ")）":
            j = opening_bracket(s, b - 1, a)
            if j < 0:
                break
            b = j
            continue
        if last not in _TRAIL_ENDS_ANY:
            break  # no filler, adverb, comparison or trailing pattern ends with it
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
    outside = _bracket_depth_ok(s, a, b) if s.find("(", a, b) >= 0 or s.find("（", a, b) >= 0 else None
    # a point k is added when it lies outside brackets (outside[k - a - 1]) and after the last one
    points: list[int] = [a]
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
                k = end
            elif not _ACTION_RE.fullmatch(s, end + 1, b):
                k = end + 1  # 引进及合作两院院士: the coordinator goes with the verb
            else:
                continue  # 批评教育帮助和处理: two coordinated verbs are the whole subject
            if (outside is None or outside[k - a - 1]) and k > points[-1]:
                points.append(k)
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
        k = m.end()
        if (
            b - k >= need
            and s[k:b] not in _LEX.metric_suffixes
            and (outside is None or outside[k - a - 1])
            and k > points[-1]
        ):
            points.append(k)
    if s.find("以", a + 2, b - 2) >= 0:
        for m in _PREP_CUT_RE.finditer(s, a + 2, b - 2):
            k = m.end()  # 私营机构以饮食业(21%)…占最多: what follows 以 is the item
            if (outside is None or outside[k - a - 1]) and k > points[-1]:
                points.append(k)
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


def _parts_before(s: str, cs: int, sa: int) -> list[tuple[int, int]]:
    """The items of an enumeration in the clause before ``cs`` when that clause holds no number, else []."""
    if cs <= sa or s[cs - 1] not in "，,；;":
        return []
    ps = clause_start(s, cs - 1, sa)
    if any(ch.isdigit() for ch in s[ps : cs - 1]):
        return []
    return _list_parts(s, ps, cs - 1)


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
