"""Subjects, list inheritance and change links, in text order.

Each candidate takes the subject of its clause or that of the metric it follows up on; a number listed after a
change verb or ``分别`` shares its verb and sign; a change links to the metric it modifies; totals (``共29件``),
ranks (``位居全市第一``) and labelled values (``收案数：1,234件``) find theirs.
"""

from __future__ import annotations

import re

from transforms.extract.phrases import (
    _FILLERS_OR_NOTHING,
    _TOTAL_WORDS,
    _clause_floor,
    _cut_action,
    _list_parts,
    _parts_before,
    _strip_span,
)
from transforms.extract.records import _Cand
from transforms.extract.settle import _cleft_topics, _tell_apart
from transforms.extract.subjects import (
    _names_nothing,
    _passive_after,
    _predicate_after,
    _subject_after,
    _subject_before,
)
from transforms.extract.values import _CHANGE_UNITS
from transforms.extract.words import _BLANKS, _LEX
from transforms.lexicon import alternation
from transforms.sentences import CLAUSE_CHARS, SentenceIndex, clause_start

_PREV_REACH = 32  # how many metrics back a change looks for the metric it modifies
_LABEL_COLONS = frozenset("：:")
_RANK_VERB_RE = re.compile(alternation(_LEX.rank))
_RANK_SCOPE_RE = re.compile(rf"(?:{alternation(_LEX.rank_scope)})$")
_LIST_SEPARATORS = frozenset({"、", "和", "及", "与", ",", "，", "以及"})
_BRACKET_OR_BLANK = _BLANKS | frozenset("(（")  # what stands before a number that is all of a bracket's remark
_NO_NOUN_AFTER = CLAUSE_CHARS | frozenset("(（")  # after a number, these leave no noun for it to count


def _respectively_lists(s: str, cands: list[_Cand], sents: SentenceIndex, ends: set[int]) -> None:
    """Numbers listed after 分别 and a verb (``分别收到8宗及52宗``, ``分别覆盖12万人次、35万人次``) take the
    items of the enumeration before 分别, in its clause or, when that names only one thing, in the clause
    before it (``举行了选委会选举及立法会换届选举,廉署分别收到8宗及52宗投诉``)."""
    if "分别" not in s:
        return  # no list of this kind in the document
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

    def get(self, i: int) -> int | None:
        j = self._found[i]
        if j == -1:
            j = self._found[i] = _prev_base(self._s, self._cands, i)
        return j


def _inherit(c: _Cand, p: _Cand) -> None:
    c.subj, c.subj_text = p.subj, p.subj_text


def _resolve(text: str, s: str, cands: list[_Cand], sents: SentenceIndex) -> None:
    """Assign subjects, list-inherited change verbs and ``modifies`` links, in text order."""
    ends = {c.end for c in cands}
    prev_base = _PrevBases(s, cands).get
    for i, c in enumerate(cands):
        if c.fixed:
            continue
        sa = c.span[0] if c.span is not None else sents.span(c.start)[0]
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
            listed = cands[first]
            if listed.group is None:
                listed.group = [i]
            else:
                listed.group.append(i)
            continue
        if c.kind == "rank":
            _rank_subject(text, s, cands, i, sa)
            continue
        floor = max(sa, prev.end) if prev is not None else sa
        anchor = c.change_pos if c.change_pos >= 0 else c.resp_pos if c.resp_pos >= 0 else c.start
        cs = _clause_floor(s, anchor, floor, ends, sents) if anchor > floor else floor
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
        if c.start and s[c.start - 1] in _BRACKET_OR_BLANK and (opened := _bracketed_alone(s, c)) >= 0:
            # 楼宇管理业(37%)、建造业(11.7%); 抢劫(-12百分点): the number remarks on the noun before its bracket
            subj = _subject_before(s, _clause_floor(s, opened, floor, ends), opened)
            if subj is not None:
                c.subj = subj
                continue
        if (
            c.family not in ("money", "percent", "ratio")
            and c.kind == "count"
            and c.end < len(s)
            and s[c.end] not in _NO_NOUN_AFTER
            and not s[c.end].isdigit()
        ):
            subj = _subject_after(s, c.end, len(s))  # (a clause end, a digit or a bracket right after: none)
        if c.family == "percent" and s.startswith("的", c.end) and _names_nothing(s, cs, c.start):
            subj = _subject_after(s, c.end + 1, len(s))  # (全市)80.5%的村(社区): the share of what follows
        share = c.family == "percent"
        bare = cs == c.start  # nothing stands before the number in its clause: no subject there
        looked = subj is None and s.find("已", cs, c.start) < 0
        if looked and not bare:
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
        if subj is None and c.kind == "count" and (bare or _names_nothing(s, cs, c.start)):
            subj = _passive_after(s, c.end)  # 3人已被提起公诉
            if subj is None and c.family == "people":
                subj = _predicate_after(s, c.end)  # 共有1,235人参加考试
        if subj is not None:
            c.subj = subj
        elif (j := prev_base(i)) is not None:
            _inherit(c, cands[j])
    # 分别 lists: one subject per earlier metric
    for i, c in enumerate(cands):
        is_change = c.change_pos >= 0
        if not c.respectively and not (is_change and c.group):  # 电诈警情、损失数同比下降24.8%、39.1%: parallel lists
            continue
        if not (is_change or c.resp_pos >= 0):
            continue
        members = [i, *(c.group or ())]
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
    for i, c in enumerate(cands):
        if c.change_pos == -2 and c.subj is None and c.subj_text is None:
            head = i - 1
            while cands[head].change_pos == -2:
                head -= 1
            _inherit(c, cands[head])
            c.modifies = cands[head].modifies
    _respectively_lists(s, cands, sents, ends)
    _tell_apart(s, cands, sents, ends)
    _cleft_topics(text, s, cands, sents)


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
