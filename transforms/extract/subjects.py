"""The subject of one number, from its own clause: the noun phrase before it (``受理各类案件9471件``)
or after its unit (``458名政法干警``), what was done to or by the people it counts (``3人已被提起公诉``,
``1,235人参加考试``), the head shared by modifiers listed after it and a coordinated noun phrase
(``12个学校、医院和养老院``).
"""

from __future__ import annotations

import re

from transforms.extract.phrases import (
    _CONJ_STARTS,
    _COORDINATORS,
    _FILLERS,
    _ORG_HEAD_RE,
    _SCOPE_OR_NOTHING,
    _SCOPES,
    _conjunction_at,
    _cut_action,
    _share_holder,
    _strip_span,
)
from transforms.extract.words import _LEX, _TRAIL_ENDS, _TRAIL_RE, _is_cjk
from transforms.lexicon import alternation
from transforms.sentences import CLAUSE_CHARS

_FOLLOW_STOP_RE = re.compile(alternation(_LEX.follow_stop))
_STOP_INSIDE_WORDS = frozenset(_LEX.follow_stop_inside)  # words a stop word ends (矫正, 纠正)
_FOLLOW_ACTION_RE = re.compile(alternation(_LEX.action))
_MAX_AFTER = 8  # a noun phrase after a number is short: 平安建设先进个人
_LOCALIZERS = "中内里上下"
_TRAIL_ACTION_RE = re.compile(f"(?:{alternation(_LEX.action)})$")
_DIGIT_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?[、和及与或]$")


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
    if s[a] in _CONJ_STARTS and _conjunction_at(s, a) == b - a:
        return None  # 及 alone: the number continues a list
    if s[b - 1] in _TRAIL_ENDS and (t := _TRAIL_RE.match(s, a, b)) and t.end() == b:
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
    for m in _FOLLOW_STOP_RE.finditer(s, end, i):
        if m.start() > end and s[m.start() - 1 : m.end()] in _STOP_INSIDE_WORDS:
            continue  # 社区矫正协理员: 正 ends the word 矫正 here, it is no adverb ending the noun
        i = m.start()
        break
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
